// PosixMmapWritableFile (Env::Default() with FileOptions::use_mmap_writes) against real files.
#include "base/posix_mmap_writable_file.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>

#include <memory>
#include <string>

#include "strata/env.h"
#include "support/test_util.h"

namespace strata {
namespace {

constexpr size_t kChunk = PosixMmapWritableFile::kChunkBytes;

class MmapWritableFileTest : public testing::Test {
 protected:
  std::unique_ptr<WritableFile> Create(const std::string& path) {
    FileOptions options;
    options.use_mmap_writes = true;
    std::unique_ptr<WritableFile> file;
    Status s = env_->NewWritableFile(path, options, &file);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return file;
  }

  Env* const env_ = Env::Default();
  test::TempDir dir_;
};

TEST_F(MmapWritableFileTest, AppendsAreVisibleAtOnceAndCloseCutsTheZeroTail) {
  const std::string path = dir_.File("mapped");
  std::unique_ptr<WritableFile> file = Create(path);
  ASSERT_NE(file, nullptr);
  // Odd sizes that straddle chunk boundaries, one larger than a whole chunk.
  std::string expected;
  uint64_t seed = 1;
  for (size_t n : {size_t{1}, size_t{7}, size_t{4093}, kChunk - 4101, size_t{10}, kChunk + 333,
                   size_t{0}, size_t{65536}}) {
    const std::string piece = test::RandomBytes(seed++, n);
    ASSERT_TRUE(file->Append(piece).ok());
    expected += piece;
    EXPECT_EQ(file->Size(), expected.size());
  }
  // No Flush(), no Sync(): the bytes are in the page cache already.
  const std::string live = test::ReadFile(path);
  ASSERT_EQ(live.size() % kChunk, 0u);
  ASSERT_GT(live.size(), expected.size());
  EXPECT_EQ(live.substr(0, expected.size()), expected);
  EXPECT_EQ(live.find_first_not_of('\0', expected.size()), std::string::npos);

  ASSERT_TRUE(file->Flush().ok());
  ASSERT_TRUE(file->Sync().ok());
  ASSERT_TRUE(file->Close().ok());
  EXPECT_EQ(test::ReadFile(path), expected);
  EXPECT_TRUE(file->Close().ok());  // closing twice is harmless
  EXPECT_FALSE(file->Append("late").ok());
  EXPECT_EQ(test::ReadFile(path), expected);
}

TEST_F(MmapWritableFileTest, EmptyFileClosesEmpty) {
  const std::string path = dir_.File("empty");
  std::unique_ptr<WritableFile> file = Create(path);
  ASSERT_NE(file, nullptr);
  ASSERT_TRUE(file->Close().ok());
  uint64_t size = 1;
  ASSERT_TRUE(env_->GetFileSize(path, &size).ok());
  EXPECT_EQ(size, 0u);
}

TEST_F(MmapWritableFileTest, DestructorClosesAndTruncates) {
  const std::string path = dir_.File("dropped");
  {
    std::unique_ptr<WritableFile> file = Create(path);
    ASSERT_NE(file, nullptr);
    ASSERT_TRUE(file->Append("abc").ok());
  }
  EXPECT_EQ(test::ReadFile(path), "abc");
}

TEST_F(MmapWritableFileTest, FileThatCannotGrowIsAnErrorNotACrash) {
  // A file-size limit makes the next chunk's allocation fail (EFBIG) the way a full disk
  // makes it fail (ENOSPC): Append must report it, not store into an unbacked page (SIGBUS).
  const std::string path = dir_.File("limited");
  std::unique_ptr<WritableFile> file = Create(path);
  ASSERT_NE(file, nullptr);
  rlimit old_limit;
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &old_limit), 0);
  const sighandler_t old_handler = ::signal(SIGXFSZ, SIG_IGN);  // else the kernel kills us
  rlimit limit = old_limit;
  limit.rlim_cur = kChunk + kChunk / 2;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &limit), 0);
  const std::string first(kChunk, 'a');
  const Status in_limit = file->Append(first);
  const Status past_limit = file->Append("b");
  ::setrlimit(RLIMIT_FSIZE, &old_limit);
  ::signal(SIGXFSZ, old_handler);

  ASSERT_TRUE(in_limit.ok()) << in_limit.ToString();
  ASSERT_TRUE(past_limit.IsIOError()) << past_limit.ToString();
  EXPECT_NE(past_limit.ToString().find("allocate " + path), std::string::npos)
      << past_limit.ToString();
  ASSERT_TRUE(file->Close().ok());
  // What was appended before the failure is intact; the failed byte is not there.
  EXPECT_EQ(test::ReadFile(path), first);
}

}  // namespace
}  // namespace strata
