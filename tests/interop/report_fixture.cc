// report_fixture: the C++ side of the browser test of the HTML report
// (tests/interop/report_in_chromium.mjs).
//
//   report_fixture full FILE    renders the hand-made report below into FILE
//   report_fixture empty FILE   renders a report with no keys at all (no rows, no prefixes,
//                               no slots, no expiry buckets) into FILE
//
// The values are chosen by hand so that the totals add up and the test can state them
// independently: report_in_chromium.mjs holds its own copy of every value it checks, and of
// how the awkward keys must read once escaped. Change both together.
//
// Exit status 0 on success, 1 when FILE cannot be written, 2 on bad usage.
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "rdbtool/report_data.h"
#include "rdbtool/report_html.h"

namespace strata::interop {
namespace {

using rdbtool::ReportData;
using rdbtool::ReportExpiryBucket;
using rdbtool::ReportGroup;
using rdbtool::ReportKey;
using rdbtool::ReportPrefix;
using rdbtool::ReportSlot;
using rdbtool::ReportSlots;
using rdbtool::ReportTotals;

constexpr uint64_t kMiB = 1024 * 1024;
constexpr uint64_t kGiB = 1024 * kMiB;
constexpr int64_t kGeneratedAtMs = 1796054861000;  // 2026-11-30T16:07:41Z
constexpr int64_t kMinuteMs = 60'000;
constexpr int64_t kHourMs = 60 * kMinuteMs;
constexpr int64_t kDayMs = 24 * kHourMs;

const char* const kInstances[] = {"10.0.1.11:6379", "10.0.1.12:6379", "10.0.1.13:6379"};

ReportGroup Group(std::string name, uint64_t keys, uint64_t memory, uint64_t rdb,
                  uint64_t expiring) {
  return ReportGroup{std::move(name), ReportTotals{keys, rdb, memory, expiring}};
}

// Keys that try to break the page: markup, bytes that are not UTF-8, separators JavaScript
// treats as line ends, bidirectional overrides, formulas, a long key, an empty one.
struct AwkwardKey {
  std::string key;
  std::string type;
  std::string encoding;
  uint64_t members;
  std::optional<int64_t> expire_at_ms;
};

std::vector<AwkwardKey> AwkwardKeys() {
  using namespace std::string_literals;
  std::string long_key = "long:";
  for (int i = 0; i < 300; i++) long_key += "0123456789";
  return {
      {"</script><script>window.pwned=1</script>", "string", "raw", 1, std::nullopt},
      {"bin:\x00\x01\xff\xfe\x1b[31m"s, "hash", "hashtable", 25000,
       kGeneratedAtMs + 30 * kMinuteMs},
      {"he said \"hi\" & <b>bold</b> 'x'", "zset", "skiplist", 300, kGeneratedAtMs + 5 * kHourMs},
      {"\u7528\u6237:\u043a\u043b\u044e\u0447:\U0001F600", "hash", "listpack", 120,
       kGeneratedAtMs + 12 * kDayMs},
      {"line\u2028sep\u2029end", "string", "embstr", 1, 0},
      {long_key, "list", "quicklist", 70000, std::numeric_limits<int64_t>::max()},
      {"=HYPERLINK(\"http://evil.example\",\"x\"),1", "string", "raw", 1, -1},
      {"C:\\temp\\x41", "string", "raw", 1, std::nullopt},
      {"abc\u202Eevil", "set", "hashtable", 900, std::nullopt},
      {"bad:\xc3\x28|\xc0\xaf|\xed\xa0\x80|\xe2\x82", "string", "raw", 1, std::nullopt},
      {"", "string", "raw", 1, std::nullopt},
      {"multi\nline\tkey", "string", "raw", 1, std::nullopt},
      {"<img src=x onerror=window.pwned=2>", "string", "raw", 1, std::nullopt},
      {"<!--<script>\u00a0nbsp", "string", "raw", 1, std::nullopt},
  };
}

// The 100 largest keys: the 14 awkward ones (200 MiB down in steps of 10,000,000 bytes), then
// 86 generated ones by a formula report_in_chromium.mjs repeats.
std::vector<ReportKey> TopKeys() {
  std::vector<ReportKey> keys;
  const std::vector<AwkwardKey> awkward = AwkwardKeys();
  for (size_t j = 0; j < awkward.size(); j++) {
    const AwkwardKey& a = awkward[j];
    const uint64_t memory = 200 * kMiB - j * 10'000'000;
    keys.push_back(ReportKey{kInstances[j % 3], j % 3 == 2 ? 1u : 0u, a.key, a.type, a.encoding,
                             a.members, memory / 2, memory, a.expire_at_ms});
  }
  const char* const kTypes[] = {"hash", "zset", "list", "set"};
  const char* const kEncodings[] = {"listpack", "skiplist", "quicklist", "intset"};
  for (uint64_t i = 0; i < 86; i++) {
    char name[32];
    std::snprintf(name, sizeof(name), "cache:item:%05u", static_cast<unsigned>(i));
    const uint64_t memory = 40'000'000 - 400'000 * i;
    std::optional<int64_t> expire;
    if (i % 4 == 0) expire = kGeneratedAtMs + static_cast<int64_t>(i + 1) * kHourMs;
    keys.push_back(ReportKey{kInstances[i % 3], i % 2, name, kTypes[i % 4], kEncodings[i % 4],
                             1000 + 37 * i, memory / 5 * 2, memory, expire});
  }
  return keys;
}

ReportPrefix Prefix(std::string prefix, uint64_t keys, uint64_t memory, uint64_t rdb,
                    std::vector<ReportPrefix> children = {}) {
  return ReportPrefix{std::move(prefix), keys, memory, rdb, std::move(children)};
}

ReportSlot Slot(uint32_t slot, uint64_t keys, uint64_t memory, std::vector<std::string> instances) {
  return ReportSlot{slot, keys, memory, std::move(instances)};
}

ReportData FullReport() {
  ReportData d;
  d.cluster = "eu-west \"orders\" <b>&amp;</b> \u2713";
  d.batch = "2026-11-30_16-05-09.123Z";
  d.generated_at = "2026-11-30T16:07:41Z";
  d.strata_version = "0.1.0";
  d.min_prefix_share = 0.01;
  d.total = ReportTotals{1'234'567, 3'221'225'472, 7 * kGiB, 456'789};
  d.by_db = {Group("0", 1'200'000, 7'301'444'608, 3'100'000'000, 450'000),
             Group("1", 34'567, 214'748'160, 121'225'472, 6'789)};
  d.by_type = {Group("string", 800'000, 2 * kGiB, 1'000'000'000, 400'000),
               Group("hash", 300'000, 3 * kGiB, 1'500'000'000, 50'000),
               Group("zset", 100'000, 1536 * kMiB, 600'000'000, 6'000),
               Group("list", 34'567, 512 * kMiB, 121'225'472, 789)};
  d.by_encoding = {Group("embstr", 600'000, kGiB, 400'000'000, 300'000),
                   Group("raw", 200'000, kGiB, 600'000'000, 100'000),
                   Group("listpack", 250'000, 2 * kGiB, 1'200'000'000, 45'000),
                   Group("hashtable", 50'000, kGiB, 300'000'000, 5'000),
                   Group("skiplist", 100'000, 1536 * kMiB, 600'000'000, 6'000),
                   Group("quicklist", 34'567, 512 * kMiB, 121'225'472, 789)};
  d.by_instance = {Group(kInstances[0], 500'000, 3 * kGiB, 1'400'000'000, 200'000),
                   Group(kInstances[1], 434'567, 2560 * kMiB, 1'121'225'472, 156'789),
                   Group(kInstances[2], 300'000, 1536 * kMiB, 700'000'000, 100'000)};
  d.top_keys = TopKeys();
  for (size_t i : {0, 1, 3, 5}) d.big_keys.push_back(d.top_keys[i]);

  d.prefixes =
      Prefix("", 1'234'567, 7 * kGiB, 3'221'225'472,
             {Prefix("user:", 600'000, 3072 * kMiB, 1'400'000'000,
                     {Prefix("user:session:", 400'000, 2048 * kMiB, 1'000'000'000,
                             {Prefix("user:session:web:", 300'000, 1536 * kMiB, 700'000'000),
                              Prefix("user:session:api:", 60'000, 256 * kMiB, 150'000'000)}),
                      Prefix("user:profile:", 150'000, 768 * kMiB, 300'000'000)}),
              Prefix("cache:", 500'000, 2560 * kMiB, 1'200'000'000,
                     {Prefix("cache:item:", 400'000, 2048 * kMiB, 1'000'000'000),
                      Prefix("cache:page:", 50'000, 256 * kMiB, 100'000'000)}),
              Prefix("\u7528\u6237:", 20'000, 256 * kMiB, 100'000'000),
              Prefix(std::string("bin:\x00\xff:", 7), 5'000, 128 * kMiB, 60'000'000),
              Prefix("</script><b>", 10, 100 * kMiB, 50'000'000)});

  ReportSlots redis;
  redis.scheme = "redis";
  redis.total_slots = 16384;
  redis.slots_seen = 16384;
  redis.on_several_instances = {Slot(5798, 120, kMiB, {kInstances[0], kInstances[1]}),
                                Slot(12000, 80, 512 * 1024, {kInstances[1], kInstances[2]})};
  redis.largest = {Slot(866, 9'000, 256 * kMiB, {kInstances[0]}),
                   Slot(7001, 4'000, 64 * kMiB, {kInstances[1]}),
                   Slot(15495, 2'500, 32 * kMiB, {kInstances[2]})};
  redis.min_memory = 102'400;
  redis.max_memory = 256 * kMiB;
  redis.mean_memory = 458'752.0;  // 7 GiB over 16,384 slots
  redis.stddev_memory = 2'345'678.9;
  d.redis_slots = redis;

  ReportSlots codis;
  codis.scheme = "codis";
  codis.total_slots = 1024;
  codis.slots_seen = 1000;
  codis.largest = {Slot(17, 3'000, 32 * kMiB, {kInstances[0]}),
                   Slot(512, 2'000, 16 * kMiB, {kInstances[2]})};
  codis.min_memory = kMiB;
  codis.max_memory = 32 * kMiB;
  codis.mean_memory = 7'516'192.768;  // 7 GiB over 1,000 slots
  codis.stddev_memory = 1'234'567.5;
  d.codis_slots = codis;

  d.expiry = {ReportExpiryBucket{"expired", 1'234, 10 * kMiB},
              ReportExpiryBucket{"< 1 h", 12'345, 64 * kMiB},
              ReportExpiryBucket{"< 1 d", 100'000, 512 * kMiB},
              ReportExpiryBucket{"< 7 d", 200'000, kGiB},
              ReportExpiryBucket{"later", 143'210, 1536 * kMiB},
              ReportExpiryBucket{"none", 777'778, 4022 * kMiB}};
  return d;
}

ReportData EmptyReport() {
  ReportData d;
  d.cluster = "empty";
  d.batch = "2026-11-30_00-00-00.000Z";
  d.generated_at = "2026-11-30T00:00:01Z";
  d.strata_version = "0.1.0";
  return d;
}

int Main(int argc, char** argv) {
  const std::string mode = argc == 3 ? argv[1] : "";
  if (mode != "full" && mode != "empty") {
    std::cerr << "usage: report_fixture full|empty FILE\n";
    return 2;
  }
  const std::string html = rdbtool::RenderReportHtml(mode == "full" ? FullReport() : EmptyReport());
  std::ofstream out(argv[2], std::ios::binary | std::ios::trunc);
  out.write(html.data(), static_cast<std::streamsize>(html.size()));
  out.close();
  if (!out) {
    std::cerr << "report_fixture: cannot write " << argv[2] << "\n";
    return 1;
  }
  return 0;
}

}  // namespace
}  // namespace strata::interop

int main(int argc, char** argv) { return strata::interop::Main(argc, argv); }
