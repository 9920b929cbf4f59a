#include "db/compaction_picker.h"

#include <algorithm>
#include <numeric>

namespace strata {

namespace {

// Score of a level that must be emptied (it lies above the base level).
constexpr double kMustEmptyScore = 1e9;

}  // namespace

LevelTargets ComputeLevelTargets(const Version& v, const CompactionOptions& options) {
  LevelTargets t;
  uint64_t largest = 0;
  int first_nonempty = kNumLevels - 1;
  for (int level = kNumLevels - 1; level >= 1; level--) {
    const uint64_t bytes = v.LevelBytes(level);
    largest = std::max(largest, bytes);
    if (bytes > 0) first_nonempty = level;
  }
  // Walk up from the last level, dividing by the multiplier, until the target fits the base.
  const uint64_t multiplier = static_cast<uint64_t>(std::max(options.level_multiplier, 2));
  int base = kNumLevels - 1;
  uint64_t target = largest;
  while (base > 1 && target > options.max_bytes_for_level_base) {
    target /= multiplier;
    base--;
  }
  for (int level = base; level < kNumLevels - 1; level++) {
    t.bytes[level] = std::max<uint64_t>(target, 1);
    target *= multiplier;
  }
  // Data above the computed base (the DB shrank, or a level is only now filling up) is never
  // jumped over: level 0 compacts into the first non-empty level, and the levels from there
  // to the computed base get proportionally smaller targets.
  if (first_nonempty < base) {
    uint64_t smaller = t.bytes[base] == 0 ? largest : t.bytes[base];
    for (int level = base - 1; level >= first_nonempty; level--) {
      smaller /= multiplier;
      t.bytes[level] = std::max<uint64_t>(smaller, 1);
    }
    base = first_nonempty;
  }
  t.base_level = base;
  return t;
}

CompactionPicker::CompactionPicker(const memtable::InternalKeyComparator* icmp,
                                   CompactionOptions options)
    : icmp_(icmp), ucmp_(icmp->user_comparator()), options_(options) {}

std::vector<double> CompactionPicker::Scores(const Version& v) const {
  const LevelTargets t = ComputeLevelTargets(v, options_);
  std::vector<double> scores(kNumLevels, 0.0);
  int l0_files = 0;
  for (const auto& f : v.files[0]) l0_files += busy_files_.count(f->number) ? 0 : 1;
  scores[0] = static_cast<double>(l0_files) / std::max(options_.level0_trigger, 1);
  for (int level = 1; level < kNumLevels - 1; level++) {
    uint64_t bytes = 0;
    for (const auto& f : v.files[level]) {
      if (!busy_files_.count(f->number)) bytes += f->file_size;
    }
    if (level < t.base_level) {
      scores[level] = bytes > 0 ? kMustEmptyScore : 0;
    } else {
      scores[level] = static_cast<double>(bytes) / static_cast<double>(t.bytes[level]);
    }
  }
  return scores;
}

std::unique_ptr<Compaction> CompactionPicker::Pick(const std::shared_ptr<const Version>& v) {
  const std::vector<double> scores = Scores(*v);
  std::vector<int> order(kNumLevels - 1);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return scores[a] > scores[b]; });
  for (int level : order) {
    if (scores[level] < 1) break;
    std::unique_ptr<Compaction> c =
        level == 0 ? PickLevel0(v, ComputeLevelTargets(*v, options_).base_level)
                   : PickLevel(v, level);
    if (c) {
      c->score = scores[level];
      Register(*c);
      return c;
    }
  }
  return nullptr;
}

std::unique_ptr<Compaction> CompactionPicker::PickLevel0(const std::shared_ptr<const Version>& v,
                                                         int base_level) {
  // Level-0 files overlap each other and are ordered by age: a compaction takes all of
  // them, and only one level-0 compaction runs at a time. (Moving a newer file below an older
  // one it overlaps would let the older one shadow it.)
  if (v->files[0].empty() || IsBusy(v->files[0])) return nullptr;
  auto c = std::make_unique<Compaction>();
  c->version = v;
  c->level = 0;
  c->output_level = base_level;
  c->inputs[0] = v->files[0];
  if (!Complete(c.get())) return nullptr;
  return c;
}

std::unique_ptr<Compaction> CompactionPicker::PickLevel(const std::shared_ptr<const Version>& v,
                                                        int level) {
  const FileList& files = v->files[level];
  if (files.empty()) return nullptr;
  // Start after the cursor, wrapping around.
  size_t start = 0;
  if (!cursor_[level].empty()) {
    while (start < files.size() && icmp_->Compare(files[start]->largest, cursor_[level]) <= 0) {
      start++;
    }
  }
  for (size_t i = 0; i < files.size(); i++) {
    const auto& f = files[(start + i) % files.size()];
    if (busy_files_.count(f->number)) continue;
    auto c = std::make_unique<Compaction>();
    c->version = v;
    c->level = level;
    c->output_level = level + 1;
    c->inputs[0] = {f};
    if (!Complete(c.get())) continue;
    cursor_[level] = f->largest;
    return c;
  }
  return nullptr;
}

std::unique_ptr<Compaction> CompactionPicker::PickRange(const std::shared_ptr<const Version>& v,
                                                        int level, const Slice* begin,
                                                        const Slice* end, bool* busy) {
  *busy = false;
  FileList inputs = Overlapping(*v, level, begin, end);
  if (inputs.empty()) return nullptr;
  auto c = std::make_unique<Compaction>();
  c->version = v;
  c->level = level;
  c->manual = true;
  if (level == 0) {
    inputs = v->files[0];  // all of level 0, as in PickLevel0
    c->output_level = ComputeLevelTargets(*v, options_).base_level;
  } else {
    // The last level compacts into itself: its deletions and obsolete versions go.
    c->output_level = std::min(level + 1, kNumLevels - 1);
  }
  c->inputs[0] = std::move(inputs);
  if ((level == 0 && IsBusy(c->inputs[0])) || !Complete(c.get())) {
    *busy = true;
    return nullptr;
  }
  Register(*c);
  return c;
}

bool CompactionPicker::Complete(Compaction* c) {
  if (IsBusy(c->inputs[0])) return false;
  std::string lo;
  std::string hi;
  UserKeyRange(c->inputs[0], &lo, &hi);
  const Slice lo_slice(lo);
  const Slice hi_slice(hi);
  if (c->output_level != c->level) {
    c->inputs[1] = Overlapping(*c->version, c->output_level, &lo_slice, &hi_slice);
  }
  if (IsBusy(c->inputs[1])) return false;
  FileList all = c->inputs[0];
  all.insert(all.end(), c->inputs[1].begin(), c->inputs[1].end());
  UserKeyRange(all, &c->smallest_user_key, &c->largest_user_key);
  for (const Running& r : running_) {
    if (r.output_level != c->output_level) continue;
    const bool disjoint = ucmp_->Compare(r.largest_user_key, c->smallest_user_key) < 0 ||
                          ucmp_->Compare(c->largest_user_key, r.smallest_user_key) < 0;
    if (!disjoint) return false;
  }
  if (c->output_level + 1 < kNumLevels) {
    const Slice all_lo(c->smallest_user_key);
    const Slice all_hi(c->largest_user_key);
    c->grandparents = Overlapping(*c->version, c->output_level + 1, &all_lo, &all_hi);
  }
  c->max_output_file_size = options_.target_file_size;
  c->max_grandparent_overlap_bytes = 10 * options_.target_file_size;
  return true;
}

void CompactionPicker::Register(const Compaction& c) {
  for (const auto& which : c.inputs) {
    for (const auto& f : which) busy_files_.insert(f->number);
  }
  running_.push_back({c.output_level, c.smallest_user_key, c.largest_user_key, &c});
}

void CompactionPicker::Release(const Compaction& c) {
  for (const auto& which : c.inputs) {
    for (const auto& f : which) busy_files_.erase(f->number);
  }
  std::erase_if(running_, [&](const Running& r) { return r.compaction == &c; });
}

bool CompactionPicker::IsBusy(const FileList& files) const {
  return std::any_of(files.begin(), files.end(),
                     [this](const auto& f) { return busy_files_.count(f->number) > 0; });
}

FileList CompactionPicker::Overlapping(const Version& v, int level, const Slice* lo,
                                       const Slice* hi) const {
  FileList out;
  for (const auto& f : v.files[level]) {
    if (hi != nullptr && ucmp_->Compare(memtable::ExtractUserKey(f->smallest), *hi) > 0) continue;
    if (lo != nullptr && ucmp_->Compare(memtable::ExtractUserKey(f->largest), *lo) < 0) continue;
    out.push_back(f);
  }
  return out;
}

void CompactionPicker::UserKeyRange(const FileList& files, std::string* lo, std::string* hi) const {
  lo->clear();
  hi->clear();
  bool first = true;
  for (const auto& f : files) {
    const Slice s = memtable::ExtractUserKey(f->smallest);
    const Slice l = memtable::ExtractUserKey(f->largest);
    if (first || ucmp_->Compare(s, *lo) < 0) lo->assign(s.data(), s.size());
    if (first || ucmp_->Compare(l, *hi) > 0) hi->assign(l.data(), l.size());
    first = false;
  }
}

}  // namespace strata
