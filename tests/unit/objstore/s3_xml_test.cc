// S3's documents, written by hand in the shapes of AWS's API reference examples (ListObjectsV2,
// CreateMultipartUpload, CompleteMultipartUpload, DeleteObjects, ListMultipartUploads, Error),
// and what the readers make of wrong ones.
#include "objstore/s3_xml.h"

#include <gtest/gtest.h>

namespace strata::objstore {
namespace {

constexpr char kSource[] = "answer for s3://b/p";

TEST(S3Xml, Error) {
  auto e = ParseS3Error(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchKey</Code><Message>The "
      "resource you requested does not exist</Message><Resource>/mybucket/myfoto.jpg</"
      "Resource><RequestId>4442587FB7D0A2F9</RequestId></Error>",
      kSource);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->code, "NoSuchKey");
  EXPECT_EQ(e->message, "The resource you requested does not exist");

  auto wrong = ParseS3Error("<ListBucketResult/>", kSource);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.status().ToString(),
            "Corruption: answer for s3://b/p: byte 0: expected <Error>, found <ListBucketResult>");
  auto no_code = ParseS3Error("<Error><Message>m</Message></Error>", kSource);
  ASSERT_FALSE(no_code.ok());
  EXPECT_EQ(no_code.status().message(),
            "answer for s3://b/p: byte 0: <Error> has no <Code> element");
}

TEST(S3Xml, ListObjectsV2) {
  auto page = ParseListObjectsV2(
      R"(<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Name>bucket</Name>
  <Prefix>p/</Prefix>
  <KeyCount>2</KeyCount>
  <MaxKeys>2</MaxKeys>
  <Delimiter>/</Delimiter>
  <IsTruncated>true</IsTruncated>
  <Contents>
    <Key>p/a&amp;b</Key>
    <LastModified>2015-10-21T07:28:00.000Z</LastModified>
    <ETag>&quot;599bab3ed2c697f1d26842727561fd94&quot;</ETag>
    <Size>142863</Size>
    <StorageClass>STANDARD</StorageClass>
  </Contents>
  <CommonPrefixes><Prefix>p/dir/</Prefix></CommonPrefixes>
  <NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>
</ListBucketResult>)",
      kSource);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  ASSERT_EQ(page->objects.size(), 1u);
  EXPECT_EQ(page->objects[0].key, "p/a&b");
  EXPECT_EQ(page->objects[0].size, 142863u);
  EXPECT_EQ(page->objects[0].etag, "599bab3ed2c697f1d26842727561fd94");
  EXPECT_EQ(page->objects[0].last_modified_ms, 1445412480000);
  ASSERT_EQ(page->common_prefixes.size(), 1u);
  EXPECT_EQ(page->common_prefixes[0], "p/dir/");
  EXPECT_TRUE(page->is_truncated);
  EXPECT_EQ(page->next_continuation_token, "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=");
}

TEST(S3Xml, ListObjectsV2UrlEncoded) {
  auto page = ParseListObjectsV2(
      "<ListBucketResult><EncodingType>url</EncodingType><IsTruncated>false</IsTruncated>"
      "<Contents><Key>a+b%2Bc%25</Key><Size>0</Size></Contents>"
      "<CommonPrefixes><Prefix>d%20e/</Prefix></CommonPrefixes></ListBucketResult>",
      kSource);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  EXPECT_EQ(page->objects[0].key, "a b+c%");
  EXPECT_EQ(page->common_prefixes[0], "d e/");
  EXPECT_FALSE(page->is_truncated);

  // Without <EncodingType>, keys are taken as they are.
  auto raw = ParseListObjectsV2(
      "<ListBucketResult><Contents><Key>a+b%2B</Key><Size>1</Size></Contents></ListBucketResult>",
      kSource);
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(raw->objects[0].key, "a+b%2B");
}

TEST(S3Xml, ListObjectsV2Malformed) {
  const struct {
    const char* doc;
    const char* error;
  } kCases[] = {
      {"<ListBucketResult><Contents><Size>1</Size></Contents></ListBucketResult>",
       "byte 18: <Contents> without <Key>"},
      {"<ListBucketResult><Contents><Key>k</Key></Contents></ListBucketResult>",
       "byte 18: <Contents> without <Size>"},
      {"<ListBucketResult><Contents><Key>k</Key><Size>-1</Size></Contents></ListBucketResult>",
       "byte 40: not a size: \"-1\""},
      {"<ListBucketResult><Contents><Key>k</Key><Size>18446744073709551616</Size></Contents>"
       "</ListBucketResult>",
       "byte 40: size overflows: 18446744073709551616"},
      {"<ListBucketResult><IsTruncated>yes</IsTruncated></ListBucketResult>",
       "byte 18: <IsTruncated> is neither true nor false"},
      {"<ListBucketResult><Contents><Key>k</Key><Size>1</Size><LastModified>yesterday"
       "</LastModified></Contents></ListBucketResult>",
       "byte 54: not an ISO 8601 UTC time: \"yesterday\""},
      {"<ListBucketResult><EncodingType>url</EncodingType><Contents><Key>%zz</Key><Size>1</Size>"
       "</Contents></ListBucketResult>",
       "byte 60: bad %-escape at byte 0 of a URL-encoded key"},
  };
  for (const auto& c : kCases) {
    auto r = ParseListObjectsV2(c.doc, kSource);
    ASSERT_FALSE(r.ok()) << c.doc;
    EXPECT_EQ(r.status().message(), std::string(kSource) + ": " + c.error) << c.doc;
  }
}

TEST(S3Xml, InitiateMultipartUpload) {
  auto id = ParseInitiateMultipartUpload(
      "<InitiateMultipartUploadResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
      "<Bucket>example-bucket</Bucket><Key>example-object</Key>"
      "<UploadId>VXBsb2FkIElEIGZvciA2aWWpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA</UploadId>"
      "</InitiateMultipartUploadResult>",
      kSource);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(*id, "VXBsb2FkIElEIGZvciA2aWWpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA");
  EXPECT_FALSE(
      ParseInitiateMultipartUpload(
          "<InitiateMultipartUploadResult><UploadId/></InitiateMultipartUploadResult>", kSource)
          .ok());
  EXPECT_FALSE(ParseInitiateMultipartUpload("<InitiateMultipartUploadResult>", kSource).ok());
}

TEST(S3Xml, CompleteMultipartUploadResultOrError) {
  auto done = ParseCompleteMultipartUpload(
      "<CompleteMultipartUploadResult><Location>http://b.s3.amazonaws.com/k</Location>"
      "<Bucket>b</Bucket><Key>k</Key><ETag>\"3858f62230ac3c915f300c664312c11f-9\"</ETag>"
      "</CompleteMultipartUploadResult>",
      kSource);
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_FALSE(done->failed);
  EXPECT_EQ(done->etag, "3858f62230ac3c915f300c664312c11f-9");

  // A 200 answer whose body is an error: the completion failed after the status line.
  auto failed = ParseCompleteMultipartUpload(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\n<Error><Code>InternalError</Code>"
      "<Message>We encountered an internal error. Please try again.</Message></Error>",
      kSource);
  ASSERT_TRUE(failed.ok()) << failed.status().ToString();
  EXPECT_TRUE(failed->failed);
  EXPECT_EQ(failed->error.code, "InternalError");
  EXPECT_EQ(failed->error.message, "We encountered an internal error. Please try again.");

  auto other = ParseCompleteMultipartUpload("<Other/>", kSource);
  ASSERT_FALSE(other.ok());
  EXPECT_TRUE(other.status().IsCorruption());
}

TEST(S3Xml, DeleteResult) {
  auto errors = ParseDeleteResult(
      "<DeleteResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
      "<Deleted><Key>ok</Key></Deleted>"
      "<Error><Key>p/a&lt;b</Key><Code>AccessDenied</Code><Message>Access Denied</Message></Error>"
      "<Error><Key>p/c</Key><Code>InternalError</Code></Error></DeleteResult>",
      kSource);
  ASSERT_TRUE(errors.ok()) << errors.status().ToString();
  ASSERT_EQ(errors->size(), 2u);
  EXPECT_EQ((*errors)[0].key, "p/a<b");
  EXPECT_EQ((*errors)[0].code, "AccessDenied");
  EXPECT_EQ((*errors)[0].message, "Access Denied");
  EXPECT_EQ((*errors)[1].key, "p/c");
  EXPECT_EQ((*errors)[1].message, "");
  auto none = ParseDeleteResult("<DeleteResult/>", kSource);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  EXPECT_FALSE(
      ParseDeleteResult("<DeleteResult><Error><Key>k</Key></Error></DeleteResult>", kSource).ok());
}

TEST(S3Xml, ListMultipartUploads) {
  auto list = ParseListMultipartUploads(
      "<ListMultipartUploadsResult><Bucket>b</Bucket><KeyMarker></KeyMarker>"
      "<NextKeyMarker>my-movie.m2ts</NextKeyMarker><NextUploadIdMarker>YW55IGlkZWEgd2h5</"
      "NextUploadIdMarker><IsTruncated>true</IsTruncated>"
      "<Upload><Key>my-divisor</Key><UploadId>XMgbGlrZSBlbHZpbmcncyBub3QgaGF2aW5n</UploadId>"
      "<Initiated>2010-11-10T20:48:33.000Z</Initiated></Upload>"
      "<Upload><Key>my-movie.m2ts</Key><UploadId>VXBsb2FkIElE</UploadId></Upload>"
      "</ListMultipartUploadsResult>",
      kSource);
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  ASSERT_EQ(list->uploads.size(), 2u);
  EXPECT_EQ(list->uploads[0].key, "my-divisor");
  EXPECT_EQ(list->uploads[0].upload_id, "XMgbGlrZSBlbHZpbmcncyBub3QgaGF2aW5n");
  EXPECT_EQ(list->uploads[1].key, "my-movie.m2ts");
  EXPECT_TRUE(list->is_truncated);
  EXPECT_EQ(list->next_key_marker, "my-movie.m2ts");
  EXPECT_EQ(list->next_upload_id_marker, "YW55IGlkZWEgd2h5");
}

TEST(S3Xml, RequestBodies) {
  EXPECT_EQ(WriteCompleteMultipartUpload({{1, "a54357aff0632cce46d942af68356b38"}, {2, "0c78"}}),
            "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>\""
            "a54357aff0632cce46d942af68356b38\"</ETag></Part><Part><PartNumber>2</PartNumber>"
            "<ETag>\"0c78\"</ETag></Part></CompleteMultipartUpload>");
  EXPECT_EQ(WriteDeleteObjects({"a&b", "c<d"}),
            "<Delete><Quiet>true</Quiet><Object><Key>a&amp;b</Key></Object><Object><Key>c&lt;d"
            "</Key></Object></Delete>");
  EXPECT_TRUE(XmlCanCarry("a\tb\nc\rd \xC3\xA9"));
  EXPECT_FALSE(XmlCanCarry("a\x01"));
  EXPECT_FALSE(XmlCanCarry(std::string("a\0b", 3)));
}

TEST(S3Xml, UnquoteETag) {
  EXPECT_EQ(UnquoteETag("\"abc\""), "abc");
  EXPECT_EQ(UnquoteETag("abc"), "abc");
  EXPECT_EQ(UnquoteETag("\""), "\"");
  EXPECT_EQ(UnquoteETag(""), "");
}

}  // namespace
}  // namespace strata::objstore
