// Helpers for the tests of the test Envs: write a file with a synced and an unsynced part,
// read one back whole, list a directory. They work on any Env.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "base/path.h"
#include "strata/env.h"

namespace strata::testing {

// Creates path with `synced` bytes made durable by Sync(), then `unsynced` bytes more.
// With sync_dir the name is made durable too.
inline void WriteTestFile(Env* env, const std::string& path, const std::string& synced,
                          const std::string& unsynced, bool sync_dir) {
  std::unique_ptr<WritableFile> file;
  ASSERT_TRUE(env->NewWritableFile(path, FileOptions(), &file).ok());
  ASSERT_TRUE(file->Append(synced).ok());
  ASSERT_TRUE(file->Sync().ok());
  ASSERT_TRUE(file->Append(unsynced).ok());
  ASSERT_TRUE(file->Close().ok());
  if (sync_dir) {
    ASSERT_TRUE(env->SyncDir(DirName(path)).ok());
  }
}

// The whole file through a SequentialFile, read in small pieces to exercise the offsets;
// "<status>" if opening or reading fails.
inline std::string ReadTestFile(Env* env, const std::string& path) {
  std::unique_ptr<SequentialFile> file;
  Status s = env->NewSequentialFile(path, &file);
  if (!s.ok()) return "<" + s.ToString() + ">";
  std::string out;
  char scratch[7];
  while (true) {
    Slice piece;
    s = file->Read(sizeof(scratch), &piece, scratch);
    if (!s.ok()) return "<" + s.ToString() + ">";
    if (piece.empty()) break;
    out.append(piece.data(), piece.size());
  }
  return out;
}

// The names in dir, sorted.
inline std::vector<std::string> SortedChildren(Env* env, const std::string& dir) {
  std::vector<std::string> names;
  EXPECT_TRUE(env->GetChildren(dir, &names).ok()) << dir;
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace strata::testing
