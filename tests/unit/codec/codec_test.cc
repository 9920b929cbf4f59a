// Every codec through the same checks: round trips at the output bound, refusal of too little
// output space, exact-size decoding (wrong sizes, truncation, damage, empty input) that never
// writes past the caller's buffer, and errors that name the codec. Streams made by other
// implementations (Python's zlib and gzip modules, hand-assembled blocks and frames) check
// that each codec speaks the format, not just its own dialect.
#include <gtest/gtest.h>

#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "codec/gzip_codec.h"
#include "codec/lz4_codec.h"
#include "codec/snappy_codec.h"
#include "codec/zstd_codec.h"
#include "support/test_util.h"

namespace strata::codec {
namespace {

// One codec behind the same three calls.
struct Codec {
  std::string name;
  std::function<size_t(size_t)> bound;
  std::function<Status(const Slice&, char*, size_t, size_t*)> compress;
  std::function<Status(const Slice&, char*, size_t)> decompress;
};

std::vector<Codec> AllCodecs() {
  // The zstd compressor outlives the calls: its context is reused from the second one on.
  auto zstd = std::make_shared<ZstdCompressor>(0);
  return {
      {"snappy", SnappyMaxCompressedSize, SnappyCompress, SnappyDecompress},
      {"lz4", Lz4MaxCompressedSize, Lz4Compress, Lz4Decompress},
      {"zstd", ZstdMaxCompressedSize,
       [zstd](const Slice& in, char* out, size_t capacity, size_t* written) {
         return zstd->Compress(in, out, capacity, written);
       },
       ZstdDecompress},
      {"gzip", GzipMaxCompressedSize,
       [](const Slice& in, char* out, size_t capacity, size_t* written) {
         return GzipCompress(kGzipDefaultLevel, in, out, capacity, written);
       },
       GzipDecompress},
  };
}

std::string Compressible(size_t n) {
  std::string s;
  while (s.size() < n) s += "sorted runs merge " + std::to_string(s.size() % 89) + " ";
  s.resize(n);
  return s;
}

// Compresses with exactly the codec's bound as room.
std::string Pack(const Codec& c, const std::string& in) {
  std::string out(c.bound(in.size()), '\0');
  size_t written = 0;
  Status s = c.compress(in, out.data(), out.size(), &written);
  EXPECT_TRUE(s.ok()) << c.name << ": " << s.ToString();
  out.resize(s.ok() ? written : 0);
  return out;
}

constexpr char kGuard = '\x5c';
constexpr size_t kGuardBytes = 64;

// Decompresses into out_size bytes followed by guard bytes; fails the test if the codec
// wrote past out_size. The decoded bytes go to *out.
Status Unpack(const Codec& c, const Slice& in, size_t out_size, std::string* out) {
  std::string buffer(out_size + kGuardBytes, kGuard);
  Status s = c.decompress(in, buffer.data(), out_size);
  EXPECT_EQ(buffer.substr(out_size), std::string(kGuardBytes, kGuard))
      << c.name << " wrote past the output";
  *out = buffer.substr(0, out_size);
  return s;
}

bool Names(const Status& s, const std::string& codec) {
  return s.ToString().find(codec) != std::string::npos;
}

TEST(CodecTest, RoundTripsAtTheBound) {
  const std::string inputs[] = {"", "x", Compressible(100), Compressible(1 << 20),
                                test::RandomBytes(11, 70000)};
  for (const Codec& c : AllCodecs()) {
    for (const std::string& in : inputs) {
      const std::string packed = Pack(c, in);
      ASSERT_LE(packed.size(), c.bound(in.size())) << c.name;
      std::string out;
      Status s = Unpack(c, packed, in.size(), &out);
      ASSERT_TRUE(s.ok()) << c.name << " " << in.size() << ": " << s.ToString();
      EXPECT_EQ(out, in) << c.name << " " << in.size();
    }
  }
}

TEST(CodecTest, CompressibleInputShrinks) {
  const std::string in = Compressible(64 << 10);
  for (const Codec& c : AllCodecs()) {
    EXPECT_LT(Pack(c, in).size(), in.size() / 4) << c.name;
  }
}

TEST(CodecTest, OutputBelowTheBoundIsRefusedBeforeWriting) {
  const std::string in = test::RandomBytes(5, 3000);
  for (const Codec& c : AllCodecs()) {
    const size_t room = c.bound(in.size()) - 1;
    std::string out(room, kGuard);
    size_t written = 12345;
    Status s = c.compress(in, out.data(), room, &written);
    EXPECT_TRUE(s.IsInvalidArgument()) << c.name << ": " << s.ToString();
    EXPECT_TRUE(Names(s, c.name)) << s.ToString();
    EXPECT_EQ(out, std::string(room, kGuard)) << c.name;
    EXPECT_EQ(written, 12345u) << c.name;
  }
}

TEST(CodecTest, WrongDeclaredSizeIsCorruption) {
  const std::string in = Compressible(20000);
  for (const Codec& c : AllCodecs()) {
    const std::string packed = Pack(c, in);
    for (size_t size : {in.size() - 1, in.size() + 1, size_t{0}, in.size() * 2}) {
      std::string out;
      Status s = Unpack(c, packed, size, &out);
      EXPECT_TRUE(s.IsCorruption()) << c.name << " into " << size << ": " << s.ToString();
      EXPECT_TRUE(Names(s, c.name)) << s.ToString();
    }
  }
}

TEST(CodecTest, TruncatedInputIsCorruption) {
  const std::string in = Compressible(5000) + test::RandomBytes(2, 500);
  for (const Codec& c : AllCodecs()) {
    const std::string packed = Pack(c, in);
    for (size_t cut = 0; cut < packed.size(); cut++) {
      std::string out;
      Status s = Unpack(c, Slice(packed.data(), cut), in.size(), &out);
      EXPECT_TRUE(s.IsCorruption()) << c.name << " cut at " << cut << ": " << s.ToString();
    }
  }
}

TEST(CodecTest, DamagedInputIsAnErrorOrTheRightSizeNeverAnOverrun) {
  const std::string in = Compressible(8000) + test::RandomBytes(9, 800);
  for (const Codec& c : AllCodecs()) {
    const std::string packed = Pack(c, in);
    for (size_t i = 0; i < packed.size(); i += 3) {
      std::string damaged = packed;
      damaged[i] = static_cast<char>(damaged[i] ^ 0xa5);
      std::string out;
      // Unpack checks the guard bytes. A flip the format cannot see (snappy and lz4 carry no
      // checksum) may decode to other bytes of the declared size; checksums above catch it.
      Status s = Unpack(c, damaged, in.size(), &out);
      if (!s.ok()) {
        EXPECT_TRUE(s.IsCorruption()) << c.name << " flip at " << i << ": " << s.ToString();
      }
    }
  }
}

TEST(CodecTest, EmptyInputDecodesToNothingElse) {
  for (const Codec& c : AllCodecs()) {
    std::string out;
    Status s = Unpack(c, Slice(), 10, &out);
    EXPECT_TRUE(s.IsCorruption()) << c.name << ": " << s.ToString();
    EXPECT_TRUE(Names(s, c.name)) << s.ToString();
  }
}

TEST(CodecTest, ReadsStreamsFromOtherImplementations) {
  std::string out;
  // Snappy raw: length 3, then a literal of 3 bytes (tag (3 - 1) << 2).
  ASSERT_TRUE(SnappyDecompress(Slice("\x03\x08"
                                     "abc",
                                     5),
                               (out = "???").data(), 3)
                  .ok());
  EXPECT_EQ(out, "abc");
  // LZ4 block: one sequence of 3 literals and no match (token 0x30).
  ASSERT_TRUE(Lz4Decompress(Slice("\x30"
                                  "abc",
                                  4),
                            (out = "???").data(), 3)
                  .ok());
  EXPECT_EQ(out, "abc");
  // zstd frame: magic, single-segment header with a 1-byte content size of 3, one raw block.
  const char frame[] =
      "\x28\xb5\x2f\xfd\x20\x03\x19\x00\x00"
      "abc";
  ASSERT_TRUE(ZstdDecompress(Slice(frame, sizeof(frame) - 1), (out = "???").data(), 3).ok());
  EXPECT_EQ(out, "abc");
  // Python: zlib.compress(b"hello parquet"), a zlib header rather than gzip's.
  const uint8_t zlib_stream[] = {0x78, 0x9c, 0xcb, 0x48, 0xcd, 0xc9, 0xc9, 0x57, 0x28, 0x48, 0x2c,
                                 0x2a, 0x2c, 0x4d, 0x2d, 0x01, 0x00, 0x23, 0xc5, 0x05, 0x37};
  out.assign(13, '?');
  ASSERT_TRUE(GzipDecompress(Slice(reinterpret_cast<const char*>(zlib_stream), sizeof(zlib_stream)),
                             out.data(), out.size())
                  .ok());
  EXPECT_EQ(out, "hello parquet");
}

TEST(CodecTest, ConcatenatedFramesAndMembersDecodeInTurn) {
  // Python: gzip.compress(b"hello ", mtime=0) + gzip.compress(b"parquet", mtime=0).
  const uint8_t members[] = {0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0xcb,
                             0x48, 0xcd, 0xc9, 0xc9, 0x57, 0x00, 0x00, 0xf6, 0xf9, 0x81, 0xed,
                             0x06, 0x00, 0x00, 0x00, 0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00,
                             0x00, 0x02, 0x03, 0x2b, 0x48, 0x2c, 0x2a, 0x2c, 0x4d, 0x2d, 0x01,
                             0x00, 0x80, 0x27, 0xe5, 0xff, 0x07, 0x00, 0x00, 0x00};
  std::string out(13, '?');
  ASSERT_TRUE(GzipDecompress(Slice(reinterpret_cast<const char*>(members), sizeof(members)),
                             out.data(), out.size())
                  .ok());
  EXPECT_EQ(out, "hello parquet");

  ZstdCompressor zstd(1);
  std::string frames;
  for (const std::string part : {"sorted ", "runs"}) {
    std::string packed(ZstdMaxCompressedSize(part.size()), '\0');
    size_t written = 0;
    ASSERT_TRUE(zstd.Compress(part, packed.data(), packed.size(), &written).ok());
    frames.append(packed.data(), written);
  }
  out.assign(11, '?');
  ASSERT_TRUE(ZstdDecompress(frames, out.data(), out.size()).ok());
  EXPECT_EQ(out, "sorted runs");
}

TEST(CodecTest, ZstdCompressorKeepsWorkingAfterAMove) {
  ZstdCompressor first(19);
  const std::string a = Compressible(30000);
  std::string packed(ZstdMaxCompressedSize(a.size()), '\0');
  size_t written = 0;
  ASSERT_TRUE(first.Compress(a, packed.data(), packed.size(), &written).ok());
  ZstdCompressor second = std::move(first);
  EXPECT_EQ(second.level(), 19);
  const std::string b = test::RandomBytes(4, 1000) + Compressible(1000);
  Status s = second.Compress(b, packed.data(), packed.size(), &written);
  ASSERT_TRUE(s.ok()) << s.ToString();
  std::string out(b.size(), '\0');
  ASSERT_TRUE(ZstdDecompress(Slice(packed.data(), written), out.data(), out.size()).ok());
  EXPECT_EQ(out, b);
  EXPECT_EQ(ZstdCompressor().level(), kZstdDefaultLevel);
}

TEST(CodecTest, LevelsAndSizesOutsideTheFormatAreRefused) {
  char out[64];
  size_t written = 0;
  for (int level : {0, -1, 10}) {
    Status s = GzipCompress(level, "abc", out, sizeof(out), &written);
    EXPECT_TRUE(s.IsInvalidArgument()) << level << ": " << s.ToString();
  }
  EXPECT_EQ(Lz4MaxCompressedSize(kLz4MaxInputSize + 1), 0u);
  // Refused on its size alone; the bytes are never read.
  Status s = Lz4Compress(Slice(out, kLz4MaxInputSize + 1), out, sizeof(out), &written);
  EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
  EXPECT_TRUE(Names(s, "lz4")) << s.ToString();
  EXPECT_GE(ZstdMaxLevel(), 19);
}

}  // namespace
}  // namespace strata::codec
