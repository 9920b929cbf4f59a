// Reading Parquet metadata from the Thrift compact protocol.
//
// Each Decode* function reads one struct at the reader's position. Fields may come in any
// order; fields this code does not model, known or unknown, are skipped whatever their type;
// a missing required field is Corruption naming the struct and the field. Lists are read
// element by element after CompactReader has bounded their size by the remaining bytes, so
// decoding is linear in the input and a hostile count cannot claim memory.
#include <string>
#include <vector>

#include "parquet/metadata.h"
#include "parquet/thrift_compact.h"

namespace strata::parquet {

namespace {

struct RequiredField {
  int16_t id;  // < 32: ReadStruct's seen-mask covers ids 0..31
  const char* name;
};

// Reads a struct with ReadStruct, then checks that every required field occurred.
template <size_t N, typename OnField>
Status ReadChecked(CompactReader* r, const char* name, const RequiredField (&required)[N],
                   OnField&& on_field) {
  const size_t start = r->position();
  uint32_t seen = 0;
  Status s = r->ReadStruct(name, on_field, &seen);
  if (!s.ok()) return s;
  for (const RequiredField& field : required) {
    if ((seen & (uint32_t{1} << field.id)) == 0) {
      return r->Error(start, "required field " + std::to_string(field.id) + " (" + field.name +
                                 ") missing from " + name + " starting");
    }
  }
  return Status::OK();
}

// A field holding an optional struct, decoded by decode(r, T*).
template <typename T>
Status StructField(CompactReader* r, const FieldHeader& f, std::optional<T>* out,
                   Status (*decode)(CompactReader*, T*)) {
  Status s = r->ExpectStruct(f);
  return s.ok() ? decode(r, &out->emplace()) : s;
}

// A list field of structs.
template <typename T>
Status StructList(CompactReader* r, const FieldHeader& f, std::vector<T>* out,
                  Status (*decode)(CompactReader*, T*)) {
  return r->ReadList(f, out, [&](T* element) { return decode(r, element); });
}

// A union whose members are all empty structs (TimeUnit, ColumnOrder, the bloom-filter
// unions): *out gets the id of the member that is set, 0 when none is. Member contents are
// skipped, so a newer writer may give them fields.
template <typename E>
Status DecodeEmptyUnion(CompactReader* r, const char* name, E* out) {
  int16_t member = 0;
  Status s = r->ReadStruct(name, [&](const FieldHeader& f) {
    member = f.id;
    return r->Skip(f);
  });
  if (s.ok()) *out = static_cast<E>(member);
  return s;
}

template <typename E>
Status EmptyUnionField(CompactReader* r, const FieldHeader& f, const char* name, E* out) {
  Status s = r->ExpectStruct(f);
  return s.ok() ? DecodeEmptyUnion(r, name, out) : s;
}

Status DecodeStatistics(CompactReader* r, Statistics* out) {
  return r->ReadStruct("Statistics", [&](const FieldHeader& f) {
    switch (f.id) {
      case 1:
        return r->Read(f, &out->max);
      case 2:
        return r->Read(f, &out->min);
      case 3:
        return r->Read(f, &out->null_count);
      case 4:
        return r->Read(f, &out->distinct_count);
      case 5:
        return r->Read(f, &out->max_value);
      case 6:
        return r->Read(f, &out->min_value);
      case 7:
        return r->Read(f, &out->is_max_value_exact);
      case 8:
        return r->Read(f, &out->is_min_value_exact);
      case 9:
        return r->Read(f, &out->nan_count);
      default:
        return r->Skip(f);
    }
  });
}

// TimeType and TimestampType have the same fields.
Status DecodeTimeMember(CompactReader* r, const FieldHeader& f, const char* name,
                        LogicalType* out) {
  Status s = r->ExpectStruct(f);
  if (!s.ok()) return s;
  static constexpr RequiredField kRequired[] = {{1, "isAdjustedToUTC"}, {2, "unit"}};
  return ReadChecked(r, name, kRequired, [&](const FieldHeader& g) {
    switch (g.id) {
      case 1:
        return r->Read(g, &out->is_adjusted_to_utc);
      case 2:
        return EmptyUnionField(r, g, "TimeUnit", &out->unit);
      default:
        return r->Skip(g);
    }
  });
}

Status DecodeLogicalType(CompactReader* r, LogicalType* out) {
  using Kind = LogicalType::Kind;
  *out = LogicalType{};
  out->kind = static_cast<Kind>(0);  // no member set
  return r->ReadStruct("LogicalType", [&](const FieldHeader& f) -> Status {
    // Each member starts from a clean union, so if a malformed union sets several members the
    // last one wins without leftovers from the others.
    *out = LogicalType{};
    out->kind = static_cast<Kind>(f.id);
    switch (static_cast<Kind>(f.id)) {
      case Kind::kDecimal: {
        Status s = r->ExpectStruct(f);
        if (!s.ok()) return s;
        static constexpr RequiredField kRequired[] = {{1, "scale"}, {2, "precision"}};
        return ReadChecked(r, "DecimalType", kRequired, [&](const FieldHeader& g) {
          switch (g.id) {
            case 1:
              return r->Read(g, &out->scale);
            case 2:
              return r->Read(g, &out->precision);
            default:
              return r->Skip(g);
          }
        });
      }
      case Kind::kTime:
        return DecodeTimeMember(r, f, "TimeType", out);
      case Kind::kTimestamp:
        return DecodeTimeMember(r, f, "TimestampType", out);
      case Kind::kInteger: {
        Status s = r->ExpectStruct(f);
        if (!s.ok()) return s;
        static constexpr RequiredField kRequired[] = {{1, "bitWidth"}, {2, "isSigned"}};
        return ReadChecked(r, "IntType", kRequired, [&](const FieldHeader& g) {
          switch (g.id) {
            case 1:
              return r->Read(g, &out->bit_width);
            case 2:
              return r->Read(g, &out->is_signed);
            default:
              return r->Skip(g);
          }
        });
      }
      default:
        return r->Skip(f);  // an empty member, or one this code does not know
    }
  });
}

Status DecodeSchemaElement(CompactReader* r, SchemaElement* out) {
  static constexpr RequiredField kRequired[] = {{4, "name"}};
  return ReadChecked(r, "SchemaElement", kRequired, [&](const FieldHeader& f) {
    switch (f.id) {
      case 1:
        return r->Read(f, &out->type);
      case 2:
        return r->Read(f, &out->type_length);
      case 3:
        return r->Read(f, &out->repetition_type);
      case 4:
        return r->Read(f, &out->name);
      case 5:
        return r->Read(f, &out->num_children);
      case 6:
        return r->Read(f, &out->converted_type);
      case 7:
        return r->Read(f, &out->scale);
      case 8:
        return r->Read(f, &out->precision);
      case 9:
        return r->Read(f, &out->field_id);
      case 10:
        return StructField(r, f, &out->logical_type, DecodeLogicalType);
      default:
        return r->Skip(f);
    }
  });
}

Status DecodeKeyValue(CompactReader* r, KeyValue* out) {
  static constexpr RequiredField kRequired[] = {{1, "key"}};
  return ReadChecked(r, "KeyValue", kRequired, [&](const FieldHeader& f) {
    switch (f.id) {
      case 1:
        return r->Read(f, &out->key);
      case 2:
        return r->Read(f, &out->value);
      default:
        return r->Skip(f);
    }
  });
}

Status DecodeSortingColumn(CompactReader* r, SortingColumn* out) {
  static constexpr RequiredField kRequired[] = {
      {1, "column_idx"}, {2, "descending"}, {3, "nulls_first"}};
  return ReadChecked(r, "SortingColumn", kRequired, [&](const FieldHeader& f) {
    switch (f.id) {
      case 1:
        return r->Read(f, &out->column_idx);
      case 2:
        return r->Read(f, &out->descending);
      case 3:
        return r->Read(f, &out->nulls_first);
      default:
        return r->Skip(f);
    }
  });
}

Status DecodePageEncodingStats(CompactReader* r, PageEncodingStats* out) {
  static constexpr RequiredField kRequired[] = {{1, "page_type"}, {2, "encoding"}, {3, "count"}};
  return ReadChecked(r, "PageEncodingStats", kRequired, [&](const FieldHeader& f) {
    switch (f.id) {
      case 1:
        return r->Read(f, &out->page_type);
      case 2:
        return r->Read(f, &out->encoding);
      case 3:
        return r->Read(f, &out->count);
      default:
        return r->Skip(f);
    }
  });
}

Status DecodeColumnMetaData(CompactReader* r, ColumnMetaData* out) {
  static constexpr RequiredField kRequired[] = {{1, "type"},
                                                {2, "encodings"},
                                                {3, "path_in_schema"},
                                                {4, "codec"},
                                                {5, "num_values"},
                                                {6, "total_uncompressed_size"},
                                                {7, "total_compressed_size"},
                                                {9, "data_page_offset"}};
  return ReadChecked(r, "ColumnMetaData", kRequired, [&](const FieldHeader& f) {
    switch (f.id) {
      case 1:
        return r->Read(f, &out->type);
      case 2:
        return r->ReadList(f, &out->encodings);
      case 3:
        return r->ReadList(f, &out->path_in_schema);
      case 4:
        return r->Read(f, &out->codec);
      case 5:
        return r->Read(f, &out->num_values);
      case 6:
        return r->Read(f, &out->total_uncompressed_size);
      case 7:
        return r->Read(f, &out->total_compressed_size);
      case 8:
        return StructList(r, f, &out->key_value_metadata.emplace(), DecodeKeyValue);
      case 9:
        return r->Read(f, &out->data_page_offset);
      case 10:
        return r->Read(f, &out->index_page_offset);
      case 11:
        return r->Read(f, &out->dictionary_page_offset);
      case 12:
        return StructField(r, f, &out->statistics, DecodeStatistics);
      case 13:
        return StructList(r, f, &out->encoding_stats.emplace(), DecodePageEncodingStats);
      case 14:
        return r->Read(f, &out->bloom_filter_offset);
      case 15:
        return r->Read(f, &out->bloom_filter_length);
      default:
        return r->Skip(f);  // includes 16 size_statistics, 17 geospatial_statistics
    }
  });
}

Status DecodeColumnChunk(CompactReader* r, ColumnChunk* out) {
  static constexpr RequiredField kRequired[] = {{2, "file_offset"}};
  return ReadChecked(r, "ColumnChunk", kRequired, [&](const FieldHeader& f) {
    switch (f.id) {
      case 1:
        return r->Read(f, &out->file_path);
      case 2:
        return r->Read(f, &out->file_offset);
      case 3:
        return StructField(r, f, &out->meta_data, DecodeColumnMetaData);
      case 4:
        return r->Read(f, &out->offset_index_offset);
      case 5:
        return r->Read(f, &out->offset_index_length);
      case 6:
        return r->Read(f, &out->column_index_offset);
      case 7:
        return r->Read(f, &out->column_index_length);
      default:
        return r->Skip(f);  // includes 8 crypto_metadata, 9 encrypted_column_metadata
    }
  });
}

Status DecodeRowGroup(CompactReader* r, RowGroup* out) {
  static constexpr RequiredField kRequired[] = {
      {1, "columns"}, {2, "total_byte_size"}, {3, "num_rows"}};
  return ReadChecked(r, "RowGroup", kRequired, [&](const FieldHeader& f) {
    switch (f.id) {
      case 1:
        return StructList(r, f, &out->columns, DecodeColumnChunk);
      case 2:
        return r->Read(f, &out->total_byte_size);
      case 3:
        return r->Read(f, &out->num_rows);
      case 4:
        return StructList(r, f, &out->sorting_columns.emplace(), DecodeSortingColumn);
      case 5:
        return r->Read(f, &out->file_offset);
      case 6:
        return r->Read(f, &out->total_compressed_size);
      case 7:
        return r->Read(f, &out->ordinal);
      default:
        return r->Skip(f);
    }
  });
}

Status DecodeColumnOrder(CompactReader* r, ColumnOrder* out) {
  return DecodeEmptyUnion(r, "ColumnOrder", out);
}

Status DecodeFileMetaData(CompactReader* r, FileMetaData* out) {
  static constexpr RequiredField kRequired[] = {
      {1, "version"}, {2, "schema"}, {3, "num_rows"}, {4, "row_groups"}};
  return ReadChecked(r, "FileMetaData", kRequired, [&](const FieldHeader& f) {
    switch (f.id) {
      case 1:
        return r->Read(f, &out->version);
      case 2:
        return StructList(r, f, &out->schema, DecodeSchemaElement);
      case 3:
        return r->Read(f, &out->num_rows);
      case 4:
        return StructList(r, f, &out->row_groups, DecodeRowGroup);
      case 5:
        return StructList(r, f, &out->key_value_metadata.emplace(), DecodeKeyValue);
      case 6:
        return r->Read(f, &out->created_by);
      case 7:
        return StructList(r, f, &out->column_orders.emplace(), DecodeColumnOrder);
      default:
        return r->Skip(f);  // includes 8 encryption_algorithm, 9 footer_signing_key_metadata
    }
  });
}

Status DecodeDataPageHeader(CompactReader* r, DataPageHeader* out) {
  static constexpr RequiredField kRequired[] = {{1, "num_values"},
                                                {2, "encoding"},
                                                {3, "definition_level_encoding"},
                                                {4, "repetition_level_encoding"}};
  return ReadChecked(r, "DataPageHeader", kRequired, [&](const FieldHeader& f) {
    switch (f.id) {
      case 1:
        return r->Read(f, &out->num_values);
      case 2:
        return r->Read(f, &out->encoding);
      case 3:
        return r->Read(f, &out->definition_level_encoding);
      case 4:
        return r->Read(f, &out->repetition_level_encoding);
      case 5:
        return StructField(r, f, &out->statistics, DecodeStatistics);
      default:
        return r->Skip(f);
    }
  });
}

Status DecodeIndexPageHeader(CompactReader* r, IndexPageHeader*) {
  return r->ReadStruct("IndexPageHeader", [&](const FieldHeader& f) { return r->Skip(f); });
}

Status DecodeDictionaryPageHeader(CompactReader* r, DictionaryPageHeader* out) {
  static constexpr RequiredField kRequired[] = {{1, "num_values"}, {2, "encoding"}};
  return ReadChecked(r, "DictionaryPageHeader", kRequired, [&](const FieldHeader& f) {
    switch (f.id) {
      case 1:
        return r->Read(f, &out->num_values);
      case 2:
        return r->Read(f, &out->encoding);
      case 3:
        return r->Read(f, &out->is_sorted);
      default:
        return r->Skip(f);
    }
  });
}

Status DecodeDataPageHeaderV2(CompactReader* r, DataPageHeaderV2* out) {
  static constexpr RequiredField kRequired[] = {{1, "num_values"},
                                                {2, "num_nulls"},
                                                {3, "num_rows"},
                                                {4, "encoding"},
                                                {5, "definition_levels_byte_length"},
                                                {6, "repetition_levels_byte_length"}};
  return ReadChecked(r, "DataPageHeaderV2", kRequired, [&](const FieldHeader& f) {
    switch (f.id) {
      case 1:
        return r->Read(f, &out->num_values);
      case 2:
        return r->Read(f, &out->num_nulls);
      case 3:
        return r->Read(f, &out->num_rows);
      case 4:
        return r->Read(f, &out->encoding);
      case 5:
        return r->Read(f, &out->definition_levels_byte_length);
      case 6:
        return r->Read(f, &out->repetition_levels_byte_length);
      case 7:
        return r->Read(f, &out->is_compressed);
      case 8:
        return StructField(r, f, &out->statistics, DecodeStatistics);
      default:
        return r->Skip(f);
    }
  });
}

Status DecodePageHeader(CompactReader* r, PageHeader* out) {
  static constexpr RequiredField kRequired[] = {
      {1, "type"}, {2, "uncompressed_page_size"}, {3, "compressed_page_size"}};
  return ReadChecked(r, "PageHeader", kRequired, [&](const FieldHeader& f) {
    switch (f.id) {
      case 1:
        return r->Read(f, &out->type);
      case 2:
        return r->Read(f, &out->uncompressed_page_size);
      case 3:
        return r->Read(f, &out->compressed_page_size);
      case 4:
        return r->Read(f, &out->crc);
      case 5:
        return StructField(r, f, &out->data_page_header, DecodeDataPageHeader);
      case 6:
        return StructField(r, f, &out->index_page_header, DecodeIndexPageHeader);
      case 7:
        return StructField(r, f, &out->dictionary_page_header, DecodeDictionaryPageHeader);
      case 8:
        return StructField(r, f, &out->data_page_header_v2, DecodeDataPageHeaderV2);
      default:
        return r->Skip(f);
    }
  });
}

Status DecodePageLocation(CompactReader* r, PageLocation* out) {
  static constexpr RequiredField kRequired[] = {
      {1, "offset"}, {2, "compressed_page_size"}, {3, "first_row_index"}};
  return ReadChecked(r, "PageLocation", kRequired, [&](const FieldHeader& f) {
    switch (f.id) {
      case 1:
        return r->Read(f, &out->offset);
      case 2:
        return r->Read(f, &out->compressed_page_size);
      case 3:
        return r->Read(f, &out->first_row_index);
      default:
        return r->Skip(f);
    }
  });
}

Status DecodeOffsetIndex(CompactReader* r, OffsetIndex* out) {
  static constexpr RequiredField kRequired[] = {{1, "page_locations"}};
  return ReadChecked(r, "OffsetIndex", kRequired, [&](const FieldHeader& f) {
    if (f.id == 1) return StructList(r, f, &out->page_locations, DecodePageLocation);
    return r->Skip(f);  // includes 2 unencoded_byte_array_data_bytes
  });
}

Status DecodeColumnIndex(CompactReader* r, ColumnIndex* out) {
  static constexpr RequiredField kRequired[] = {
      {1, "null_pages"}, {2, "min_values"}, {3, "max_values"}, {4, "boundary_order"}};
  return ReadChecked(r, "ColumnIndex", kRequired, [&](const FieldHeader& f) {
    switch (f.id) {
      case 1:
        return r->ReadList(f, &out->null_pages);
      case 2:
        return r->ReadList(f, &out->min_values);
      case 3:
        return r->ReadList(f, &out->max_values);
      case 4:
        return r->Read(f, &out->boundary_order);
      case 5:
        return r->ReadList(f, &out->null_counts.emplace());
      default:
        return r->Skip(f);  // includes 6, 7 level histograms and 8 nan_counts
    }
  });
}

Status DecodeBloomFilterHeader(CompactReader* r, BloomFilterHeader* out) {
  static constexpr RequiredField kRequired[] = {
      {1, "numBytes"}, {2, "algorithm"}, {3, "hash"}, {4, "compression"}};
  return ReadChecked(r, "BloomFilterHeader", kRequired, [&](const FieldHeader& f) {
    switch (f.id) {
      case 1:
        return r->Read(f, &out->num_bytes);
      case 2:
        return EmptyUnionField(r, f, "BloomFilterAlgorithm", &out->algorithm);
      case 3:
        return EmptyUnionField(r, f, "BloomFilterHash", &out->hash);
      case 4:
        return EmptyUnionField(r, f, "BloomFilterCompression", &out->compression);
      default:
        return r->Skip(f);
    }
  });
}

// Decodes a whole message into a fresh value and moves it to *out only on success.
template <typename T>
Status DeserializeMessage(Slice input, std::string_view context, uint64_t base_offset,
                          size_t* consumed, Status (*decode)(CompactReader*, T*), T* out) {
  CompactReader r(input, context, base_offset);
  T value;
  Status s = decode(&r, &value);
  if (!s.ok()) return s;
  *out = std::move(value);
  if (consumed != nullptr) *consumed = r.position();
  return Status::OK();
}

}  // namespace

Status PageHeader::Deserialize(Slice input, std::string_view context, uint64_t base_offset,
                               size_t* consumed) {
  return DeserializeMessage(input, context, base_offset, consumed, DecodePageHeader, this);
}

Status FileMetaData::Deserialize(Slice input, std::string_view context, uint64_t base_offset,
                                 size_t* consumed) {
  return DeserializeMessage(input, context, base_offset, consumed, DecodeFileMetaData, this);
}

Status OffsetIndex::Deserialize(Slice input, std::string_view context, uint64_t base_offset,
                                size_t* consumed) {
  return DeserializeMessage(input, context, base_offset, consumed, DecodeOffsetIndex, this);
}

Status ColumnIndex::Deserialize(Slice input, std::string_view context, uint64_t base_offset,
                                size_t* consumed) {
  return DeserializeMessage(input, context, base_offset, consumed, DecodeColumnIndex, this);
}

Status BloomFilterHeader::Deserialize(Slice input, std::string_view context, uint64_t base_offset,
                                      size_t* consumed) {
  return DeserializeMessage(input, context, base_offset, consumed, DecodeBloomFilterHeader, this);
}

}  // namespace strata::parquet
