// Writing Parquet metadata in the Thrift compact protocol. Fields go out in ascending id
// order, as Thrift's own generated code writes them, so every header takes the short form.
#include <string>
#include <vector>

#include "parquet/metadata.h"
#include "parquet/thrift_compact.h"

namespace strata::parquet {

namespace {

// Optional scalars: written only when present.
void Put(CompactWriter* w, int16_t id, const std::optional<bool>& v) {
  if (v) w->BoolField(id, *v);
}
void Put(CompactWriter* w, int16_t id, const std::optional<int16_t>& v) {
  if (v) w->I16Field(id, *v);
}
void Put(CompactWriter* w, int16_t id, const std::optional<int32_t>& v) {
  if (v) w->I32Field(id, *v);
}
void Put(CompactWriter* w, int16_t id, const std::optional<int64_t>& v) {
  if (v) w->I64Field(id, *v);
}
void Put(CompactWriter* w, int16_t id, const std::optional<std::string>& v) {
  if (v) w->BinaryField(id, *v);
}
template <ThriftEnum E>
void Put(CompactWriter* w, int16_t id, const std::optional<E>& v) {
  if (v) w->EnumField(id, *v);
}

// A union whose members are all empty structs: the member's field id, then an empty struct.
// Member 0 stands for a union with no member set, which is an empty struct.
void PutEmptyUnion(CompactWriter* w, int16_t member) {
  w->StructBegin();
  if (member != 0) {
    w->FieldBegin(member, ThriftType::kStruct);
    w->StructBegin();
    w->StructEnd();
  }
  w->StructEnd();
}

// Writes a field holding a struct; write_body(w) writes the struct's fields.
template <typename WriteBody>
void PutStruct(CompactWriter* w, int16_t id, WriteBody&& write_body) {
  w->FieldBegin(id, ThriftType::kStruct);
  w->StructBegin();
  write_body(w);
  w->StructEnd();
}

// A list field of structs; write_one(w, element) writes one element's fields.
template <typename T, typename WriteOne>
void PutList(CompactWriter* w, int16_t id, const std::vector<T>& list, WriteOne&& write_one) {
  w->FieldBegin(id, ThriftType::kList);
  w->ListBegin(ThriftType::kStruct, static_cast<uint32_t>(list.size()));
  for (const T& element : list) {
    w->StructBegin();
    write_one(w, element);
    w->StructEnd();
  }
}

void PutList(CompactWriter* w, int16_t id, const std::vector<std::string>& list) {
  w->FieldBegin(id, ThriftType::kList);
  w->ListBegin(ThriftType::kBinary, static_cast<uint32_t>(list.size()));
  for (const std::string& s : list) w->Binary(s);
}

void PutList(CompactWriter* w, int16_t id, const std::vector<bool>& list) {
  w->FieldBegin(id, ThriftType::kList);
  w->ListBegin(ThriftType::kBoolTrue, static_cast<uint32_t>(list.size()));
  for (bool b : list) w->Bool(b);
}

void PutList(CompactWriter* w, int16_t id, const std::vector<int64_t>& list) {
  w->FieldBegin(id, ThriftType::kList);
  w->ListBegin(ThriftType::kI64, static_cast<uint32_t>(list.size()));
  for (int64_t v : list) w->I64(v);
}

void PutList(CompactWriter* w, int16_t id, const std::vector<Encoding>& list) {
  w->FieldBegin(id, ThriftType::kList);
  w->ListBegin(ThriftType::kI32, static_cast<uint32_t>(list.size()));
  for (Encoding e : list) w->I32(static_cast<int32_t>(e));
}

void WriteStatistics(CompactWriter* w, const Statistics& s) {
  Put(w, 1, s.max);
  Put(w, 2, s.min);
  Put(w, 3, s.null_count);
  Put(w, 4, s.distinct_count);
  Put(w, 5, s.max_value);
  Put(w, 6, s.min_value);
  Put(w, 7, s.is_max_value_exact);
  Put(w, 8, s.is_min_value_exact);
  Put(w, 9, s.nan_count);
}

void WriteLogicalType(CompactWriter* w, const LogicalType& t) {
  const auto member = static_cast<int16_t>(t.kind);
  if (member == 0) return;  // no member set
  PutStruct(w, member, [&](CompactWriter* w) {
    switch (t.kind) {
      case LogicalType::Kind::kDecimal:
        w->I32Field(1, t.scale);
        w->I32Field(2, t.precision);
        break;
      case LogicalType::Kind::kTime:
      case LogicalType::Kind::kTimestamp:
        w->BoolField(1, t.is_adjusted_to_utc);
        w->FieldBegin(2, ThriftType::kStruct);
        PutEmptyUnion(w, static_cast<int16_t>(t.unit));
        break;
      case LogicalType::Kind::kInteger:
        w->I8Field(1, t.bit_width);
        w->BoolField(2, t.is_signed);
        break;
      default:
        break;  // the other members are empty structs, including unknown ones
    }
  });
}

void WriteSchemaElement(CompactWriter* w, const SchemaElement& e) {
  Put(w, 1, e.type);
  Put(w, 2, e.type_length);
  Put(w, 3, e.repetition_type);
  w->BinaryField(4, e.name);
  Put(w, 5, e.num_children);
  Put(w, 6, e.converted_type);
  Put(w, 7, e.scale);
  Put(w, 8, e.precision);
  Put(w, 9, e.field_id);
  if (e.logical_type) {
    PutStruct(w, 10, [&](CompactWriter* w) { WriteLogicalType(w, *e.logical_type); });
  }
}

void WriteKeyValue(CompactWriter* w, const KeyValue& kv) {
  w->BinaryField(1, kv.key);
  Put(w, 2, kv.value);
}

void WriteSortingColumn(CompactWriter* w, const SortingColumn& c) {
  w->I32Field(1, c.column_idx);
  w->BoolField(2, c.descending);
  w->BoolField(3, c.nulls_first);
}

void WritePageEncodingStats(CompactWriter* w, const PageEncodingStats& s) {
  w->EnumField(1, s.page_type);
  w->EnumField(2, s.encoding);
  w->I32Field(3, s.count);
}

void WriteColumnMetaData(CompactWriter* w, const ColumnMetaData& m) {
  w->EnumField(1, m.type);
  PutList(w, 2, m.encodings);
  PutList(w, 3, m.path_in_schema);
  w->EnumField(4, m.codec);
  w->I64Field(5, m.num_values);
  w->I64Field(6, m.total_uncompressed_size);
  w->I64Field(7, m.total_compressed_size);
  if (m.key_value_metadata) PutList(w, 8, *m.key_value_metadata, WriteKeyValue);
  w->I64Field(9, m.data_page_offset);
  Put(w, 10, m.index_page_offset);
  Put(w, 11, m.dictionary_page_offset);
  if (m.statistics) {
    PutStruct(w, 12, [&](CompactWriter* w) { WriteStatistics(w, *m.statistics); });
  }
  if (m.encoding_stats) PutList(w, 13, *m.encoding_stats, WritePageEncodingStats);
  Put(w, 14, m.bloom_filter_offset);
  Put(w, 15, m.bloom_filter_length);
}

void WriteColumnChunk(CompactWriter* w, const ColumnChunk& c) {
  Put(w, 1, c.file_path);
  w->I64Field(2, c.file_offset);
  if (c.meta_data) {
    PutStruct(w, 3, [&](CompactWriter* w) { WriteColumnMetaData(w, *c.meta_data); });
  }
  Put(w, 4, c.offset_index_offset);
  Put(w, 5, c.offset_index_length);
  Put(w, 6, c.column_index_offset);
  Put(w, 7, c.column_index_length);
}

void WriteRowGroup(CompactWriter* w, const RowGroup& g) {
  PutList(w, 1, g.columns, WriteColumnChunk);
  w->I64Field(2, g.total_byte_size);
  w->I64Field(3, g.num_rows);
  if (g.sorting_columns) PutList(w, 4, *g.sorting_columns, WriteSortingColumn);
  Put(w, 5, g.file_offset);
  Put(w, 6, g.total_compressed_size);
  Put(w, 7, g.ordinal);
}

void WriteDataPageHeader(CompactWriter* w, const DataPageHeader& h) {
  w->I32Field(1, h.num_values);
  w->EnumField(2, h.encoding);
  w->EnumField(3, h.definition_level_encoding);
  w->EnumField(4, h.repetition_level_encoding);
  if (h.statistics) {
    PutStruct(w, 5, [&](CompactWriter* w) { WriteStatistics(w, *h.statistics); });
  }
}

void WriteDictionaryPageHeader(CompactWriter* w, const DictionaryPageHeader& h) {
  w->I32Field(1, h.num_values);
  w->EnumField(2, h.encoding);
  Put(w, 3, h.is_sorted);
}

void WriteDataPageHeaderV2(CompactWriter* w, const DataPageHeaderV2& h) {
  w->I32Field(1, h.num_values);
  w->I32Field(2, h.num_nulls);
  w->I32Field(3, h.num_rows);
  w->EnumField(4, h.encoding);
  w->I32Field(5, h.definition_levels_byte_length);
  w->I32Field(6, h.repetition_levels_byte_length);
  Put(w, 7, h.is_compressed);
  if (h.statistics) {
    PutStruct(w, 8, [&](CompactWriter* w) { WriteStatistics(w, *h.statistics); });
  }
}

void WritePageLocation(CompactWriter* w, const PageLocation& l) {
  w->I64Field(1, l.offset);
  w->I32Field(2, l.compressed_page_size);
  w->I64Field(3, l.first_row_index);
}

// Writes a whole message: a top-level struct.
template <typename WriteBody>
void WriteMessage(std::string* dst, WriteBody&& write_body) {
  CompactWriter w(dst);
  w.StructBegin();
  write_body(&w);
  w.StructEnd();
}

}  // namespace

void PageHeader::Serialize(std::string* dst) const {
  WriteMessage(dst, [&](CompactWriter* w) {
    w->EnumField(1, type);
    w->I32Field(2, uncompressed_page_size);
    w->I32Field(3, compressed_page_size);
    Put(w, 4, crc);
    if (data_page_header) {
      PutStruct(w, 5, [&](CompactWriter* w) { WriteDataPageHeader(w, *data_page_header); });
    }
    if (index_page_header) PutStruct(w, 6, [](CompactWriter*) {});
    if (dictionary_page_header) {
      PutStruct(w, 7,
                [&](CompactWriter* w) { WriteDictionaryPageHeader(w, *dictionary_page_header); });
    }
    if (data_page_header_v2) {
      PutStruct(w, 8, [&](CompactWriter* w) { WriteDataPageHeaderV2(w, *data_page_header_v2); });
    }
  });
}

void FileMetaData::Serialize(std::string* dst) const {
  WriteMessage(dst, [&](CompactWriter* w) {
    w->I32Field(1, version);
    PutList(w, 2, schema, WriteSchemaElement);
    w->I64Field(3, num_rows);
    PutList(w, 4, row_groups, WriteRowGroup);
    if (key_value_metadata) PutList(w, 5, *key_value_metadata, WriteKeyValue);
    Put(w, 6, created_by);
    if (column_orders) {
      w->FieldBegin(7, ThriftType::kList);
      w->ListBegin(ThriftType::kStruct, static_cast<uint32_t>(column_orders->size()));
      for (ColumnOrder order : *column_orders) PutEmptyUnion(w, static_cast<int16_t>(order));
    }
  });
}

void OffsetIndex::Serialize(std::string* dst) const {
  WriteMessage(dst, [&](CompactWriter* w) { PutList(w, 1, page_locations, WritePageLocation); });
}

void ColumnIndex::Serialize(std::string* dst) const {
  WriteMessage(dst, [&](CompactWriter* w) {
    PutList(w, 1, null_pages);
    PutList(w, 2, min_values);
    PutList(w, 3, max_values);
    w->EnumField(4, boundary_order);
    if (null_counts) PutList(w, 5, *null_counts);
  });
}

void BloomFilterHeader::Serialize(std::string* dst) const {
  WriteMessage(dst, [&](CompactWriter* w) {
    w->I32Field(1, num_bytes);
    w->FieldBegin(2, ThriftType::kStruct);
    PutEmptyUnion(w, static_cast<int16_t>(algorithm));
    w->FieldBegin(3, ThriftType::kStruct);
    PutEmptyUnion(w, static_cast<int16_t>(hash));
    w->FieldBegin(4, ThriftType::kStruct);
    PutEmptyUnion(w, static_cast<int16_t>(compression));
  });
}

}  // namespace strata::parquet
