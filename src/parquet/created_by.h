// The writer's identity in every file's footer (FileMetaData.created_by).
#pragma once

#include <string>

namespace strata::parquet {

// "strata version X.Y.Z". Readers such as parquet-mr parse created_by to decide which
// statistics they trust, so the form "<application> version <semver>" matters.
const std::string& CreatedBy();

}  // namespace strata::parquet
