// strata_crash_workload DIR SEED ROUND JOURNAL
//
// The child process of the kill -9 crash test (crash_kill9_test.cc). Opens the DB in DIR on
// the real file system (creating it in round 0 only: in later rounds it must already exist)
// and runs round ROUND of the workload seeded with SEED (workload_ops.h), one operation at a
// time, until it is killed. Every operation is journaled (journal.h) before it is handed to
// the DB and again once the DB acknowledged it.
//
// It never stops by itself. Exit status 2: bad arguments; 3: the DB failed an operation;
// 4: the journal could not be written; each with a message on stderr. The parent expects
// death by SIGKILL and nothing else.
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include "crash/journal.h"
#include "crash/workload_ops.h"
#include "strata/db.h"

namespace strata::crash {
namespace {

constexpr int kExitUsage = 2;
constexpr int kExitDb = 3;
constexpr int kExitJournal = 4;

template <typename T>
bool ParseNumber(const char* text, T* out) {
  const char* end = text + std::strlen(text);
  auto [ptr, ec] = std::from_chars(text, end, *out);
  return ec == std::errc() && ptr == end && ptr != text;
}

[[noreturn]] void Die(int code, const std::string& what, const Status& s) {
  std::fprintf(stderr, "strata_crash_workload: %s: %s\n", what.c_str(), s.ToString().c_str());
  std::exit(code);
}

Status Run(DB* db, const Op& op) {
  WriteOptions wo;
  wo.sync = op.sync;
  switch (op.kind) {
    case OpKind::kPut:
      return db->Put(wo, op.updates[0].key, op.updates[0].value);
    case OpKind::kDelete:
      return db->Delete(wo, op.updates[0].key);
    case OpKind::kBatch: {
      WriteBatch batch;
      for (const Update& u : op.updates) {
        if (u.is_delete) {
          batch.Delete(u.key);
        } else {
          batch.Put(u.key, u.value);
        }
      }
      return db->Write(wo, &batch);
    }
    case OpKind::kFlush:
      return db->Flush();
    case OpKind::kCompact:
      return db->CompactRange(nullptr, nullptr);
  }
  return Status::InvalidArgument("unknown operation kind");
}

int Main(int argc, char** argv) {
  uint64_t seed = 0;
  uint32_t round = 0;
  if (argc != 5 || !ParseNumber(argv[2], &seed) || !ParseNumber(argv[3], &round)) {
    std::fprintf(stderr, "usage: strata_crash_workload DIR SEED ROUND JOURNAL\n");
    return kExitUsage;
  }
  const std::string dir = argv[1];
  std::unique_ptr<JournalWriter> journal;
  Status s = JournalWriter::Create(argv[4], &journal);
  if (!s.ok()) Die(kExitJournal, "journal", s);

  const RoundTuning tuning = TuningFor(seed, round);
  Options options;
  options.create_if_missing = round == 0;
  options.write_buffer_size = tuning.write_buffer_size;
  options.max_write_buffer_number = tuning.max_write_buffer_number;
  options.target_file_size = tuning.target_file_size;
  std::unique_ptr<DB> db;
  s = DB::Open(options, dir, &db);
  if (!s.ok()) Die(kExitDb, "open " + dir, s);
  s = journal->Opened();
  if (!s.ok()) Die(kExitJournal, "journal", s);

  for (uint64_t index = 0;; index++) {
    const Op op = MakeOp(seed, round, index);
    s = journal->Issue(index);
    if (!s.ok()) Die(kExitJournal, "journal", s);
    s = Run(db.get(), op);
    if (!s.ok()) Die(kExitDb, "operation " + std::to_string(index), s);
    s = journal->Ack(index, op.sync);
    if (!s.ok()) Die(kExitJournal, "journal", s);
  }
}

}  // namespace
}  // namespace strata::crash

int main(int argc, char** argv) { return strata::crash::Main(argc, argv); }
