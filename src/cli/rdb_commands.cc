// strata rdb check FILE
// strata rdb dump [options] <from-file|from-standalone|from-cluster> ... into-parquet --dir D
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "base/byte_source.h"
#include "base/path.h"
#include "commands.h"
#include "net/host_port.h"
#include "objstore/store_url.h"
#include "parquet/codec.h"
#include "progress_line.h"
#include "rdb/rdb_check.h"
#include "rdb/rdb_parser.h"
#include "rdbtool/rdb_dump.h"
#include "redis/cluster_topology.h"
#include "redis/replication_source.h"
#include "strata/env.h"
#include "text_format.h"

namespace strata::cli {

namespace {

int64_t NowNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int Check(const std::string& file, bool verify_checksum) {
  auto source = FileByteSource::Open(file);
  if (!source.ok()) {
    std::fprintf(stderr, "strata rdb check: %s\n", source.status().ToString().c_str());
    return 1;
  }
  rdb::RdbCheck check(file, NowNanos() / 1000000);
  rdb::RdbParserOptions options;
  options.verify_checksum = verify_checksum;
  rdb::RdbParser parser(source->get(), file, options, &check);
  check.Attach(&parser);
  const Status s = parser.Parse();
  std::fputs(check.Report(s).c_str(), stdout);
  return s.ok() ? 0 : 1;
}

// --- dump.

struct DumpArgs {
  // Global.
  int concurrency = 0;  // 0: cores / 2, clamped to 1..8
  std::string batch_timestamp;
  bool no_verify_checksum = false;
  std::string slots = "auto";
  bool quiet = false;
  // Sources.
  std::vector<std::string> paths;
  std::string cluster;
  std::string instance;
  std::string addr;
  std::string user;
  std::string password;
  std::string nodes;
  bool require_replica = false;
  // Output.
  std::string dir;
  std::string tmp_dir;
  size_t run_rows = 100000;
  size_t fan_in = 128;
  size_t row_group_rows = 100000;
  std::string compression = "zstd";
  std::string intermediate_compression = "lz4";
};

enum class SourceKind { kNone, kFile, kStandalone, kCluster };

// "bytes read of total, keys/s, ETA" for the progress line, secs after the dump started.
std::string DumpProgressText(const rdbtool::DumpProgress& progress, double secs) {
  const uint64_t read = progress.bytes_read.load();
  const uint64_t total = progress.total_bytes.load();
  const uint64_t keys = progress.keys.load();
  std::string line = std::to_string(progress.instances_done.load()) + "/" +
                     std::to_string(progress.instances) + " instances, " + HumanBytes(read);
  if (total > 0) line += " of " + HumanBytes(static_cast<double>(total));
  char rate[64];
  std::snprintf(rate, sizeof(rate), ", %.0f keys/s", secs > 0 ? keys / secs : 0.0);
  line += rate;
  if (total > 0 && read > 0 && read < total) {
    const double eta = secs * static_cast<double>(total - read) / static_cast<double>(read);
    char e[32];
    std::snprintf(e, sizeof(e), ", ETA %dm%02ds", static_cast<int>(eta) / 60,
                  static_cast<int>(eta) % 60);
    line += e;
  }
  return line;
}

// The instances of the chosen source; error text on failure.
Result<std::vector<rdbtool::DumpInstance>> Instances(const DumpArgs& a, SourceKind kind,
                                                     std::string* cluster_name) {
  std::vector<rdbtool::DumpInstance> out;
  const bool codis = a.slots == "codis" || a.slots == "both";
  const bool redis_slots = a.slots == "redis" || a.slots == "both" ||
                           (a.slots == "auto" && kind == SourceKind::kCluster);
  redis::ReplicationOptions repl;
  repl.user = a.user;
  repl.password = a.password;
  switch (kind) {
    case SourceKind::kFile: {
      if (a.paths.empty()) return Status::InvalidArgument("from-file needs --path");
      if (!a.instance.empty() && a.paths.size() > 1) {
        return Status::InvalidArgument("--instance names one file; give one --path with it");
      }
      *cluster_name = a.cluster;
      for (const std::string& path : a.paths) {
        rdbtool::DumpInstance i;
        i.name = a.instance.empty() ? BaseName(path) : a.instance;
        i.open = [path]() -> Result<std::unique_ptr<ByteSource>> {
          auto f = FileByteSource::Open(path);
          if (!f.ok()) return f.status();
          return std::unique_ptr<ByteSource>(std::move(*f));
        };
        uint64_t size = 0;
        if (Env::Default()->GetFileSize(path, &size).ok()) i.total_bytes = size;
        i.slots = {redis_slots, codis};
        out.push_back(std::move(i));
      }
      return out;
    }
    case SourceKind::kStandalone: {
      auto address = net::HostPort::Parse(a.addr);
      if (!address.ok()) return address.status();
      *cluster_name = a.cluster.empty() ? a.addr : a.cluster;
      rdbtool::DumpInstance i;
      i.name = a.instance.empty() ? address->ToString() : a.instance;
      const net::HostPort addr = *address;
      i.open = [addr, repl]() -> Result<std::unique_ptr<ByteSource>> {
        auto s = redis::ReplicationSource::Open(addr, repl);
        if (!s.ok()) return s.status();
        return std::unique_ptr<ByteSource>(std::move(*s));
      };
      i.slots = {redis_slots, codis};
      out.push_back(std::move(i));
      return out;
    }
    case SourceKind::kCluster: {
      auto seeds = net::ParseHostPortList(a.nodes);
      if (!seeds.ok()) return seeds.status();
      redis::ClusterDiscoveryOptions discovery;
      discovery.user = a.user;
      discovery.password = a.password;
      auto topology = redis::DiscoverClusterTopology(*seeds, discovery);
      if (!topology.ok()) return topology.status();
      auto targets = redis::ChooseDumpTargets(*topology, a.require_replica);
      if (!targets.ok()) return targets.status();
      *cluster_name = a.cluster.empty() ? (*seeds)[0].ToString() : a.cluster;
      for (const redis::DumpTarget& t : *targets) {
        rdbtool::DumpInstance i;
        i.name = t.address.ToString();
        const net::HostPort addr = t.address;
        i.open = [addr, repl]() -> Result<std::unique_ptr<ByteSource>> {
          auto s = redis::ReplicationSource::Open(addr, repl);
          if (!s.ok()) return s.status();
          return std::unique_ptr<ByteSource>(std::move(*s));
        };
        i.slots = {redis_slots, codis};
        out.push_back(std::move(i));
      }
      return out;
    }
    case SourceKind::kNone:
      break;
  }
  return Status::InvalidArgument("choose a source: from-file, from-standalone or from-cluster");
}

int Dump(const DumpArgs& a, SourceKind kind) {
  auto fail = [](const Status& s) {
    std::fprintf(stderr, "strata rdb dump: %s\n", s.ToString().c_str());
    return 1;
  };
  if (a.dir.empty()) return fail(Status::InvalidArgument("into-parquet --dir is required"));
  rdbtool::DumpOptions o;
  o.dir = a.dir;
  o.staging_dir = !a.tmp_dir.empty()                 ? a.tmp_dir
                  : std::getenv("TMPDIR") != nullptr ? std::getenv("TMPDIR")
                                                     : "/tmp";
  const auto compression = ParseEnum<parquet::CompressionCodec>(a.compression);
  if (!compression || !parquet::CodecSupported(*compression)) {
    return fail(Status::InvalidArgument("unknown --compression " + a.compression));
  }
  o.compression = *compression;
  const auto intermediate = ParseEnum<parquet::CompressionCodec>(a.intermediate_compression);
  if (!intermediate || !parquet::CodecSupported(*intermediate)) {
    return fail(Status::InvalidArgument("unknown --intermediate-compression " +
                                        a.intermediate_compression));
  }
  o.intermediate_compression = *intermediate;
  if (a.slots != "auto" && a.slots != "redis" && a.slots != "codis" && a.slots != "both" &&
      a.slots != "none") {
    return fail(Status::InvalidArgument("--slots must be auto, redis, codis, both or none"));
  }
  if (a.run_rows == 0 || a.fan_in < 2 || a.row_group_rows == 0) {
    return fail(
        Status::InvalidArgument("--run-rows and --row-group-rows must be positive, "
                                "--fan-in at least 2"));
  }
  o.run_rows = a.run_rows;
  o.fan_in = a.fan_in;
  o.row_group_rows = a.row_group_rows;
  o.verify_checksum = !a.no_verify_checksum;
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  o.concurrency = a.concurrency > 0 ? a.concurrency : std::clamp(cores / 2, 1, 8);
  if (a.batch_timestamp.empty()) {
    o.batch_ns = NowNanos();
  } else {
    auto t = rdbtool::ParseRfc3339(a.batch_timestamp);
    if (!t.ok()) return fail(t.status());
    o.batch_ns = *t;
  }
  auto instances = Instances(a, kind, &o.cluster);
  if (!instances.ok()) return fail(instances.status());
  if (o.cluster.empty()) return fail(Status::InvalidArgument("--cluster is required"));

  rdbtool::DumpProgress progress;
  const auto start = std::chrono::steady_clock::now();
  ProgressLine line(
      [&progress, start] {
        const double secs =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        return DumpProgressText(progress, secs);
      },
      !a.quiet && isatty(STDERR_FILENO) != 0);
  o.log = [&](const std::string& text) {
    if (!a.quiet) line.Print("rdb dump: " + text);
  };
  rdbtool::DumpResult result;
  const Status s = rdbtool::DumpBatch(*instances, o, &progress, &result);
  line.Stop();
  // Only a committed batch has files to name: on failure some instances never ran (their
  // results are empty) and the others' files are not under batch= (path is still empty).
  for (const rdbtool::InstanceResult& r : result.instances) {
    if (!result.committed) break;
    std::printf("%s: %" PRIu64 " keys, RDB v%d %s -> %s (%s)\n", r.name.c_str(), r.keys,
                r.rdb_version, HumanBytes(static_cast<double>(r.rdb_bytes)).c_str(), r.path.c_str(),
                HumanBytes(static_cast<double>(r.file_bytes)).c_str());
  }
  if (!s.ok()) {
    std::fprintf(stderr, "strata rdb dump: %s\n", s.ToString().c_str());
    if (!result.paths.tmp_dir.empty() && Env::Default()->FileExists(result.paths.tmp_dir)) {
      std::fprintf(stderr, "strata rdb dump: kept %s for inspection; no batch was published\n",
                   result.paths.tmp_dir.c_str());
    }
    // A lake in object storage keeps what an instance that failed left uploaded, and that is in
    // the way of a rerun of the batch. (Refused before any instance ran, nothing was uploaded.)
    const bool ran = std::any_of(result.instances.begin(), result.instances.end(),
                                 [](const rdbtool::InstanceResult& r) { return !r.status.ok(); });
    const auto lake = objstore::ParseStoreUrl(o.dir);
    if (ran && lake.ok() && lake->scheme == objstore::StoreUrl::Scheme::kS3) {
      std::fprintf(stderr,
                   "strata rdb dump: no batch was published; files uploaded before the failure "
                   "stay under %s/ without _SUCCESS (readers ignore them): `strata obj rm -r "
                   "%s/` clears them for a rerun of this batch\n",
                   result.location.c_str(), result.location.c_str());
    }
    return 1;
  }
  std::printf("batch %s: %s\n", result.batch_id.c_str(), result.location.c_str());
  return 0;
}

}  // namespace

void AddRdbCommands(CLI::App& app, int& exit_code) {
  CLI::App* rdb =
      app.add_subcommand("rdb", "Read Redis RDB snapshots: check them, dump them to Parquet");
  rdb->require_subcommand(1);

  auto check_file = std::make_shared<std::string>();
  auto check_no_verify = std::make_shared<bool>(false);
  CLI::App* check = rdb->add_subcommand(
      "check",
      "Parse an RDB file like redis-check-rdb: version, AUX fields, per-db key and expiry "
      "counts, checksum status; exit 1 on any error");
  check->add_option("FILE", *check_file, "RDB file")->required();
  check->add_flag("--no-verify-checksum", *check_no_verify, "Do not verify the CRC64 trailer");
  check->callback([check_file, check_no_verify, &exit_code] {
    exit_code = Check(*check_file, !*check_no_verify);
  });

  auto a = std::make_shared<DumpArgs>();
  auto kind = std::make_shared<SourceKind>(SourceKind::kNone);
  CLI::App* dump = rdb->add_subcommand(
      "dump",
      "Dump RDB snapshots into one Parquet file per instance, sorted by (db, key), under "
      "<dir>/cluster=<C>/batch=<YYYY-MM-DD_HH-mm-ss.SSSZ>/, published once every instance "
      "succeeded: a local lake is written as _tmp_batch= and renamed; a lake in S3 "
      "(--dir s3://bucket/prefix) gets each file uploaded as it is finished and a _SUCCESS "
      "manifest created last (readers ignore batches without one). Both hold _SUCCESS. "
      "Usage: strata rdb dump [options] <source> into-parquet --dir D");
  dump->add_option("--concurrency", a->concurrency,
                   "Instances dumped at once; 0: cores/2 clamped to 1..8");
  dump->add_option("--batch-timestamp", a->batch_timestamp,
                   "The batch's time (RFC 3339, e.g. 2026-11-30T16:05:09Z); default: now");
  dump->add_flag("--no-verify-checksum", a->no_verify_checksum,
                 "Do not verify the CRC64 trailer of each RDB");
  dump->add_option("--slots", a->slots,
                   "Slot columns to fill: auto (redis_slot for from-cluster), redis, codis, "
                   "both, none");
  dump->add_flag("--quiet", a->quiet, "No progress line and no logs on stderr");

  CLI::App* from_file = dump->add_subcommand("from-file", "RDB files on disk");
  from_file->add_option("--path", a->paths, "An RDB file; repeat for several")->required();
  from_file->add_option("--cluster", a->cluster, "Cluster name in the layout")->required();
  from_file->add_option("--instance", a->instance,
                        "Instance name (one --path only); default: the file name");
  from_file->callback([kind] { *kind = SourceKind::kFile; });

  CLI::App* from_standalone = dump->add_subcommand(
      "from-standalone",
      "A live Redis, through its replication handshake (PSYNC; disk-based and diskless "
      "transfers), parsed as it streams");
  from_standalone->add_option("--addr", a->addr, "host:port")->required();
  from_standalone->add_option("--user", a->user, "ACL user for AUTH; empty: the default user");
  from_standalone->add_option("--password", a->password, "Password for AUTH; empty: no AUTH");
  from_standalone->add_option("--cluster", a->cluster,
                              "Cluster name in the layout; default: --addr");
  from_standalone->add_option("--instance", a->instance, "Instance name; default: host:port");
  from_standalone->callback([kind] { *kind = SourceKind::kStandalone; });

  CLI::App* from_cluster = dump->add_subcommand(
      "from-cluster",
      "A Redis Cluster: masters discovered with CLUSTER NODES, each shard dumped from its "
      "master (or a replica with --require-replica); fills redis_slot");
  from_cluster->add_option("--nodes", a->nodes, "Seed nodes: host:port,host:port,...")->required();
  from_cluster->add_flag("--require-replica", a->require_replica,
                         "Dump every shard from one of its replicas; fail if one has none");
  from_cluster->add_option("--user", a->user, "ACL user for AUTH; empty: the default user");
  from_cluster->add_option("--password", a->password, "Password for AUTH; empty: no AUTH");
  from_cluster->add_option("--cluster", a->cluster,
                           "Cluster name in the layout; default: the first seed");
  from_cluster->callback([kind] { *kind = SourceKind::kCluster; });

  CLI::App* into = dump->add_subcommand("into-parquet", "The Parquet lake to write into");
  into->add_option("--dir", a->dir,
                   "The lake: a directory, file:///dir or s3://bucket/prefix (S3 credentials, "
                   "region and endpoint from AWS_* variables or ~/.aws, as the AWS CLI reads "
                   "them; AWS_ENDPOINT_URL for MinIO and other S3-compatible stores)")
      ->required();
  into->add_option("--tmp-dir", a->tmp_dir,
                   "For a lake in S3: where runs and files are written before they are "
                   "uploaded; default: $TMPDIR or /tmp");
  into->add_option("--run-rows", a->run_rows, "Keys per sorted run");
  into->add_option("--fan-in", a->fan_in, "Runs merged at once (more take intermediate passes)");
  into->add_option("--row-group-rows", a->row_group_rows, "Rows per row group of the final file");
  const std::string codecs = EnumChoices<parquet::CompressionCodec>(", ", parquet::CodecSupported);
  into->add_option("--compression", a->compression, "Codec of the final file: " + codecs);
  into->add_option("--intermediate-compression", a->intermediate_compression,
                   "Codec of the sorted runs: " + codecs);

  AddRdbReportCommands(*rdb, exit_code);

  dump->require_subcommand(2, 2);
  dump->callback([a, kind, into, &exit_code] {
    if (!into->parsed()) {
      std::fprintf(stderr, "strata rdb dump: the output is missing: add into-parquet --dir D\n");
      exit_code = 2;
      return;
    }
    exit_code = Dump(*a, *kind);
  });
}

}  // namespace strata::cli
