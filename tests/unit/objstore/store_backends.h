// The backends the shared object-store tests run against: every test of
// store_conformance_test.cc runs once per backend, so the local directory and S3 (moto) are held
// to the same semantics.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/result.h"
#include "objstore/object_store.h"

namespace strata::objstore::conformance {

class StoreBackend {
 public:
  virtual ~StoreBackend() = default;
  virtual std::string name() const = 0;
  // Non-empty when the backend cannot run here (the test skips with this reason).
  virtual std::string SkipReason() = 0;
  // A store with a fresh, empty root. Stores stay valid until the backend is destroyed.
  virtual Result<std::unique_ptr<ObjectStore>> NewStore() = 0;
};

// "local" and "s3" (the S3 one starts a moto server on first use, shared by the process).
std::vector<std::string> StoreBackendNames();
StoreBackend* GetStoreBackend(const std::string& name);

}  // namespace strata::objstore::conformance
