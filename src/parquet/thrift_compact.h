// The Thrift compact protocol: the encoding of every Parquet metadata structure (the footer,
// page headers, the page index and bloom-filter headers).
//
// Wire format, as the compact protocol specification defines it:
//   struct        fields in any order, then a STOP byte (0x00).
//   field header  short form: one byte, (id - previous id) << 4 | type, when that delta is
//                 1..15; long form otherwise (first field with id > 15, ids going backwards):
//                 the type byte alone, then the id as a zigzag varint. Every struct starts
//                 with a previous id of 0, nested structs included.
//   bool field    no value bytes: the header's type is BOOLEAN_TRUE (1) or BOOLEAN_FALSE (2).
//   i8            one byte.  i16, i32, i64: zigzag, then a LEB128 varint.
//   double        8 bytes, IEEE 754, little-endian.
//   binary        varint length, then the bytes.
//   list / set    size << 4 | element type when size < 15, else 0xF0 | element type and a
//                 varint size; then the elements. A bool element is one byte: 1 true, 2 false
//                 (readers also accept 0 for false, which an older specification text gave).
//   map           0x00 when empty, else varint size, key type << 4 | value type, the pairs.
//
// CompactWriter appends to a string and cannot fail. CompactReader decodes a byte span it
// never reads past and treats every byte as hostile: counts and lengths are checked against
// the bytes that remain before anything is allocated, nesting is limited, and every error is
// a Corruption status that ends in "at byte <offset>".
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "base/enum_names.h"
#include "strata/slice.h"
#include "strata/status.h"

namespace strata::parquet {

// The 4-bit type codes, used in field headers and as list/map element types.
enum class ThriftType : uint8_t {
  kStop = 0,
  kBoolTrue = 1,   // as an element type: bool (readers also accept kBoolFalse)
  kBoolFalse = 2,  // only in field headers
  kByte = 3,       // i8
  kI16 = 4,
  kI32 = 5,
  kI64 = 6,
  kDouble = 7,
  kBinary = 8,
  kList = 9,
  kSet = 10,
  kMap = 11,
  kStruct = 12,
  kUuid = 13,  // 16 raw bytes; Parquet never uses it, but a reader can skip it
};

// "i32", "binary", ... for messages; both bool codes are "bool".
constexpr auto EnumNameTable(ThriftType) {
  return std::to_array<EnumNameEntry<ThriftType>>({
      {ThriftType::kStop, "stop"},
      {ThriftType::kBoolTrue, "bool"},
      {ThriftType::kBoolFalse, "bool"},
      {ThriftType::kByte, "i8"},
      {ThriftType::kI16, "i16"},
      {ThriftType::kI32, "i32"},
      {ThriftType::kI64, "i64"},
      {ThriftType::kDouble, "double"},
      {ThriftType::kBinary, "binary"},
      {ThriftType::kList, "list"},
      {ThriftType::kSet, "set"},
      {ThriftType::kMap, "map"},
      {ThriftType::kStruct, "struct"},
      {ThriftType::kUuid, "uuid"},
  });
}

// A C++ enum that stands for a Thrift enum: Thrift enums are i32 on the wire.
template <typename E>
concept ThriftEnum = std::is_enum_v<E> && sizeof(E) == sizeof(int32_t);

// Appends the compact encoding of values to a string. The caller drives the structure: a
// struct is StructBegin, fields (header + value), StructEnd; a list is ListBegin and exactly
// `size` element values. The writer does not check that the structure is well formed.
class CompactWriter {
 public:
  // *dst must outlive the writer; bytes are appended to what it already holds.
  explicit CompactWriter(std::string* dst) : dst_(dst) {}

  CompactWriter(const CompactWriter&) = delete;
  CompactWriter& operator=(const CompactWriter&) = delete;

  // A top-level message is a struct too. StructEnd writes the STOP byte.
  void StructBegin();
  void StructEnd();

  // The header of a field whose value follows (a value writer, a struct, a list).
  void FieldBegin(int16_t id, ThriftType type);

  // A header and its value. A bool field is the header alone.
  void BoolField(int16_t id, bool v);
  void I8Field(int16_t id, int8_t v);
  void I16Field(int16_t id, int16_t v);
  void I32Field(int16_t id, int32_t v);
  void I64Field(int16_t id, int64_t v);
  void DoubleField(int16_t id, double v);
  void BinaryField(int16_t id, std::string_view v);
  // Thrift enums are i32 on the wire.
  template <ThriftEnum E>
  void EnumField(int16_t id, E v) {
    I32Field(id, static_cast<int32_t>(v));
  }

  // Collection headers; `size` elements must follow (`size` key/value pairs for a map).
  // Use ThriftType::kBoolTrue as the element type of bools.
  void ListBegin(ThriftType elem, uint32_t size);
  void MapBegin(ThriftType key, ThriftType value, uint32_t size);

  // Values: after a field header, or as list/map elements. Bool is the element form only.
  void Bool(bool v);
  void I8(int8_t v);
  void I16(int16_t v);
  void I32(int32_t v);
  void I64(int64_t v);
  void Double(double v);
  // v.size() must fit in an i32 (Thrift binary lengths are i32).
  void Binary(std::string_view v);

 private:
  void Varint(uint64_t v);

  std::string* const dst_;
  // The id of the previous field of the struct being written, for delta headers.
  int16_t last_field_id_ = 0;
  // last_field_id_ of each enclosing struct, restored by StructEnd.
  std::vector<int16_t> enclosing_ids_;
};

// A decoded field header. type kStop marks the end of a struct.
struct FieldHeader {
  int16_t id = 0;
  ThriftType type = ThriftType::kStop;
  size_t pos = 0;  // offset of the header in the reader's span, for messages

  bool is_bool() const { return type == ThriftType::kBoolTrue || type == ThriftType::kBoolFalse; }
};

// Decodes compact-protocol bytes from a span. Each method returns OK or a Corruption whose
// message is "<context>: <what> at byte <base_offset + position>". After an error the reader
// is in an unspecified state and must not be used further.
class CompactReader {
 public:
  // Deeper nesting of structs, lists and maps is Corruption. Parquet's own structures nest
  // about eight deep; the limit keeps hostile input from exhausting the stack when skipping.
  static constexpr int kMaxDepth = 64;

  // input's bytes must outlive the reader. context names the bytes for messages (e.g.
  // "parquet footer of /x/y.parquet"); base_offset is the file offset of input[0].
  CompactReader(Slice input, std::string_view context, uint64_t base_offset);
  // A temporary string would be gone before the first read.
  CompactReader(std::string&& input, std::string_view context, uint64_t base_offset) = delete;

  CompactReader(const CompactReader&) = delete;
  CompactReader& operator=(const CompactReader&) = delete;

  // Bytes consumed so far, and bytes left.
  size_t position() const { return pos_; }
  size_t remaining() const { return input_.size() - pos_; }

  // A Corruption for the byte at span offset pos: "<context>: <what> at byte <offset>".
  Status Error(size_t pos, std::string_view what) const;

  // Reads one struct: on_field(const FieldHeader&) -> Status is called for each field until
  // STOP and must consume the field's value (read it with the methods below, or Skip it).
  // name is the struct's name in messages. If seen is given, bit i is set in *seen for every
  // field id i in [0, 32) that occurred, so the caller can check required fields.
  template <typename OnField>
  Status ReadStruct(const char* name, OnField&& on_field, uint32_t* seen = nullptr);

  // Field values: check that the header has the matching type, then read the value.
  Status Read(const FieldHeader& f, bool* v);
  Status Read(const FieldHeader& f, int8_t* v);
  Status Read(const FieldHeader& f, int16_t* v);
  Status Read(const FieldHeader& f, int32_t* v);
  Status Read(const FieldHeader& f, int64_t* v);
  Status Read(const FieldHeader& f, double* v);
  Status Read(const FieldHeader& f, std::string* v);
  // Thrift enums are i32 on the wire. Any value is kept, including ones the enum does not
  // name: a newer writer may use values this code does not know.
  template <ThriftEnum E>
  Status Read(const FieldHeader& f, E* v);
  template <typename T>
  Status Read(const FieldHeader& f, std::optional<T>* v);

  // Checks that a field holds a struct, which the caller then reads with ReadStruct.
  Status ExpectStruct(const FieldHeader& f) { return ExpectType(f, ThriftType::kStruct); }

  // A list field of scalars (bool, integers, double, binary, i32 enums).
  template <typename T>
  Status ReadList(const FieldHeader& f, std::vector<T>* out);
  // A list field of structs; read_one(T*) -> Status decodes one element with ReadStruct.
  template <typename T, typename ReadOne>
  Status ReadList(const FieldHeader& f, std::vector<T>* out, ReadOne&& read_one);

  // List elements and other values without a field header.
  Status ReadElement(bool* v);
  Status ReadElement(int8_t* v);
  Status ReadElement(int16_t* v);
  Status ReadElement(int32_t* v);
  Status ReadElement(int64_t* v);
  Status ReadElement(double* v);
  Status ReadElement(std::string* v);
  template <ThriftEnum E>
  Status ReadElement(E* v);

  // Reads a list or set header. A bool element type (1 or 2) is reported as kBoolTrue. The
  // size is checked against the remaining bytes at the smallest size an element can have.
  Status ReadListHeader(ThriftType* elem, uint32_t* size);

  // Skips the value of a field this code does not know, whatever its type and contents.
  Status Skip(const FieldHeader& f) { return SkipFieldValue(f.type); }

 private:
  Status ReadFieldHeader(FieldHeader* f);
  // Inline: it runs once per field, and the match is the overwhelmingly common case.
  Status ExpectType(const FieldHeader& f, ThriftType type) const {
    return f.type == type ? Status::OK() : TypeMismatch(f, type);
  }
  Status TypeMismatch(const FieldHeader& f, ThriftType expected) const;
  // Checks that a list field's elements have type `elem` and returns its size.
  Status ReadListFieldHeader(const FieldHeader& f, ThriftType elem, uint32_t* size);
  Status EnterNested();
  void LeaveNested() { depth_--; }

  Status ReadByte(uint8_t* b);
  Status ReadVarint32(uint32_t* v);
  Status ReadVarint64(uint64_t* v);
  Status SkipFieldValue(ThriftType type);
  Status SkipValue(ThriftType type);

  template <typename T>
  static constexpr ThriftType ElementTypeOf();

  const Slice input_;
  const std::string_view context_;
  const uint64_t base_offset_;
  size_t pos_ = 0;
  int depth_ = 0;
  // The id of the previous field in the struct being read (delta headers add to it).
  int16_t last_field_id_ = 0;
  // The struct being read, for messages.
  const char* struct_name_ = "message";
};

// ---- Implementation of the templates ----

template <typename OnField>
Status CompactReader::ReadStruct(const char* name, OnField&& on_field, uint32_t* seen) {
  Status s = EnterNested();
  if (!s.ok()) return s;
  const int16_t enclosing_last_id = last_field_id_;
  const char* enclosing_name = struct_name_;
  last_field_id_ = 0;
  struct_name_ = name;
  uint32_t seen_ids = 0;
  FieldHeader f;
  while (true) {
    s = ReadFieldHeader(&f);
    if (!s.ok()) return s;
    if (f.type == ThriftType::kStop) break;
    if (f.id >= 0 && f.id < 32) seen_ids |= uint32_t{1} << f.id;
    s = on_field(static_cast<const FieldHeader&>(f));
    if (!s.ok()) return s;
  }
  last_field_id_ = enclosing_last_id;
  struct_name_ = enclosing_name;
  LeaveNested();
  if (seen != nullptr) *seen = seen_ids;
  return Status::OK();
}

template <ThriftEnum E>
Status CompactReader::Read(const FieldHeader& f, E* v) {
  int32_t raw = 0;
  Status s = Read(f, &raw);
  if (s.ok()) *v = static_cast<E>(raw);
  return s;
}

template <typename T>
Status CompactReader::Read(const FieldHeader& f, std::optional<T>* v) {
  T value{};
  Status s = Read(f, &value);
  if (s.ok()) *v = std::move(value);
  return s;
}

template <ThriftEnum E>
Status CompactReader::ReadElement(E* v) {
  int32_t raw = 0;
  Status s = ReadElement(&raw);
  if (s.ok()) *v = static_cast<E>(raw);
  return s;
}

template <typename T>
constexpr ThriftType CompactReader::ElementTypeOf() {
  if constexpr (std::is_same_v<T, bool>) return ThriftType::kBoolTrue;
  if constexpr (std::is_same_v<T, int8_t>) return ThriftType::kByte;
  if constexpr (std::is_same_v<T, int16_t>) return ThriftType::kI16;
  if constexpr (std::is_same_v<T, int32_t> || ThriftEnum<T>) return ThriftType::kI32;
  if constexpr (std::is_same_v<T, int64_t>) return ThriftType::kI64;
  if constexpr (std::is_same_v<T, double>) return ThriftType::kDouble;
  if constexpr (std::is_same_v<T, std::string>) return ThriftType::kBinary;
  return ThriftType::kStruct;
}

// Vectors grow by push_back past this many elements rather than trusting the count: the
// count is bounded by the bytes that remain, but a one-byte element can decode into a much
// larger T, so reserving the full count would let a small input claim a large allocation.
inline constexpr size_t kMaxListReserve = 1024;

template <typename T>
Status CompactReader::ReadList(const FieldHeader& f, std::vector<T>* out) {
  uint32_t size = 0;
  Status s = ReadListFieldHeader(f, ElementTypeOf<T>(), &size);
  if (!s.ok()) return s;
  out->clear();
  out->reserve(std::min<size_t>(size, kMaxListReserve));
  for (uint32_t i = 0; i < size; i++) {
    T v{};
    s = ReadElement(&v);
    if (!s.ok()) return s;
    out->push_back(std::move(v));
  }
  return Status::OK();
}

template <typename T, typename ReadOne>
Status CompactReader::ReadList(const FieldHeader& f, std::vector<T>* out, ReadOne&& read_one) {
  uint32_t size = 0;
  Status s = ReadListFieldHeader(f, ThriftType::kStruct, &size);
  if (!s.ok()) return s;
  out->clear();
  out->reserve(std::min<size_t>(size, kMaxListReserve));
  for (uint32_t i = 0; i < size; i++) {
    out->emplace_back();
    s = read_one(&out->back());
    if (!s.ok()) return s;
  }
  return Status::OK();
}

}  // namespace strata::parquet
