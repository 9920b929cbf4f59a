// The small XML reader: what it accepts, what it refuses (with the byte offset), its bounds,
// and that what WriteXml writes reads back the same.
#include "objstore/xml.h"

#include <gtest/gtest.h>

#include <string>

namespace strata::objstore {
namespace {

XmlElement Parse(const std::string& text) {
  auto r = ParseXml(text, "test");
  EXPECT_TRUE(r.ok()) << r.status().ToString() << "\n" << text;
  return r.ok() ? *r : XmlElement();
}

std::string ErrorOf(const std::string& text, const XmlLimits& limits = {}) {
  auto r = ParseXml(text, "doc.xml", limits);
  EXPECT_FALSE(r.ok()) << "accepted: " << text;
  if (r.ok()) return "";
  EXPECT_TRUE(r.status().IsCorruption()) << r.status().ToString();
  return r.status().message();
}

TEST(Xml, ElementsTextAndAttributes) {
  const XmlElement root = Parse(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<!-- a comment -->\n"
      "<Root xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\" a='1'>\n"
      "  <Key> spaced key </Key>\n"
      "  <Empty/>\n"
      "  <Empty2></Empty2>\n"
      "  <s3:Prefixed>p</s3:Prefixed>\n"
      "  <Nested><Inner>x</Inner><!-- c --><?pi data?></Nested>\n"
      "</Root>\n");
  EXPECT_EQ(root.name, "Root");
  EXPECT_EQ(root.text, "");  // layout between children is dropped
  ASSERT_EQ(root.children.size(), 5u);
  EXPECT_EQ(root.ChildText("Key"), " spaced key ");  // kept exactly
  EXPECT_NE(root.Child("Empty"), nullptr);
  EXPECT_EQ(root.ChildText("Empty"), "");
  EXPECT_EQ(root.ChildText("Prefixed"), "p");  // found by local name
  EXPECT_EQ(root.Child("Nested")->ChildText("Inner"), "x");
  EXPECT_EQ(root.Child("Missing"), nullptr);
  EXPECT_EQ(root.ChildText("Missing"), "");
}

TEST(Xml, EntitiesAndCharacterReferences) {
  const XmlElement e =
      Parse("<a>&amp;&lt;&gt;&quot;&apos; &#65;&#x42;&#xe9;&#x1F600; <![CDATA[<raw & ]]]></a>");
  EXPECT_EQ(e.text, "&<>\"' AB\xC3\xA9\xF0\x9F\x98\x80 <raw & ]");
}

TEST(Xml, OffsetsOfElements) {
  const XmlElement root = Parse("<a>\n  <b>x</b></a>");
  EXPECT_EQ(root.offset, 0u);
  EXPECT_EQ(root.children[0].offset, 6u);
}

TEST(Xml, RefusesMalformedInputNamingTheOffset) {
  EXPECT_EQ(ErrorOf(""), "doc.xml: byte 0: no root element");
  EXPECT_EQ(ErrorOf("<a>"), "doc.xml: byte 0: unterminated element <a>");
  EXPECT_EQ(ErrorOf("<a></b>"), "doc.xml: byte 3: end tag </b> closes <a>");
  EXPECT_EQ(ErrorOf("<a>x</a><b/>"), "doc.xml: byte 8: content after the root element");
  EXPECT_EQ(ErrorOf("<a>&bogus;</a>"), "doc.xml: byte 3: unknown entity &bogus;");
  EXPECT_EQ(ErrorOf("<a>AT&T</a>"), "doc.xml: byte 5: '&' without a reference (write &amp;)");
  EXPECT_EQ(ErrorOf("<a>&#0;</a>"),
            "doc.xml: byte 3: character reference to U+0000 or a surrogate");
  EXPECT_EQ(ErrorOf("<a>&#xD800;</a>"),
            "doc.xml: byte 3: character reference to U+0000 or a surrogate");
  EXPECT_EQ(ErrorOf("<a>&#x110000;</a>"), "doc.xml: byte 3: character reference beyond U+10FFFF");
  EXPECT_EQ(ErrorOf("<a>&#xZ;</a>"), "doc.xml: byte 3: bad digit in character reference");
  EXPECT_EQ(ErrorOf("<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>"),
            "doc.xml: byte 0: document type declarations are not accepted");
  EXPECT_EQ(ErrorOf("<a><!-- open</a>"), "doc.xml: byte 3: unterminated comment");
  EXPECT_EQ(ErrorOf("<a><![CDATA[x</a>"), "doc.xml: byte 3: unterminated CDATA section");
  EXPECT_EQ(ErrorOf("<a b=\"1</a>"), "doc.xml: byte 7: '<' in an attribute value");
  EXPECT_EQ(ErrorOf("<a b></a>"), "doc.xml: byte 4: expected '=' after attribute name");
  EXPECT_EQ(ErrorOf("<1a/>"), "doc.xml: byte 1: expected a name");
  EXPECT_EQ(ErrorOf(std::string("<a>x\0y</a>", 10)), "doc.xml: byte 4: NUL byte");
  EXPECT_EQ(ErrorOf("text"), "doc.xml: byte 0: expected '<'");
}

TEST(Xml, EveryTruncationIsAnError) {
  const std::string doc =
      "<?xml version=\"1.0\"?><R a=\"v\"><K>k &amp; v</K><![CDATA[c]]><!--x--><E/></R>";
  ASSERT_TRUE(ParseXml(doc, "whole").ok());
  for (size_t n = 0; n < doc.size(); n++) {
    auto r = ParseXml(doc.substr(0, n), "cut");
    EXPECT_FALSE(r.ok()) << "accepted the first " << n << " bytes";
  }
}

TEST(Xml, Limits) {
  std::string deep;
  for (int i = 0; i < 40; i++) deep += "<a>";
  for (int i = 0; i < 40; i++) deep += "</a>";
  EXPECT_EQ(ErrorOf(deep), "doc.xml: byte 96: elements nested deeper than 32");
  XmlLimits few;
  few.max_elements = 3;
  EXPECT_EQ(ErrorOf("<a><b/><c/><d/></a>", few), "doc.xml: byte 11: more than 3 elements");
}

TEST(Xml, WriteReadsBack) {
  XmlElement root;
  root.name = "Delete";
  for (std::string text : {std::string("plain"), std::string("a&b<c>d]]>e\"'"),
                           std::string("tab\tnl\ncr\rctl\x01\x1f"), std::string(" spaces "),
                           std::string("\xC3\xA9\xF0\x9F\x98\x80")}) {
    XmlElement key;
    key.name = "Key";
    key.text = text;
    root.children.push_back(key);
  }
  root.children.push_back(XmlElement{"Empty", "", {}, 0});
  const std::string written = WriteXml(root);
  EXPECT_EQ(written.find('\r'), std::string::npos);
  const XmlElement back = Parse(written);
  EXPECT_TRUE(SameXml(root, back)) << written;
}

}  // namespace
}  // namespace strata::objstore
