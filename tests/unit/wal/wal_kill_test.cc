// Real process kills: a child appends and reports every acknowledged record through a pipe;
// the parent kills it with SIGKILL at a random moment. Every acknowledged record must be in
// the log afterwards, and the log must replay as a gap-free prefix of what was appended.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <random>
#include <string>

#include "base/coding.h"
#include "support/test_util.h"
#include "wal/group_commit_writer.h"
#include "wal/log_reader.h"

namespace strata::wal {
namespace {

std::string Payload(uint64_t id) {
  std::string p;
  PutFixed64(&p, id);
  p += strata::test::RandomBytes(id, (id * 7919) % (id % 100 == 0 ? 70000 : 400));
  return p;
}

[[noreturn]] void ChildAppendForever(const std::string& path, SyncPolicy policy, bool mmap,
                                     int ack_fd) {
  WalOptions options;
  options.sync = policy;
  options.mmap_writes = mmap;
  auto created = GroupCommitWriter::Create(Env::Default(), path, 1, options);
  if (!created.ok()) _exit(2);
  std::unique_ptr<GroupCommitWriter> writer = std::move(*created);
  for (uint64_t id = 0;; id++) {
    if (!writer->Append(Payload(id)).ok()) _exit(3);
    char buf[8];
    EncodeFixed64(buf, id);
    if (::write(ack_fd, buf, sizeof(buf)) != static_cast<ssize_t>(sizeof(buf))) _exit(4);
  }
}

void KillOnce(SyncPolicy policy, bool mmap, uint64_t seed) {
  strata::test::TempDir dir;
  const std::string path = dir.File("000001.log");
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::close(fds[0]);
    ChildAppendForever(path, policy, mmap, fds[1]);
  }
  ::close(fds[1]);

  std::mt19937_64 rng(seed);
  const uint64_t kill_after = 50 + rng() % 3000;
  uint64_t acked = 0;  // ids 0..acked-1 are acknowledged
  char buf[8];
  while (acked < kill_after && ::read(fds[0], buf, sizeof(buf)) == sizeof(buf)) {
    ASSERT_EQ(DecodeFixed64(buf), acked);
    acked++;
  }
  ASSERT_EQ(::kill(pid, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(status)) << "child exited on its own, status " << status;
  // Acknowledgements already in the pipe count too.
  while (::read(fds[0], buf, sizeof(buf)) == sizeof(buf)) {
    ASSERT_EQ(DecodeFixed64(buf), acked);
    acked++;
  }
  ::close(fds[0]);

  std::unique_ptr<SequentialFile> file;
  ASSERT_TRUE(Env::Default()->NewSequentialFile(path, &file).ok());
  LogReader reader(path, std::move(file), nullptr, RecoveryMode::kTolerateCorruptedTail);
  Slice record;
  std::string scratch;
  uint64_t next = 0;
  while (reader.ReadRecord(&record, &scratch)) {
    ASSERT_EQ(record.ToString(), Payload(next)) << "record " << next;
    next++;
  }
  ASSERT_TRUE(reader.status().ok()) << reader.status().ToString();
  EXPECT_GE(next, acked) << "acknowledged records lost";
}

TEST(WalKill, SigkillLosesNoAcknowledgedRecord) {
  // Every combination of sync policy and write path (write() or a shared mapping, whose
  // killed log ends in preallocated zeros) in turn.
  const int rounds = strata::test::Iterations(8, 100);
  for (int i = 0; i < rounds; i++) {
    const SyncPolicy policy = i % 2 == 0 ? SyncPolicy::kNone : SyncPolicy::kAlways;
    const bool mmap = i % 4 >= 2;
    SCOPED_TRACE(std::to_string(i) + (mmap ? " mmap" : " write()"));
    KillOnce(policy, mmap, 1234 + i);
    if (HasFatalFailure()) return;
  }
}

}  // namespace
}  // namespace strata::wal
