// A small XML reader and writer for S3's request and response documents.
//
// Reads a document into a tree of elements, bounded (nesting depth, element count) and
// never crashing on hostile or truncated input; any input it does not accept is an error
// naming its source and byte offset. What S3 documents need and nothing more:
//   * elements with text content, in UTF-8; attributes (xmlns) are read and dropped;
//   * the predefined entities &amp; &lt; &gt; &quot; &apos; and character references &#NN;
//     and &#xHH; (decoded to UTF-8);
//   * CDATA sections, comments, processing instructions and the XML declaration;
//   * no DTD: a <!DOCTYPE> is refused, so no entity can expand (no "billion laughs").
// An element's text is kept only when it has no child elements: S3 documents never mix text
// and elements, and whitespace between child elements is layout. Text is kept exactly as
// written (after decoding): a key may begin or end with spaces.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace strata::objstore {

struct XmlElement {
  std::string name;  // as written, namespace prefix included
  std::string text;  // the decoded character data of an element without children
  std::vector<XmlElement> children;
  size_t offset = 0;  // byte offset of its '<' in the parsed input, for error messages

  // The first child whose local name (the name without a "prefix:") is name, or null.
  const XmlElement* Child(std::string_view name) const;
  // The text of that child, or "" when there is none.
  std::string ChildText(std::string_view name) const;
  // The element's local name.
  std::string_view LocalName() const;
};

struct XmlLimits {
  int max_depth = 32;
  size_t max_elements = 200'000;
};

// Whether a and b have the same names, texts and children (offsets aside).
bool SameXml(const XmlElement& a, const XmlElement& b);

// Parses a whole document (one root element, with comments, processing instructions and
// whitespace around it). Errors are Corruption: "<source>: byte <offset>: <what>".
Result<XmlElement> ParseXml(std::string_view text, std::string_view source,
                            const XmlLimits& limits = {});

// Writes element as XML (no declaration): text escaped so ParseXml reads it back unchanged,
// children in order. Names are written as they are and must be valid XML names.
std::string WriteXml(const XmlElement& element);

}  // namespace strata::objstore
