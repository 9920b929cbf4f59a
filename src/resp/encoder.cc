#include "resp/encoder.h"

#include <cmath>
#include <cstdio>
#include <string_view>

#include "base/escape.h"

namespace strata::resp {

namespace {

void AppendLine(char type, std::string_view body, std::string* out) {
  out->push_back(type);
  out->append(body);
  out->append("\r\n");
}

void AppendBulk(char type, std::string_view body, std::string* out) {
  AppendLine(type, std::to_string(body.size()), out);
  out->append(body);
  out->append("\r\n");
}

// Redis 7.0's text for a double: "%.17g", with infinities spelled out (libc spellings vary).
std::string DoubleText(double d) {
  if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
  if (std::isnan(d)) return "nan";
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%.17g", d);
  return buf;
}

bool IsDecimal(std::string_view s) {
  if (!s.empty() && s[0] == '-') s.remove_prefix(1);
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

class Writer {
 public:
  Writer(Protocol protocol, std::string* out) : resp3_(protocol == Protocol::kResp3), out_(out) {}

  Status Write(const Value& v, const std::string& where) {
    if (v.attribute != nullptr) {
      Status s = WriteAttribute(*v.attribute, where + ".attribute");
      if (!s.ok()) return s;
    }
    switch (v.type) {
      case Type::kSimpleString:
      case Type::kSimpleError: {
        const size_t bad = v.text.find_first_of("\r\n");
        if (bad != std::string::npos) {
          return Invalid(where, TypeNameWithArticle(v.type) + " holding CR or LF (byte " +
                                    std::to_string(bad) + ")");
        }
        AppendLine(v.type == Type::kSimpleString ? '+' : '-', v.text, out_);
        return Status::OK();
      }
      case Type::kInteger:
        AppendLine(':', std::to_string(v.integer), out_);
        return Status::OK();
      case Type::kBulkString:
        AppendBulk('$', v.text, out_);
        return Status::OK();
      case Type::kNull:
        if (resp3_) {
          out_->append("_\r\n");
        } else {
          out_->append(v.null_array ? "*-1\r\n" : "$-1\r\n");
        }
        return Status::OK();
      case Type::kBoolean:
        if (resp3_) {
          out_->append(v.boolean ? "#t\r\n" : "#f\r\n");
        } else {
          out_->append(v.boolean ? ":1\r\n" : ":0\r\n");
        }
        return Status::OK();
      case Type::kDouble:
        if (resp3_) {
          AppendLine(',', DoubleText(v.number), out_);
        } else {
          AppendBulk('$', DoubleText(v.number), out_);
        }
        return Status::OK();
      case Type::kBigNumber:
        if (!IsDecimal(v.text)) {
          return Invalid(
              where, "a big number " + QuoteBytes(v.text, 40) + " that is not a decimal integer");
        }
        if (resp3_) {
          AppendLine('(', v.text, out_);
        } else {
          AppendBulk('$', v.text, out_);
        }
        return Status::OK();
      case Type::kBulkError:
        if (resp3_) {
          AppendBulk('!', v.text, out_);
        } else {
          std::string line = v.text;
          for (char& c : line) {
            if (c == '\r' || c == '\n') c = ' ';
          }
          AppendLine('-', line, out_);
        }
        return Status::OK();
      case Type::kVerbatimString:
        if (v.format.size() != 3) {
          return Invalid(where, "a verbatim string with the " + std::to_string(v.format.size()) +
                                    "-byte format " + QuoteBytes(v.format, 40) +
                                    " (it must have 3)");
        }
        if (resp3_) {
          AppendBulk('=', v.format + ":" + v.text, out_);
        } else {
          AppendBulk('$', v.text, out_);
        }
        return Status::OK();
      case Type::kArray:
        return WriteAggregate('*', v, where);
      case Type::kMap:
        return WriteAggregate(resp3_ ? '%' : '*', v, where);
      case Type::kSet:
        return WriteAggregate(resp3_ ? '~' : '*', v, where);
      case Type::kPush:
        return WriteAggregate(resp3_ ? '>' : '*', v, where);
      case Type::kAttribute:
        return Invalid(where,
                       "an attribute on its own: it is written with the value it "
                       "annotates (Value::attribute)");
    }
    return Invalid(where, "a value of unknown type");
  }

 private:
  // An attribute goes on the wire before the value it annotates, after its own attribute if
  // it has one. A RESP2 peer gets none: Redis sends attributes to RESP3 clients only.
  Status WriteAttribute(const Value& a, const std::string& where) {
    if (a.type != Type::kAttribute) {
      return Invalid(where, "an attribute of type " + EnumName(a.type));
    }
    if (a.attribute != nullptr) {
      Status s = WriteAttribute(*a.attribute, where + ".attribute");
      if (!s.ok()) return s;
    }
    if (resp3_) return WriteAggregate('|', a, where);
    // Not written, but checked all the same: whether a value can be encoded does not depend
    // on the peer's protocol.
    std::string scratch;
    return Writer(Protocol::kResp3, &scratch).WriteAggregate('|', a, where);
  }

  // The header and the elements of an aggregate. A map or attribute announces its pairs in
  // RESP3 (prefix '%' or '|') and its elements when flattened into a RESP2 array ('*').
  Status WriteAggregate(char prefix, const Value& v, const std::string& where) {
    const bool pairs = v.type == Type::kMap || v.type == Type::kAttribute;
    if (pairs && v.elements.size() % 2 != 0) {
      return Invalid(where, TypeNameWithArticle(v.type) + " of " +
                                std::to_string(v.elements.size()) +
                                " elements (keys and values come in pairs)");
    }
    const size_t count = pairs && prefix != '*' ? v.elements.size() / 2 : v.elements.size();
    AppendLine(prefix, std::to_string(count), out_);
    for (size_t i = 0; i < v.elements.size(); i++) {
      Status s = Write(v.elements[i], where + "[" + std::to_string(i) + "]");
      if (!s.ok()) return s;
    }
    return Status::OK();
  }

  static Status Invalid(const std::string& where, const std::string& what) {
    return Status::InvalidArgument("cannot encode " + where, what);
  }

  const bool resp3_;
  std::string* const out_;
};

}  // namespace

Status Encode(const Value& value, Protocol protocol, std::string* out) {
  const size_t old_size = out->size();
  Status s = Writer(protocol, out).Write(value, "value");
  if (!s.ok()) out->resize(old_size);
  return s;
}

void EncodeCommand(const std::vector<std::string>& args, std::string* out) {
  AppendLine('*', std::to_string(args.size()), out);
  for (const std::string& arg : args) AppendBulk('$', arg, out);
}

}  // namespace strata::resp
