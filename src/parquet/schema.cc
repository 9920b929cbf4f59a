#include "parquet/schema.h"

#include <set>
#include <utility>

namespace strata::parquet {

namespace {

ColumnSpec Make(std::string name, Type physical, bool optional) {
  ColumnSpec c;
  c.name = std::move(name);
  c.physical = physical;
  c.optional = optional;
  return c;
}

std::string_view PhysicalName(Type t) {
  switch (t) {
    case Type::kBoolean:
      return "bool";
    case Type::kInt32:
      return "int32";
    case Type::kInt64:
      return "int64";
    case Type::kInt96:
      return "int96";
    case Type::kFloat:
      return "float";
    case Type::kDouble:
      return "double";
    case Type::kByteArray:
      return "binary";
    case Type::kFixedLenByteArray:
      return "fixed";
  }
  return "unknown";
}

// The ConvertedType that goes with an INTEGER annotation.
ConvertedType IntegerConvertedType(int bit_width, bool is_signed) {
  switch (bit_width) {
    case 8:
      return is_signed ? ConvertedType::kInt8 : ConvertedType::kUint8;
    case 16:
      return is_signed ? ConvertedType::kInt16 : ConvertedType::kUint16;
    case 32:
      return is_signed ? ConvertedType::kInt32 : ConvertedType::kUint32;
    default:
      return is_signed ? ConvertedType::kInt64 : ConvertedType::kUint64;
  }
}

// Reads the annotation of a leaf into c: LogicalType first, ConvertedType for files written
// before LogicalType existed.
void ReadAnnotation(const SchemaElement& e, ColumnSpec* c) {
  if (e.logical_type) {
    const LogicalType& l = *e.logical_type;
    switch (l.kind) {
      case LogicalType::Kind::kString:
        c->logical = LogicalKind::kString;
        return;
      case LogicalType::Kind::kInteger:
        c->logical = LogicalKind::kInteger;
        c->bit_width = l.bit_width;
        c->is_signed = l.is_signed;
        return;
      case LogicalType::Kind::kDate:
        c->logical = LogicalKind::kDate;
        return;
      case LogicalType::Kind::kTimestamp:
        c->logical = LogicalKind::kTimestamp;
        c->unit = l.unit;
        return;
      default:
        c->logical = LogicalKind::kOther;
        return;
    }
  }
  if (!e.converted_type) return;
  switch (*e.converted_type) {
    case ConvertedType::kUtf8:
      c->logical = LogicalKind::kString;
      return;
    case ConvertedType::kInt8:
    case ConvertedType::kInt16:
    case ConvertedType::kInt32:
    case ConvertedType::kInt64:
    case ConvertedType::kUint8:
    case ConvertedType::kUint16:
    case ConvertedType::kUint32:
    case ConvertedType::kUint64: {
      const auto t = static_cast<int32_t>(*e.converted_type);
      c->logical = LogicalKind::kInteger;
      c->is_signed = t >= static_cast<int32_t>(ConvertedType::kInt8);
      const int index = c->is_signed ? t - static_cast<int32_t>(ConvertedType::kInt8)
                                     : t - static_cast<int32_t>(ConvertedType::kUint8);
      c->bit_width = 8 << index;
      return;
    }
    case ConvertedType::kDate:
      c->logical = LogicalKind::kDate;
      return;
    case ConvertedType::kTimestampMillis:
    case ConvertedType::kTimestampMicros:
      c->logical = LogicalKind::kTimestamp;
      c->unit = *e.converted_type == ConvertedType::kTimestampMillis ? TimeUnit::kMillis
                                                                     : TimeUnit::kMicros;
      return;
    default:
      c->logical = LogicalKind::kOther;
      return;
  }
}

}  // namespace

ColumnSpec BoolColumn(std::string name, bool optional) {
  return Make(std::move(name), Type::kBoolean, optional);
}

ColumnSpec IntColumn(std::string name, int bit_width, bool is_signed, bool optional) {
  ColumnSpec c = Make(std::move(name), bit_width == 64 ? Type::kInt64 : Type::kInt32, optional);
  c.logical = LogicalKind::kInteger;
  c.bit_width = bit_width;
  c.is_signed = is_signed;
  return c;
}

ColumnSpec FloatColumn(std::string name, bool optional) {
  return Make(std::move(name), Type::kFloat, optional);
}

ColumnSpec DoubleColumn(std::string name, bool optional) {
  return Make(std::move(name), Type::kDouble, optional);
}

ColumnSpec StringColumn(std::string name, bool optional) {
  ColumnSpec c = Make(std::move(name), Type::kByteArray, optional);
  c.logical = LogicalKind::kString;
  return c;
}

ColumnSpec BinaryColumn(std::string name, bool optional) {
  return Make(std::move(name), Type::kByteArray, optional);
}

ColumnSpec FixedBinaryColumn(std::string name, int32_t length, bool optional) {
  ColumnSpec c = Make(std::move(name), Type::kFixedLenByteArray, optional);
  c.type_length = length;
  return c;
}

ColumnSpec DateColumn(std::string name, bool optional) {
  ColumnSpec c = Make(std::move(name), Type::kInt32, optional);
  c.logical = LogicalKind::kDate;
  return c;
}

ColumnSpec TimestampColumn(std::string name, TimeUnit unit, bool optional) {
  ColumnSpec c = Make(std::move(name), Type::kInt64, optional);
  c.logical = LogicalKind::kTimestamp;
  c.unit = unit;
  return c;
}

int Schema::IndexOf(std::string_view name) const {
  for (size_t i = 0; i < columns_.size(); i++) {
    if (columns_[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

Status Schema::Validate() const {
  std::set<std::string_view> names;
  for (const ColumnSpec& c : columns_) {
    auto bad = [&](const char* why) { return Status::InvalidArgument("column " + c.name, why); };
    if (c.name.empty()) return Status::InvalidArgument("a column has an empty name");
    if (!names.insert(c.name).second) return bad("appears twice");
    if (c.physical == Type::kInt96) return bad("INT96 is deprecated; Strata does not write it");
    if (c.physical == Type::kFixedLenByteArray && c.type_length <= 0) {
      return bad("FIXED_LEN_BYTE_ARRAY needs a positive length");
    }
    switch (c.logical) {
      case LogicalKind::kNone:
        break;
      case LogicalKind::kString:
        if (c.physical != Type::kByteArray) return bad("STRING needs BYTE_ARRAY");
        break;
      case LogicalKind::kInteger:
        if (c.bit_width != 8 && c.bit_width != 16 && c.bit_width != 32 && c.bit_width != 64) {
          return bad("INTEGER bit width must be 8, 16, 32 or 64");
        }
        if ((c.bit_width == 64) != (c.physical == Type::kInt64) ||
            (c.bit_width < 64 && c.physical != Type::kInt32)) {
          return bad("INTEGER of 8-32 bits needs INT32, of 64 bits INT64");
        }
        break;
      case LogicalKind::kDate:
        if (c.physical != Type::kInt32) return bad("DATE needs INT32");
        break;
      case LogicalKind::kTimestamp:
        if (c.physical != Type::kInt64) return bad("TIMESTAMP needs INT64");
        break;
      case LogicalKind::kOther:
        return bad("has an annotation Strata cannot write");
    }
  }
  return Status::OK();
}

std::vector<SchemaElement> Schema::ToSchemaElements() const {
  std::vector<SchemaElement> out;
  out.reserve(columns_.size() + 1);
  SchemaElement root;
  root.name = "schema";
  root.num_children = static_cast<int32_t>(columns_.size());
  out.push_back(std::move(root));
  for (const ColumnSpec& c : columns_) {
    SchemaElement e;
    e.name = c.name;
    e.type = c.physical;
    e.repetition_type =
        c.optional ? FieldRepetitionType::kOptional : FieldRepetitionType::kRequired;
    if (c.physical == Type::kFixedLenByteArray) e.type_length = c.type_length;
    LogicalType l;
    switch (c.logical) {
      case LogicalKind::kNone:
      case LogicalKind::kOther:
        break;
      case LogicalKind::kString:
        l.kind = LogicalType::Kind::kString;
        e.logical_type = l;
        e.converted_type = ConvertedType::kUtf8;
        break;
      case LogicalKind::kInteger:
        l.kind = LogicalType::Kind::kInteger;
        l.bit_width = static_cast<int8_t>(c.bit_width);
        l.is_signed = c.is_signed;
        e.logical_type = l;
        e.converted_type = IntegerConvertedType(c.bit_width, c.is_signed);
        break;
      case LogicalKind::kDate:
        l.kind = LogicalType::Kind::kDate;
        e.logical_type = l;
        e.converted_type = ConvertedType::kDate;
        break;
      case LogicalKind::kTimestamp:
        l.kind = LogicalType::Kind::kTimestamp;
        l.is_adjusted_to_utc = true;
        l.unit = c.unit;
        e.logical_type = l;
        // Nanoseconds have no ConvertedType.
        if (c.unit == TimeUnit::kMillis) e.converted_type = ConvertedType::kTimestampMillis;
        if (c.unit == TimeUnit::kMicros) e.converted_type = ConvertedType::kTimestampMicros;
        break;
    }
    out.push_back(std::move(e));
  }
  return out;
}

Result<Schema> Schema::FromSchemaElements(const std::vector<SchemaElement>& elements,
                                          std::string_view context) {
  auto corrupt = [&](const std::string& what) {
    return Status::Corruption(std::string(context), "schema: " + what);
  };
  if (elements.empty()) return corrupt("no root element");
  const SchemaElement& root = elements[0];
  if (root.type) return corrupt("the root is a leaf");
  const int64_t children = root.num_children.value_or(0);
  if (children != static_cast<int64_t>(elements.size()) - 1) {
    // Either nesting (a child group takes more elements) or a damaged count.
    for (size_t i = 1; i < elements.size(); i++) {
      if (!elements[i].type) {
        return Status::NotSupported(std::string(context),
                                    "nested column " + elements[i].name + " (flat schemas only)");
      }
    }
    return corrupt("the root has " + std::to_string(children) + " children but the list has " +
                   std::to_string(elements.size() - 1) + " leaves");
  }
  std::vector<ColumnSpec> columns;
  columns.reserve(elements.size() - 1);
  for (size_t i = 1; i < elements.size(); i++) {
    const SchemaElement& e = elements[i];
    if (!e.type) {
      return Status::NotSupported(std::string(context),
                                  "nested column " + e.name + " (flat schemas only)");
    }
    const auto repetition = e.repetition_type.value_or(FieldRepetitionType::kOptional);
    if (repetition == FieldRepetitionType::kRepeated) {
      return Status::NotSupported(std::string(context),
                                  "repeated column " + e.name + " (flat schemas only)");
    }
    const auto t = static_cast<int32_t>(*e.type);
    if (t < 0 || t > static_cast<int32_t>(Type::kFixedLenByteArray)) {
      return Status::NotSupported(
          std::string(context),
          "column " + e.name + " has unknown physical type " + std::to_string(t));
    }
    ColumnSpec c;
    c.name = e.name;
    c.physical = *e.type;
    c.optional = repetition == FieldRepetitionType::kOptional;
    if (c.physical == Type::kFixedLenByteArray) {
      if (!e.type_length || *e.type_length <= 0) {
        return corrupt("column " + e.name + " is FIXED_LEN_BYTE_ARRAY without a positive length");
      }
      c.type_length = *e.type_length;
    }
    ReadAnnotation(e, &c);
    columns.push_back(std::move(c));
  }
  return Schema(std::move(columns));
}

std::string Schema::TypeName(const ColumnSpec& c) {
  std::string name;
  switch (c.logical) {
    case LogicalKind::kString:
      name = "string";
      break;
    case LogicalKind::kInteger:
      name = IntegerTypeName(c.bit_width, c.is_signed);
      break;
    case LogicalKind::kDate:
      name = "date";
      break;
    case LogicalKind::kTimestamp:
      name = TimestampTypeName(c.unit);
      break;
    case LogicalKind::kNone:
    case LogicalKind::kOther:
      name = PhysicalName(c.physical);
      if (c.physical == Type::kFixedLenByteArray) {
        name += "[" + std::to_string(c.type_length) + "]";
      }
      break;
  }
  if (c.optional) name += "?";
  return name;
}

std::string Schema::IntegerTypeName(int bit_width, bool is_signed) {
  return (is_signed ? "int" : "uint") + std::to_string(bit_width);
}

std::string Schema::TimestampTypeName(TimeUnit unit) {
  static constexpr std::pair<TimeUnit, const char*> kNames[] = {
      {TimeUnit::kMillis, "timestamp_ms"},
      {TimeUnit::kMicros, "timestamp_us"},
      {TimeUnit::kNanos, "timestamp_ns"},
  };
  for (const auto& [u, name] : kNames) {
    if (u == unit) return name;
  }
  return "timestamp";
}

}  // namespace strata::parquet
