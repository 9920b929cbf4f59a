// strata rdb report from-parquet --dir D --cluster C [--batch B] [--output report.html]
// strata rdb top FILE [--n 50]
// strata rdb prefixes FILE [--min-share 1%]
#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <string>
#include <vector>

#include "byte_size.h"
#include "commands.h"
#include "objstore/read_cache.h"
#include "objstore/store_url.h"
#include "parquet/schema.h"
#include "rdb/rdb_parser.h"
#include "rdbtool/key_summary.h"
#include "rdbtool/memory_estimate.h"
#include "rdbtool/prefix_aggregator.h"
#include "rdbtool/remote_batch.h"
#include "rdbtool/report_builder.h"
#include "rdbtool/report_html.h"
#include "sort/external_sorter.h"
#include "strata/env.h"
#include "text_format.h"

namespace strata::cli {

namespace {

// "1%", "0.5%" or "0.01" to a fraction.
bool ParseShare(const std::string& text, double* share) {
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (end == text.c_str()) return false;
  const bool percent = *end == '%';
  if (percent) end++;
  if (*end != '\0') return false;
  *share = percent ? v / 100 : v;
  return *share > 0 && *share <= 1;
}

std::string Printable(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      out.push_back(c);
    } else {
      char hex[5];
      std::snprintf(hex, sizeof(hex), "\\x%02x", static_cast<unsigned char>(c));
      out += hex;
    }
  }
  return out;
}

// The read cache's default home: $XDG_CACHE_HOME/strata/objects, else ~/.cache/strata/objects.
std::string DefaultCacheDir() {
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && *xdg != '\0') {
    return std::string(xdg) + "/strata/objects";
  }
  const char* home = std::getenv("HOME");
  return std::string(home != nullptr && *home != '\0' ? home : "/tmp") + "/.cache/strata/objects";
}

struct ReportArgs {
  std::string dir, cluster, batch, output = "report.html", min_share = "1%";
  std::string cache_dir, cache_size = "2G";
};

int Report(const ReportArgs& a) {
  rdbtool::ReportOptions o;
  o.dir = a.dir;
  o.cluster = a.cluster;
  o.batch = a.batch;
  o.generated_at = UtcIso8601(std::time(nullptr));
  if (!ParseShare(a.min_share, &o.min_prefix_share)) {
    std::fprintf(stderr, "strata rdb report: --min-share must be like 1%% or 0.01\n");
    return 2;
  }
  auto fail = [](const Status& s) {
    std::fprintf(stderr, "strata rdb report: %s\n", s.ToString().c_str());
    return 1;
  };
  // A lake in object storage: the batch's files come through the read cache and are read as a
  // local lake of links to them.
  std::unique_ptr<objstore::ObjectStore> store;
  std::unique_ptr<objstore::ReadCache> cache;
  std::unique_ptr<rdbtool::FetchedBatch> fetched;
  if (a.dir.starts_with("s3://")) {
    const auto cache_bytes = ParseByteSize(a.cache_size);
    if (!cache_bytes.ok()) {
      std::fprintf(stderr, "strata rdb report: --cache-size must be like 2G or 500M\n");
      return 2;
    }
    auto opened = objstore::OpenObjectStore(a.dir);
    if (!opened.ok()) return fail(opened.status());
    store = std::move(*opened);
    auto made = objstore::ReadCache::Open(
        {a.cache_dir.empty() ? DefaultCacheDir() : a.cache_dir, *cache_bytes});
    if (!made.ok()) return fail(made.status());
    cache = std::move(*made);
    const char* tmp = std::getenv("TMPDIR");
    auto got = rdbtool::FetchBatch(store.get(), cache.get(), a.cluster, a.batch,
                                   tmp != nullptr && *tmp != '\0' ? tmp : "/tmp");
    if (!got.ok()) return fail(got.status());
    fetched = std::move(*got);
    o.dir = fetched->dir();
    o.batch = fetched->batch();
  }
  auto built = rdbtool::BuildReport(o);
  if (!built.ok()) {
    std::fprintf(stderr, "strata rdb report: %s\n", built.status().ToString().c_str());
    return 1;
  }
  rdbtool::ReportData data = std::move(*built);
  const std::string& output = a.output;
  data.strata_version = STRATA_VERSION;
  Status s;
  const std::string html = rdbtool::RenderReportHtml(data);
  std::unique_ptr<WritableFile> file;
  s = Env::Default()->NewWritableFile(output, FileOptions(), &file);
  if (s.ok()) s = file->Append(html);
  if (s.ok()) s = file->Sync();
  if (s.ok()) s = file->Close();
  if (!s.ok()) {
    std::fprintf(stderr, "strata rdb report: %s\n", s.ToString().c_str());
    return 1;
  }
  std::printf("report of cluster %s, batch %s: %" PRIu64 " keys -> %s\n", a.cluster.c_str(),
              data.batch.c_str(), data.total.keys, output.c_str());
  return 0;
}

// Parses an RDB file, calling on_key with each record and its memory estimate.
Status ForEachKey(const std::string& file,
                  const std::function<Status(const rdb::KeyRecord&, uint64_t)>& on_key) {
  auto source = FileByteSource::Open(file);
  if (!source.ok()) return source.status();
  rdb::KeyCallbackVisitor visitor(
      [&](const rdb::KeyRecord& r) { return on_key(r, rdbtool::EstimateMemory(r)); });
  rdb::RdbParser parser(source->get(), file, rdb::RdbParserOptions(), &visitor);
  return parser.Parse();
}

int Top(const std::string& file, size_t n) {
  // A summary keeps the top keys in a bounded heap: memory does not grow with the file.
  rdbtool::KeySummary summary(file, 0);
  Status s = ForEachKey(file, [&](const rdb::KeyRecord& r, uint64_t memory) {
    summary.Add(r, memory, std::nullopt, std::nullopt);
    return Status::OK();
  });
  if (!s.ok()) {
    std::fprintf(stderr, "strata rdb top: %s\n", s.ToString().c_str());
    return 1;
  }
  std::vector<rdbtool::ReportKey> top = summary.TopKeys();
  if (top.size() > n) top.resize(n);
  std::printf("%-4s %-12s %-12s %12s %14s %12s  %s\n", "db", "type", "encoding", "members",
              "memory", "rdb_size", "key");
  for (const rdbtool::ReportKey& k : top) {
    std::printf("%-4" PRIu64 " %-12s %-12s %12" PRIu64 " %14" PRIu64 " %12" PRIu64 "  %s\n", k.db,
                k.type.c_str(), k.encoding.c_str(), k.member_count, k.memory, k.rdb_size,
                Printable(k.key).c_str());
  }
  std::printf("%" PRIu64 " keys, %" PRIu64 " bytes of memory (estimated)\n", summary.totals().keys,
              summary.totals().memory_bytes);
  return 0;
}

void PrintPrefixes(const rdbtool::ReportPrefix& p, uint64_t total, int depth) {
  for (const rdbtool::ReportPrefix& c : p.children) {
    std::printf(
        "%6.2f%% %12" PRIu64 " %14" PRIu64 "  %*s%s\n",
        total ? 100.0 * static_cast<double>(c.memory_bytes) / static_cast<double>(total) : 0.0,
        c.keys, c.memory_bytes, depth * 2, "", Printable(c.prefix).c_str());
    PrintPrefixes(c, total, depth + 1);
  }
}

int Prefixes(const std::string& file, const std::string& min_share) {
  double share = 0;
  if (!ParseShare(min_share, &share)) {
    std::fprintf(stderr, "strata rdb prefixes: --min-share must be like 1%% or 0.01\n");
    return 2;
  }
  // Prefixes need the keys in order: they go through the external sorter (runs in a
  // temporary directory), so memory stays bounded whatever the file holds.
  const parquet::Schema schema({parquet::BinaryColumn("key"),
                                parquet::IntColumn("memory", 64, false),
                                parquet::IntColumn("rdb", 64, false)});
  char tmpl[] = "/tmp/strata-prefixes-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) {
    std::fprintf(stderr, "strata rdb prefixes: cannot create a temporary directory\n");
    return 1;
  }
  const std::string tmp = tmpl;
  sort::ExternalSorterOptions so;
  so.run_dir = tmp;
  so.run_prefix = "keys";
  sort::ExternalSorter sorter(schema, {0}, so);
  uint64_t total_memory = 0;
  Status s = ForEachKey(file, [&](const rdb::KeyRecord& r, uint64_t memory) {
    parquet::ColumnBatch* b = sorter.buffer();
    b->column(0).AppendBytes(r.key);
    b->column(1).AppendInt64(static_cast<int64_t>(memory));
    b->column(2).AppendInt64(static_cast<int64_t>(r.rdb_size));
    total_memory += memory;
    return sorter.AddBuffered();
  });
  rdbtool::PrefixAggregator agg(
      std::max<uint64_t>(1, static_cast<uint64_t>(static_cast<double>(total_memory) * share)),
      /*by_memory=*/true);
  if (s.ok()) {
    s = sorter.Finish([&](const parquet::ColumnBatch& sorted) {
      for (size_t i = 0; i < sorted.num_rows(); i++) {
        agg.Add(sorted.column(0).Bytes(i), sorted.column(1).Value<uint64_t>(i),
                sorted.column(2).Value<uint64_t>(i));
      }
      return Status::OK();
    });
  }
  sorter.RemoveRunFiles();
  (void)Env::Default()->DeleteDir(tmp);
  if (!s.ok()) {
    std::fprintf(stderr, "strata rdb prefixes: %s\n", s.ToString().c_str());
    return 1;
  }
  const rdbtool::ReportPrefix root = agg.Finish();
  std::printf("%7s %12s %14s  %s\n", "share", "keys", "memory", "prefix");
  std::printf("%6.2f%% %12" PRIu64 " %14" PRIu64 "  %s\n", 100.0, root.keys, root.memory_bytes,
              "(all keys)");
  PrintPrefixes(root, root.memory_bytes, 1);
  return 0;
}

}  // namespace

void AddRdbReportCommands(CLI::App& rdb, int& exit_code) {
  auto ra = std::make_shared<ReportArgs>();
  CLI::App* report = rdb.add_subcommand(
      "report",
      "Write one self-contained HTML report of a dumped batch: totals per db, type, encoding "
      "and instance; top keys; a prefix flame graph; big keys; slot skew; expiries");
  report->require_subcommand(1);
  CLI::App* from = report->add_subcommand("from-parquet", "From a lake written by rdb dump");
  from->add_option("--dir", ra->dir,
                   "The lake: a directory, file:///dir or s3://bucket/prefix (only batches "
                   "with a _SUCCESS manifest are read; credentials as for the AWS CLI)")
      ->required();
  from->add_option("--cache-dir", ra->cache_dir,
                   "For a lake in S3: the local read cache of downloaded files; default: "
                   "$XDG_CACHE_HOME/strata/objects or ~/.cache/strata/objects");
  from->add_option("--cache-size", ra->cache_size,
                   "For a lake in S3: the read cache's size, least recently used files "
                   "evicted first (e.g. 2G, 500M)");
  from->add_option("--cluster", ra->cluster, "Cluster name")->required();
  from->add_option("--batch", ra->batch, "Batch id; default: the latest committed batch");
  from->add_option("--output", ra->output, "HTML file to write");
  from->add_option("--min-share", ra->min_share,
                   "Smallest share of memory a prefix must hold to be shown");
  from->callback([ra, &exit_code] { exit_code = Report(*ra); });

  auto top_file = std::make_shared<std::string>();
  auto top_n = std::make_shared<size_t>(50);
  CLI::App* top = rdb.add_subcommand(
      "top", "The largest keys of an RDB file by estimated memory, in bounded memory");
  top->add_option("FILE", *top_file, "RDB file")->required();
  top->add_option("--n", *top_n, "Keys to show (at most 100)");
  top->callback([top_file, top_n, &exit_code] {
    exit_code = Top(*top_file, std::min<size_t>(*top_n, rdbtool::KeySummary::kTopKeys));
  });

  auto pre_file = std::make_shared<std::string>();
  auto pre_share = std::make_shared<std::string>("1%");
  CLI::App* prefixes = rdb.add_subcommand(
      "prefixes",
      "Key prefixes (cut after ':', '/', '|', '.', '#') holding at least a share of an RDB "
      "file's estimated memory; keys are sorted through temporary files, so memory stays "
      "bounded");
  prefixes->add_option("FILE", *pre_file, "RDB file")->required();
  prefixes->add_option("--min-share", *pre_share, "Smallest share shown, e.g. 1% or 0.5%");
  prefixes->callback(
      [pre_file, pre_share, &exit_code] { exit_code = Prefixes(*pre_file, *pre_share); });
}

}  // namespace strata::cli
