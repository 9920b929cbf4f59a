#include "objstore/s3_store.h"
namespace strata::objstore {
Result<std::unique_ptr<ObjectStore>> OpenS3Store(const std::string&, const std::string&, const S3Options&) { return Status::NotSupported("stub"); }
}
