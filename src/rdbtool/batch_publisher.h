// BatchPublisher: where a dump's batch goes, and how it becomes visible.
//
// Every instance file is written on local disk first (the sorter's runs need random access and
// a rename-free path): in the lake itself for a local lake, under a staging directory for a
// lake in object storage. Then, per lake:
//
//   local (a path or file://)   _tmp_batch=<b>/ holds the files; Commit writes _SUCCESS into
//                               it and renames it to batch=<b>/ (batch_layout.h), as before.
//   s3://bucket/prefix          AddInstance uploads each file as soon as it is complete
//                               (multipart for large ones) to cluster=<c>/batch=<b>/ and
//                               removes the local copy; Commit creates cluster=<c>/batch=<b>/
//                               _SUCCESS with put-if-absent. Until then readers ignore the
//                               batch; a failed dump leaves its uploaded files and no _SUCCESS,
//                               and removes its staging directory (scratch space: a rerun of
//                               the batch must find only the bucket's files in its way).
//
// Begin refuses a batch that exists in any form (committed, or a failed attempt in the way).
// AddInstance may be called from several threads at once.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "base/result.h"
#include "objstore/store_url.h"
#include "rdbtool/batch_layout.h"
#include "rdbtool/batch_manifest.h"
#include "strata/env.h"

namespace strata::rdbtool {

struct PublisherOptions {
  Env* env = nullptr;  // for the local files; Env::Default() when null
  std::string lake;    // a directory, file:// or s3:// URL
  // Where a lake in object storage stages its files: <staging_dir>/cluster=<c>/_tmp_batch=<b>/.
  std::string staging_dir;
  objstore::StoreOptions store;
  std::string cluster;
  std::string batch_id;
};

class BatchPublisher {
 public:
  virtual ~BatchPublisher() = default;

  // The publisher for options.lake; sends no request and touches no file yet.
  static Result<std::unique_ptr<BatchPublisher>> Open(const PublisherOptions& options);

  // Checks that the batch does not exist and creates the local directories.
  virtual Status Begin() = 0;
  // Where instance files are written (tmp_dir, runs_dir, InstanceFile()).
  const BatchPaths& local_paths() const { return local_; }
  // Records the finished file of one instance (its checksum, for the manifest) and, for a lake
  // in object storage, uploads it.
  virtual Status AddInstance(const std::string& instance, const std::string& local_file,
                             uint64_t keys) = 0;
  // Publishes the batch.
  virtual Status Commit() = 0;
  // The dump failed after Begin (an instance, or Commit); called once every AddInstance has
  // returned. A local lake keeps _tmp_batch= for inspection; a lake in object storage removes
  // its staging directory (what was uploaded stays in the bucket). Returns what it could not
  // remove.
  virtual Status Abandon() = 0;

  // The published batch ("/lake/cluster=c/batch=b", "s3://bucket/lake/cluster=c/batch=b").
  virtual std::string BatchLocation() const = 0;

 protected:
  explicit BatchPublisher(PublisherOptions options) : options_(std::move(options)) {}
  // Adds a file's entry to the manifest (thread-safe).
  Status Record(const std::string& instance, const std::string& local_file, uint64_t keys);
  // The manifest as JSON, stamped with the time of the call.
  std::string ManifestJson();

  PublisherOptions options_;
  BatchPaths local_;
  std::mutex mu_;
  BatchManifest manifest_;  // guarded by mu_
};

}  // namespace strata::rdbtool
