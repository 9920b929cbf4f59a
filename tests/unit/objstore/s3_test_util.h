// What the S3 tests against moto share: one moto_server per test process (ctest runs each test
// in its own process, so in practice one per test), a fresh bucket per test, and S3Options
// that reach it with small parts and quick retries.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <memory>
#include <string>

#include "objstore/object_store.h"
#include "objstore/s3_options.h"
#include "objstore/s3_store.h"
#include "support/moto_server.h"

namespace strata::objstore {

// The process's moto server, started on first use; null with *why set when it cannot start.
inline test::MotoServer* SharedMoto(std::string* why) {
  static std::unique_ptr<test::MotoServer> server;
  static std::string error;
  static bool tried = false;
  if (!tried) {
    tried = true;
    auto started = test::MotoServer::Start();
    if (started.ok()) {
      server = std::move(*started);
    } else {
      error = started.status().ToString();
    }
  }
  *why = error;
  return server.get();
}

// Fast settings for tests: S3's minimum part size, parts of the same size downloaded in
// parallel, and retries without long waits.
inline S3Options TestS3Options(const std::string& endpoint) {
  S3Options o;
  o.endpoint = endpoint;
  o.region = "us-east-1";
  o.credentials = S3Credentials{"testing", "testing", ""};  // moto takes any before EnforceAuth
  o.multipart_threshold = 5 << 20;
  o.part_size = 5 << 20;
  o.download_part_size = 5 << 20;
  o.parallelism = 4;
  o.retry.max_attempts = 3;
  o.retry.base_delay = std::chrono::milliseconds(10);
  o.retry.max_delay = std::chrono::milliseconds(50);
  return o;
}

// A bucket name no other test of this process used.
inline std::string FreshBucketName() {
  static std::atomic<int> n{0};
  return "strata-test-" + std::to_string(n.fetch_add(1));
}

// A ByteSource that yields data in pieces of `piece` bytes and then, if fail_after is set,
// fails once that many bytes were read: a stream that breaks mid-upload.
class PiecewiseSource final : public ByteSource {
 public:
  PiecewiseSource(std::string data, size_t piece, size_t fail_after = SIZE_MAX)
      : data_(std::move(data)), piece_(piece), fail_after_(fail_after) {}
  Result<size_t> Read(char* dst, size_t n) override {
    if (pos_ >= fail_after_)
      return Status::IOError("injected source failure at byte " + std::to_string(pos_));
    size_t take = std::min({n, piece_, data_.size() - pos_});
    if (fail_after_ != SIZE_MAX) take = std::min(take, fail_after_ - pos_);
    std::memcpy(dst, data_.data() + pos_, take);
    pos_ += take;
    return take;
  }
  size_t consumed() const { return pos_; }

 private:
  std::string data_;
  size_t piece_;
  size_t fail_after_;
  size_t pos_ = 0;
};

}  // namespace strata::objstore
