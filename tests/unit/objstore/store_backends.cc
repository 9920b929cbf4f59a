#include "store_backends.h"

#include <atomic>
#include <map>
#include <mutex>

#include "objstore/local_store.h"
#include "s3_test_util.h"
#include "support/test_util.h"

namespace strata::objstore::conformance {

namespace {

class LocalBackend final : public StoreBackend {
 public:
  std::string name() const override { return "local"; }
  std::string SkipReason() override { return ""; }
  Result<std::unique_ptr<ObjectStore>> NewStore() override {
    return OpenLocalStore(dir_.path() + "/store" + std::to_string(next_++));
  }

 private:
  strata::test::TempDir dir_;
  std::atomic<int> next_{0};
};

// Each store is a fresh prefix of one bucket on the process's moto server, so the suite also
// checks that keys stay inside a store's prefix.
class S3Backend final : public StoreBackend {
 public:
  std::string name() const override { return "s3"; }
  std::string SkipReason() override {
    if (!test::MotoServer::Available()) return test::MotoServer::SkipReason();
    std::string why;
    if (Moto(&why) == nullptr) return "moto_server did not start: " + why;
    return "";
  }
  Result<std::unique_ptr<ObjectStore>> NewStore() override {
    std::string why;
    test::MotoServer* moto = Moto(&why);
    if (moto == nullptr) return Status::IOError("moto_server did not start", why);
    return OpenS3Store(bucket_, "store" + std::to_string(next_++), TestS3Options(moto->endpoint()));
  }

 private:
  test::MotoServer* Moto(std::string* why) {
    test::MotoServer* moto = SharedMoto(why);
    if (moto != nullptr && bucket_.empty()) {
      bucket_ = FreshBucketName();
      Status s = moto->CreateBucket(bucket_);
      if (!s.ok()) {
        *why = s.ToString();
        bucket_.clear();
        return nullptr;
      }
    }
    return moto;
  }

  std::string bucket_;
  std::atomic<int> next_{0};
};

}  // namespace

std::vector<std::string> StoreBackendNames() { return {"local", "s3"}; }

StoreBackend* GetStoreBackend(const std::string& name) {
  static std::mutex mu;
  static std::map<std::string, std::unique_ptr<StoreBackend>> backends;
  std::lock_guard lock(mu);
  auto& slot = backends[name];
  if (!slot) {
    if (name == "local") slot = std::make_unique<LocalBackend>();
    if (name == "s3") slot = std::make_unique<S3Backend>();
  }
  return slot.get();
}

}  // namespace strata::objstore::conformance
