// ByteSource implementations: each hands back its bytes in order, in pieces no larger than
// asked for, then 0 on every later read; a file source names its path in errors.
#include "base/byte_source.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "testing/mem_env.h"

namespace strata {
namespace {

// Reads everything in pieces of at most piece bytes; checks no read overshoots.
std::string Drain(ByteSource* source, size_t piece) {
  std::string out;
  std::vector<char> buf(piece);
  for (;;) {
    Result<size_t> got = source->Read(buf.data(), piece);
    EXPECT_TRUE(got.ok()) << got.status().ToString();
    if (!got.ok() || *got == 0) break;
    EXPECT_LE(*got, piece);
    out.append(buf.data(), *got);
  }
  return out;
}

void ExpectEndStays(ByteSource* source) {
  char c = 0;
  for (int i = 0; i < 3; i++) {
    Result<size_t> got = source->Read(&c, 1);
    ASSERT_TRUE(got.ok());
    EXPECT_EQ(*got, 0u);
  }
}

const std::string kText = std::string("header\0with a NUL and then more bytes", 37);

TEST(MemoryByteSource, ReadsTheBufferInPiecesThenZero) {
  for (size_t piece : {1, 5, 37, 100}) {
    MemoryByteSource source(kText);
    EXPECT_EQ(Drain(&source, piece), kText) << piece;
    ExpectEndStays(&source);
  }
}

TEST(StringByteSource, OwnsItsBytes) {
  for (size_t piece : {1, 4, 37, 64}) {
    std::string text = kText;
    StringByteSource source(std::move(text));
    text.assign(kText.size(), 'x');  // the source no longer depends on the caller's string
    EXPECT_EQ(Drain(&source, piece), kText) << piece;
    ExpectEndStays(&source);
  }
  StringByteSource empty("");
  ExpectEndStays(&empty);
}

TEST(FileByteSource, ReadsAFileThroughAnEnv) {
  testing::MemEnv env;
  ASSERT_TRUE(env.CreateDirIfMissing("/d").ok());
  std::unique_ptr<WritableFile> file;
  ASSERT_TRUE(env.NewWritableFile("/d/in.bin", FileOptions(), &file).ok());
  ASSERT_TRUE(file->Append(kText).ok());
  ASSERT_TRUE(file->Close().ok());
  file.reset();
  auto source = FileByteSource::Open("/d/in.bin", &env);
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  EXPECT_EQ((*source)->path(), "/d/in.bin");
  EXPECT_EQ(Drain(source->get(), 7), kText);
  ExpectEndStays(source->get());
}

TEST(FileByteSource, AMissingFileIsAnErrorNamingIt) {
  testing::MemEnv env;
  auto source = FileByteSource::Open("/nowhere/in.bin", &env);
  ASSERT_FALSE(source.ok());
  EXPECT_NE(source.status().ToString().find("/nowhere/in.bin"), std::string::npos)
      << source.status().ToString();
}

}  // namespace
}  // namespace strata
