// Reading a batch from a lake in object storage, for the report.
//
// Only published batches count: those whose _SUCCESS manifest exists (batch_manifest.h). A
// batch is fetched file by file through a ReadCache, each file checked against the size and
// CRC-32C the manifest gives, and laid out as a local lake of links to the cached files, so
// the report reads it exactly as it reads a local one.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/result.h"
#include "objstore/object_store.h"
#include "objstore/read_cache.h"
#include "rdbtool/batch_manifest.h"

namespace strata::rdbtool {

// The published batches of a cluster, oldest first (batch ids sort by time).
Result<std::vector<std::string>> PublishedBatches(objstore::ObjectStore* store,
                                                  const std::string& cluster);

// A fetched batch: a local lake at dir() holding cluster=<c>/batch=<b>/ with one link per
// file of the manifest. The links and their directories go away with this object; the cached
// files stay in the cache.
class FetchedBatch {
 public:
  ~FetchedBatch();
  const std::string& dir() const { return dir_; }
  const std::string& batch() const { return manifest_.batch; }
  const BatchManifest& manifest() const { return manifest_; }

 private:
  friend Result<std::unique_ptr<FetchedBatch>> FetchBatch(objstore::ObjectStore*,
                                                          objstore::ReadCache*, const std::string&,
                                                          const std::string&, const std::string&);
  std::string dir_;
  BatchManifest manifest_;
  std::vector<objstore::CachedFile> files_;
};

// Fetches batch (empty: the latest published one) of cluster. scratch_dir is an existing
// local directory under which the link tree is made. NotFound when the batch has no _SUCCESS;
// Corruption, naming the object, when a file differs from what the manifest says.
Result<std::unique_ptr<FetchedBatch>> FetchBatch(objstore::ObjectStore* store,
                                                 objstore::ReadCache* cache,
                                                 const std::string& cluster,
                                                 const std::string& batch,
                                                 const std::string& scratch_dir);

}  // namespace strata::rdbtool
