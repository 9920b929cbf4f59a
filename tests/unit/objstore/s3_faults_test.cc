// The S3 store through FaultProxy (tests/support/fault_proxy.h) in front of a real moto server:
// what the store does when S3 or the network misbehaves. Faults within the retry budget
// (503 SlowDown, 500, a reset, a body cut short, a stall past the low-speed limit, an upload
// broken off) are retried and the operation succeeds with the right bytes; faults beyond it end
// in an error that names the operation, the s3:// URL, the HTTP status and the S3 error code; a
// download cut short is never returned as complete; a failed multipart upload leaves no upload
// behind. The proxy counts the attempts, so each test also checks the retries happened.
//
// Needs moto_server (test::MotoServer); skipped with the reason when it is not installed.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include "net/socket.h"
#include "objstore/object_store.h"
#include "objstore/s3_options.h"
#include "objstore/s3_store.h"
#include "support/fault_proxy.h"
#include "support/moto_server.h"
#include "support/test_util.h"

namespace strata::objstore {
namespace {

using std::chrono::milliseconds;
using test::FaultKind;
using test::FaultRule;
using Clock = std::chrono::steady_clock;

constexpr int kMaxAttempts = 4;
constexpr uint64_t kPartSize = 5 << 20;  // S3's smallest part
constexpr auto kLowSpeedTime = std::chrono::seconds(2);
// Longer than the low-speed limit with room to spare: a store that waits a stall out instead
// of abandoning it takes this long, and the tests tell the two apart.
constexpr milliseconds kStall{8'000};

#define EXPECT_MESSAGE_HAS(status, fragment) \
  EXPECT_NE((status).ToString().find(fragment), std::string::npos) << (status).ToString()

class S3FaultsTest : public ::testing::Test {
 protected:
  // One moto for the suite: it takes seconds to start. Started on the test's main thread, as
  // its parent-death signal requires.
  static void SetUpTestSuite() {
    if (!test::MotoServer::Available()) return;
    Result<std::unique_ptr<test::MotoServer>> moto = test::MotoServer::Start();
    if (moto.ok()) {
      moto_ = std::move(moto).value();
    } else {
      moto_error_ = moto.status().ToString();
    }
  }
  static void TearDownTestSuite() { moto_.reset(); }

  void SetUp() override {
    if (!test::MotoServer::Available()) GTEST_SKIP() << test::MotoServer::SkipReason();
    ASSERT_NE(moto_, nullptr) << "moto did not start: " << moto_error_;
    Result<std::unique_ptr<test::FaultProxy>> proxy =
        test::FaultProxy::Start(std::string("127.0.0.1"), moto_->port());
    ASSERT_TRUE(proxy.ok()) << proxy.status().ToString();
    proxy_ = std::move(proxy).value();
    // A bucket of its own per test, made on moto directly, not through the proxy.
    bucket_ = "faults-" + std::to_string(++buckets_made_);
    const Status made = moto_->CreateBucket(bucket_);
    ASSERT_TRUE(made.ok()) << made.ToString();

    S3Options options;
    options.endpoint = proxy_->url();
    options.region = "us-east-1";
    options.credentials = S3Credentials{"testing", "testing", ""};
    options.addressing = S3Addressing::kPathStyle;
    options.retry.max_attempts = kMaxAttempts;
    options.retry.base_delay = milliseconds(10);
    options.retry.max_delay = milliseconds(200);
    options.connect_timeout = milliseconds(2'000);
    options.low_speed_bytes = 1024;
    options.low_speed_time = kLowSpeedTime;
    options.multipart_threshold = kPartSize;
    options.part_size = kPartSize;
    options.parallelism = 2;
    Result<std::unique_ptr<ObjectStore>> store = OpenS3Store(bucket_, "p", options);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
  }

  // What the proxy sees for key: the path-style request target, "/<bucket>/p/<key>".
  std::string Target(const std::string& key) const { return "/" + bucket_ + "/p/" + key; }
  // How errors must name key.
  std::string Url(const std::string& key) const { return "s3://" + bucket_ + "/p/" + key; }

  // Writes key with the proxy out of the way (no rules yet, or rules for other requests).
  void MustPut(const std::string& key, const std::string& bytes) {
    Result<ObjectInfo> put = PutString(store_.get(), key, bytes);
    ASSERT_TRUE(put.ok()) << put.status().ToString();
  }

  // The multipart uploads moto holds for the bucket, counted from ListMultipartUploads asked
  // of moto directly (moto takes unsigned requests); -1 when the answer is not a listing.
  int OpenUploads() const {
    Result<net::Socket> s =
        net::Socket::Connect(net::HostPort{std::string("127.0.0.1"), moto_->port()},
                             net::DeadlineAfter(milliseconds(10'000)));
    if (!s.ok()) return -1;
    const std::string request = "GET /" + bucket_ +
                                "?uploads HTTP/1.1\r\nHost: " + std::string("127.0.0.1") +
                                "\r\nConnection: close\r\n\r\n";
    if (!s->WriteAll(request, net::DeadlineAfter(milliseconds(10'000))).ok()) return -1;
    std::string answer;
    char buf[1 << 14];
    while (true) {
      Result<size_t> got = s->Read(buf, sizeof(buf), net::DeadlineAfter(milliseconds(10'000)));
      if (!got.ok()) return -1;
      if (*got == 0) break;
      answer.append(buf, *got);
    }
    if (!answer.starts_with("HTTP/1.1 200") ||
        answer.find("<ListMultipartUploadsResult") == std::string::npos) {
      ADD_FAILURE() << "ListMultipartUploads answered:\n" << answer;
      return -1;
    }
    int uploads = 0;
    for (size_t pos = answer.find("<Upload>"); pos != std::string::npos;
         pos = answer.find("<Upload>", pos + 1)) {
      uploads++;
    }
    return uploads;
  }

  static inline std::unique_ptr<test::MotoServer> moto_;
  static inline std::string moto_error_;
  static inline int buckets_made_ = 0;
  std::unique_ptr<test::FaultProxy> proxy_;
  std::string bucket_;
  std::unique_ptr<ObjectStore> store_;
};

TEST_F(S3FaultsTest, SlowDownTwiceThenThePutSucceeds) {
  proxy_->AddFault({.match_method = "PUT",
                    .match_path_substring = Target("k"),
                    .kind = FaultKind::kSlowDown503,
                    .times = 2});
  MustPut("k", "hello");
  EXPECT_EQ(proxy_->Count("PUT", Target("k")), 3);
  EXPECT_EQ(proxy_->PendingFaults(), 0);
  Result<std::string> back = GetString(store_.get(), "k");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, "hello");
}

TEST_F(S3FaultsTest, InternalErrorOnGetThenSuccess) {
  MustPut("k", "some bytes");
  proxy_->AddFault({.match_method = "GET", .kind = FaultKind::kInternalError500, .times = 1});
  Result<std::string> back = GetString(store_.get(), "k");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, "some bytes");
  EXPECT_EQ(proxy_->Count("GET", Target("k")), 2);
}

TEST_F(S3FaultsTest, ConnectionResetOnHeadThenSuccess) {
  MustPut("k", "12345");
  proxy_->AddFault({.match_method = "HEAD", .kind = FaultKind::kReset, .times = 1});
  Result<ObjectInfo> info = store_->Head("k");
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->size, 5u);
  EXPECT_EQ(proxy_->Count("HEAD", Target("k")), 2);
}

TEST_F(S3FaultsTest, UploadBrokenOffMidBodyIsSentAgain) {
  const std::string bytes = test::RandomBytes(1, 1 << 20);
  proxy_->AddFault({.match_method = "PUT",
                    .match_path_substring = Target("k"),
                    .kind = FaultKind::kDropRequestBody,
                    .times = 1,
                    .bytes = 64 << 10});
  MustPut("k", bytes);
  EXPECT_EQ(proxy_->Count("PUT", Target("k")), 2);
  Result<std::string> back = GetString(store_.get(), "k");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_TRUE(*back == bytes) << "read back " << back->size() << " bytes";
}

TEST_F(S3FaultsTest, DownloadCutOnEveryAttemptFailsAndIsNeverComplete) {
  const std::string bytes = test::RandomBytes(2, 300'000);
  MustPut("k", bytes);
  // Every answer is cut after 1000 bytes. A store may resume a cut download where it broke
  // off (a Range request), so all its attempts together must fall short: 4 x 1000 < 300000.
  proxy_->AddFault({.match_method = "GET",
                    .kind = FaultKind::kCutResponseBody,
                    .times = FaultRule::kAlways,
                    .bytes = 1000});
  StringSink sink;
  Result<ObjectInfo> got = store_->Get("k", GetOptions(), &sink);
  ASSERT_FALSE(got.ok()) << "a download cut short on every attempt was reported complete ("
                         << sink.bytes().size() << " of 300000 bytes in the sink)";
  EXPECT_MESSAGE_HAS(got.status(), Url("k"));
  EXPECT_MESSAGE_HAS(got.status(), "bytes");  // says it was a short read, and how short
  EXPECT_EQ(proxy_->Count("GET", Target("k")), kMaxAttempts);

  Result<std::string> as_string = GetString(store_.get(), "k");
  EXPECT_FALSE(as_string.ok()) << "GetString returned " << as_string->size() << " bytes";

  // GetFile leaves nothing behind: neither the file nor its temporary.
  test::TempDir dir;
  const std::string path = dir.File("k");
  Result<ObjectInfo> file = store_->GetFile("k", path);
  EXPECT_FALSE(file.ok());
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

TEST_F(S3FaultsTest, DownloadCutOnceIsRetriedWithTheRightBytes) {
  const std::string bytes = test::RandomBytes(3, 300'000);
  MustPut("k", bytes);
  proxy_->AddFault(
      {.match_method = "GET", .kind = FaultKind::kCutResponseBody, .times = 1, .bytes = 1000});
  StringSink sink;
  Result<ObjectInfo> got = store_->Get("k", GetOptions(), &sink);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->size, bytes.size());
  // Not the 1000 bytes of the first attempt again, nor a gap: exactly the object.
  EXPECT_TRUE(sink.bytes() == bytes) << "the sink holds " << sink.bytes().size() << " bytes";
  EXPECT_EQ(proxy_->Count("GET", Target("k")), 2);
}

TEST_F(S3FaultsTest, StallBeforeTheResponseIsAbandonedAndRetried) {
  const std::string bytes = test::RandomBytes(4, 200'000);
  MustPut("k", bytes);
  proxy_->AddFault(
      {.match_method = "GET", .kind = FaultKind::kStallResponse, .times = 1, .delay = kStall});
  const Clock::time_point start = Clock::now();
  Result<std::string> back = GetString(store_.get(), "k");
  const auto took = Clock::now() - start;
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_TRUE(*back == bytes);
  EXPECT_EQ(proxy_->Count("GET", Target("k")), 2);
  EXPECT_GE(took, kLowSpeedTime);
  EXPECT_LT(took, kStall) << "the store waited the stall out instead of retrying";
}

TEST_F(S3FaultsTest, StallMidBodyIsAbandonedAndRetried) {
  const std::string bytes = test::RandomBytes(5, 200'000);
  MustPut("k", bytes);
  // Few bytes before the stall: libcurl's low-speed check averages over recent seconds.
  proxy_->AddFault({.match_method = "GET",
                    .kind = FaultKind::kStallBody,
                    .times = 1,
                    .bytes = 1000,
                    .delay = kStall});
  const Clock::time_point start = Clock::now();
  StringSink sink;
  Result<ObjectInfo> got = store_->Get("k", GetOptions(), &sink);
  const auto took = Clock::now() - start;
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_TRUE(sink.bytes() == bytes) << "the sink holds " << sink.bytes().size() << " bytes";
  EXPECT_EQ(proxy_->Count("GET", Target("k")), 2);
  EXPECT_LT(took, kStall) << "the store waited the stall out instead of retrying";
}

TEST_F(S3FaultsTest, PutThatMayHaveSucceededIsNotReportedAsAConflict) {
  // The first attempt creates the object, then the connection breaks before the answer: the
  // retry's If-None-Match fails against the store's own write, which it must recognise by
  // the ETag (RetryOptions), not report as PreconditionFailed.
  proxy_->AddFault({.match_method = "PUT",
                    .match_path_substring = Target("k"),
                    .kind = FaultKind::kResetAfterForward,
                    .times = 1});
  PutOptions if_absent;
  if_absent.condition = PutCondition::kIfAbsent;
  Result<ObjectInfo> put = PutString(store_.get(), "k", "mine", if_absent);
  ASSERT_TRUE(put.ok()) << put.status().ToString();
  EXPECT_GE(proxy_->Count("PUT", Target("k")), 2);
  Result<std::string> back = GetString(store_.get(), "k");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, "mine");
}

TEST_F(S3FaultsTest, ErrorsBeyondTheBudgetNameOperationUrlStatusAndCode) {
  proxy_->AddFault(
      {.match_method = "PUT", .kind = FaultKind::kSlowDown503, .times = FaultRule::kAlways});
  Result<ObjectInfo> put = PutString(store_.get(), "k", "x");
  ASSERT_FALSE(put.ok());
  EXPECT_MESSAGE_HAS(put.status(), "PUT");
  EXPECT_MESSAGE_HAS(put.status(), Url("k"));
  // object_store.h's form: "PUT s3://b/k: HTTP 503 SlowDown: Please reduce your request rate"
  EXPECT_MESSAGE_HAS(put.status(), "HTTP 503 SlowDown");
  EXPECT_EQ(proxy_->Count("PUT", Target("k")), kMaxAttempts);
  proxy_->ClearFaults();

  MustPut("g", "y");
  proxy_->AddFault(
      {.match_method = "GET", .kind = FaultKind::kInternalError500, .times = FaultRule::kAlways});
  Result<std::string> get = GetString(store_.get(), "g");
  ASSERT_FALSE(get.ok());
  EXPECT_MESSAGE_HAS(get.status(), "GET");
  EXPECT_MESSAGE_HAS(get.status(), Url("g"));
  EXPECT_MESSAGE_HAS(get.status(), "HTTP 500 InternalError");
  EXPECT_EQ(proxy_->Count("GET", Target("g")), kMaxAttempts);
}

TEST_F(S3FaultsTest, FailedMultipartUploadIsAbortedAndLeavesNothing) {
  const std::string bytes = test::RandomBytes(6, 2 * kPartSize + 12345);  // three parts
  proxy_->AddFault({.match_method = "PUT",
                    .match_path_substring = "partNumber=2",
                    .kind = FaultKind::kInternalError500,
                    .times = FaultRule::kAlways});
  Result<ObjectInfo> put = PutString(store_.get(), "big", bytes);
  ASSERT_FALSE(put.ok()) << "the upload succeeded although part 2 always failed";
  EXPECT_MESSAGE_HAS(put.status(), Url("big"));
  // The S3 error code read from the XML body, not the body quoted whole.
  EXPECT_MESSAGE_HAS(put.status(), "HTTP 500 InternalError");
  EXPECT_EQ(proxy_->Count("PUT", "partNumber=2"), kMaxAttempts);
  EXPECT_EQ(proxy_->Count("POST", "?uploads"), 1);  // CreateMultipartUpload
  // AbortMultipartUpload: DELETE with the upload's id.
  EXPECT_GE(proxy_->Count("DELETE", "uploadId="), 1);
  EXPECT_EQ(OpenUploads(), 0);
  proxy_->ClearFaults();
  Result<ObjectInfo> head = store_->Head("big");
  EXPECT_TRUE(head.status().IsNotFound()) << head.status().ToString();
}

}  // namespace
}  // namespace strata::objstore
