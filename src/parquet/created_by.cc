#include "parquet/created_by.h"

namespace strata::parquet {

const std::string& CreatedBy() {
  static const std::string kCreatedBy = "strata version " STRATA_VERSION;
  return kCreatedBy;
}

}  // namespace strata::parquet
