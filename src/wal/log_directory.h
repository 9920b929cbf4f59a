// LogDirectory: the numbered log files of one directory (000001.log, 000002.log, ...).
//
// Numbers only grow, so the newest log is the highest number. The engine deletes the logs
// below the oldest one whose records are not yet flushed to an SSTable.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/result.h"
#include "strata/env.h"
#include "wal/group_commit_writer.h"

namespace strata::wal {

class LogDirectory {
 public:
  // env must outlive this object.
  LogDirectory(Env* env, std::string dir);

  // "000123.log": the number zero-padded to six digits (more digits once it is larger).
  static std::string FileName(uint64_t number);
  // True for names FileName() makes; sets *number.
  static bool ParseFileName(const std::string& name, uint64_t* number);

  const std::string& dir() const { return dir_; }
  std::string PathOf(uint64_t number) const;

  // Numbers of the log files present, ascending. A missing directory holds none.
  Result<std::vector<uint64_t>> List() const;

  // Creates the directory if needed and starts the log numbered one past the highest
  // present (1 in an empty directory); the writer's log_number() says which.
  Result<std::unique_ptr<GroupCommitWriter>> StartNext(const WalOptions& options);

  // Deletes every log numbered below `number`, then syncs the directory so the deletions
  // are durable. *deleted (if not null) gets how many went.
  Status DeleteBelow(uint64_t number, int* deleted = nullptr);

 private:
  Env* const env_;
  const std::string dir_;
};

}  // namespace strata::wal
