#include "objstore/xml.h"

#include <cstdint>

namespace strata::objstore {

namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool IsNameStart(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == ':' || u >= 0x80;
}

bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9') || c == '-' || c == '.'; }

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    *out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    *out += static_cast<char>(0xC0 | (cp >> 6));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *out += static_cast<char>(0xE0 | (cp >> 12));
    *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    *out += static_cast<char>(0xF0 | (cp >> 18));
    *out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

class Parser {
 public:
  Parser(std::string_view text, std::string_view source, const XmlLimits& limits)
      : text_(text), source_(source), limits_(limits) {}

  Result<XmlElement> Document() {
    // A UTF-8 byte order mark may precede the declaration.
    if (text_.starts_with("\xEF\xBB\xBF")) pos_ = 3;
    // NUL is no XML character, and no reference can write one: refusing it keeps every text
    // this parser returns writable by WriteXml.
    const size_t nul = text_.find('\0');
    if (nul != std::string_view::npos) return Error(nul, "NUL byte");
    Status s = SkipMisc();
    if (!s.ok()) return s;
    if (AtEnd()) return Error(pos_, "no root element");
    XmlElement root;
    s = Element(&root, 1);
    if (!s.ok()) return s;
    s = SkipMisc();
    if (!s.ok()) return s;
    if (!AtEnd()) return Error(pos_, "content after the root element");
    return root;
  }

 private:
  bool AtEnd() const { return pos_ >= text_.size(); }
  bool LookingAt(std::string_view s) const { return text_.substr(pos_).starts_with(s); }

  Status Error(size_t at, const std::string& what) const {
    return Status::Corruption(std::string(source_) + ": byte " + std::to_string(at) + ": " + what);
  }

  void SkipSpace() {
    while (!AtEnd() && IsSpace(text_[pos_])) pos_++;
  }

  // Moves past the next occurrence of end, or fails naming what was left open at start.
  Status SkipPast(std::string_view end, size_t start, const char* what) {
    const size_t found = text_.find(end, pos_);
    if (found == std::string_view::npos) return Error(start, std::string("unterminated ") + what);
    pos_ = found + end.size();
    return Status::OK();
  }

  // Whitespace, comments and processing instructions (the XML declaration among them), outside
  // the root element.
  Status SkipMisc() {
    while (true) {
      SkipSpace();
      const size_t start = pos_;
      if (LookingAt("<?")) {
        Status s = SkipPast("?>", start, "processing instruction");
        if (!s.ok()) return s;
      } else if (LookingAt("<!--")) {
        pos_ += 4;
        Status s = SkipPast("-->", start, "comment");
        if (!s.ok()) return s;
      } else if (LookingAt("<!")) {
        return Error(start, "document type declarations are not accepted");
      } else {
        return Status::OK();
      }
    }
  }

  Status Name(std::string* out) {
    const size_t start = pos_;
    if (AtEnd() || !IsNameStart(text_[pos_])) return Error(pos_, "expected a name");
    while (!AtEnd() && IsNameChar(text_[pos_])) pos_++;
    out->assign(text_.substr(start, pos_ - start));
    return Status::OK();
  }

  // Reads attributes up to the end of the start tag; *empty is set for "/>".
  Status Attributes(bool* empty) {
    while (true) {
      const bool had_space = !AtEnd() && IsSpace(text_[pos_]);
      SkipSpace();
      if (AtEnd()) return Error(pos_, "unterminated start tag");
      if (LookingAt("/>")) {
        pos_ += 2;
        *empty = true;
        return Status::OK();
      }
      if (text_[pos_] == '>') {
        pos_++;
        *empty = false;
        return Status::OK();
      }
      if (!had_space) return Error(pos_, "expected whitespace before an attribute");
      std::string name;
      Status s = Name(&name);
      if (!s.ok()) return s;
      SkipSpace();
      if (AtEnd() || text_[pos_] != '=') return Error(pos_, "expected '=' after attribute name");
      pos_++;
      SkipSpace();
      if (AtEnd() || (text_[pos_] != '"' && text_[pos_] != '\'')) {
        return Error(pos_, "expected a quoted attribute value");
      }
      const char quote = text_[pos_];
      const size_t start = pos_++;
      // The value is dropped, but must still be well formed: no '<', valid references.
      std::string ignored;
      while (true) {
        if (AtEnd()) return Error(start, "unterminated attribute value");
        const char c = text_[pos_];
        if (c == quote) break;
        if (c == '<') return Error(pos_, "'<' in an attribute value");
        if (c == '&') {
          s = Reference(&ignored);
          if (!s.ok()) return s;
        } else {
          pos_++;
        }
      }
      pos_++;
    }
  }

  // An entity or character reference at '&', decoded onto out.
  Status Reference(std::string* out) {
    const size_t start = pos_;
    const size_t semi = text_.find(';', pos_);
    if (semi == std::string_view::npos || semi - pos_ > 12) {
      return Error(start, "'&' without a reference (write &amp;)");
    }
    const std::string_view ref = text_.substr(pos_ + 1, semi - pos_ - 1);
    pos_ = semi + 1;
    if (ref == "amp") return Append('&', out);
    if (ref == "lt") return Append('<', out);
    if (ref == "gt") return Append('>', out);
    if (ref == "quot") return Append('"', out);
    if (ref == "apos") return Append('\'', out);
    if (!ref.starts_with('#')) return Error(start, "unknown entity &" + std::string(ref) + ";");
    std::string_view digits = ref.substr(1);
    int base = 10;
    if (digits.starts_with('x')) {
      base = 16;
      digits.remove_prefix(1);
    }
    if (digits.empty()) return Error(start, "empty character reference");
    uint32_t cp = 0;
    for (char c : digits) {
      int v;
      if (c >= '0' && c <= '9') {
        v = c - '0';
      } else if (base == 16 && c >= 'a' && c <= 'f') {
        v = c - 'a' + 10;
      } else if (base == 16 && c >= 'A' && c <= 'F') {
        v = c - 'A' + 10;
      } else {
        return Error(start, "bad digit in character reference");
      }
      cp = cp * static_cast<uint32_t>(base) + static_cast<uint32_t>(v);
      if (cp > 0x10FFFF) return Error(start, "character reference beyond U+10FFFF");
    }
    if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return Error(start, "character reference to U+0000 or a surrogate");
    }
    AppendUtf8(cp, out);
    return Status::OK();
  }

  static Status Append(char c, std::string* out) {
    *out += c;
    return Status::OK();
  }

  // An element at '<': its start tag, content and end tag.
  Status Element(XmlElement* out, int depth) {
    if (depth > limits_.max_depth) {
      return Error(pos_, "elements nested deeper than " + std::to_string(limits_.max_depth));
    }
    if (++elements_ > limits_.max_elements) {
      return Error(pos_, "more than " + std::to_string(limits_.max_elements) + " elements");
    }
    out->offset = pos_;
    if (AtEnd() || text_[pos_] != '<') return Error(pos_, "expected '<'");
    pos_++;
    Status s = Name(&out->name);
    if (!s.ok()) return s;
    bool empty = false;
    s = Attributes(&empty);
    if (!s.ok() || empty) return s;

    while (true) {
      if (AtEnd()) return Error(out->offset, "unterminated element <" + out->name + ">");
      const size_t start = pos_;
      if (text_[pos_] == '&') {
        s = Reference(&out->text);
      } else if (text_[pos_] != '<') {
        const size_t lt = text_.find_first_of("<&", pos_);
        const size_t end = lt == std::string_view::npos ? text_.size() : lt;
        out->text.append(text_.substr(pos_, end - pos_));
        pos_ = end;
      } else if (LookingAt("</")) {
        pos_ += 2;
        std::string name;
        s = Name(&name);
        if (!s.ok()) return s;
        if (name != out->name) {
          return Error(start, "end tag </" + name + "> closes <" + out->name + ">");
        }
        SkipSpace();
        if (AtEnd() || text_[pos_] != '>') return Error(pos_, "expected '>'");
        pos_++;
        break;
      } else if (LookingAt("<!--")) {
        pos_ += 4;
        s = SkipPast("-->", start, "comment");
      } else if (LookingAt("<![CDATA[")) {
        pos_ += 9;
        const size_t end = text_.find("]]>", pos_);
        if (end == std::string_view::npos) return Error(start, "unterminated CDATA section");
        out->text.append(text_.substr(pos_, end - pos_));
        pos_ = end + 3;
      } else if (LookingAt("<?")) {
        s = SkipPast("?>", start, "processing instruction");
      } else if (LookingAt("<!")) {
        return Error(start, "unexpected markup declaration");
      } else {
        out->children.emplace_back();
        s = Element(&out->children.back(), depth + 1);
      }
      if (!s.ok()) return s;
    }
    if (!out->children.empty()) out->text.clear();
    return Status::OK();
  }

  std::string_view text_;
  std::string_view source_;
  XmlLimits limits_;
  size_t pos_ = 0;
  size_t elements_ = 0;
};

void Write(const XmlElement& e, std::string* out) {
  *out += '<';
  *out += e.name;
  *out += '>';
  if (e.children.empty()) {
    for (char c : e.text) {
      const auto u = static_cast<unsigned char>(c);
      if (c == '&') {
        *out += "&amp;";
      } else if (c == '<') {
        *out += "&lt;";
      } else if (c == '>') {
        *out += "&gt;";  // so "]]>" never appears in text
      } else if (u < 0x20 && c != '\t' && c != '\n') {
        // A raw CR would be read as a line break by other XML readers; other control
        // characters are not XML 1.0 characters at all.
        *out += "&#" + std::to_string(u) + ";";
      } else {
        *out += c;
      }
    }
  } else {
    for (const XmlElement& child : e.children) Write(child, out);
  }
  *out += "</";
  *out += e.name;
  *out += '>';
}

}  // namespace

std::string_view XmlElement::LocalName() const {
  const std::string_view n = name;
  const size_t colon = n.find(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

const XmlElement* XmlElement::Child(std::string_view child_name) const {
  for (const XmlElement& c : children) {
    if (c.LocalName() == child_name) return &c;
  }
  return nullptr;
}

std::string XmlElement::ChildText(std::string_view child_name) const {
  const XmlElement* c = Child(child_name);
  return c == nullptr ? std::string() : c->text;
}

bool SameXml(const XmlElement& a, const XmlElement& b) {
  if (a.name != b.name || a.text != b.text || a.children.size() != b.children.size()) {
    return false;
  }
  for (size_t i = 0; i < a.children.size(); i++) {
    if (!SameXml(a.children[i], b.children[i])) return false;
  }
  return true;
}

Result<XmlElement> ParseXml(std::string_view text, std::string_view source,
                            const XmlLimits& limits) {
  return Parser(text, source, limits).Document();
}

std::string WriteXml(const XmlElement& element) {
  std::string out;
  Write(element, &out);
  return out;
}

}  // namespace strata::objstore
