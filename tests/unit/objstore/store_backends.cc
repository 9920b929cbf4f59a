#include "store_backends.h"

#include <atomic>
#include <map>
#include <mutex>

#include "objstore/local_store.h"
#include "support/test_util.h"

namespace strata::objstore::test {

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

}  // namespace

std::vector<std::string> StoreBackendNames() { return {"local"}; }

StoreBackend* GetStoreBackend(const std::string& name) {
  static std::mutex mu;
  static std::map<std::string, std::unique_ptr<StoreBackend>> backends;
  std::lock_guard lock(mu);
  auto& slot = backends[name];
  if (!slot) {
    if (name == "local") slot = std::make_unique<LocalBackend>();
  }
  return slot.get();
}

}  // namespace strata::objstore::test
