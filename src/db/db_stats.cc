#include "db/db_stats.h"

#include <cinttypes>
#include <cstdarg>
#include <cstdio>

namespace strata {

namespace {

void Append(std::string* out, const char* format, ...) __attribute__((format(printf, 2, 3)));
void Append(std::string* out, const char* format, ...) {
  char line[256];
  va_list args;
  va_start(args, format);
  std::vsnprintf(line, sizeof(line), format, args);
  va_end(args);
  *out += line;
}

double MiB(uint64_t bytes) { return static_cast<double>(bytes) / (1 << 20); }

double Ratio(uint64_t a, uint64_t b) {
  return b == 0 ? 0.0 : static_cast<double>(a) / static_cast<double>(b);
}

}  // namespace

std::string FormatStats(const DbStats& stats, const StatsInputs& in) {
  std::string out;
  Append(&out, "%-5s %6s %10s %10s %7s %5s %6s %6s %10s %10s %10s %6s %9s\n", "level", "files",
         "size_mb", "target_mb", "score", "r_amp", "runs", "moves", "read_up_mb", "read_lv_mb",
         "write_mb", "w_amp", "seconds");
  LevelWriteStats sum;
  int files = 0;
  uint64_t bytes = 0;
  int read_amp = in.memtables;
  for (int level = 0; level < kNumLevels; level++) {
    const Version& v = *in.version;
    const LevelWriteStats& l = stats.level[level];
    const int level_read_amp = level == 0 ? v.NumFiles(0) : (v.NumFiles(level) > 0 ? 1 : 0);
    read_amp += level_read_amp;
    files += v.NumFiles(level);
    bytes += v.LevelBytes(level);
    char target[16] = "-";
    if (in.targets.bytes[level] > 0) {
      std::snprintf(target, sizeof(target), "%.1f", MiB(in.targets.bytes[level]));
    }
    const double score = level < static_cast<int>(in.scores.size()) ? in.scores[level] : 0.0;
    Append(&out,
           "L%-4d %6d %10.1f %10s %7.2f %5d %6" PRIu64 " %6" PRIu64
           " %10.1f %10.1f %10.1f %6.2f %9.2f%s\n",
           level, v.NumFiles(level), MiB(v.LevelBytes(level)), target, score, level_read_amp,
           l.runs, l.trivial_moves, MiB(l.bytes_read_upper), MiB(l.bytes_read_level),
           MiB(l.bytes_written), Ratio(l.bytes_written, l.bytes_read_upper),
           static_cast<double>(l.micros) / 1e6, level == in.targets.base_level ? "  (base)" : "");
    sum.runs += l.runs;
    sum.trivial_moves += l.trivial_moves;
    sum.bytes_read_upper += l.bytes_read_upper;
    sum.bytes_read_level += l.bytes_read_level;
    sum.bytes_written += l.bytes_written;
    sum.micros += l.micros;
  }
  Append(&out,
         "%-5s %6d %10.1f %10s %7s %5d %6" PRIu64 " %6" PRIu64
         " %10.1f %10.1f %10.1f %6.2f %9.2f\n",
         "sum", files, MiB(bytes), "-", "-", read_amp, sum.runs, sum.trivial_moves,
         MiB(sum.bytes_read_upper), MiB(sum.bytes_read_level), MiB(sum.bytes_written),
         Ratio(sum.bytes_written, stats.ingest_bytes), static_cast<double>(sum.micros) / 1e6);
  Append(&out,
         "ingest: %.1f MB of user writes; write amplification %.2f (bytes flushed and "
         "compacted / bytes ingested)\n",
         MiB(stats.ingest_bytes), Ratio(sum.bytes_written, stats.ingest_bytes));
  Append(&out,
         "read amplification: %d sorted runs (%d memtables, level-0 files, non-empty levels)\n",
         read_amp, in.memtables);
  Append(&out,
         "stalls: stopped %" PRIu64 " times for %.3f s; slowed %" PRIu64
         " writes for %.3f s; compaction rate limit waited %.3f s\n",
         stats.stop_count, static_cast<double>(stats.stop_micros) / 1e6, stats.slowdown_count,
         static_cast<double>(stats.slowdown_micros) / 1e6,
         static_cast<double>(stats.rate_limit_micros) / 1e6);
  Append(&out,
         "flushes %" PRIu64 ", compactions %" PRIu64 " (%" PRIu64
         " trivial moves), compaction time %.2f s, uptime %.1f s, last sequence %" PRIu64 "\n",
         stats.level[0].runs, sum.runs - stats.level[0].runs, sum.trivial_moves,
         static_cast<double>(sum.micros - stats.level[0].micros) / 1e6, in.uptime_seconds,
         in.last_sequence);
  return out;
}

}  // namespace strata
