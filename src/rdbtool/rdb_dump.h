// RDB dump: RDB snapshots of a fleet into one sorted Parquet file per instance, in the batch
// layout of batch_layout.h.
//
// Per instance:  source bytes -> RdbParser -> one row per key -> ExternalSorter (runs of
// run_rows keys, sorted on a worker while the parser goes on, written as Parquet with the
// intermediate codec) -> k-way merge -> <instance>.parquet with the final codec, sorted by
// (db, key), row groups of about row_group_rows.
// Per batch: at most `concurrency` instances at once, on one thread pool that also sorts the
// runs; when every instance has succeeded, the batch is published (batch_publisher.h: one
// rename for a local lake, a _SUCCESS object created last for a lake in object storage, whose
// files are uploaded as each instance finishes). Any failure publishes nothing, keeps what was
// written for inspection (a local lake's _tmp_batch=; the files already uploaded to object
// storage, whose local staging directory is removed), and is reported naming the instance.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/byte_source.h"
#include "base/result.h"
#include "objstore/store_url.h"
#include "parquet/metadata.h"
#include "rdbtool/batch_layout.h"
#include "rdbtool/dump_schema.h"
#include "strata/env.h"

namespace strata::rdbtool {

// One instance to dump.
struct DumpInstance {
  std::string name;  // as given (file name, host:port); made path-safe for the file name
  // Opens the instance's RDB stream. Called once, on a worker thread.
  std::function<Result<std::unique_ptr<ByteSource>>()> open;
  uint64_t total_bytes = 0;  // when known in advance (a file's size), for progress
  SlotColumns slots;
};

struct DumpOptions {
  Env* env = nullptr;  // Env::Default() when null
  std::string dir;     // the lake: a directory, file:// or s3:// URL
  // For a lake in object storage: the local directory where runs and files are written before
  // they are uploaded.
  std::string staging_dir;
  objstore::StoreOptions store;
  std::string cluster;
  int64_t batch_ns = 0;  // the batch's time; its id is FormatBatchId(batch_ns)
  int concurrency = 1;   // instances at once
  size_t run_rows = 100000;
  size_t fan_in = 128;
  parquet::CompressionCodec compression = parquet::CompressionCodec::kZstd;
  parquet::CompressionCodec intermediate_compression = parquet::CompressionCodec::kLz4Raw;
  size_t row_group_rows = 100000;
  bool verify_checksum = true;
  // Log lines (runs, merges, instances); called from worker threads, one line at a time.
  std::function<void(const std::string&)> log;
  // For tests: an error injected into the named instance after its parse (the failure
  // atomicity test uses it).
  std::string fail_instance_for_test;
};

// What one instance produced.
struct InstanceResult {
  std::string name;
  std::string path;  // the final file (its URL, for a lake in object storage, once committed)
  uint64_t keys = 0;
  uint64_t rdb_bytes = 0;
  uint64_t file_bytes = 0;
  uint64_t runs = 0;
  uint64_t merge_passes = 0;
  int rdb_version = 0;
  double seconds = 0;
  Status status;
};

// Live counters, for a progress display (any thread may read them).
struct DumpProgress {
  std::atomic<uint64_t> bytes_read{0};
  std::atomic<uint64_t> total_bytes{0};  // sum of the known totals
  std::atomic<uint64_t> keys{0};
  std::atomic<int> instances_done{0};
  int instances = 0;
};

struct DumpResult {
  BatchPaths paths;      // the local files (staging, for a lake in object storage)
  std::string location;  // the published batch: its directory or URL
  std::string batch_id;
  std::vector<InstanceResult> instances;
  bool committed = false;
};

// Dumps every instance into one batch. The returned Status is the first failure (naming the
// instance); result holds every instance's outcome either way.
Status DumpBatch(const std::vector<DumpInstance>& instances, const DumpOptions& options,
                 DumpProgress* progress, DumpResult* result);

}  // namespace strata::rdbtool
