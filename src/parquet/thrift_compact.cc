#include "parquet/thrift_compact.h"

#include <cassert>
#include <cstring>
#include <limits>

#include "base/coding.h"

namespace strata::parquet {

namespace {

// Zigzag maps signed to unsigned so small magnitudes of either sign get short varints:
// 0 -> 0, -1 -> 1, 1 -> 2, -2 -> 3, ... The right shifts of negative values are arithmetic
// (guaranteed since C++20).
uint32_t ZigZag32(int32_t v) {
  return (static_cast<uint32_t>(v) << 1) ^ static_cast<uint32_t>(v >> 31);
}
uint64_t ZigZag64(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}
int32_t UnZigZag32(uint32_t v) { return static_cast<int32_t>((v >> 1) ^ (0u - (v & 1))); }
int64_t UnZigZag64(uint64_t v) { return static_cast<int64_t>((v >> 1) ^ (0ull - (v & 1))); }

constexpr uint8_t kMaxTypeCode = static_cast<uint8_t>(ThriftType::kUuid);
constexpr uint32_t kMaxThriftSize = static_cast<uint32_t>(std::numeric_limits<int32_t>::max());
constexpr uint8_t kLongListSize = 0x0F;  // list header size nibble: the size follows as a varint
constexpr size_t kUuidBytes = 16;

bool IsValidTypeCode(uint8_t code) { return code != 0 && code <= kMaxTypeCode; }

// The fewest bytes one element of the type can occupy in a list or map, which bounds how
// many elements the remaining bytes can hold.
size_t MinElementSize(ThriftType type) {
  switch (type) {
    case ThriftType::kDouble:
      return sizeof(double);
    case ThriftType::kUuid:
      return kUuidBytes;
    default:
      return 1;  // a one-byte varint, bool, i8, empty binary, empty collection or STOP
  }
}

uint8_t Code(ThriftType type) { return static_cast<uint8_t>(type); }

}  // namespace

// ---- CompactWriter ----

void CompactWriter::StructBegin() {
  enclosing_ids_.push_back(last_field_id_);
  last_field_id_ = 0;
}

void CompactWriter::StructEnd() {
  assert(!enclosing_ids_.empty());
  dst_->push_back(static_cast<char>(Code(ThriftType::kStop)));
  last_field_id_ = enclosing_ids_.back();
  enclosing_ids_.pop_back();
}

void CompactWriter::FieldBegin(int16_t id, ThriftType type) {
  const int delta = static_cast<int>(id) - last_field_id_;
  if (delta > 0 && delta <= 15) {
    dst_->push_back(static_cast<char>((delta << 4) | Code(type)));
  } else {
    dst_->push_back(static_cast<char>(Code(type)));
    Varint(ZigZag32(id));
  }
  last_field_id_ = id;
}

void CompactWriter::BoolField(int16_t id, bool v) {
  FieldBegin(id, v ? ThriftType::kBoolTrue : ThriftType::kBoolFalse);
}

void CompactWriter::I8Field(int16_t id, int8_t v) {
  FieldBegin(id, ThriftType::kByte);
  I8(v);
}

void CompactWriter::I16Field(int16_t id, int16_t v) {
  FieldBegin(id, ThriftType::kI16);
  I16(v);
}

void CompactWriter::I32Field(int16_t id, int32_t v) {
  FieldBegin(id, ThriftType::kI32);
  I32(v);
}

void CompactWriter::I64Field(int16_t id, int64_t v) {
  FieldBegin(id, ThriftType::kI64);
  I64(v);
}

void CompactWriter::DoubleField(int16_t id, double v) {
  FieldBegin(id, ThriftType::kDouble);
  Double(v);
}

void CompactWriter::BinaryField(int16_t id, std::string_view v) {
  FieldBegin(id, ThriftType::kBinary);
  Binary(v);
}

void CompactWriter::ListBegin(ThriftType elem, uint32_t size) {
  assert(size <= kMaxThriftSize);
  if (size < kLongListSize) {
    dst_->push_back(static_cast<char>((size << 4) | Code(elem)));
  } else {
    dst_->push_back(static_cast<char>((kLongListSize << 4) | Code(elem)));
    Varint(size);
  }
}

void CompactWriter::MapBegin(ThriftType key, ThriftType value, uint32_t size) {
  assert(size <= kMaxThriftSize);
  if (size == 0) {
    dst_->push_back(0);  // an empty map has no type byte
    return;
  }
  Varint(size);
  dst_->push_back(static_cast<char>((Code(key) << 4) | Code(value)));
}

// Element bools are 1 (true) and 2 (false), as the specification now says and as the Thrift
// C++ and Java libraries write them; every reader we know accepts 2, while some reject 0.
void CompactWriter::Bool(bool v) {
  dst_->push_back(static_cast<char>(Code(v ? ThriftType::kBoolTrue : ThriftType::kBoolFalse)));
}

void CompactWriter::I8(int8_t v) { dst_->push_back(static_cast<char>(v)); }
void CompactWriter::I16(int16_t v) { Varint(ZigZag32(v)); }
void CompactWriter::I32(int32_t v) { Varint(ZigZag32(v)); }
void CompactWriter::I64(int64_t v) { Varint(ZigZag64(v)); }

void CompactWriter::Double(double v) {
  char buf[sizeof(double)];
  std::memcpy(buf, &v, sizeof(buf));  // the host is little-endian (checked in base/coding.h)
  dst_->append(buf, sizeof(buf));
}

void CompactWriter::Binary(std::string_view v) {
  assert(v.size() <= kMaxThriftSize);
  Varint(v.size());
  dst_->append(v.data(), v.size());
}

void CompactWriter::Varint(uint64_t v) { PutVarint64(dst_, v); }

// ---- CompactReader ----

CompactReader::CompactReader(Slice input, std::string_view context, uint64_t base_offset)
    : input_(input), context_(context), base_offset_(base_offset) {}

Status CompactReader::Error(size_t pos, std::string_view what) const {
  std::string msg(what);
  msg.append(" at byte ");
  msg.append(std::to_string(base_offset_ + pos));
  if (context_.empty()) return Status::Corruption(msg);
  return Status::Corruption(context_, msg);
}

Status CompactReader::EnterNested() {
  if (depth_ >= kMaxDepth) {
    return Error(pos_, "nesting deeper than " + std::to_string(kMaxDepth) + " levels");
  }
  depth_++;
  return Status::OK();
}

Status CompactReader::ReadByte(uint8_t* b) {
  if (pos_ >= input_.size()) return Error(pos_, "unexpected end of input");
  *b = static_cast<uint8_t>(input_.data()[pos_++]);
  return Status::OK();
}

Status CompactReader::ReadVarint32(uint32_t* v) {
  const char* start = input_.data() + pos_;
  const char* limit = input_.data() + input_.size();
  const char* end = GetVarint32Ptr(start, limit, v);
  if (end == nullptr) return Error(pos_, "truncated or overlong varint");
  pos_ += end - start;
  return Status::OK();
}

Status CompactReader::ReadVarint64(uint64_t* v) {
  const char* start = input_.data() + pos_;
  const char* limit = input_.data() + input_.size();
  const char* end = GetVarint64Ptr(start, limit, v);
  if (end == nullptr) return Error(pos_, "truncated or overlong varint");
  pos_ += end - start;
  return Status::OK();
}

Status CompactReader::ReadFieldHeader(FieldHeader* f) {
  f->pos = pos_;
  if (pos_ >= input_.size()) {
    return Error(pos_, std::string("unexpected end of input inside ") + struct_name_);
  }
  const uint8_t b = static_cast<uint8_t>(input_.data()[pos_++]);
  if (b == Code(ThriftType::kStop)) {
    f->id = 0;
    f->type = ThriftType::kStop;
    return Status::OK();
  }
  const uint8_t type = b & 0x0F;
  const int delta = b >> 4;
  if (!IsValidTypeCode(type)) {
    return Error(f->pos, "invalid field type " + std::to_string(type) + " in " + struct_name_);
  }
  f->type = static_cast<ThriftType>(type);
  if (delta != 0) {
    const int id = last_field_id_ + delta;
    if (id > std::numeric_limits<int16_t>::max()) {
      return Error(f->pos, std::string("field id overflows i16 in ") + struct_name_);
    }
    f->id = static_cast<int16_t>(id);
  } else {
    Status s = ReadElement(&f->id);
    if (!s.ok()) return s;
  }
  last_field_id_ = f->id;
  return Status::OK();
}

Status CompactReader::TypeMismatch(const FieldHeader& f, ThriftType expected) const {
  return Error(f.pos, "field " + std::to_string(f.id) + " of " + struct_name_ + " has type " +
                          EnumName(f.type) + ", expected " + EnumName(expected));
}

Status CompactReader::Read(const FieldHeader& f, bool* v) {
  if (!f.is_bool()) return TypeMismatch(f, ThriftType::kBoolTrue);
  *v = f.type == ThriftType::kBoolTrue;  // a bool field's value is its header's type
  return Status::OK();
}

Status CompactReader::Read(const FieldHeader& f, int8_t* v) {
  Status s = ExpectType(f, ThriftType::kByte);
  return s.ok() ? ReadElement(v) : s;
}

Status CompactReader::Read(const FieldHeader& f, int16_t* v) {
  Status s = ExpectType(f, ThriftType::kI16);
  return s.ok() ? ReadElement(v) : s;
}

Status CompactReader::Read(const FieldHeader& f, int32_t* v) {
  Status s = ExpectType(f, ThriftType::kI32);
  return s.ok() ? ReadElement(v) : s;
}

Status CompactReader::Read(const FieldHeader& f, int64_t* v) {
  Status s = ExpectType(f, ThriftType::kI64);
  return s.ok() ? ReadElement(v) : s;
}

Status CompactReader::Read(const FieldHeader& f, double* v) {
  Status s = ExpectType(f, ThriftType::kDouble);
  return s.ok() ? ReadElement(v) : s;
}

Status CompactReader::Read(const FieldHeader& f, std::string* v) {
  Status s = ExpectType(f, ThriftType::kBinary);
  return s.ok() ? ReadElement(v) : s;
}

Status CompactReader::ReadElement(bool* v) {
  const size_t at = pos_;
  uint8_t b = 0;
  Status s = ReadByte(&b);
  if (!s.ok()) return s;
  // 1 is true. Writers disagree on false: the specification once said 0 and now says 2.
  if (b == 1) {
    *v = true;
  } else if (b == 0 || b == 2) {
    *v = false;
  } else {
    return Error(at, "invalid bool element " + std::to_string(b));
  }
  return Status::OK();
}

Status CompactReader::ReadElement(int8_t* v) {
  uint8_t b = 0;
  Status s = ReadByte(&b);
  if (s.ok()) *v = static_cast<int8_t>(b);
  return s;
}

Status CompactReader::ReadElement(int16_t* v) {
  const size_t at = pos_;
  uint32_t raw = 0;
  Status s = ReadVarint32(&raw);
  if (!s.ok()) return s;
  const int32_t wide = UnZigZag32(raw);
  if (wide < std::numeric_limits<int16_t>::min() || wide > std::numeric_limits<int16_t>::max()) {
    return Error(at, "i16 value " + std::to_string(wide) + " out of range");
  }
  *v = static_cast<int16_t>(wide);
  return Status::OK();
}

Status CompactReader::ReadElement(int32_t* v) {
  uint32_t raw = 0;
  Status s = ReadVarint32(&raw);
  if (s.ok()) *v = UnZigZag32(raw);
  return s;
}

Status CompactReader::ReadElement(int64_t* v) {
  uint64_t raw = 0;
  Status s = ReadVarint64(&raw);
  if (s.ok()) *v = UnZigZag64(raw);
  return s;
}

Status CompactReader::ReadElement(double* v) {
  if (remaining() < sizeof(double)) return Error(pos_, "truncated double");
  std::memcpy(v, input_.data() + pos_, sizeof(double));
  pos_ += sizeof(double);
  return Status::OK();
}

Status CompactReader::ReadElement(std::string* v) {
  const size_t at = pos_;
  uint32_t len = 0;
  Status s = ReadVarint32(&len);
  if (!s.ok()) return s;
  // Checked before the string is allocated: a hostile length cannot claim memory.
  if (len > kMaxThriftSize || len > remaining()) {
    return Error(at, "binary of " + std::to_string(len) + " bytes but only " +
                         std::to_string(remaining()) + " remain");
  }
  v->assign(input_.data() + pos_, len);
  pos_ += len;
  return Status::OK();
}

Status CompactReader::ReadListHeader(ThriftType* elem, uint32_t* size) {
  const size_t at = pos_;
  uint8_t b = 0;
  Status s = ReadByte(&b);
  if (!s.ok()) return s;
  uint8_t type = b & 0x0F;
  uint32_t n = b >> 4;
  if (n == kLongListSize) {
    s = ReadVarint32(&n);
    if (!s.ok()) return s;
  }
  if (!IsValidTypeCode(type)) {
    return Error(at, "invalid list element type " + std::to_string(type));
  }
  if (type == Code(ThriftType::kBoolFalse)) type = Code(ThriftType::kBoolTrue);
  *elem = static_cast<ThriftType>(type);
  // Every element takes at least MinElementSize bytes, so this bounds the work and the
  // memory any caller spends on the list by the size of the input.
  if (n > kMaxThriftSize || n > remaining() / MinElementSize(*elem)) {
    return Error(at, "list of " + std::to_string(n) + " " + EnumName(*elem) +
                         " elements but only " + std::to_string(remaining()) + " bytes remain");
  }
  *size = n;
  return Status::OK();
}

Status CompactReader::ReadListFieldHeader(const FieldHeader& f, ThriftType elem, uint32_t* size) {
  Status s = ExpectType(f, ThriftType::kList);
  if (!s.ok()) return s;
  const size_t at = pos_;
  ThriftType actual = ThriftType::kStop;
  s = ReadListHeader(&actual, size);
  if (!s.ok()) return s;
  // An empty list's element type carries no information; accept whatever a writer put there.
  if (actual != elem && *size != 0) {
    return Error(at, "field " + std::to_string(f.id) + " of " + struct_name_ + " is a list of " +
                         EnumName(actual) + ", expected a list of " + EnumName(elem));
  }
  return Status::OK();
}

Status CompactReader::SkipFieldValue(ThriftType type) {
  // A bool field's value lives in its header: nothing to skip.
  if (type == ThriftType::kBoolTrue || type == ThriftType::kBoolFalse) return Status::OK();
  return SkipValue(type);
}

// Skips one element-form value. Recursion is bounded by kMaxDepth, and every loop iteration
// consumes at least one byte, so skipping is linear in the input.
Status CompactReader::SkipValue(ThriftType type) {
  switch (type) {
    case ThriftType::kBoolTrue:
    case ThriftType::kBoolFalse: {
      bool ignored = false;
      return ReadElement(&ignored);
    }
    case ThriftType::kByte: {
      uint8_t ignored = 0;
      return ReadByte(&ignored);
    }
    case ThriftType::kI16: {
      int16_t ignored = 0;
      return ReadElement(&ignored);
    }
    case ThriftType::kI32: {
      uint32_t ignored = 0;
      return ReadVarint32(&ignored);
    }
    case ThriftType::kI64: {
      uint64_t ignored = 0;
      return ReadVarint64(&ignored);
    }
    case ThriftType::kDouble:
    case ThriftType::kUuid: {
      const size_t n = MinElementSize(type);
      if (remaining() < n) return Error(pos_, "truncated " + EnumName(type));
      pos_ += n;
      return Status::OK();
    }
    case ThriftType::kBinary: {
      const size_t at = pos_;
      uint32_t len = 0;
      Status s = ReadVarint32(&len);
      if (!s.ok()) return s;
      if (len > remaining()) {
        return Error(at, "binary of " + std::to_string(len) + " bytes but only " +
                             std::to_string(remaining()) + " remain");
      }
      pos_ += len;
      return Status::OK();
    }
    case ThriftType::kList:
    case ThriftType::kSet: {
      Status s = EnterNested();
      if (!s.ok()) return s;
      ThriftType elem = ThriftType::kStop;
      uint32_t n = 0;
      s = ReadListHeader(&elem, &n);
      for (uint32_t i = 0; s.ok() && i < n; i++) s = SkipValue(elem);
      if (!s.ok()) return s;
      LeaveNested();
      return Status::OK();
    }
    case ThriftType::kMap: {
      Status s = EnterNested();
      if (!s.ok()) return s;
      const size_t at = pos_;
      uint32_t n = 0;
      s = ReadVarint32(&n);
      if (!s.ok() || n == 0) {
        if (s.ok()) LeaveNested();
        return s;
      }
      uint8_t types = 0;
      s = ReadByte(&types);
      if (!s.ok()) return s;
      const uint8_t key = types >> 4;
      const uint8_t value = types & 0x0F;
      if (!IsValidTypeCode(key) || !IsValidTypeCode(value)) {
        return Error(at, "invalid map key/value types " + std::to_string(types));
      }
      const auto key_type = static_cast<ThriftType>(key);
      const auto value_type = static_cast<ThriftType>(value);
      const size_t pair_size = MinElementSize(key_type) + MinElementSize(value_type);
      if (n > kMaxThriftSize || n > remaining() / pair_size) {
        return Error(at, "map of " + std::to_string(n) + " entries but only " +
                             std::to_string(remaining()) + " bytes remain");
      }
      for (uint32_t i = 0; s.ok() && i < n; i++) {
        s = SkipValue(key_type);
        if (s.ok()) s = SkipValue(value_type);
      }
      if (!s.ok()) return s;
      LeaveNested();
      return Status::OK();
    }
    case ThriftType::kStruct: {
      Status s = EnterNested();
      if (!s.ok()) return s;
      const int16_t enclosing_last_id = last_field_id_;
      const char* enclosing_name = struct_name_;
      last_field_id_ = 0;
      struct_name_ = "skipped struct";
      FieldHeader f;
      while (true) {
        s = ReadFieldHeader(&f);
        if (!s.ok()) return s;
        if (f.type == ThriftType::kStop) break;
        s = SkipFieldValue(f.type);
        if (!s.ok()) return s;
      }
      last_field_id_ = enclosing_last_id;
      struct_name_ = enclosing_name;
      LeaveNested();
      return Status::OK();
    }
    case ThriftType::kStop:
      break;
  }
  return Error(pos_, "cannot skip a value of type " + std::to_string(Code(type)));
}

}  // namespace strata::parquet
