// Env::Default() against real files in a scratch directory.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "strata/env.h"
#include "support/test_util.h"

namespace strata {
namespace {

class EnvPosixTest : public testing::Test {
 protected:
  void WriteFile(const std::string& path, const std::string& data) {
    std::unique_ptr<WritableFile> file;
    ASSERT_TRUE(env_->NewWritableFile(path, FileOptions(), &file).ok());
    ASSERT_TRUE(file->Append(data).ok());
    ASSERT_TRUE(file->Sync().ok());
    ASSERT_TRUE(file->Close().ok());
  }

  std::string ReadSequential(const std::string& path, size_t chunk) {
    std::unique_ptr<SequentialFile> file;
    Status s = env_->NewSequentialFile(path, &file);
    if (!s.ok()) return "<" + s.ToString() + ">";
    std::string out;
    std::string scratch(chunk, '\0');
    while (true) {
      Slice piece;
      s = file->Read(chunk, &piece, scratch.data());
      if (!s.ok()) return "<" + s.ToString() + ">";
      out.append(piece.data(), piece.size());
      if (piece.size() < chunk) break;  // a short read means end of file
    }
    return out;
  }

  std::string ReadRandom(const std::string& path, bool mmap, uint64_t offset, size_t n) {
    FileOptions options;
    options.use_mmap_reads = mmap;
    std::unique_ptr<RandomAccessFile> file;
    Status s = env_->NewRandomAccessFile(path, options, &file);
    if (!s.ok()) return "<" + s.ToString() + ">";
    std::string scratch(n, '\0');
    Slice got;
    s = file->Read(offset, n, &got, scratch.data());
    if (!s.ok()) return "<" + s.ToString() + ">";
    return got.ToString();
  }

  static bool Contains(const Status& s, const std::string& part) {
    return s.message().find(part) != std::string::npos;
  }

  Env* const env_ = Env::Default();
  test::TempDir dir_;
};

TEST_F(EnvPosixTest, WriteAppendAndReadBackThreeWays) {
  const std::string path = dir_.File("f");
  WriteFile(path, "hello ");
  std::unique_ptr<WritableFile> file;
  ASSERT_TRUE(env_->NewAppendableFile(path, FileOptions(), &file).ok());
  EXPECT_EQ(file->Size(), 6u);
  ASSERT_TRUE(file->Append("world").ok());
  ASSERT_TRUE(file->Close().ok());
  const std::string expected = "hello world";

  EXPECT_EQ(ReadSequential(path, 4), expected);
  EXPECT_EQ(ReadSequential(path, 100), expected);
  for (const bool mmap : {false, true}) {
    EXPECT_EQ(ReadRandom(path, mmap, 0, 11), expected) << "mmap=" << mmap;
    EXPECT_EQ(ReadRandom(path, mmap, 6, 3), "wor") << "mmap=" << mmap;
    EXPECT_EQ(ReadRandom(path, mmap, 8, 100), "rld") << "mmap=" << mmap;
    EXPECT_EQ(ReadRandom(path, mmap, 11, 5), "") << "mmap=" << mmap;
    EXPECT_EQ(ReadRandom(path, mmap, 50, 5), "") << "mmap=" << mmap;
  }

  uint64_t size = 0;
  ASSERT_TRUE(env_->GetFileSize(path, &size).ok());
  EXPECT_EQ(size, 11u);
}

TEST_F(EnvPosixTest, SequentialSkip) {
  const std::string path = dir_.File("f");
  WriteFile(path, "0123456789");
  std::unique_ptr<SequentialFile> file;
  ASSERT_TRUE(env_->NewSequentialFile(path, &file).ok());
  ASSERT_TRUE(file->Skip(3).ok());
  char scratch[4];
  Slice got;
  ASSERT_TRUE(file->Read(4, &got, scratch).ok());
  EXPECT_EQ(got.ToString(), "3456");
  ASSERT_TRUE(file->Skip(100).ok());
  ASSERT_TRUE(file->Read(4, &got, scratch).ok());
  EXPECT_TRUE(got.empty());
}

TEST_F(EnvPosixTest, NewWritableFileTruncates) {
  const std::string path = dir_.File("f");
  WriteFile(path, "long old contents");
  WriteFile(path, "new");
  EXPECT_EQ(ReadSequential(path, 64), "new");
}

TEST_F(EnvPosixTest, MmapOfEmptyFileReadsNothing) {
  const std::string path = dir_.File("empty");
  WriteFile(path, "");
  EXPECT_EQ(ReadRandom(path, /*mmap=*/true, 0, 8), "");
}

TEST_F(EnvPosixTest, GetChildrenListsNamesWithoutDots) {
  WriteFile(dir_.File("a"), "1");
  WriteFile(dir_.File("b"), "2");
  ASSERT_TRUE(env_->CreateDirIfMissing(dir_.File("sub")).ok());
  std::vector<std::string> names;
  ASSERT_TRUE(env_->GetChildren(dir_.path(), &names).ok());
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"a", "b", "sub"}));

  Status s = env_->GetChildren(dir_.File("missing"), &names);
  EXPECT_TRUE(s.IsNotFound()) << s.ToString();
  EXPECT_TRUE(Contains(s, dir_.File("missing"))) << s.ToString();
}

TEST_F(EnvPosixTest, RenameReplacesDestination) {
  WriteFile(dir_.File("src"), "new");
  WriteFile(dir_.File("dst"), "old and longer");
  ASSERT_TRUE(env_->RenameFile(dir_.File("src"), dir_.File("dst")).ok());
  EXPECT_FALSE(env_->FileExists(dir_.File("src")));
  EXPECT_EQ(ReadSequential(dir_.File("dst"), 64), "new");
}

TEST_F(EnvPosixTest, RenameAcrossDirectories) {
  ASSERT_TRUE(env_->CreateDirIfMissing(dir_.File("sub")).ok());
  WriteFile(dir_.File("f"), "payload");
  ASSERT_TRUE(env_->RenameFile(dir_.File("f"), dir_.File("sub/g")).ok());
  EXPECT_EQ(ReadSequential(dir_.File("sub/g"), 64), "payload");
}

TEST_F(EnvPosixTest, RenameMovesADirectoryWithItsFiles) {
  ASSERT_TRUE(env_->CreateDirIfMissing(dir_.File("tmp")).ok());
  WriteFile(dir_.File("tmp/f"), "payload");
  ASSERT_TRUE(env_->RenameFile(dir_.File("tmp"), dir_.File("final")).ok());
  EXPECT_FALSE(env_->FileExists(dir_.File("tmp")));
  EXPECT_EQ(ReadSequential(dir_.File("final/f"), 64), "payload");

  ASSERT_TRUE(env_->CreateDirIfMissing(dir_.File("other")).ok());
  WriteFile(dir_.File("other/g"), "x");
  Status s = env_->RenameFile(dir_.File("other"), dir_.File("final"));  // not empty
  EXPECT_FALSE(s.ok());
  EXPECT_TRUE(Contains(s, dir_.File("final"))) << s.ToString();
}

TEST_F(EnvPosixTest, LinkFileSharesBytes) {
  WriteFile(dir_.File("f"), "shared");
  ASSERT_TRUE(env_->LinkFile(dir_.File("f"), dir_.File("g")).ok());
  std::unique_ptr<WritableFile> file;
  ASSERT_TRUE(env_->NewAppendableFile(dir_.File("f"), FileOptions(), &file).ok());
  ASSERT_TRUE(file->Append(" bytes").ok());
  ASSERT_TRUE(file->Close().ok());
  EXPECT_EQ(ReadSequential(dir_.File("g"), 64), "shared bytes");

  ASSERT_TRUE(env_->DeleteFile(dir_.File("f")).ok());
  EXPECT_EQ(ReadSequential(dir_.File("g"), 64), "shared bytes");

  WriteFile(dir_.File("h"), "other");
  Status s = env_->LinkFile(dir_.File("g"), dir_.File("h"));
  EXPECT_FALSE(s.ok());
  EXPECT_TRUE(Contains(s, dir_.File("h"))) << s.ToString();
}

TEST_F(EnvPosixTest, DeleteFile) {
  WriteFile(dir_.File("f"), "x");
  ASSERT_TRUE(env_->DeleteFile(dir_.File("f")).ok());
  EXPECT_FALSE(env_->FileExists(dir_.File("f")));
  Status s = env_->DeleteFile(dir_.File("f"));
  EXPECT_TRUE(s.IsNotFound()) << s.ToString();
  EXPECT_TRUE(Contains(s, dir_.File("f"))) << s.ToString();
}

TEST_F(EnvPosixTest, CreateAndDeleteDirectories) {
  const std::string sub = dir_.File("sub");
  ASSERT_TRUE(env_->CreateDirIfMissing(sub).ok());
  ASSERT_TRUE(env_->CreateDirIfMissing(sub).ok());  // twice is fine
  EXPECT_TRUE(env_->FileExists(sub));
  ASSERT_TRUE(env_->SyncDir(sub).ok());

  WriteFile(dir_.File("file"), "x");
  Status s = env_->CreateDirIfMissing(dir_.File("file"));
  EXPECT_TRUE(s.IsIOError()) << s.ToString();
  EXPECT_TRUE(Contains(s, dir_.File("file"))) << s.ToString();

  WriteFile(sub + "/f", "x");
  EXPECT_FALSE(env_->DeleteDir(sub).ok());  // not empty
  ASSERT_TRUE(env_->DeleteFile(sub + "/f").ok());
  ASSERT_TRUE(env_->DeleteDir(sub).ok());
  EXPECT_FALSE(env_->FileExists(sub));
  EXPECT_TRUE(env_->DeleteDir(sub).IsNotFound());
}

TEST_F(EnvPosixTest, LockFileTwiceIsBusyUntilReleased) {
  const std::string path = dir_.File("LOCK");
  std::unique_ptr<FileLock> first;
  ASSERT_TRUE(env_->LockFile(path, &first).ok());
  EXPECT_TRUE(env_->FileExists(path));
  // flock() locks belong to the open file description, so a second open in the same process
  // conflicts with the first.
  std::unique_ptr<FileLock> second;
  Status s = env_->LockFile(path, &second);
  EXPECT_TRUE(s.IsBusy()) << s.ToString();
  EXPECT_TRUE(Contains(s, path)) << s.ToString();
  first.reset();
  EXPECT_TRUE(env_->LockFile(path, &second).ok());
}

TEST_F(EnvPosixTest, SizeCountsBufferedBytes) {
  const std::string path = dir_.File("f");
  FileOptions options;
  options.write_buffer_size = 1024;
  std::unique_ptr<WritableFile> file;
  ASSERT_TRUE(env_->NewWritableFile(path, options, &file).ok());
  ASSERT_TRUE(file->Append("0123456789").ok());
  EXPECT_EQ(file->Size(), 10u);
  uint64_t on_disk = 0;
  ASSERT_TRUE(env_->GetFileSize(path, &on_disk).ok());
  EXPECT_EQ(on_disk, 0u);  // still in the user-space buffer
  ASSERT_TRUE(file->Flush().ok());
  ASSERT_TRUE(env_->GetFileSize(path, &on_disk).ok());
  EXPECT_EQ(on_disk, 10u);
  ASSERT_TRUE(file->SyncFlushed().ok());
  ASSERT_TRUE(file->Close().ok());
}

TEST_F(EnvPosixTest, LargeAppendsRoundTrip) {
  const std::string path = dir_.File("big");
  const std::string data = test::RandomBytes(42, 1 << 20);
  FileOptions options;
  options.write_buffer_size = 4096;
  std::unique_ptr<WritableFile> file;
  ASSERT_TRUE(env_->NewWritableFile(path, options, &file).ok());
  // Pieces below, at and far above the buffer size, so every path of Append runs.
  const size_t sizes[] = {1, 100, 4095, 4096, 4097, 10000, 70000, 3};
  size_t pos = 0;
  for (size_t i = 0; pos < data.size(); i++) {
    const size_t n = std::min(sizes[i % std::size(sizes)], data.size() - pos);
    ASSERT_TRUE(file->Append(Slice(data.data() + pos, n)).ok());
    pos += n;
    ASSERT_EQ(file->Size(), pos);
  }
  ASSERT_TRUE(file->Sync().ok());
  ASSERT_TRUE(file->Close().ok());

  EXPECT_EQ(ReadSequential(path, 65536), data);
  EXPECT_EQ(ReadRandom(path, /*mmap=*/false, 0, data.size()), data);
  EXPECT_EQ(ReadRandom(path, /*mmap=*/true, 0, data.size()), data);
}

TEST_F(EnvPosixTest, ErrorsNameThePath) {
  const std::string missing = dir_.File("missing");
  std::unique_ptr<SequentialFile> seq;
  Status s = env_->NewSequentialFile(missing, &seq);
  EXPECT_TRUE(s.IsNotFound()) << s.ToString();
  EXPECT_TRUE(Contains(s, missing)) << s.ToString();

  std::unique_ptr<RandomAccessFile> random;
  s = env_->NewRandomAccessFile(missing, FileOptions(), &random);
  EXPECT_TRUE(s.IsNotFound()) << s.ToString();
  EXPECT_TRUE(Contains(s, missing)) << s.ToString();

  std::unique_ptr<WritableFile> file;
  s = env_->NewWritableFile(missing + "/f", FileOptions(), &file);
  EXPECT_FALSE(s.ok());
  EXPECT_TRUE(Contains(s, missing + "/f")) << s.ToString();

  uint64_t size = 0;
  s = env_->GetFileSize(missing, &size);
  EXPECT_TRUE(s.IsNotFound()) << s.ToString();
  EXPECT_TRUE(Contains(s, missing)) << s.ToString();

  s = env_->RenameFile(missing, dir_.File("x"));
  EXPECT_TRUE(s.IsNotFound()) << s.ToString();
  EXPECT_TRUE(Contains(s, missing)) << s.ToString();

  s = env_->SyncDir(missing);
  EXPECT_FALSE(s.ok());
  EXPECT_TRUE(Contains(s, missing)) << s.ToString();
}

}  // namespace
}  // namespace strata
