// S3Store against a scripted server (scripted_http_server.h): the answers real S3 gives only
// under load or failure — throttling, internal errors, lost connections, short bodies, an error
// after a 200 — each written out by hand, and the requests the store sends in reply checked one
// by one: what is retried and what is not, that a retry sends the same bytes again, that a
// conditional write whose first attempt was lost checks the object before it reports
// PreconditionFailed, that a broken read resumes at the right byte of the same version, and
// that a failed multipart upload is aborted.
#include <gtest/gtest.h>

#include "s3_test_util.h"
#include "scripted_http_server.h"

namespace strata::objstore {
namespace {

using test::CapturedRequest;
using test::ScriptedHttpServer;

// Hand-computed with Python: hashlib.md5(b"hello"), base64 of it, and the same for b"abcdef"
// with its one-part multipart ETag md5(md5(b"abcdef").digest()).hexdigest() + "-1".
constexpr char kHelloMd5[] = "5d41402abc4b2a76b9719d911017c592";
constexpr char kHelloMd5Base64[] = "XUFAKrxLKna5cZ2REBfFkg==";
constexpr char kAbcdefMd5[] = "e80b5017098950fc58aad83c8c14978e";
constexpr char kAbcdefMultipartEtag[] = "b91282813df47352f7fe2c0c1fe9e5bd-1";

class S3ScriptedTest : public ::testing::Test {
 protected:
  std::unique_ptr<ObjectStore> Open(int max_attempts = 4) {
    S3Options o = TestS3Options(server_.endpoint());
    o.retry.max_attempts = max_attempts;
    o.parallelism = 1;  // one request at a time: the script's order is the requests' order
    auto store = OpenS3Store("bucket", "", o);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return std::move(*store);
  }

  // Every object goes in parts (of at most 5 MiB: one, here).
  std::unique_ptr<ObjectStore> OpenMultipart(const std::string& prefix) {
    S3Options o = TestS3Options(server_.endpoint());
    o.multipart_threshold = 1;
    o.parallelism = 1;
    auto store = OpenS3Store("bucket", prefix, o);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return std::move(*store);
  }

  static std::string Ok(const std::vector<std::string>& headers, const std::string& body = "") {
    return ScriptedHttpServer::Reply("200 OK", headers, body);
  }

  ScriptedHttpServer server_;
};

TEST_F(S3ScriptedTest, ThrottlingAndServerErrorsAreRetriedWithTheSameBody) {
  auto store = Open();
  server_.Script({ScriptedHttpServer::S3Error("503 Slow Down", "SlowDown"),
                  ScriptedHttpServer::S3Error("500 Internal Server Error", "InternalError"),
                  ScriptedHttpServer::Reply("429 Too Many Requests", {}),
                  Ok({std::string("ETag: \"") + kHelloMd5 + "\""})});
  auto put = PutString(store.get(), "k", "hello");
  ASSERT_TRUE(put.ok()) << put.status().ToString();
  EXPECT_EQ(put->etag, kHelloMd5);
  const std::vector<CapturedRequest> requests = server_.Take();
  ASSERT_EQ(requests.size(), 4u);
  for (const CapturedRequest& r : requests) {
    EXPECT_EQ(r.method, "PUT");
    EXPECT_EQ(r.target, "/bucket/k");
    EXPECT_EQ(r.body, "hello");
    EXPECT_EQ(r.Header("Content-MD5"), kHelloMd5Base64);
    EXPECT_EQ(r.Header("Content-Type"), "application/octet-stream");
  }
}

TEST_F(S3ScriptedTest, PermanentErrorsAreNotRetried) {
  auto store = Open();
  server_.Script({ScriptedHttpServer::S3Error("403 Forbidden", "AccessDenied")});
  auto put = PutString(store.get(), "k", "hello");
  ASSERT_FALSE(put.ok());
  EXPECT_EQ(put.status().ToString(),
            "IOError: PUT s3://bucket/k: HTTP 403 AccessDenied: scripted AccessDenied");
  EXPECT_EQ(server_.Take().size(), 1u);
}

TEST_F(S3ScriptedTest, GivesUpAfterMaxAttempts) {
  auto store = Open(3);
  server_.Script({"", ScriptedHttpServer::S3Error("503 Slow Down", "SlowDown"),
                  ScriptedHttpServer::S3Error("503 Slow Down", "SlowDown"), Ok({})});
  auto head = store->Head("k");
  ASSERT_FALSE(head.ok());
  EXPECT_TRUE(head.status().IsIOError()) << head.status().ToString();
  EXPECT_TRUE(head.status().message().starts_with("HEAD s3://bucket/k: HTTP 503"))
      << head.status().ToString();
  EXPECT_TRUE(head.status().message().ends_with("(after 3 attempts)")) << head.status().ToString();
  EXPECT_EQ(server_.Take().size(), 3u);
}

TEST_F(S3ScriptedTest, ETagThatIsNotTheMd5IsCorruption) {
  auto store = Open();
  server_.Script({Ok({"ETag: \"00000000000000000000000000000000\""})});
  auto put = PutString(store.get(), "k", "hello");
  ASSERT_TRUE(put.status().IsCorruption()) << put.status().ToString();
  EXPECT_NE(put.status().message().find(kHelloMd5), std::string::npos);
  // Not an MD5 at all (SSE-KMS-like, or another store's scheme): accepted as it is.
  server_.Script({Ok({"ETag: \"opaque-version-7\""})});
  auto other = PutString(store.get(), "k", "hello");
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  EXPECT_EQ(other->etag, "opaque-version-7");
}

// The first PUT's answer is lost; the retry finds the object there (412). It is this upload's
// object — same MD5 — so the write succeeded.
TEST_F(S3ScriptedTest, ConditionalPutWhoseAnswerWasLostChecksTheObject) {
  auto store = Open();
  PutOptions absent;
  absent.condition = PutCondition::kIfAbsent;
  const std::string ours = std::string("ETag: \"") + kHelloMd5 + "\"";
  server_.Script({"", ScriptedHttpServer::S3Error("412 Precondition Failed", "PreconditionFailed"),
                  Ok({ours, "Content-Length: 5", "Last-Modified: Wed, 21 Oct 2015 07:28:00 GMT"})});
  auto put = PutString(store.get(), "k", "hello", absent);
  ASSERT_TRUE(put.ok()) << put.status().ToString();
  EXPECT_EQ(put->etag, kHelloMd5);
  EXPECT_EQ(put->last_modified_ms, 1445412480000);
  std::vector<CapturedRequest> requests = server_.Take();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].Header("If-None-Match"), "*");
  EXPECT_EQ(requests[1].Header("If-None-Match"), "*");
  EXPECT_EQ(requests[2].method, "HEAD");

  // Another object is there: somebody else won.
  server_.Script({"", ScriptedHttpServer::S3Error("412 Precondition Failed", "PreconditionFailed"),
                  Ok({"ETag: \"0123456789abcdef0123456789abcdef\"", "Content-Length: 5"})});
  auto lost = PutString(store.get(), "k", "hello", absent);
  EXPECT_TRUE(lost.status().IsPreconditionFailed()) << lost.status().ToString();
  EXPECT_EQ(server_.Take().size(), 3u);

  // Without a lost attempt, a 412 is final: no HEAD.
  server_.Script({ScriptedHttpServer::S3Error("412 Precondition Failed", "PreconditionFailed")});
  auto plain = PutString(store.get(), "k", "hello", absent);
  EXPECT_TRUE(plain.status().IsPreconditionFailed()) << plain.status().ToString();
  EXPECT_EQ(server_.Take().size(), 1u);
}

// A GET whose connection breaks after 4 of 10 bytes resumes from byte 4 of the same version.
TEST_F(S3ScriptedTest, BrokenReadResumesPinnedToTheETag) {
  auto store = Open();
  server_.Script(
      {ScriptedHttpServer::Reply("200 OK", {"Content-Length: 10", "ETag: \"v1\""}, "0123"),
       ScriptedHttpServer::Reply("206 Partial Content",
                                 {"Content-Range: bytes 4-9/10", "ETag: \"v1\""}, "456789")});
  StringSink sink;
  auto got = store->Get("k", {}, &sink);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(sink.bytes(), "0123456789");
  EXPECT_EQ(got->size, 10u);
  EXPECT_EQ(got->etag, "v1");
  std::vector<CapturedRequest> requests = server_.Take();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].Header("Range"), "");  // the whole object from byte 0: no Range
  EXPECT_EQ(requests[1].Header("Range"), "bytes=4-");
  EXPECT_EQ(requests[1].Header("If-Match"), "\"v1\"");

  // The object was replaced before the resumption: the read fails, it does not mix versions.
  server_.Script(
      {ScriptedHttpServer::Reply("200 OK", {"Content-Length: 10", "ETag: \"v1\""}, "0123"),
       ScriptedHttpServer::S3Error("412 Precondition Failed", "PreconditionFailed")});
  StringSink mixed;
  auto changed = store->Get("k", {}, &mixed);
  ASSERT_FALSE(changed.ok());
  EXPECT_TRUE(changed.status().IsIOError()) << changed.status().ToString();
  EXPECT_NE(changed.status().message().find("changed while it was read"), std::string::npos)
      << changed.status().ToString();
  server_.Take();
}

TEST_F(S3ScriptedTest, ShortOrMismatchedAnswersAreNeverComplete) {
  auto store = Open(2);
  // Every attempt ends early.
  server_.Script(
      {ScriptedHttpServer::Reply("200 OK", {"Content-Length: 10", "ETag: \"v1\""}, "0123"),
       ScriptedHttpServer::Reply(
           "206 Partial Content",
           {"Content-Range: bytes 4-9/10", "Content-Length: 6", "ETag: \"v1\""}, "45")});
  StringSink sink;
  auto got = store->Get("k", {}, &sink);
  ASSERT_FALSE(got.ok());
  EXPECT_TRUE(got.status().IsIOError()) << got.status().ToString();
  server_.Take();

  // A range answer that is not the range asked for.
  GetOptions range;
  range.offset = 2;
  range.length = 3;
  server_.Script({ScriptedHttpServer::Reply(
      "206 Partial Content", {"Content-Range: bytes 0-2/10", "ETag: \"v1\""}, "012")});
  StringSink wrong;
  auto mismatched = store->Get("k", range, &wrong);
  ASSERT_FALSE(mismatched.ok());
  EXPECT_NE(
      mismatched.status().message().find("asked for bytes 2-4, got Content-Range bytes 0-2/10"),
      std::string::npos)
      << mismatched.status().ToString();
  EXPECT_EQ(wrong.bytes(), "");
  EXPECT_EQ(server_.Take()[0].Header("Range"), "bytes=2-4");

  // A server that ignores Range: the bytes asked for are cut out of the whole object.
  server_.Script({ScriptedHttpServer::Reply("200 OK", {"ETag: \"v1\""}, "0123456789")});
  StringSink cut;
  auto whole = store->Get("k", range, &cut);
  ASSERT_TRUE(whole.ok()) << whole.status().ToString();
  EXPECT_EQ(cut.bytes(), "234");
  server_.Take();
}

// CompleteMultipartUpload answers 200 and then an InternalError: retried, and the second
// completion's ETag checked against the parts' MD5s.
TEST_F(S3ScriptedTest, MultipartCompletionErrorAfter200IsRetried) {
  auto store = OpenMultipart("");
  server_.Script(
      {Ok({},
          "<InitiateMultipartUploadResult><UploadId>UP-1</UploadId>"
          "</InitiateMultipartUploadResult>"),
       Ok({std::string("ETag: \"") + kAbcdefMd5 + "\""}),
       Ok({},
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\n<Error><Code>InternalError</Code>"
          "<Message>We encountered an internal error.</Message></Error>"),
       Ok({}, std::string("<CompleteMultipartUploadResult><ETag>&quot;") + kAbcdefMultipartEtag +
                  "&quot;</ETag></CompleteMultipartUploadResult>")});
  auto put = PutString(store.get(), "obj", "abcdef");
  ASSERT_TRUE(put.ok()) << put.status().ToString();
  EXPECT_EQ(put->etag, kAbcdefMultipartEtag);
  EXPECT_EQ(put->size, 6u);
  std::vector<CapturedRequest> r = server_.Take();
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r[0].method + " " + r[0].target, "POST /bucket/obj?uploads=");
  EXPECT_EQ(r[1].method + " " + r[1].target, "PUT /bucket/obj?partNumber=1&uploadId=UP-1");
  EXPECT_EQ(r[1].body, "abcdef");
  EXPECT_EQ(r[2].method + " " + r[2].target, "POST /bucket/obj?uploadId=UP-1");
  EXPECT_EQ(r[2].body,
            std::string("<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>\"") +
                kAbcdefMd5 + "\"</ETag></Part></CompleteMultipartUpload>");
  EXPECT_EQ(r[3].body, r[2].body);
}

TEST_F(S3ScriptedTest, FailedPartAbortsTheUpload) {
  auto store = OpenMultipart("p");
  server_.Script({Ok({},
                     "<InitiateMultipartUploadResult><UploadId>UP-2</UploadId>"
                     "</InitiateMultipartUploadResult>"),
                  ScriptedHttpServer::S3Error("403 Forbidden", "AccessDenied"),
                  ScriptedHttpServer::Reply("204 No Content", {})});
  auto put = PutString(store.get(), "obj", "abcdef");
  ASSERT_FALSE(put.ok());
  EXPECT_EQ(
      put.status().ToString(),
      "IOError: UploadPart 1 s3://bucket/p/obj: HTTP 403 AccessDenied: scripted AccessDenied");
  std::vector<CapturedRequest> r = server_.Take();
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[2].method + " " + r[2].target, "DELETE /bucket/p/obj?uploadId=UP-2");
}

// Virtual-hosted addressing puts the bucket in the host name ("*.localhost" is loopback to
// libcurl) and the key alone in the path.
TEST_F(S3ScriptedTest, VirtualHostedAddressing) {
  S3Options o = TestS3Options("http://localhost:" + server_.endpoint().substr(17));
  o.addressing = S3Addressing::kVirtualHosted;
  auto store = OpenS3Store("my-bucket", "pre", o);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  server_.Script({Ok({std::string("ETag: \"") + kHelloMd5 + "\""}),
                  Ok({}, "<ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>")});
  auto put = PutString(store->get(), "a b", "hello");
  ASSERT_TRUE(put.ok()) << put.status().ToString();
  auto list = (*store)->List({});
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  std::vector<CapturedRequest> r = server_.Take();
  ASSERT_EQ(r.size(), 2u);
  const std::string host = "my-bucket.localhost:" + server_.endpoint().substr(17);
  EXPECT_EQ(r[0].Header("Host"), host);
  EXPECT_EQ(r[0].target, "/pre/a%20b");
  EXPECT_EQ(r[1].Header("Host"), host);
  EXPECT_EQ(r[1].target, "/?encoding-type=url&list-type=2&max-keys=1000&prefix=pre%2F");
}

}  // namespace
}  // namespace strata::objstore
