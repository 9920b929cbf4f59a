// BatchManifest: the _SUCCESS object that publishes an RDB batch, written last.
//
// Object storage has no directory rename, so a batch in a bucket is published by this one
// object, created with put-if-absent once every instance file is uploaded: a batch exists for
// readers when, and only when, cluster=<c>/batch=<b>/_SUCCESS does. A local lake is still
// published by its rename (batch_layout.h) and carries the same manifest, so a reader can check
// any batch the same way. docs/formats/rdb-lake.md is the contract.
//
// JSON (version 1), ASCII only:
//   {"format": "strata.rdb.batch", "version": 1, "cluster": "<as given>", "batch": "<id>",
//    "committed_at": "<RFC 3339>",
//    "files": [{"name": "<instance>.parquet", "instance": "<as given>", "bytes": n,
//               "crc32c": "<8 hex digits>", "keys": n}, ...]}        sorted by name
// crc32c is the CRC-32C (Castagnoli, unmasked) of the whole file.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "strata/env.h"

namespace strata::rdbtool {

inline constexpr std::string_view kManifestName = "_SUCCESS";

struct ManifestFile {
  std::string name;  // the object's name in the batch: <SafePathComponent(instance)>.parquet
  std::string instance;
  uint64_t bytes = 0;
  uint32_t crc32c = 0;
  uint64_t keys = 0;
};

struct BatchManifest {
  std::string cluster;
  std::string batch;
  std::string committed_at;
  std::vector<ManifestFile> files;

  std::string ToJson() const;
  // Parses and checks a manifest; Corruption naming source (the manifest's URL or path) for
  // anything that is not a version-1 manifest: bad JSON, a missing or mistyped field, a file
  // name that is not a plain "<name>.parquet", a duplicate name.
  static Result<BatchManifest> FromJson(std::string_view json, std::string_view source);
};

// The CRC-32C and size of a local file, read through env.
Status FileChecksum(Env* env, const std::string& path, uint32_t* crc32c, uint64_t* bytes);

}  // namespace strata::rdbtool
