// DBImpl's read side: Get, iterators, snapshots and properties. Readers take references
// (memtables, Version, tables) under mu_ and read without it.
#include <algorithm>
#include <vector>

#include "base/error_iterator.h"
#include "base/forwarding_iterator.h"
#include "db/db_impl.h"
#include "db/db_iter.h"
#include "db/level_iterator.h"
#include "merge/merging_iterator.h"
#include "sst/bloom_filter.h"

namespace strata {

Status DBImpl::Get(const ReadOptions& options, const Slice& key, std::string* value) {
  // The sequence first, then the sources: a write published at or below it is in a memtable
  // of any SuperVersion taken afterwards (see super_version.h).
  const memtable::SequenceNumber sequence =
      options.snapshot ? static_cast<const SnapshotImpl*>(options.snapshot)->sequence
                       : published_sequence_.load(std::memory_order_acquire);
  SuperVersionCache::Lease lease;
  SuperVersion* sv = GetSuperVersion(&lease);
  Status s = GetFrom(*sv, key, sequence, options, value);
  ReturnSuperVersion(lease, sv);
  return s;
}

Status DBImpl::GetFrom(const SuperVersion& sv, const Slice& key, memtable::SequenceNumber sequence,
                       const ReadOptions& options, std::string* value) {
  memtable::LookupKey lkey(key, sequence);
  Status s;
  if (sv.mem->Get(lkey, value, &s)) return s;
  for (memtable::MemTable* imm : sv.imms) {
    if (imm->Get(lkey, value, &s)) return s;
  }
  const Version* version = sv.version.get();

  const Comparator* ucmp = options_.comparator;
  sst::TableReadOptions read_options{options.verify_checksums, options.fill_cache};
  auto in_range = [&](const FileMetaData& f) {
    return ucmp->Compare(key, memtable::ExtractUserKey(f.smallest)) >= 0 &&
           ucmp->Compare(key, memtable::ExtractUserKey(f.largest)) <= 0;
  };
  // The tables that may hold the key, in the order they must be asked: level-0 files newest
  // first, then at most one file per deeper level. Their filters are probed with one hash,
  // and every filter line is prefetched before the first probe, so the cache misses of the
  // probes overlap instead of adding up.
  // Trivially constructible, so the array costs nothing until used; the rare unpinned
  // table and open failure live in the vectors below.
  struct Candidate {
    const sst::TableReader* table;  // null if it could not be opened
    size_t failure;                 // then failures[failure] says why (reported if reached)
  };
  Candidate candidates[kNumLevels + 16];
  std::vector<Candidate> more;  // candidates beyond what fits the array, in order
  std::vector<std::shared_ptr<sst::TableReader>> held;  // own the tables that are not pinned
  std::vector<Status> failures;
  size_t n = 0;
  const uint64_t filter_hash = sst::BloomHash(key);
  auto add = [&](const FileMetaData& f) {
    Candidate c{nullptr, 0};
    std::shared_ptr<sst::TableReader> hold;
    Status open = table_cache_->FindPinned(f, &c.table, &hold);
    if (open.ok()) {
      if (hold != nullptr) held.push_back(std::move(hold));
      c.table->PrefetchFilter(filter_hash);
    } else {
      c.table = nullptr;
      c.failure = failures.size();
      failures.push_back(std::move(open));
    }
    if (n < std::size(candidates)) {
      candidates[n++] = c;
    } else {
      more.push_back(c);
    }
  };
  for (const auto& f : version->files[0]) {  // newest first
    if (in_range(*f)) add(*f);
  }
  for (int level = 1; level < kNumLevels; level++) {
    const auto& files = version->files[level];
    // The first file whose largest key is >= the lookup key.
    auto it = std::lower_bound(
        files.begin(), files.end(), lkey.internal_key(),
        [this](const auto& f, const Slice& k) { return icmp_.Compare(f->largest, k) < 0; });
    if (it != files.end() && in_range(**it)) add(**it);
  }
  // Looks in one table; true if it decided the answer.
  auto search = [&](const Candidate& c, Status* result) {
    if (c.table == nullptr) {
      *result = failures[c.failure];
      return true;
    }
    const sst::TableReader& table = *c.table;
    if (!table.HashMayMatch(filter_hash)) return false;
    // The entry found is judged in place, inside its block: only a matching value is copied.
    struct Match {
      const Comparator* ucmp;
      const Slice* key;
      std::string* value;
      enum { kNone, kValue, kDeleted, kCorrupt } state = kNone;
    } match{ucmp, &key, value};
    Status ts = table.InternalGet(
        read_options, lkey.internal_key(),
        [](void* arg, const Slice& found_key, const Slice& found_value) {
          auto* m = static_cast<Match*>(arg);
          memtable::ParsedInternalKey k;
          if (!memtable::ParseInternalKey(found_key, &k)) {
            m->state = Match::kCorrupt;
            return;
          }
          if (m->ucmp->Compare(k.user_key, *m->key) != 0) return;
          if (k.type == memtable::ValueType::kDeletion) {
            m->state = Match::kDeleted;
            return;
          }
          m->value->assign(found_value.data(), found_value.size());
          m->state = Match::kValue;
        },
        &match);
    if (!ts.ok()) {
      *result = ts;
      return true;
    }
    switch (match.state) {
      case Match::kNone:
        return false;
      case Match::kCorrupt:
        *result = Status::Corruption(table.file_name(), "malformed internal key");
        return true;
      case Match::kDeleted:
        *result = Status::NotFound(Slice());
        return true;
      case Match::kValue:
        *result = Status::OK();
        return true;
    }
    return false;
  };
  // Every candidate in order: the array first, then what did not fit in it (added later).
  for (size_t i = 0; i < n; i++) {
    if (search(candidates[i], &s)) return s;
  }
  for (const Candidate& c : more) {
    if (search(c, &s)) return s;
  }
  return Status::NotFound(Slice());
}

std::unique_ptr<Iterator> DBImpl::NewInternalIterator(const ReadOptions& options,
                                                      memtable::SequenceNumber* sequence) {
  std::vector<std::unique_ptr<Iterator>> children;
  std::shared_ptr<const Version> version;
  {
    std::lock_guard lock(mu_);
    *sequence = options.snapshot ? static_cast<const SnapshotImpl*>(options.snapshot)->sequence
                                 : versions_->last_sequence();
    children.push_back(mem_->NewIterator());  // memtable iterators hold their own reference
    for (auto it = imms_.rbegin(); it != imms_.rend(); ++it)
      children.push_back(it->mem->NewIterator());
    version = versions_->current();
  }
  // What the iterator reads from, held until it is destroyed: the Version pins every table
  // file below it, and level 0's readers are held directly (deeper levels' iterators hold
  // the reader of the table they are in).
  struct Pins {
    std::shared_ptr<const Version> version;
    std::vector<std::shared_ptr<sst::TableReader>> tables;
  };
  auto pins = std::make_shared<Pins>();
  sst::TableReadOptions read_options{options.verify_checksums, options.fill_cache};
  // Level 0's files overlap: one iterator each. Deeper levels: one iterator per level.
  for (const auto& f : version->files[0]) {
    auto table = table_cache_->Find(*f);
    if (!table.ok()) return NewErrorIterator(table.status());
    children.push_back((*table)->NewIterator(read_options));
    pins->tables.push_back(std::move(*table));
  }
  for (int level = 1; level < kNumLevels; level++) {
    if (version->files[level].empty()) continue;
    children.push_back(
        NewLevelIterator(&icmp_, table_cache_.get(), &version->files[level], read_options));
  }
  auto merged = merge::NewMergingIterator(&icmp_, std::move(children));
  pins->version = std::move(version);
  return NewKeepAliveIterator(std::move(merged), std::move(pins));
}

std::unique_ptr<Iterator> DBImpl::NewIterator(const ReadOptions& options) {
  memtable::SequenceNumber sequence;
  std::unique_ptr<Iterator> internal = NewInternalIterator(options, &sequence);
  return NewDBIterator(options_.comparator, std::move(internal), sequence);
}

const Snapshot* DBImpl::GetSnapshot() {
  std::lock_guard lock(mu_);
  const memtable::SequenceNumber s = versions_->last_sequence();
  snapshots_.insert(s);
  return new SnapshotImpl(s);  // owned by the caller until ReleaseSnapshot()
}

void DBImpl::ReleaseSnapshot(const Snapshot* snapshot) {
  const auto* impl = static_cast<const SnapshotImpl*>(snapshot);
  {
    std::lock_guard lock(mu_);
    auto it = snapshots_.find(impl->sequence);
    if (it != snapshots_.end()) snapshots_.erase(it);
  }
  delete impl;
}

std::vector<memtable::SequenceNumber> DBImpl::SnapshotList() const {
  return std::vector<memtable::SequenceNumber>(snapshots_.begin(), snapshots_.end());
}

bool DBImpl::GetProperty(const Slice& name, std::string* value) {
  std::lock_guard lock(mu_);
  const std::string n = name.ToString();
  const auto version = versions_->current();
  const std::string level_prefix = "strata.num-files-at-level";
  if (n.compare(0, level_prefix.size(), level_prefix) == 0) {
    const std::string rest = n.substr(level_prefix.size());
    if (rest.size() != 1 || rest[0] < '0' || rest[0] >= '0' + kNumLevels) return false;
    *value = std::to_string(version->NumFiles(rest[0] - '0'));
    return true;
  }
  if (n == "strata.approximate-memory-usage") {
    size_t total = mem_->ApproximateMemoryUsage();
    for (const Immutable& imm : imms_) total += imm.mem->ApproximateMemoryUsage();
    if (block_cache_) total += block_cache_->TotalCharge();
    *value = std::to_string(total);
    return true;
  }
  if (n == "strata.num-immutable-mem-table") {
    *value = std::to_string(imms_.size());
    return true;
  }
  if (n == "strata.total-sst-bytes") {
    uint64_t total = 0;
    for (int level = 0; level < kNumLevels; level++) total += version->LevelBytes(level);
    *value = std::to_string(total);
    return true;
  }
  if (n == "strata.stats") {
    StatsInputs in;
    in.version = version.get();
    in.targets = ComputeLevelTargets(*version, picker_options_);
    in.scores = picker_->Scores(*version);
    in.memtables = 1 + static_cast<int>(imms_.size());
    in.last_sequence = versions_->last_sequence();
    in.uptime_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_time_).count();
    *value = FormatStats(stats_, in);
    return true;
  }
  if (n == "strata.compaction-pending") {
    // 1 while a flush or compaction is due or running: tests and tools wait for 0.
    bool pending = !imms_.empty() || flush_running_ || compactions_running_ > 0;
    for (double score : picker_->Scores(*version)) pending = pending || score >= 1;
    *value = std::to_string(pending ? 1 : 0);
    return true;
  }
  if (n == "strata.base-level") {
    *value = std::to_string(ComputeLevelTargets(*version, picker_options_).base_level);
    return true;
  }
  return false;
}

}  // namespace strata
