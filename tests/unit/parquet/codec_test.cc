// Page codecs: round trips, a gzip stream from another implementation, damage and sizes.
#include "parquet/codec.h"

#include <gtest/gtest.h>

#include "support/test_util.h"

namespace strata::parquet {
namespace {

TEST(CodecTest, RoundTripsEveryCodec) {
  for (CompressionCodec id :
       {CompressionCodec::kUncompressed, CompressionCodec::kSnappy, CompressionCodec::kGzip,
        CompressionCodec::kZstd, CompressionCodec::kLz4Raw}) {
    auto codec = Codec::Make(id);
    ASSERT_TRUE(codec.ok()) << EnumName(id);
    for (size_t n : {size_t{0}, size_t{1}, size_t{1000}, size_t{1} << 20}) {
      std::string input = test::RandomBytes(n, n / 2) + std::string(n - n / 2, 'x');
      Buffer compressed;
      ASSERT_TRUE(
          codec->Compress(reinterpret_cast<const uint8_t*>(input.data()), input.size(), &compressed)
              .ok());
      std::string out(input.size(), '\0');
      ASSERT_TRUE(codec
                      ->Decompress(compressed.data(), compressed.size(),
                                   reinterpret_cast<uint8_t*>(out.data()), out.size())
                      .ok())
          << EnumName(id) << " " << n;
      EXPECT_EQ(out, input);
      if (n > 0 && id != CompressionCodec::kUncompressed) {
        // A wrong claimed size is an error, never a short or long result.
        std::string bigger(input.size() + 1, '\0');
        EXPECT_FALSE(codec
                         ->Decompress(compressed.data(), compressed.size(),
                                      reinterpret_cast<uint8_t*>(bigger.data()), bigger.size())
                         .ok())
            << EnumName(id);
      }
    }
  }
}

TEST(CodecTest, ReadsGzipFromAnotherImplementation) {
  // Python's gzip module, mtime 0, of "hello parquet".
  const uint8_t gz[] = {0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0xff, 0xcb,
                        0x48, 0xcd, 0xc9, 0xc9, 0x57, 0x28, 0x48, 0x2c, 0x2a, 0x2c, 0x4d,
                        0x2d, 0x01, 0x00, 0x75, 0x60, 0x45, 0x62, 0x0d, 0x00, 0x00, 0x00};
  auto codec = Codec::Make(CompressionCodec::kGzip);
  ASSERT_TRUE(codec.ok());
  std::string out(13, '\0');
  ASSERT_TRUE(codec->Decompress(gz, sizeof(gz), reinterpret_cast<uint8_t*>(out.data()), 13).ok());
  EXPECT_EQ(out, "hello parquet");
}

TEST(CodecTest, DamageIsAnErrorNotACrash) {
  for (CompressionCodec id : {CompressionCodec::kSnappy, CompressionCodec::kGzip,
                              CompressionCodec::kZstd, CompressionCodec::kLz4Raw}) {
    auto codec = Codec::Make(id);
    const std::string input(5000, 'q');
    Buffer compressed;
    ASSERT_TRUE(
        codec->Compress(reinterpret_cast<const uint8_t*>(input.data()), input.size(), &compressed)
            .ok());
    std::string out(input.size(), '\0');
    for (size_t cut = 0; cut < compressed.size(); cut += 3) {
      // Truncated streams must fail (they cannot produce the full size).
      EXPECT_FALSE(codec
                       ->Decompress(compressed.data(), cut, reinterpret_cast<uint8_t*>(out.data()),
                                    out.size())
                       .ok())
          << EnumName(id) << " cut at " << cut;
    }
  }
}

TEST(CodecTest, DeprecatedAndUnknownCodecsAreRefused) {
  EXPECT_TRUE(Codec::Make(CompressionCodec::kLz4).status().IsNotSupported());
  EXPECT_TRUE(Codec::Make(CompressionCodec::kLzo).status().IsNotSupported());
  EXPECT_TRUE(Codec::Make(static_cast<CompressionCodec>(99)).status().IsNotSupported());
  EXPECT_TRUE(Codec::Make(CompressionCodec::kZstd, 99).status().IsInvalidArgument());
  // The command line's names: "lz4" in any case means LZ4_RAW; BROTLI parses as the id it
  // names, which no Codec supports.
  EXPECT_EQ(ParseEnum<CompressionCodec>("LZ4"), CompressionCodec::kLz4Raw);
  EXPECT_EQ(ParseEnum<CompressionCodec>("lz4_raw"), CompressionCodec::kLz4Raw);
  EXPECT_EQ(ParseEnum<CompressionCodec>("None"), CompressionCodec::kUncompressed);
  EXPECT_EQ(ParseEnum<CompressionCodec>("brotli"), CompressionCodec::kBrotli);
  EXPECT_FALSE(CodecSupported(CompressionCodec::kBrotli));
  EXPECT_FALSE(CodecSupported(CompressionCodec::kLz4));
  EXPECT_FALSE(ParseEnum<CompressionCodec>("lz5").has_value());
}

TEST(CodecTest, NamesAreParquetThriftsAndChoicesTheSupportedCodecs) {
  EXPECT_EQ(EnumName(CompressionCodec::kUncompressed), "UNCOMPRESSED");
  EXPECT_EQ(EnumName(CompressionCodec::kLz4Raw), "LZ4_RAW");
  EXPECT_EQ(EnumName(CompressionCodec::kLz4), "LZ4");
  EXPECT_EQ(EnumName(static_cast<CompressionCodec>(99)), "99");
  EXPECT_EQ((EnumChoices<CompressionCodec>(", ", CodecSupported)),
            "UNCOMPRESSED, SNAPPY, GZIP, ZSTD, LZ4_RAW");
}

}  // namespace
}  // namespace strata::parquet
