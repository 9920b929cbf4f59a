// S3Store against a real moto_server (skipped when it is not installed): the ObjectStore
// contract over HTTP — objects, ranges, listings, deletes, conditional writes, multipart uploads
// and their clean-up, parallel downloads, error messages. Expected contents are the bytes the
// test wrote; ETags of single-part objects are checked against MD5s computed independently
// (Python's hashlib, written into the test), and moto's own view (its raw listing of multipart
// uploads, its raw object bytes) is read over a plain socket, past the code under test.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "base/escape.h"
#include "objstore/s3_xml.h"
#include "s3_test_util.h"
#include "support/failure_log.h"
#include "support/test_util.h"

namespace strata::objstore {
namespace {

using test::MotoServer;

class S3StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!MotoServer::Available()) GTEST_SKIP() << MotoServer::SkipReason();
    std::string why;
    server_ = SharedMoto(&why);
    ASSERT_NE(server_, nullptr) << "moto_server did not start: " << why;
    bucket_ = FreshBucketName();
    ASSERT_TRUE(server_->CreateBucket(bucket_).ok());
    store_ = Open();
  }

  std::unique_ptr<ObjectStore> Open(const std::string& prefix = "",
                                    const S3Options* options = nullptr) {
    const S3Options o = options ? *options : TestS3Options(server_->endpoint());
    auto store = OpenS3Store(bucket_, prefix, o);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(*store) : nullptr;
  }

  // The multipart uploads moto still lists for the bucket (read past the store).
  std::vector<MultipartUploadDoc> ListUploads() {
    auto reply = server_->Request("GET", "/" + bucket_ + "?uploads");
    EXPECT_TRUE(reply.ok() && reply->status == 200);
    if (!reply.ok()) return {};
    auto doc = ParseListMultipartUploads(reply->body, "moto");
    EXPECT_TRUE(doc.ok()) << doc.status().ToString() << "\n" << reply->body;
    return doc.ok() ? doc->uploads : std::vector<MultipartUploadDoc>();
  }

  // The object's bytes as moto serves them to a plain GET (path already encoded).
  std::string RawGet(const std::string& encoded_path) {
    auto reply = server_->Request("GET", "/" + bucket_ + "/" + encoded_path);
    EXPECT_TRUE(reply.ok());
    EXPECT_EQ(reply.ok() ? reply->status : 0, 200) << encoded_path;
    return reply.ok() ? reply->body : "";
  }

  // The objects and common prefixes of one level below prefix ('/' as the delimiter).
  using Level = std::pair<std::vector<std::string>, std::vector<std::string>>;
  Level ListLevel(const std::string& prefix) {
    Level level;
    Status s = ListAll(
        store_.get(), prefix, "/",
        [&](const ObjectInfo& o) {
          level.first.push_back(o.key);
          return Status::OK();
        },
        [&](const std::string& p) {
          level.second.push_back(p);
          return Status::OK();
        });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return level;
  }

  std::string Get(const std::string& key, const GetOptions& options = {}) {
    StringSink sink;
    auto info = store_->Get(key, options, &sink);
    EXPECT_TRUE(info.ok()) << info.status().ToString();
    return sink.Release();
  }

  Status GetError(const std::string& key, const GetOptions& options = {}) {
    StringSink sink;
    auto info = store_->Get(key, options, &sink);
    EXPECT_FALSE(info.ok()) << key;
    EXPECT_EQ(sink.bytes(), "") << "a failed read delivered bytes";
    return info.status();
  }

  MotoServer* server_ = nullptr;
  std::string bucket_;
  std::unique_ptr<ObjectStore> store_;
};

TEST_F(S3StoreTest, PutGetHeadDelete) {
  const auto before_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  auto put = PutString(store_.get(), "dir/hello.txt", "hello");
  ASSERT_TRUE(put.ok()) << put.status().ToString();
  EXPECT_EQ(put->key, "dir/hello.txt");
  EXPECT_EQ(put->size, 5u);
  EXPECT_EQ(put->etag, "5d41402abc4b2a76b9719d911017c592");  // hashlib.md5(b"hello")

  EXPECT_EQ(Get("dir/hello.txt"), "hello");
  EXPECT_EQ(RawGet("dir/hello.txt"), "hello");
  auto head = store_->Head("dir/hello.txt");
  ASSERT_TRUE(head.ok()) << head.status().ToString();
  EXPECT_EQ(head->key, "dir/hello.txt");
  EXPECT_EQ(head->size, 5u);
  EXPECT_EQ(head->etag, "5d41402abc4b2a76b9719d911017c592");
  // HTTP dates have whole seconds.
  EXPECT_GE(head->last_modified_ms, before_ms / 1000 * 1000);
  EXPECT_LE(head->last_modified_ms, before_ms + 60'000);

  // Replace, then delete; a second delete of the missing object succeeds.
  ASSERT_TRUE(PutString(store_.get(), "dir/hello.txt", "").ok());
  EXPECT_EQ(Get("dir/hello.txt"), "");
  EXPECT_EQ(store_->Head("dir/hello.txt")->etag, "d41d8cd98f00b204e9800998ecf8427e");
  ASSERT_TRUE(store_->Delete("dir/hello.txt").ok());
  EXPECT_TRUE(store_->Head("dir/hello.txt").status().IsNotFound());
  EXPECT_TRUE(GetError("dir/hello.txt").IsNotFound());
  EXPECT_TRUE(store_->Delete("dir/hello.txt").ok());
  EXPECT_TRUE(store_->Delete("never-was").ok());
  EXPECT_TRUE(PutString(store_.get(), "", "x").status().IsInvalidArgument());
}

TEST_F(S3StoreTest, PrefixIsPartOfTheObjectKey) {
  auto store = Open("/pre/fix/");
  EXPECT_EQ(store->Url("a/b"), "s3://" + bucket_ + "/pre/fix/a/b");
  ASSERT_TRUE(PutString(store.get(), "a/b", "under the prefix").ok());
  ASSERT_TRUE(PutString(store_.get(), "outside", "x").ok());
  EXPECT_EQ(RawGet("pre/fix/a/b"), "under the prefix");
  auto page = store->List({});
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  ASSERT_EQ(page->objects.size(), 1u);
  EXPECT_EQ(page->objects[0].key, "a/b");  // relative to the prefix
  auto got = GetString(store.get(), "a/b");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(*got, "under the prefix");
}

TEST_F(S3StoreTest, ListPagesAndDelimiter) {
  const std::set<std::string> keys = {"a/1", "a/2", "a/b/3", "a/b/4", "b", "c/5", "d"};
  for (const std::string& k : keys) ASSERT_TRUE(PutString(store_.get(), k, k).ok());

  // Pages of two keys, in order, until the last one.
  std::vector<std::string> listed;
  ListOptions options;
  options.max_keys = 2;
  int pages = 0;
  while (true) {
    auto page = store_->List(options);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    pages++;
    EXPECT_LE(page->objects.size(), 2u);
    for (const ObjectInfo& o : page->objects) {
      listed.push_back(o.key);
      EXPECT_EQ(o.size, o.key.size());
      EXPECT_EQ(o.etag.size(), 32u);
      EXPECT_GT(o.last_modified_ms, 0);
    }
    if (page->next_token.empty()) break;
    options.continuation_token = page->next_token;
  }
  EXPECT_EQ(pages, 4);
  EXPECT_EQ(listed, std::vector<std::string>(keys.begin(), keys.end()));

  // One level, as directories.
  EXPECT_EQ(ListLevel(""), (Level{{"b", "d"}, {"a/", "c/"}}));
  EXPECT_EQ(ListLevel("a/"), (Level{{"a/1", "a/2"}, {"a/b/"}}));
}

TEST_F(S3StoreTest, DeleteManyInBatches) {
  // 1001 keys: one full batch of 1000 and one more. Written from 8 threads to keep it short.
  constexpr int kKeys = 1001;
  std::vector<std::string> keys;
  for (int i = 0; i < kKeys; i++) keys.push_back(test::ThreadKey(i % 8, i));
  test::FailureLog failures;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; t++) {
    threads.emplace_back([&, t] {
      for (int i = t; i < kKeys; i += 8) {
        auto put = PutString(store_.get(), keys[i], "v");
        if (!put.ok()) failures.Add(keys[i] + ": " + put.status().ToString());
      }
    });
  }
  for (std::thread& t : threads) t.join();
  ASSERT_EQ(failures.total(), 0u) << failures.Report();
  ASSERT_TRUE(PutString(store_.get(), "keep", "k").ok());

  keys.push_back("never-existed");
  Status s = store_->DeleteMany(keys);
  ASSERT_TRUE(s.ok()) << s.ToString();
  std::vector<std::string> left;
  ASSERT_TRUE(ListAll(store_.get(), "", "", [&](const ObjectInfo& o) {
                left.push_back(o.key);
                return Status::OK();
              }).ok());
  EXPECT_EQ(left, std::vector<std::string>{"keep"});
  EXPECT_TRUE(store_->DeleteMany({}).ok());
}

TEST_F(S3StoreTest, RangeReads) {
  const std::string data = test::RandomBytes(1, 1000);
  ASSERT_TRUE(PutString(store_.get(), "obj", data).ok());
  auto range = [](uint64_t offset, std::optional<uint64_t> length) {
    GetOptions o;
    o.offset = offset;
    o.length = length;
    return o;
  };
  EXPECT_EQ(Get("obj", range(0, 10)), data.substr(0, 10));
  EXPECT_EQ(Get("obj", range(990, 10)), data.substr(990));
  EXPECT_EQ(Get("obj", range(500, std::nullopt)), data.substr(500));
  EXPECT_EQ(Get("obj", range(995, 100)), data.substr(995));  // cut at the end
  EXPECT_EQ(Get("obj", range(999, 1)), data.substr(999));
  EXPECT_EQ(Get("obj", range(10, 0)), "");
  StringSink sink;
  auto info = store_->Get("obj", range(100, 50), &sink);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->size, 1000u);  // the whole object's size
  EXPECT_EQ(info->etag.size(), 32u);

  Status s = GetError("obj", range(1000, std::nullopt));
  EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
  s = GetError("obj", range(5000, 10));
  EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();

  // An empty object: from offset 0 it yields nothing, with or without a length.
  ASSERT_TRUE(PutString(store_.get(), "empty", "").ok());
  EXPECT_EQ(Get("empty"), "");
  EXPECT_EQ(Get("empty", range(0, 10)), "");
  EXPECT_EQ(Get("empty", range(0, std::nullopt)), "");
  s = GetError("empty", range(1, std::nullopt));
  EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
  s = GetError("missing", range(0, 10));
  EXPECT_TRUE(s.IsNotFound()) << s.ToString();
}

TEST_F(S3StoreTest, ConditionalWrites) {
  PutOptions absent;
  absent.condition = PutCondition::kIfAbsent;
  auto first = PutString(store_.get(), "commit", "v1", absent);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  auto again = PutString(store_.get(), "commit", "v2", absent);
  ASSERT_TRUE(again.status().IsPreconditionFailed()) << again.status().ToString();
  EXPECT_EQ(*GetString(store_.get(), "commit"), "v1");

  PutOptions match;
  match.condition = PutCondition::kIfMatch;
  match.if_match = first->etag;
  auto second = PutString(store_.get(), "commit", "v2", match);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(*GetString(store_.get(), "commit"), "v2");
  // first->etag is stale now.
  auto stale = PutString(store_.get(), "commit", "v3", match);
  ASSERT_TRUE(stale.status().IsPreconditionFailed()) << stale.status().ToString();
  EXPECT_EQ(*GetString(store_.get(), "commit"), "v2");
  // If-Match on a missing object: the condition fails.
  auto missing = PutString(store_.get(), "nothing-here", "x", match);
  EXPECT_TRUE(missing.status().IsPreconditionFailed()) << missing.status().ToString();
  match.if_match.clear();
  EXPECT_TRUE(PutString(store_.get(), "commit", "x", match).status().IsInvalidArgument());

  // Reads pinned to a version.
  GetOptions pinned;
  pinned.if_match = second->etag;
  EXPECT_EQ(Get("commit", pinned), "v2");
  pinned.if_match = first->etag;
  Status s = GetError("commit", pinned);
  EXPECT_TRUE(s.IsPreconditionFailed()) << s.ToString();
}

TEST_F(S3StoreTest, EightWritersRaceForOneKey) {
  constexpr int kWriters = 8;
  std::vector<Status> results(kWriters);
  std::vector<std::thread> threads;
  for (int t = 0; t < kWriters; t++) {
    threads.emplace_back([&, t] {
      PutOptions absent;
      absent.condition = PutCondition::kIfAbsent;
      results[t] =
          PutString(store_.get(), "_SUCCESS", "writer " + std::to_string(t), absent).status();
    });
  }
  for (std::thread& t : threads) t.join();
  int winner = -1;
  for (int t = 0; t < kWriters; t++) {
    if (results[t].ok()) {
      EXPECT_EQ(winner, -1) << "two winners: " << winner << " and " << t;
      winner = t;
    } else {
      EXPECT_TRUE(results[t].IsPreconditionFailed()) << t << ": " << results[t].ToString();
    }
  }
  ASSERT_NE(winner, -1) << "no writer won";
  EXPECT_EQ(*GetString(store_.get(), "_SUCCESS"), "writer " + std::to_string(winner));
}

// Multipart sizes with 5 MiB parts: no parts (0 and 1 byte, and exactly the threshold, go in
// one PUT), exactly one part, and parts plus one byte; from a stream read in odd pieces and
// from a file.
TEST_F(S3StoreTest, MultipartBoundaries) {
  constexpr uint64_t kPart = 5 << 20;
  S3Options o = TestS3Options(server_->endpoint());
  o.multipart_threshold = kPart - 1;  // so that exactly one part goes as a multipart upload
  auto store = Open("", &o);
  test::TempDir dir;
  const struct {
    uint64_t size;
    int parts;  // 0: a single PUT
  } kCases[] = {{0, 0}, {1, 0}, {kPart - 1, 0}, {kPart, 1}, {2 * kPart + 1, 3}};
  for (const auto& c : kCases) {
    SCOPED_TRACE("size " + std::to_string(c.size));
    const std::string data = test::RandomBytes(c.size, c.size);
    PiecewiseSource source(data, 7777);
    const std::string key = "stream-" + std::to_string(c.size);
    auto put = store->Put(key, &source, {});
    ASSERT_TRUE(put.ok()) << put.status().ToString();
    EXPECT_EQ(put->size, c.size);
    const std::string suffix = c.parts == 0 ? "" : "-" + std::to_string(c.parts);
    EXPECT_TRUE(put->etag.ends_with(suffix)) << put->etag;
    EXPECT_EQ(put->etag.size(), 32 + suffix.size()) << put->etag;
    auto got = GetString(store.get(), key);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_TRUE(*got == data) << "read back " << got->size() << " bytes";

    const std::string path = dir.File(key);
    std::ofstream(path, std::ios::binary) << data;
    auto put_file = store->PutFile("file-" + std::to_string(c.size), path, {});
    ASSERT_TRUE(put_file.ok()) << put_file.status().ToString();
    EXPECT_EQ(put_file->etag, put->etag);  // same bytes, same parts
    auto head = store->Head("file-" + std::to_string(c.size));
    ASSERT_TRUE(head.ok());
    EXPECT_EQ(head->size, c.size);
    EXPECT_EQ(head->etag, put->etag);
  }
  EXPECT_TRUE(ListUploads().empty());
  // The single-part ETags are MD5s (Python: hashlib.md5(b"").hexdigest()).
  EXPECT_EQ(store->Head("stream-0")->etag, "d41d8cd98f00b204e9800998ecf8427e");
}

TEST_F(S3StoreTest, FailedMultipartLeavesNoUpload) {
  const std::string data = test::RandomBytes(3, 15 << 20);
  // The stream breaks after two and a half parts.
  PiecewiseSource source(data, 1 << 20, (5 << 20) * 2 + (1 << 19));
  auto put = store_->Put("broken", &source, {});
  ASSERT_FALSE(put.ok());
  EXPECT_NE(put.status().message().find("injected source failure"), std::string::npos)
      << put.status().ToString();
  EXPECT_NE(put.status().message().find("PUT s3://" + bucket_ + "/broken"), std::string::npos)
      << put.status().ToString();
  EXPECT_TRUE(store_->Head("broken").status().IsNotFound());
  EXPECT_TRUE(ListUploads().empty());

  // A conditional multipart upload that loses: PreconditionFailed, and no upload left either.
  ASSERT_TRUE(PutString(store_.get(), "taken", "first").ok());
  PutOptions absent;
  absent.condition = PutCondition::kIfAbsent;
  PiecewiseSource big(data, 1 << 20);
  auto lost = store_->Put("taken", &big, absent);
  EXPECT_TRUE(lost.status().IsPreconditionFailed()) << lost.status().ToString();
  EXPECT_EQ(*GetString(store_.get(), "taken"), "first");
  EXPECT_TRUE(ListUploads().empty());
  // And one that wins.
  PiecewiseSource big2(data, 1 << 20);
  auto won = store_->Put("fresh", &big2, absent);
  ASSERT_TRUE(won.ok()) << won.status().ToString();
  EXPECT_TRUE(won->etag.ends_with("-3")) << won->etag;
}

// 200 MiB up with PutFile (40 parts, 4 in flight) and down with GetFile (5 ranges of 40 MiB: moto
// copies the whole object for every ranged GET, so small ranges would only time moto), compared
// byte for byte.
TEST_F(S3StoreTest, LargeFileRoundTrip) {
  S3Options o = TestS3Options(server_->endpoint());
  o.download_part_size = 40 << 20;
  store_ = Open("", &o);
  test::TempDir dir;
  const std::string src = dir.File("src.bin");
  constexpr size_t kSize = 200u << 20;
  {
    std::ofstream out(src, std::ios::binary);
    for (size_t i = 0; i < kSize / (1 << 20); i++) out << test::RandomBytes(i, 1 << 20);
  }
  const auto t0 = std::chrono::steady_clock::now();
  auto put = store_->PutFile("big.bin", src, {});
  ASSERT_TRUE(put.ok()) << put.status().ToString();
  EXPECT_EQ(put->size, kSize);
  EXPECT_TRUE(put->etag.ends_with("-40")) << put->etag;
  const auto t1 = std::chrono::steady_clock::now();
  const std::string dst = dir.File("dst.bin");
  std::ofstream(dst) << "old contents, replaced";
  auto got = store_->GetFile("big.bin", dst);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->size, kSize);
  EXPECT_EQ(got->etag, put->etag);
  const auto t2 = std::chrono::steady_clock::now();
  std::cout << "PutFile " << std::chrono::duration_cast<std::chrono::milliseconds>(t1 - t0).count()
            << " ms, GetFile "
            << std::chrono::duration_cast<std::chrono::milliseconds>(t2 - t1).count() << " ms\n";

  ASSERT_EQ(std::filesystem::file_size(dst), kSize);
  std::ifstream a(src, std::ios::binary), b(dst, std::ios::binary);
  std::vector<char> x(1 << 20), y(1 << 20);
  for (size_t off = 0; off < kSize; off += x.size()) {
    a.read(x.data(), x.size());
    b.read(y.data(), y.size());
    ASSERT_TRUE(std::memcmp(x.data(), y.data(), x.size()) == 0) << "differs in MiB at " << off;
  }
  // Nothing but the two files: the temporary file was renamed.
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
    (void)e;
    files++;
  }
  EXPECT_EQ(files, 2);
  EXPECT_TRUE(ListUploads().empty());
}

TEST_F(S3StoreTest, GetFileSmallAndMissing) {
  test::TempDir dir;
  ASSERT_TRUE(PutString(store_.get(), "small", "tiny").ok());
  ASSERT_TRUE(PutString(store_.get(), "empty", "").ok());
  auto got = store_->GetFile("small", dir.File("small"));
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(test::ReadFile(dir.File("small")), "tiny");
  ASSERT_TRUE(store_->GetFile("empty", dir.File("empty")).ok());
  EXPECT_TRUE(std::filesystem::exists(dir.File("empty")));
  EXPECT_EQ(std::filesystem::file_size(dir.File("empty")), 0u);
  auto missing = store_->GetFile("missing", dir.File("missing"));
  EXPECT_TRUE(missing.status().IsNotFound()) << missing.status().ToString();
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
    (void)e;
    files++;
  }
  EXPECT_EQ(files, 2);
}

// Keys that need URL encoding reach S3 as the same key, and list as they were written.
TEST_F(S3StoreTest, KeysThatNeedEncoding) {
  const std::vector<std::string> keys = {"a b",
                                         "a+b",
                                         "a=b&c",
                                         "\xC3\xA9t\xC3\xA9",  // été
                                         "100%",
                                         "%41",
                                         "q?x=1#frag",
                                         "semi;colon,comma",
                                         "tab\tkey",
                                         "~tilde!*'()",
                                         "emoji\xF0\x9F\x98\x80",
                                         "dir/../up",
                                         "dir//double",
                                         "quote\"<>&'",
                                         "plus+and space",
                                         " leading"};
  for (const std::string& k : keys) {
    auto put = PutString(store_.get(), k, "value of " + k);
    ASSERT_TRUE(put.ok()) << QuoteBytes(k) << ": " << put.status().ToString();
  }
  std::set<std::string> listed;
  ASSERT_TRUE(ListAll(store_.get(), "", "", [&](const ObjectInfo& o) {
                listed.insert(o.key);
                return Status::OK();
              }).ok());
  EXPECT_EQ(listed, std::set<std::string>(keys.begin(), keys.end()));
  for (const std::string& k : keys) {
    auto got = GetString(store_.get(), k);
    ASSERT_TRUE(got.ok()) << QuoteBytes(k) << ": " << got.status().ToString();
    EXPECT_EQ(*got, "value of " + k);
    ListOptions by_prefix;
    by_prefix.prefix = k;
    auto page = store_->List(by_prefix);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    ASSERT_FALSE(page->objects.empty()) << QuoteBytes(k);
    EXPECT_EQ(page->objects[0].key, k);
  }
  EXPECT_EQ(RawGet("a%20b"), "value of a b");
  EXPECT_EQ(RawGet("a%2Bb"), "value of a+b");
  ASSERT_TRUE(store_->DeleteMany(keys).ok());
  auto page = store_->List({});
  ASSERT_TRUE(page.ok());
  EXPECT_TRUE(page->objects.empty())
      << page->objects.size() << " left, first " << QuoteBytes(page->objects[0].key);
}

TEST_F(S3StoreTest, ErrorsNameOperationUrlStatusAndCode) {
  Status s = GetError("no/such/key");
  EXPECT_TRUE(s.IsNotFound());
  EXPECT_TRUE(s.message().starts_with("GET s3://" + bucket_ + "/no/such/key: HTTP 404 NoSuchKey"))
      << s.ToString();

  auto other = OpenS3Store("no-such-bucket", "p", TestS3Options(server_->endpoint()));
  ASSERT_TRUE(other.ok());
  auto put = PutString(other->get(), "k", "v");
  ASSERT_FALSE(put.ok());
  EXPECT_TRUE(put.status().IsIOError()) << put.status().ToString();
  EXPECT_TRUE(put.status().message().starts_with(
      "PUT s3://no-such-bucket/p/k: HTTP 404 NoSuchBucket: The specified bucket does not exist"))
      << put.status().ToString();
  auto list = (*other)->List({});
  EXPECT_TRUE(
      list.status().message().starts_with("LIST s3://no-such-bucket/p/: HTTP 404 "
                                          "NoSuchBucket"))
      << list.status().ToString();

  PutOptions absent;
  absent.condition = PutCondition::kIfAbsent;
  ASSERT_TRUE(PutString(store_.get(), "once", "1").ok());
  auto lost = PutString(store_.get(), "once", "2", absent);
  EXPECT_TRUE(lost.status().message().starts_with("PUT s3://" + bucket_ +
                                                  "/once: HTTP 412 PreconditionFailed"))
      << lost.status().ToString();

  // Nothing listens: the connection is refused on every attempt.
  S3Options closed = TestS3Options("http://127.0.0.1:1");
  closed.retry.max_attempts = 2;
  auto nowhere = OpenS3Store(bucket_, "", closed);
  ASSERT_TRUE(nowhere.ok());
  auto head = (*nowhere)->Head("k");
  EXPECT_TRUE(head.status().IsIOError()) << head.status().ToString();
  EXPECT_TRUE(head.status().message().starts_with("HEAD s3://" + bucket_ + "/k: "))
      << head.status().ToString();
  EXPECT_TRUE(head.status().message().ends_with("(after 2 attempts)")) << head.status().ToString();
}

// moto verifies SigV4 signatures once auth is enforced: the right secret works, a wrong one is
// refused with SignatureDoesNotMatch, an unknown key with InvalidAccessKeyId. (moto checks
// signatures against its own decoding of the URL, which differs from S3's for keys with '+',
// '=', '%' or non-ASCII bytes and for '/' in query values — the AWS CLI fails on those too — so
// this test keeps to keys and listings moto signs like S3; s3_signature_test covers the rest.)
TEST(S3StoreAuth, SignaturesAreVerified) {
  if (!MotoServer::Available()) GTEST_SKIP() << MotoServer::SkipReason();
  auto server = MotoServer::Start();
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  ASSERT_TRUE((*server)->CreateBucket("auth-bucket").ok());
  auto key = (*server)->CreateIamUser("strata");
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  ASSERT_TRUE((*server)->EnforceAuth().ok());

  S3Options o = TestS3Options((*server)->endpoint());
  o.credentials = S3Credentials{key->id, key->secret, ""};
  auto store = OpenS3Store("auth-bucket", "signed dir", o);
  ASSERT_TRUE(store.ok());
  ObjectStore* s = store->get();
  ASSERT_TRUE(PutString(s, "a b~c", "signed").ok());
  EXPECT_EQ(*GetString(s, "a b~c"), "signed");
  EXPECT_EQ(s->Head("a b~c")->size, 6u);
  const std::string big = test::RandomBytes(9, (5 << 20) + 3);
  PiecewiseSource source(big, 1 << 20);
  auto multipart = s->Put("multi", &source, {});
  ASSERT_TRUE(multipart.ok()) << multipart.status().ToString();
  EXPECT_TRUE(multipart->etag.ends_with("-2"));
  GetOptions range;
  range.offset = 5 << 20;
  StringSink tail;
  ASSERT_TRUE(s->Get("multi", range, &tail).ok());
  EXPECT_EQ(tail.bytes(), big.substr(5 << 20));
  PutOptions absent;
  absent.condition = PutCondition::kIfAbsent;
  EXPECT_TRUE(PutString(s, "a b~c", "again", absent).status().IsPreconditionFailed());
  // Listed from the bucket's root: a prefix ending in '/' is one of the query values moto
  // would sign differently.
  auto root = OpenS3Store("auth-bucket", "", o);
  ASSERT_TRUE(root.ok());
  auto page = (*root)->List({});
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  ASSERT_EQ(page->objects.size(), 2u);
  EXPECT_EQ(page->objects[0].key, "signed dir/a b~c");
  EXPECT_EQ(page->objects[1].key, "signed dir/multi");
  ASSERT_TRUE(s->DeleteMany({"a b~c", "multi"}).ok());
  EXPECT_TRUE(s->Head("multi").status().IsNotFound());

  o.credentials->secret_access_key = "wrong" + key->secret;
  auto wrong = OpenS3Store("auth-bucket", "", o);
  auto refused = PutString(wrong->get(), "k", "v");
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(refused.status().message().starts_with(
      "PUT s3://auth-bucket/k: HTTP 403 SignatureDoesNotMatch: The request signature we "
      "calculated does not match"))
      << refused.status().ToString();
  auto refused_get = GetString(wrong->get(), "k");
  EXPECT_NE(refused_get.status().message().find("HTTP 403 SignatureDoesNotMatch"),
            std::string::npos)
      << refused_get.status().ToString();

  o.credentials = S3Credentials{"AKIANOTAKEY000000000", "x", ""};
  auto unknown = OpenS3Store("auth-bucket", "", o);
  auto unknown_put = PutString(unknown->get(), "k", "v");
  EXPECT_NE(unknown_put.status().message().find("HTTP 403 InvalidAccessKeyId"), std::string::npos)
      << unknown_put.status().ToString();
}

}  // namespace
}  // namespace strata::objstore
