// Round trips through the writer and the reader: random schemas (every physical type and
// logical annotation, REQUIRED and OPTIONAL), null ratios, encodings, codecs, page versions
// and page and row-group sizes. What is read back must equal what was written, row for row,
// and the footer must describe the file (row counts, statistics that bound the values).
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "base/random.h"
#include "parquet/parquet_reader.h"
#include "parquet/parquet_writer.h"
#include "support/test_util.h"

namespace strata::parquet {
namespace {

ColumnSpec RandomColumn(Random* rnd, int index) {
  const std::string name = "c" + std::to_string(index);
  const bool optional = rnd->OneIn(2);
  switch (rnd->Uniform(13)) {
    case 0:
      return BoolColumn(name, optional);
    case 1:
      return IntColumn(name, 8, rnd->OneIn(2), optional);
    case 2:
      return IntColumn(name, 16, rnd->OneIn(2), optional);
    case 3:
      return IntColumn(name, 32, rnd->OneIn(2), optional);
    case 4:
      return IntColumn(name, 64, rnd->OneIn(2), optional);
    case 5:
      return FloatColumn(name, optional);
    case 6:
      return DoubleColumn(name, optional);
    case 7:
      return StringColumn(name, optional);
    case 8:
      return BinaryColumn(name, optional);
    case 9:
      return FixedBinaryColumn(name, 1 + static_cast<int32_t>(rnd->Uniform(20)), optional);
    case 10:
      return DateColumn(name, optional);
    case 11:
      return TimestampColumn(name, static_cast<TimeUnit>(1 + rnd->Uniform(3)), optional);
    default: {
      ColumnSpec c;  // a plain INT64, without annotation
      c.name = name;
      c.physical = Type::kInt64;
      c.optional = optional;
      return c;
    }
  }
}

// A value generator with a chosen cardinality, so dictionaries both pay and overflow.
struct Generator {
  const ColumnSpec& spec;
  Random rnd;
  uint32_t cardinality;
  double null_ratio;

  void Append(ColumnVector* v) {
    if (spec.optional && rnd.Uniform(1000) < null_ratio * 1000) {
      v->AppendNull();
      return;
    }
    const uint64_t k = cardinality == 0 ? rnd.Next() : rnd.Uniform(cardinality);
    switch (spec.physical) {
      case Type::kBoolean:
        v->AppendBool(k & 1);
        break;
      case Type::kInt32: {
        int64_t x = static_cast<int64_t>(k * 2654435761u);
        if (spec.logical == LogicalKind::kInteger && spec.bit_width < 32) {
          const int bits = spec.bit_width;
          x = spec.is_signed ? (x % (int64_t{1} << (bits - 1))) : (x & ((int64_t{1} << bits) - 1));
        }
        if (k % 17 == 0) x = spec.is_signed ? std::numeric_limits<int32_t>::min() : 0;
        v->AppendInt32(static_cast<int32_t>(x));
        break;
      }
      case Type::kInt64: {
        auto x = static_cast<int64_t>(k * 0x9e3779b97f4a7c15ull);
        if (k % 19 == 0) x = std::numeric_limits<int64_t>::min();
        if (k % 23 == 0) x = -1;  // the largest value of a uint64 column
        v->AppendInt64(x);
        break;
      }
      case Type::kFloat: {
        float f = static_cast<float>(static_cast<int64_t>(k % 100000) - 50000) / 7.0f;
        if (k % 31 == 0) f = std::numeric_limits<float>::quiet_NaN();
        if (k % 37 == 0) f = -0.0f;
        if (k % 41 == 0) f = std::numeric_limits<float>::infinity();
        v->AppendFloat(f);
        break;
      }
      case Type::kDouble: {
        double d = static_cast<double>(static_cast<int64_t>(k % 1000003) - 500000) / 3.0;
        if (k % 31 == 0) d = std::numeric_limits<double>::quiet_NaN();
        if (k % 37 == 0) d = -0.0;
        if (k % 43 == 0) d = -std::numeric_limits<double>::infinity();
        v->AppendDouble(d);
        break;
      }
      case Type::kByteArray: {
        // Sorted-ish prefixes and random tails; some empty and some long (past the
        // statistics truncation length); arbitrary bytes for BINARY.
        const size_t len = k % 53 == 0 ? 0 : (k % 97 == 0 ? 200 : 1 + k % 24);
        std::string s = "k" + std::to_string(k % 1000);
        while (s.size() < len) s.push_back(static_cast<char>('a' + (k * 7 + s.size()) % 26));
        s.resize(len);
        if (spec.logical != LogicalKind::kString && !s.empty()) s[0] = static_cast<char>(k & 0xff);
        v->AppendBytes(s);
        break;
      }
      case Type::kFixedLenByteArray: {
        std::string s(static_cast<size_t>(spec.type_length), '\0');
        for (size_t i = 0; i < s.size(); i++) s[i] = static_cast<char>((k >> (i % 8)) * 31 + i);
        v->AppendBytes(s);
        break;
      }
      default:
        FAIL() << "unexpected type";
    }
  }
};

// Whether two vectors hold the same rows (floating point by bit pattern, so NaN == NaN and
// -0.0 != +0.0).
void ExpectSameRows(const ColumnVector& a, size_t a_begin, const ColumnVector& b, size_t b_begin,
                    size_t n, const std::string& what) {
  for (size_t i = 0; i < n; i++) {
    const size_t x = a_begin + i;
    const size_t y = b_begin + i;
    ASSERT_EQ(a.IsValid(x), b.IsValid(y)) << what << " row " << x;
    if (!a.IsValid(x)) continue;
    switch (a.physical()) {
      case Type::kBoolean:
        ASSERT_EQ(a.Value<uint8_t>(x), b.Value<uint8_t>(y)) << what << " row " << x;
        break;
      case Type::kInt32:
      case Type::kFloat:
        ASSERT_EQ(a.Value<uint32_t>(x), b.Value<uint32_t>(y)) << what << " row " << x;
        break;
      case Type::kInt64:
      case Type::kDouble:
        ASSERT_EQ(a.Value<uint64_t>(x), b.Value<uint64_t>(y)) << what << " row " << x;
        break;
      default:
        ASSERT_EQ(a.Bytes(x), b.Bytes(y)) << what << " row " << x;
        break;
    }
  }
}

Encoding RandomEncoding(Random* rnd, Type t) {
  std::vector<Encoding> options = {Encoding::kPlain};
  if (t == Type::kInt32 || t == Type::kInt64) options.push_back(Encoding::kDeltaBinaryPacked);
  if (t == Type::kByteArray) {
    options.push_back(Encoding::kDeltaLengthByteArray);
    options.push_back(Encoding::kDeltaByteArray);
  }
  if (t == Type::kFloat || t == Type::kDouble || t == Type::kInt32 || t == Type::kInt64 ||
      t == Type::kFixedLenByteArray) {
    options.push_back(Encoding::kByteStreamSplit);
  }
  return options[rnd->Uniform(static_cast<uint32_t>(options.size()))];
}

void RoundTrip(uint64_t seed) {
  SCOPED_TRACE("seed " + std::to_string(seed));
  Random rnd(seed);
  std::vector<ColumnSpec> specs;
  const int num_columns = 1 + static_cast<int>(rnd.Uniform(8));
  for (int i = 0; i < num_columns; i++) specs.push_back(RandomColumn(&rnd, i));
  const Schema schema(specs);

  WriterOptions options;
  const CompressionCodec codecs[] = {CompressionCodec::kUncompressed, CompressionCodec::kSnappy,
                                     CompressionCodec::kGzip, CompressionCodec::kZstd,
                                     CompressionCodec::kLz4Raw};
  options.compression = codecs[rnd.Uniform(5)];
  options.data_page_version = rnd.OneIn(2) ? 1 : 2;
  options.page_crc = rnd.OneIn(2);
  options.row_group_rows = 1 + rnd.Uniform(rnd.OneIn(2) ? 50 : 5000);
  options.page_rows = 1 + rnd.Uniform(rnd.OneIn(2) ? 30 : 3000);
  options.page_bytes = 64 + rnd.Uniform(rnd.OneIn(2) ? 1000 : 100000);
  options.dictionary_page_bytes = 16 + rnd.Uniform(20000);
  options.statistics_truncate_length = rnd.OneIn(3) ? 0 : 1 + rnd.Uniform(64);
  options.threads = rnd.OneIn(3) ? 2 : 1;
  for (const ColumnSpec& c : specs) {
    ColumnOptions co;
    co.dictionary = !rnd.OneIn(3);
    co.encoding = RandomEncoding(&rnd, c.physical);
    co.bloom_filter = rnd.OneIn(3);
    options.columns[c.name] = co;
  }
  const size_t rows = rnd.OneIn(10) ? rnd.Uniform(3) : rnd.Uniform(12000);

  std::vector<Generator> gens;
  for (size_t i = 0; i < specs.size(); i++) {
    const uint32_t card_choices[] = {1, 2, 7, 300, 100000, 0};
    const double null_choices[] = {0, 0.01, 0.5, 1.0};
    gens.push_back({specs[i], Random(seed * 131 + i), card_choices[rnd.Uniform(6)],
                    null_choices[rnd.Uniform(4)]});
  }
  // All rows, for comparison; written in batches of varying size.
  ColumnBatch all(schema);
  for (size_t r = 0; r < rows; r++) {
    for (size_t c = 0; c < specs.size(); c++) gens[c].Append(&all.column(c));
  }

  test::TempDir dir;
  const std::string path = dir.File("t.parquet");
  auto writer = ParquetWriter::Open(Env::Default(), path, schema, options);
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  size_t at = 0;
  while (at < rows) {
    const size_t n = std::min<size_t>(rows - at, 1 + rnd.Uniform(3000));
    ColumnBatch part(schema);
    for (size_t c = 0; c < specs.size(); c++) {
      const ColumnVector& src = all.column(c);
      ColumnVector& dst = part.column(c);
      for (size_t r = at; r < at + n; r++) {
        if (!src.IsValid(r)) {
          dst.AppendNull();
          continue;
        }
        switch (src.physical()) {
          case Type::kBoolean:
            dst.AppendBool(src.Value<uint8_t>(r) != 0);
            break;
          case Type::kInt32:
            dst.AppendInt32(src.Value<int32_t>(r));
            break;
          case Type::kInt64:
            dst.AppendInt64(src.Value<int64_t>(r));
            break;
          case Type::kFloat:
            dst.AppendFloat(src.Value<float>(r));
            break;
          case Type::kDouble:
            dst.AppendDouble(src.Value<double>(r));
            break;
          default:
            dst.AppendBytes(src.Bytes(r));
            break;
        }
      }
    }
    ASSERT_TRUE((*writer)->Write(part).ok());
    at += n;
  }
  auto summary = (*writer)->Close();
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->metadata.num_rows, static_cast<int64_t>(rows));

  auto reader = ParquetReader::Open(Env::Default(), path, rnd.OneIn(2));
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  for (size_t c = 0; c < specs.size(); c++) {
    EXPECT_EQ((*reader)->schema().column(c), specs[c])
        << Schema::TypeName((*reader)->schema().column(c)) << " vs " << Schema::TypeName(specs[c]);
  }
  EXPECT_EQ((*reader)->num_rows(), static_cast<int64_t>(rows));

  // Every column, in batches of a random size.
  ScanOptions scan;
  scan.batch_rows = 1 + rnd.Uniform(4000);
  scan.threads = rnd.OneIn(2) ? 2 : 1;  // columns decoded ahead in parallel, or in turn
  auto batches = (*reader)->Scan(scan);
  ASSERT_TRUE(batches.ok()) << batches.status().ToString();
  ColumnBatch batch;
  size_t read = 0;
  while (true) {
    auto more = (*batches)->Next(&batch);
    ASSERT_TRUE(more.ok()) << more.status().ToString();
    if (!*more) break;
    for (size_t c = 0; c < specs.size(); c++) {
      ExpectSameRows(all.column(c), read, batch.column(c), 0, batch.num_rows(), specs[c].name);
      if (testing::Test::HasFatalFailure()) return;
    }
    read += batch.num_rows();
  }
  EXPECT_EQ(read, rows);

  // One column alone (projection), from the middle of the schema.
  const size_t pick = rnd.Uniform(static_cast<uint32_t>(specs.size()));
  scan.columns = {specs[pick].name};
  batches = (*reader)->Scan(scan);
  ASSERT_TRUE(batches.ok());
  read = 0;
  while (true) {
    auto more = (*batches)->Next(&batch);
    ASSERT_TRUE(more.ok()) << more.status().ToString();
    if (!*more) break;
    ASSERT_EQ(batch.num_columns(), 1u);
    ExpectSameRows(all.column(pick), read, batch.column(0), 0, batch.num_rows(), "projected");
    if (testing::Test::HasFatalFailure()) return;
    read += batch.num_rows();
  }
  EXPECT_EQ(read, rows);
}

TEST(ParquetRoundTrip, RandomSchemasEncodingsCodecsAndSizes) {
  const int seeds = test::Iterations(150, 3000);
  for (int seed = 1; seed <= seeds; seed++) {
    RoundTrip(static_cast<uint64_t>(seed));
    if (HasFatalFailure()) return;
  }
}

// WriteRows writes the rows a permutation lists, in that order: the file reads back as the
// permuted rows, with statistics, dictionaries and nulls as if the batch had been reordered.
TEST(ParquetRoundTrip, WriteRowsFollowsThePermutation) {
  const Schema schema({IntColumn("i", 64, true, true), StringColumn("s", true), DoubleColumn("d")});
  ColumnBatch batch(schema);
  Random rnd(5);
  const size_t n = 5000;
  for (size_t r = 0; r < n; r++) {
    if (r % 7 == 0) {
      batch.column(0).AppendNull();
    } else {
      batch.column(0).AppendInt64(static_cast<int64_t>(r) - 100);
    }
    if (r % 5 == 0) {
      batch.column(1).AppendNull();
    } else {
      batch.column(1).AppendBytes("v" + std::to_string(r % 37));
    }
    batch.column(2).AppendDouble(static_cast<double>(r) / 3);
  }
  std::vector<uint32_t> perm(n);
  for (size_t i = 0; i < n; i++) perm[i] = static_cast<uint32_t>(i);
  for (size_t i = n; i > 1; i--)
    std::swap(perm[i - 1], perm[rnd.Uniform(static_cast<uint32_t>(i))]);
  perm.resize(n - 100);  // a subset, too
  test::TempDir dir;
  for (bool dictionary : {true, false}) {
    WriterOptions options;
    options.default_column.dictionary = dictionary;
    options.row_group_rows = 1500;
    options.page_rows = 333;
    const std::string path = dir.File(dictionary ? "d.parquet" : "p.parquet");
    auto writer = ParquetWriter::Open(Env::Default(), path, schema, options);
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE((*writer)->WriteRows(batch, perm).ok());
    auto summary = (*writer)->Close();
    ASSERT_TRUE(summary.ok());
    // The first row group's bounds of column i are those of the permuted rows it holds.
    int64_t lo = INT64_MAX, hi = INT64_MIN, nulls = 0;
    for (size_t k = 0; k < 1500; k++) {
      if (!batch.column(0).IsValid(perm[k])) {
        nulls++;
        continue;
      }
      lo = std::min(lo, batch.column(0).Value<int64_t>(perm[k]));
      hi = std::max(hi, batch.column(0).Value<int64_t>(perm[k]));
    }
    const Statistics& st = *summary->metadata.row_groups[0].columns[0].meta_data->statistics;
    int64_t got_lo, got_hi;
    std::memcpy(&got_lo, st.min_value->data(), 8);
    std::memcpy(&got_hi, st.max_value->data(), 8);
    EXPECT_EQ(got_lo, lo);
    EXPECT_EQ(got_hi, hi);
    EXPECT_EQ(*st.null_count, nulls);

    auto reader = ParquetReader::Open(Env::Default(), path);
    ASSERT_TRUE(reader.ok());
    auto scan = (*reader)->Scan(ScanOptions());
    ASSERT_TRUE(scan.ok());
    ColumnBatch got;
    size_t at = 0;
    while (true) {
      auto more = (*scan)->Next(&got);
      ASSERT_TRUE(more.ok());
      if (!*more) break;
      for (size_t i = 0; i < got.num_rows(); i++, at++) {
        for (size_t c = 0; c < 3; c++) {
          ExpectSameRows(batch.column(c), perm[at], got.column(c), i, 1, "column");
          if (HasFatalFailure()) return;
        }
      }
    }
    EXPECT_EQ(at, perm.size());
  }
}

}  // namespace
}  // namespace strata::parquet
