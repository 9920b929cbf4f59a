// The dump into a lake in object storage, against a real S3 (moto_server): what lands in the
// bucket and when, the _SUCCESS manifest against the bytes actually stored, failed and
// refused runs, and the report reading a published batch back through the read cache
// (docs/formats/rdb-lake.md, "The manifest" and "A lake in object storage").
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "base/crc32c.h"
#include "objstore/object_store.h"
#include "objstore/read_cache.h"
#include "objstore/store_url.h"
#include "parquet/parquet_reader.h"
#include "rdbtool/batch_manifest.h"
#include "rdbtool/rdb_dump.h"
#include "rdbtool/remote_batch.h"
#include "rdbtool/report_builder.h"
#include "support/test_util.h"
#include "unit/objstore/s3_test_util.h"
#include "unit/rdbtool/rdb_dump_test_util.h"

namespace strata::rdbtool {
namespace {

using test::FileInstance;
using test::Key;
using test::RandomKeys;
using DbKey = std::pair<uint64_t, std::string>;

// Every name below is written out by hand: "prod:eu" is escaped to prod-eu in keys, and the
// batch id is the time below in UTC, to the millisecond.
constexpr int64_t kBatchNs = 1796054709123000000;  // 2026-11-30T16:05:09.123Z
constexpr char kBatchId[] = "2026-11-30_16-05-09.123Z";
constexpr char kBatchPrefix[] = "cluster=prod-eu/batch=2026-11-30_16-05-09.123Z/";

// Every key under prefix, in order.
std::vector<std::string> KeysUnder(objstore::ObjectStore* store, const std::string& prefix) {
  std::vector<std::string> keys;
  Status s = objstore::ListAll(store, prefix, "", [&](const objstore::ObjectInfo& info) {
    keys.push_back(info.key);
    return Status::OK();
  });
  EXPECT_TRUE(s.ok()) << "listing " << store->Url(prefix) << ": " << s.ToString();
  return keys;
}

// The (db, key) column pairs of a dump file, in file order.
std::vector<DbKey> DbKeysOf(const std::string& path) {
  std::vector<DbKey> out;
  auto reader = parquet::ParquetReader::Open(Env::Default(), path);
  EXPECT_TRUE(reader.ok()) << path << ": " << reader.status().ToString();
  if (!reader.ok()) return out;
  parquet::ScanOptions so;
  so.columns = {"db", "key"};
  auto scan = (*reader)->Scan(so);
  EXPECT_TRUE(scan.ok()) << path << ": " << scan.status().ToString();
  if (!scan.ok()) return out;
  parquet::ColumnBatch batch;
  while (true) {
    auto more = (*scan)->Next(&batch);
    EXPECT_TRUE(more.ok()) << path << ": " << more.status().ToString();
    if (!more.ok() || !*more) break;
    for (size_t i = 0; i < batch.num_rows(); i++) {
      out.emplace_back(batch.column(0).Value<uint64_t>(i), std::string(batch.column(1).Bytes(i)));
    }
  }
  return out;
}

std::vector<DbKey> SortedDbKeys(const std::vector<Key>& keys) {
  std::vector<DbKey> out;
  for (const Key& k : keys) out.emplace_back(k.db, k.key);
  std::sort(out.begin(), out.end());
  return out;
}

// What a dump left in its staging directory: files, and _tmp_batch= directories. Empty
// directories above them (cluster=<c>/) may stay: other dumps of the cluster may be using them.
std::vector<std::string> StagingLeftovers(const std::string& dir) {
  std::vector<std::string> left;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_directory() || name.starts_with("_tmp_batch=")) {
      left.push_back(entry.path().string());
    }
  }
  return left;
}

class RdbDumpS3Test : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!strata::test::MotoServer::Available()) {
      GTEST_SKIP() << strata::test::MotoServer::SkipReason();
    }
    std::string why;
    moto_ = objstore::SharedMoto(&why);
    ASSERT_NE(moto_, nullptr) << "moto_server did not start: " << why;
    bucket_ = objstore::FreshBucketName();
    Status s = moto_->CreateBucket(bucket_);
    ASSERT_TRUE(s.ok()) << s.ToString();
    store_options_.s3 = objstore::TestS3Options(moto_->endpoint());
    auto lake = objstore::OpenObjectStore(LakeUrl(), store_options_);
    ASSERT_TRUE(lake.ok()) << lake.status().ToString();
    lake_ = std::move(*lake);
    auto bucket = objstore::OpenObjectStore("s3://" + bucket_, store_options_);
    ASSERT_TRUE(bucket.ok()) << bucket.status().ToString();
    bucket_root_ = std::move(*bucket);
  }

  std::string LakeUrl() const { return "s3://" + bucket_ + "/lake"; }
  std::string BatchUrl() const { return LakeUrl() + "/" + kBatchPrefix; }  // ends in '/'

  DumpOptions Options() {
    DumpOptions o;
    o.dir = LakeUrl();
    o.staging_dir = staging_.path();
    o.store = store_options_;
    o.cluster = "prod:eu";
    o.batch_ns = kBatchNs;
    return o;
  }

  std::string WriteRdb(const std::string& name, const std::vector<Key>& keys) {
    const std::string path = files_.File(name);
    test::WriteBytes(path, test::BuildRdb(keys));
    return path;
  }

  // The cache in a directory named relative to the working directory, as `--cache-dir cache`
  // names it (FetchBatch's links once pointed at such paths, relative to themselves).
  std::unique_ptr<objstore::ReadCache> OpenCache() {
    const std::string dir = std::filesystem::relative(cache_dir_.path()).string() + "/cache";
    auto cache = objstore::ReadCache::Open({dir, 64 << 20});
    EXPECT_TRUE(cache.ok()) << cache.status().ToString();
    return cache.ok() ? std::move(*cache) : nullptr;
  }

  Result<std::unique_ptr<FetchedBatch>> Fetch(objstore::ReadCache* cache,
                                              const std::string& batch) {
    return FetchBatch(lake_.get(), cache, "prod:eu", batch, scratch_.path());
  }

  strata::test::MotoServer* moto_ = nullptr;
  std::string bucket_;
  objstore::StoreOptions store_options_;
  std::unique_ptr<objstore::ObjectStore> lake_;         // s3://<bucket>/lake
  std::unique_ptr<objstore::ObjectStore> bucket_root_;  // s3://<bucket>
  strata::test::TempDir files_;                         // the RDB files
  strata::test::TempDir staging_;
  strata::test::TempDir cache_dir_;
  strata::test::TempDir scratch_;  // FetchBatch's link trees
};

TEST_F(RdbDumpS3Test, UploadsEachFileAndPublishesAManifestOfTheStoredBytes) {
  const auto keys_a = RandomKeys(21, 300);
  const auto keys_b = RandomKeys(22, 200);
  const std::string a = WriteRdb("a.rdb", keys_a);
  const std::string b = WriteRdb("b.rdb", keys_b);
  DumpOptions o = Options();
  o.run_rows = 50;  // run files in the staging directory, which must be gone afterwards
  o.concurrency = 2;
  DumpResult result;
  Status s = DumpBatch({FileInstance("10.0.0.1:6379", a, {}), FileInstance("10.0.0.2:6379", b, {})},
                       o, nullptr, &result);
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_TRUE(result.committed);
  EXPECT_EQ(result.batch_id, kBatchId);
  const std::string batch_url = "s3://" + bucket_ + "/lake/" + kBatchPrefix;
  EXPECT_EQ(result.location + "/", batch_url);
  ASSERT_EQ(result.instances.size(), 2u);
  EXPECT_EQ(result.instances[0].path, batch_url + "10.0.0.1-6379.parquet");
  EXPECT_EQ(result.instances[1].path, batch_url + "10.0.0.2-6379.parquet");

  // The whole bucket: the two files and the manifest under lake/, nothing else.
  const std::string prefix = std::string("lake/") + kBatchPrefix;
  EXPECT_EQ(KeysUnder(bucket_root_.get(), ""),
            (std::vector<std::string>{prefix + "10.0.0.1-6379.parquet",
                                      prefix + "10.0.0.2-6379.parquet", prefix + "_SUCCESS"}));

  auto json = objstore::GetString(bucket_root_.get(), prefix + "_SUCCESS");
  ASSERT_TRUE(json.ok()) << json.status().ToString();
  auto manifest = BatchManifest::FromJson(*json, "_SUCCESS");
  ASSERT_TRUE(manifest.ok()) << manifest.status().ToString() << "\n" << *json;
  EXPECT_EQ(manifest->cluster, "prod:eu");
  EXPECT_EQ(manifest->batch, kBatchId);
  ASSERT_EQ(manifest->files.size(), 2u) << *json;
  const struct {
    const char* name;
    const char* instance;
    const std::vector<Key>* keys;
  } expected[] = {{"10.0.0.1-6379.parquet", "10.0.0.1:6379", &keys_a},
                  {"10.0.0.2-6379.parquet", "10.0.0.2:6379", &keys_b}};
  for (size_t i = 0; i < 2; i++) {
    const ManifestFile& f = manifest->files[i];
    SCOPED_TRACE(expected[i].name);
    EXPECT_EQ(f.name, expected[i].name);
    EXPECT_EQ(f.instance, expected[i].instance);
    EXPECT_EQ(f.keys, expected[i].keys->size());
    // Size and checksum of the bytes the bucket holds, computed here.
    auto bytes = objstore::GetString(bucket_root_.get(), prefix + expected[i].name);
    ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
    EXPECT_EQ(f.bytes, bytes->size());
    EXPECT_EQ(f.crc32c, crc32c::Value(bytes->data(), bytes->size()));
    // The downloaded file is a dump file: every key once, in (db, key) order.
    const std::string local = files_.File(expected[i].name);
    test::WriteBytes(local, *bytes);
    EXPECT_EQ(DbKeysOf(local), SortedDbKeys(*expected[i].keys));
  }

  // Every file went up and was removed from the staging directory, run files included.
  EXPECT_EQ(StagingLeftovers(staging_.path()), std::vector<std::string>());
}

TEST_F(RdbDumpS3Test, AFailedDumpPublishesNothingAndItsFilesAreInTheWayOfARerun) {
  const std::string a = WriteRdb("a.rdb", RandomKeys(1, 300));
  const std::string b = WriteRdb("b.rdb", RandomKeys(2, 100));
  // An earlier published batch, so "not listed" and "the latest" below mean something.
  DumpOptions earlier = Options();
  earlier.batch_ns = kBatchNs - 60'000'000'000;
  DumpResult first;
  Status s = DumpBatch({FileInstance("a", a, {})}, earlier, nullptr, &first);
  ASSERT_TRUE(s.ok()) << s.ToString();
  const std::string earlier_id = "2026-11-30_16-04-09.123Z";
  ASSERT_EQ(first.batch_id, earlier_id);

  DumpOptions o = Options();
  o.concurrency = 1;  // a is finished and uploaded before b starts
  o.fail_instance_for_test = "b";
  DumpResult failed;
  s = DumpBatch({FileInstance("a", a, {}), FileInstance("b", b, {})}, o, nullptr, &failed);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.ToString().find("instance b"), std::string::npos) << s.ToString();
  EXPECT_FALSE(failed.committed);
  // a's file was uploaded; there is no manifest, so no batch.
  EXPECT_EQ(KeysUnder(lake_.get(), kBatchPrefix),
            std::vector<std::string>{std::string(kBatchPrefix) + "a.parquet"});
  auto head = lake_->Head(std::string(kBatchPrefix) + "_SUCCESS");
  EXPECT_TRUE(head.status().IsNotFound()) << head.status().ToString();

  // Readers: the batch does not exist.
  auto published = PublishedBatches(lake_.get(), "prod:eu");
  ASSERT_TRUE(published.ok()) << published.status().ToString();
  EXPECT_EQ(*published, std::vector<std::string>{earlier_id});
  auto cache = OpenCache();
  ASSERT_NE(cache, nullptr);
  auto fetched = Fetch(cache.get(), kBatchId);
  EXPECT_TRUE(fetched.status().IsNotFound()) << fetched.status().ToString();
  auto latest = Fetch(cache.get(), "");
  ASSERT_TRUE(latest.ok()) << latest.status().ToString();
  EXPECT_EQ((*latest)->batch(), earlier_id);

  // A rerun of the batch is refused while the failed attempt's file is there, and uploads
  // nothing.
  o.fail_instance_for_test.clear();
  DumpResult again;
  s = DumpBatch({FileInstance("a", a, {}), FileInstance("b", b, {})}, o, nullptr, &again);
  EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
  EXPECT_NE(s.ToString().find("in the way"), std::string::npos) << s.ToString();
  EXPECT_NE(s.ToString().find(BatchUrl().substr(0, BatchUrl().size() - 1)), std::string::npos)
      << s.ToString();
  EXPECT_EQ(KeysUnder(lake_.get(), kBatchPrefix),
            std::vector<std::string>{std::string(kBatchPrefix) + "a.parquet"});

  // Once the prefix is removed (as the message says), the rerun publishes the batch.
  s = lake_->DeleteMany(KeysUnder(lake_.get(), kBatchPrefix));
  ASSERT_TRUE(s.ok()) << s.ToString();
  DumpResult rerun;
  s = DumpBatch({FileInstance("a", a, {}), FileInstance("b", b, {})}, o, nullptr, &rerun);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_TRUE(rerun.committed);
  const std::string p = kBatchPrefix;
  EXPECT_EQ(KeysUnder(lake_.get(), kBatchPrefix),
            (std::vector<std::string>{p + "_SUCCESS", p + "a.parquet", p + "b.parquet"}));
  published = PublishedBatches(lake_.get(), "prod:eu");
  ASSERT_TRUE(published.ok()) << published.status().ToString();
  EXPECT_EQ(*published, (std::vector<std::string>{earlier_id, kBatchId}));
  EXPECT_EQ(StagingLeftovers(staging_.path()), std::vector<std::string>());
}

TEST_F(RdbDumpS3Test, AnExistingManifestStopsTheDumpBeforeAnyUpload) {
  BatchManifest existing;
  existing.cluster = "prod:eu";
  existing.batch = kBatchId;
  existing.committed_at = "2026-11-30T16:06:00.000Z";
  const std::string manifest_key = std::string(kBatchPrefix) + "_SUCCESS";
  auto put = objstore::PutString(lake_.get(), manifest_key, existing.ToJson());
  ASSERT_TRUE(put.ok()) << put.status().ToString();

  const std::string a = WriteRdb("a.rdb", RandomKeys(3, 50));
  DumpResult result;
  Status s = DumpBatch({FileInstance("a", a, {})}, Options(), nullptr, &result);
  EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
  EXPECT_NE(s.ToString().find("batch already exists"), std::string::npos) << s.ToString();
  EXPECT_FALSE(result.committed);
  // Nothing was uploaded and the manifest is the one put above.
  EXPECT_EQ(KeysUnder(bucket_root_.get(), ""), std::vector<std::string>{"lake/" + manifest_key});
  auto json = objstore::GetString(lake_.get(), manifest_key);
  ASSERT_TRUE(json.ok()) << json.status().ToString();
  EXPECT_EQ(*json, existing.ToJson());
  // Refused before anything was staged either.
  EXPECT_TRUE(std::filesystem::is_empty(staging_.path()));
}

TEST_F(RdbDumpS3Test, TheReportReadsThePublishedBatchThroughTheCache) {
  const std::string a = WriteRdb("a.rdb", RandomKeys(31, 300));
  const std::string b = WriteRdb("b.rdb", RandomKeys(32, 120));
  const std::vector<DumpInstance> instances = {FileInstance("10.0.0.1:6379", a, {}),
                                               FileInstance("10.0.0.2:6379", b, {})};
  DumpResult to_s3, to_disk;
  Status s = DumpBatch(instances, Options(), nullptr, &to_s3);
  ASSERT_TRUE(s.ok()) << s.ToString();
  // The same data in a local lake, the reference.
  DumpOptions local = Options();
  local.dir = files_.File("lake");
  s = DumpBatch(instances, local, nullptr, &to_disk);
  ASSERT_TRUE(s.ok()) << s.ToString();

  auto cache = OpenCache();
  ASSERT_NE(cache, nullptr);
  auto fetched = Fetch(cache.get(), "");  // the latest published batch
  ASSERT_TRUE(fetched.ok()) << fetched.status().ToString();
  EXPECT_EQ((*fetched)->batch(), kBatchId);
  EXPECT_EQ(cache->stats().misses, 2u);
  EXPECT_EQ(cache->stats().hits, 0u);

  ReportOptions ro;
  ro.cluster = "prod:eu";
  ro.dir = (*fetched)->dir();
  auto remote = BuildReport(ro);
  ASSERT_TRUE(remote.ok()) << remote.status().ToString();
  ro.dir = local.dir;
  auto reference = BuildReport(ro);
  ASSERT_TRUE(reference.ok()) << reference.status().ToString();
  EXPECT_EQ(remote->batch, kBatchId);
  EXPECT_EQ(remote->total.keys, 420u);
  const std::vector<std::pair<std::string, uint64_t>> per_instance = {{"10.0.0.1:6379", 300},
                                                                      {"10.0.0.2:6379", 120}};
  for (const ReportData* data : {&*remote, &*reference}) {
    std::vector<std::pair<std::string, uint64_t>> got;
    for (const ReportGroup& g : data->by_instance) got.emplace_back(g.name, g.totals.keys);
    EXPECT_EQ(got, per_instance) << (data == &*remote ? "from S3" : "from the local lake");
  }
  EXPECT_EQ(remote->total.memory_bytes, reference->total.memory_bytes);
  EXPECT_EQ(remote->total.rdb_bytes, reference->total.rdb_bytes);
  EXPECT_EQ(remote->prefixes.keys, reference->prefixes.keys);

  // The same batch again: both files come from the cache.
  auto again = Fetch(cache.get(), kBatchId);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(cache->stats().hits, 2u);
  EXPECT_EQ(cache->stats().misses, 2u);

  // A file replaced after publishing, same size, one byte different: the manifest's checksum
  // catches it, naming the object.
  const std::string key = std::string(kBatchPrefix) + "10.0.0.2-6379.parquet";
  auto bytes = objstore::GetString(lake_.get(), key);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  (*bytes)[bytes->size() / 2] ^= 0x01;
  auto put = objstore::PutString(lake_.get(), key, *bytes);
  ASSERT_TRUE(put.ok()) << put.status().ToString();
  auto altered = Fetch(cache.get(), kBatchId);
  EXPECT_TRUE(altered.status().IsCorruption()) << altered.status().ToString();
  EXPECT_NE(altered.status().ToString().find(BatchUrl() + "10.0.0.2-6379.parquet"),
            std::string::npos)
      << altered.status().ToString();
}

}  // namespace
}  // namespace strata::rdbtool
