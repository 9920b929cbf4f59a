#include "fixture_catalog.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <optional>

#include "base/random.h"

namespace strata::interop {

using parquet::ColumnBatch;
using parquet::ColumnOptions;
using parquet::ColumnSpec;
using parquet::ColumnVector;
using parquet::CompressionCodec;
using parquet::Encoding;
using parquet::LogicalKind;
using parquet::TimeUnit;
using parquet::Type;
using parquet::WriterOptions;

namespace {

constexpr int32_t kFixedLength = 16;

// ---- The columns.

// One column of every type Strata writes: every physical type, every INTEGER width and
// signedness, STRING, DATE, the three TIMESTAMP units, and plain INT32/INT64.
std::vector<ColumnSpec> AllTypes(bool optional) {
  ColumnSpec raw_i32;
  raw_i32.name = "raw_i32";
  raw_i32.physical = Type::kInt32;
  raw_i32.optional = optional;
  ColumnSpec raw_i64 = raw_i32;
  raw_i64.name = "raw_i64";
  raw_i64.physical = Type::kInt64;
  return {
      parquet::BoolColumn("b", optional),
      parquet::IntColumn("i8", 8, true, optional),
      parquet::IntColumn("u8", 8, false, optional),
      parquet::IntColumn("i16", 16, true, optional),
      parquet::IntColumn("u16", 16, false, optional),
      parquet::IntColumn("i32", 32, true, optional),
      parquet::IntColumn("u32", 32, false, optional),
      parquet::IntColumn("i64", 64, true, optional),
      parquet::IntColumn("u64", 64, false, optional),
      parquet::FloatColumn("f32", optional),
      parquet::DoubleColumn("f64", optional),
      parquet::StringColumn("s", optional),
      parquet::BinaryColumn("bin", optional),
      parquet::FixedBinaryColumn("flba", kFixedLength, optional),
      parquet::DateColumn("d", optional),
      parquet::TimestampColumn("ts_ms", TimeUnit::kMillis, optional),
      parquet::TimestampColumn("ts_us", TimeUnit::kMicros, optional),
      parquet::TimestampColumn("ts_ns", TimeUnit::kNanos, optional),
      raw_i32,
      raw_i64,
  };
}

std::vector<ColumnSpec> Pick(const std::vector<ColumnSpec>& all,
                             const std::vector<std::string>& names) {
  std::vector<ColumnSpec> out;
  for (const std::string& n : names) {
    for (const ColumnSpec& c : all) {
      if (c.name == n) out.push_back(c);
    }
  }
  return out;
}

std::vector<FixtureColumn> Columns(const std::vector<ColumnSpec>& specs, ValueMode mode,
                                   double null_ratio, ColumnOptions options) {
  std::vector<FixtureColumn> out;
  for (const ColumnSpec& spec : specs) {
    out.push_back({spec, options, mode, spec.optional ? null_ratio : 0.0});
  }
  return out;
}

ColumnOptions Plain(Encoding e) {
  ColumnOptions o;
  o.dictionary = false;
  o.encoding = e;
  return o;
}

ColumnOptions Dictionary(Encoding fallback = Encoding::kPlain) {
  ColumnOptions o;
  o.dictionary = true;
  o.encoding = fallback;
  return o;
}

// Options shared by most files: several row groups of several pages each. page_bytes is
// large so pages are cut by row count alone, which keeps the page count predictable.
WriterOptions BaseOptions(CompressionCodec codec, int page_version, const std::string& name) {
  WriterOptions o;
  o.compression = codec;
  o.data_page_version = page_version;
  o.row_group_rows = 700;
  o.page_rows = 250;
  o.page_bytes = 64 << 20;
  o.sync = false;
  o.key_value_metadata = {{"strata.fixture", name}};
  return o;
}

// Lower case, for file names: codec_lz4_raw_v1.parquet.
std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// ---- The values.

template <typename T>
T PickFrom(Random* rnd, const std::vector<T>& pool) {
  return pool[rnd->Uniform(static_cast<uint32_t>(pool.size()))];
}

// The stored (physical) bit pattern of integer-like columns, as int64.
std::vector<int64_t> IntPool(const ColumnSpec& c) {
  constexpr int64_t kI64Min = std::numeric_limits<int64_t>::min();
  constexpr int64_t kI64Max = std::numeric_limits<int64_t>::max();
  constexpr int64_t kI32Min = std::numeric_limits<int32_t>::min();
  constexpr int64_t kI32Max = std::numeric_limits<int32_t>::max();
  constexpr int64_t kBeyondDouble = (int64_t{1} << 53) + 1;  // not exact as a double
  switch (c.logical) {
    case LogicalKind::kInteger:
      switch (c.bit_width) {
        case 8:
          return c.is_signed ? std::vector<int64_t>{-128, 127, 0, -1, 1, 42}
                             : std::vector<int64_t>{0, 255, 1, 128, 127};
        case 16:
          return c.is_signed ? std::vector<int64_t>{-32768, 32767, 0, -1, 300}
                             : std::vector<int64_t>{0, 65535, 1, 32768};
        case 32:
          // Unsigned: 4294967295 and 2147483648 are stored as -1 and INT32_MIN.
          return c.is_signed ? std::vector<int64_t>{kI32Min, kI32Max, 0, -1, 1, 123456789}
                             : std::vector<int64_t>{0, -1, kI32Min, kI32Max, 1};
        default:
          // Unsigned: UINT64_MAX and 2^63 are stored as -1 and INT64_MIN.
          return c.is_signed ? std::vector<int64_t>{kI64Min,       kI64Max,       0, -1, 1,
                                                    kBeyondDouble, -kBeyondDouble}
                             : std::vector<int64_t>{0, -1, kI64Min, kI64Max, kBeyondDouble, 1};
      }
    case LogicalKind::kDate:
      // 1970-01-01, 1969-12-31, 2024-01-02, 0001-01-01, 9999-12-31.
      return {0, -1, 19724, -719162, 2932896};
    case LogicalKind::kTimestamp:
      switch (c.unit) {
        case TimeUnit::kMillis:
          return {0, -1, 1704164645123, -62135596800000, 253402300799999};
        case TimeUnit::kMicros:
          return {0, -1, 1704164645123456, -62135596800000000, 253402300799999999};
        case TimeUnit::kNanos:
          // int64 nanoseconds span 1677..2262; +-2^62 is 1823..2116.
          return {0, -1, 1704164645123456789, int64_t{1} << 62, -(int64_t{1} << 62)};
      }
      break;
    default:
      break;
  }
  if (c.physical == Type::kInt32) return {kI32Min, kI32Max, 0, -1, 1, 7};
  return {kI64Min, kI64Max, 0, -1, 1, kBeyondDouble};
}

// A value in [lo, hi] chosen by bits. The arithmetic is unsigned: hi - lo overflows int64_t
// for wide ranges (the nanosecond timestamps span 2^63), while in uint64_t the span is exact
// and lo + offset wraps back into [lo, hi]. A span of 0 means all 2^64 values.
int64_t InRange(uint64_t bits, int64_t lo, int64_t hi) {
  const uint64_t span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo) + 1;
  const uint64_t offset = span == 0 ? bits : bits % span;
  return static_cast<int64_t>(static_cast<uint64_t>(lo) + offset);
}

int64_t RandomInt(const ColumnSpec& c, Random* rnd) {
  if (rnd->OneIn(16)) return PickFrom(rnd, IntPool(c));
  const uint64_t bits = rnd->Next();
  switch (c.logical) {
    case LogicalKind::kInteger:
      switch (c.bit_width) {
        case 8:
          return c.is_signed ? static_cast<int8_t>(bits) : static_cast<uint8_t>(bits);
        case 16:
          return c.is_signed ? static_cast<int16_t>(bits) : static_cast<uint16_t>(bits);
        case 32:
          return static_cast<int32_t>(bits);
        default:
          return static_cast<int64_t>(bits);
      }
    case LogicalKind::kDate:
      return InRange(bits, -719162, 2932896);
    case LogicalKind::kTimestamp:
      switch (c.unit) {
        case TimeUnit::kMillis:
          return InRange(bits, -62135596800000, 253402300799999);
        case TimeUnit::kMicros:
          return InRange(bits, -62135596800000000, 253402300799999999);
        case TimeUnit::kNanos:
          return InRange(bits, -(int64_t{1} << 62), int64_t{1} << 62);
      }
      break;
    default:
      break;
  }
  return c.physical == Type::kInt32 ? static_cast<int32_t>(bits) : static_cast<int64_t>(bits);
}

template <typename F>
std::vector<F> FloatPool() {
  using L = std::numeric_limits<F>;
  return {L::quiet_NaN(), L::infinity(), -L::infinity(),  F(-0.0), F(0.0),
          L::max(),       L::lowest(),   L::denorm_min(), F(1.5),  F(0.1),
          F(-2.25),       F(1e-30),      F(123456.789)};
}

template <typename F, typename Bits>
F RandomFloat(Random* rnd) {
  if (rnd->OneIn(8)) return PickFrom(rnd, FloatPool<F>());
  if (rnd->OneIn(2)) {
    // Ordinary magnitudes, as data mostly has.
    return static_cast<F>((static_cast<double>(rnd->Next() >> 11) / 9007199254740992.0 - 0.5) *
                          std::pow(10.0, static_cast<int>(rnd->Uniform(12)) - 4));
  }
  // Any finite bit pattern: denormals, huge and tiny exponents.
  while (true) {
    const auto bits = static_cast<Bits>(rnd->Next());
    F f;
    std::memcpy(&f, &bits, sizeof(f));
    if (std::isfinite(f)) return f;
  }
}

std::vector<std::string> StringPool() {
  return {"",
          "a",
          "h\xc3\xa9llo",
          "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e",
          "\xf0\x9f\x98\x80 emoji",
          "quote\" back\\slash",
          "tab\tnewline\n",
          "zz",
          std::string("\x01"
                      "ctl"),
          "\xce\xa9"};
}

std::vector<std::string> BinaryPool() {
  return {"",    std::string(1, '\0'), "\xff\xfe\xfd", "abc", std::string("\x00\x01\x02\x03", 4),
          "\xff"};
}

std::vector<std::string> FixedPool() {
  return {std::string(kFixedLength, '\0'), std::string(kFixedLength, '\xff'), "0123456789abcdef",
          std::string("\x80") + std::string(kFixedLength - 1, '\0'), "fixed-width-16b!"};
}

// Random UTF-8: a prefix shared by many values (what DELTA_BYTE_ARRAY exploits), then
// letters, digits and multi-byte characters.
std::string RandomString(Random* rnd) {
  static const std::vector<std::string> kPrefixes = {"", "user/", "user/alice/", "\xe6\x97\xa5/",
                                                     "zeta-"};
  static const std::vector<std::string> kChars = {"a",
                                                  "b",
                                                  "q",
                                                  "Z",
                                                  "0",
                                                  "7",
                                                  " ",
                                                  "-",
                                                  "\xc3\xa9",
                                                  "\xc3\x9f",
                                                  "\xe6\x97\xa5",
                                                  "\xf0\x9f\x98\x80"};
  std::string s = PickFrom(rnd, kPrefixes);
  const uint32_t n = rnd->Uniform(25);
  for (uint32_t i = 0; i < n; i++) s += PickFrom(rnd, kChars);
  return s;
}

std::string RandomBytes(Random* rnd, size_t n) {
  std::string s(n, '\0');
  for (char& ch : s) ch = static_cast<char>(rnd->Next() >> 56);
  return s;
}

// Lower-case letters only, so a truncated maximum's incremented byte is still ASCII.
std::string LongString(Random* rnd) {
  const size_t n = rnd->OneIn(3) ? rnd->Uniform(10) : 50 + rnd->Uniform(150);
  std::string s(n, 'a');
  for (char& ch : s) ch = static_cast<char>('a' + rnd->Uniform(26));
  return s;
}

void AppendValue(const FixtureColumn& col, ValueMode mode, size_t row, Random* rnd,
                 ColumnVector* out) {
  const ColumnSpec& c = col.spec;
  const bool pool = mode == ValueMode::kPool;
  switch (c.physical) {
    case Type::kBoolean:
      out->AppendBool(mode == ValueMode::kAscending ? row % 2 == 1 : rnd->OneIn(2));
      return;
    case Type::kInt32:
    case Type::kInt64: {
      int64_t v;
      if (mode == ValueMode::kAscending) {
        // Signed columns cross zero; uint64 crosses 2^63, where signed order breaks.
        v = (c.logical == LogicalKind::kInteger && !c.is_signed)
                ? static_cast<int64_t>((uint64_t{1} << 63) - 2500 + row)
                : static_cast<int64_t>(row) - 2500;
      } else {
        v = pool ? PickFrom(rnd, IntPool(c)) : RandomInt(c, rnd);
      }
      if (c.physical == Type::kInt32) {
        out->AppendInt32(static_cast<int32_t>(v));
      } else {
        out->AppendInt64(v);
      }
      return;
    }
    case Type::kFloat:
      out->AppendFloat(pool ? PickFrom(rnd, FloatPool<float>())
                            : RandomFloat<float, uint32_t>(rnd));
      return;
    case Type::kDouble:
      out->AppendDouble(pool ? PickFrom(rnd, FloatPool<double>())
                             : RandomFloat<double, uint64_t>(rnd));
      return;
    case Type::kByteArray: {
      std::string v;
      if (mode == ValueMode::kAscending) {
        char buf[32];
        std::snprintf(buf, sizeof(buf), "key-%06zu", row);
        v = buf;
      } else if (mode == ValueMode::kLongStrings) {
        v = LongString(rnd);
      } else if (c.logical == LogicalKind::kString) {
        v = pool ? PickFrom(rnd, StringPool()) : RandomString(rnd);
      } else {
        v = pool ? PickFrom(rnd, BinaryPool()) : RandomBytes(rnd, rnd->Uniform(25));
      }
      out->AppendBytes(v);
      return;
    }
    case Type::kFixedLenByteArray:
      out->AppendBytes(pool ? PickFrom(rnd, FixedPool()) : RandomBytes(rnd, kFixedLength));
      return;
    default:
      return;
  }
}

}  // namespace

parquet::Schema FixtureFile::schema() const {
  std::vector<ColumnSpec> specs;
  for (const FixtureColumn& c : columns) specs.push_back(c.spec);
  return parquet::Schema(specs);
}

WriterOptions FixtureFile::WriterOptionsWithColumns() const {
  WriterOptions o = options;
  for (const FixtureColumn& c : columns) o.columns[c.spec.name] = c.options;
  return o;
}

ColumnBatch GenerateValues(const FixtureFile& file) {
  ColumnBatch batch(file.schema());
  for (size_t c = 0; c < file.columns.size(); c++) {
    const FixtureColumn& col = file.columns[c];
    // One generator per column, so adding a column leaves the others' values alone.
    Random rnd(file.seed * 1000003 + c);
    const auto null_threshold = static_cast<uint32_t>(col.null_ratio * 1000000);
    for (size_t row = 0; row < file.rows; row++) {
      if (col.spec.optional && rnd.Uniform(1000000) < null_threshold) {
        batch.column(c).AppendNull();
        continue;
      }
      ValueMode mode = col.mode;
      if (mode == ValueMode::kPoolThenUnique) {
        mode = row % file.options.row_group_rows < kPoolRowsPerGroup ? ValueMode::kPool
                                                                     : ValueMode::kRandom;
      }
      AppendValue(col, mode, row, &rnd, &batch.column(c));
    }
  }
  return batch;
}

std::vector<FixtureFile> Catalog() {
  std::vector<FixtureFile> files;
  uint64_t seed = 1;
  auto add = [&](std::string name, std::string purpose, std::vector<FixtureColumn> columns,
                 WriterOptions options, size_t rows) {
    options.key_value_metadata = {{"strata.fixture", name}};
    files.push_back({std::move(name), std::move(purpose), std::move(columns), std::move(options),
                     rows, seed++});
  };

  // Every codec with both data page versions: all types, OPTIONAL with some nulls, edge
  // values from the pools, dictionary encoded; v2 files also carry page CRCs.
  for (CompressionCodec codec :
       {CompressionCodec::kUncompressed, CompressionCodec::kSnappy, CompressionCodec::kGzip,
        CompressionCodec::kZstd, CompressionCodec::kLz4Raw}) {
    for (int version : {1, 2}) {
      const std::string name = "codec_" + Lower(EnumName(codec)) + "_v" + std::to_string(version);
      WriterOptions o = BaseOptions(codec, version, name);
      o.page_crc = version == 2;
      add(name, "codec and page version; all types, edge values, 20% nulls, dictionary",
          Columns(AllTypes(true), ValueMode::kPool, 0.2, Dictionary()), o, 2000);
    }
  }

  // Each non-dictionary encoding, v1 and v2, on the types it applies to, random values.
  // Files other than the codec_* ones use codecs every reader here decodes (hyparquet
  // needs an extra package for ZSTD and LZ4_RAW).
  const std::vector<ColumnSpec> all = AllTypes(true);
  struct EncodingCase {
    const char* name;
    Encoding encoding;
    std::vector<std::string> columns;
    CompressionCodec codec;
  };
  const std::vector<EncodingCase> encodings = {
      {"plain",
       Encoding::kPlain,
       {"b",   "i8", "u8",  "i16",  "u16", "i32",   "u32",   "i64",   "u64",     "f32",
        "f64", "s",  "bin", "flba", "d",   "ts_ms", "ts_us", "ts_ns", "raw_i32", "raw_i64"},
       CompressionCodec::kSnappy},
      {"delta_binary_packed",
       Encoding::kDeltaBinaryPacked,
       {"i8", "u8", "i16", "u16", "i32", "u32", "i64", "u64", "d", "ts_ms", "ts_us", "ts_ns",
        "raw_i32", "raw_i64"},
       CompressionCodec::kGzip},
      {"delta_length_byte_array",
       Encoding::kDeltaLengthByteArray,
       {"s", "bin"},
       CompressionCodec::kSnappy},
      {"delta_byte_array", Encoding::kDeltaByteArray, {"s", "bin"}, CompressionCodec::kGzip},
      {"byte_stream_split",
       Encoding::kByteStreamSplit,
       {"f32", "f64", "i32", "u32", "i64", "u64", "raw_i32", "raw_i64", "flba", "d", "ts_us"},
       CompressionCodec::kUncompressed},
  };
  for (const EncodingCase& e : encodings) {
    for (int version : {1, 2}) {
      const std::string name = std::string("enc_") + e.name + "_v" + std::to_string(version);
      add(name, std::string("encoding ") + e.name + " without dictionary; random values",
          Columns(Pick(all, e.columns), ValueMode::kRandom, 0.1, Plain(e.encoding)),
          BaseOptions(e.codec, version, name), 2000);
    }
  }

  // REQUIRED columns of every type (no definition levels at all).
  add("required_all_types", "REQUIRED columns of every type, dictionary, v2",
      Columns(AllTypes(false), ValueMode::kPool, 0, Dictionary()),
      BaseOptions(CompressionCodec::kUncompressed, 2, ""), 1500);

  // Null ratios from none to all, side by side.
  {
    std::vector<FixtureColumn> cols;
    const double ratios[] = {0, 0.01, 0.5, 0.99, 1.0};
    for (const ColumnSpec& base : Pick(all, {"i64", "s", "f64", "flba", "b"})) {
      for (double r : ratios) {
        ColumnSpec spec = base;
        spec.name = base.name + "_null" + std::to_string(static_cast<int>(r * 100));
        cols.push_back({spec, Plain(Encoding::kPlain), ValueMode::kRandom, r});
      }
    }
    add("nulls_mixed", "OPTIONAL columns with 0, 1, 50, 99 and 100% nulls", std::move(cols),
        BaseOptions(CompressionCodec::kSnappy, 1, ""), 3000);
  }
  // Every column null, dictionary requested: no value ever enters a dictionary.
  add("nulls_all_dictionary", "every row null, dictionary requested",
      Columns(AllTypes(true), ValueMode::kPool, 1.0, Dictionary()),
      BaseOptions(CompressionCodec::kSnappy, 1, ""), 800);

  // Dictionary fallback mid-chunk: a small dictionary_page_bytes; each row group starts
  // with pool values (the dictionary pays and is used), then unique values overflow it and
  // the rest of the chunk uses the column's fallback encoding.
  for (int version : {1, 2}) {
    std::vector<FixtureColumn> cols;
    const std::vector<std::pair<std::string, Encoding>> fallbacks = {
        {"i64", Encoding::kDeltaBinaryPacked}, {"raw_i32", Encoding::kPlain},
        {"s", Encoding::kDeltaByteArray},      {"bin", Encoding::kDeltaLengthByteArray},
        {"f64", Encoding::kByteStreamSplit},   {"flba", Encoding::kPlain},
        {"u64", Encoding::kByteStreamSplit},   {"ts_ns", Encoding::kDeltaBinaryPacked}};
    for (const auto& [column, encoding] : fallbacks) {
      ColumnSpec spec = Pick(all, {column})[0];
      spec.optional = column != "raw_i32";
      cols.push_back(
          {spec, Dictionary(encoding), ValueMode::kPoolThenUnique, spec.optional ? 0.05 : 0.0});
    }
    const std::string name = "dict_fallback_v" + std::to_string(version);
    WriterOptions o = BaseOptions(CompressionCodec::kSnappy, version, name);
    o.row_group_rows = 1000;
    o.page_rows = 100;
    o.dictionary_page_bytes = 512;
    add(name, "dictionary overflows mid-chunk, then each fallback encoding", std::move(cols), o,
        3000);
  }

  // Bloom filters on some columns (and not on one), several row groups.
  {
    std::vector<FixtureColumn> cols;
    for (const ColumnSpec& spec :
         Pick(all, {"i64", "u64", "raw_i32", "s", "bin", "f64", "flba", "d", "i8"})) {
      ColumnOptions o = Plain(Encoding::kPlain);
      o.bloom_filter = spec.name != "i8";
      cols.push_back({spec, o, ValueMode::kRandom, 0.05});
    }
    // Printable binary values, which DuckDB's bloom probe can look up.
    ColumnOptions ascii = Plain(Encoding::kPlain);
    ascii.bloom_filter = true;
    cols.push_back(
        {parquet::BinaryColumn("bin_ascii", true), ascii, ValueMode::kLongStrings, 0.05});
    WriterOptions o = BaseOptions(CompressionCodec::kSnappy, 1, "");
    o.row_group_rows = 2000;
    o.page_rows = 500;
    o.bloom_filter_fpp = 0.01;
    add("bloom", "split-block bloom filters on all but one column", std::move(cols), o, 6000);
  }

  // Row groups with disjoint ranges, for statistics-based skipping; sorting_columns and
  // key/value metadata (a key without a value, UTF-8) in the footer; page CRCs.
  {
    std::vector<FixtureColumn> cols = Columns(Pick(AllTypes(false), {"i64", "u64", "s"}),
                                              ValueMode::kAscending, 0, Plain(Encoding::kPlain));
    cols[0].spec.name = "id";
    cols[1].spec.name = "u";
    cols[2].spec.name = "key";
    FixtureColumn payload{parquet::StringColumn("payload", true), Plain(Encoding::kPlain),
                          ValueMode::kRandom, 0.1};
    cols.push_back(payload);
    WriterOptions o = BaseOptions(CompressionCodec::kSnappy, 1, "");
    o.row_group_rows = 1000;
    o.page_crc = true;
    o.sorting_columns = {{0, false, false}, {2, false, false}};
    add("skip_sorted", "sorted, disjoint row-group ranges; sorting_columns; key/value metadata",
        std::move(cols), o, 5000);
    files.back().options.key_value_metadata = {
        {"strata.fixture", "skip_sorted"},
        {"no.value", std::nullopt},
        {"unicode.\xc3\xa9", "\xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80"},
        {"empty.value", ""}};
  }

  // Byte-array statistics longer than the truncation length (64): truncated bounds.
  {
    ColumnSpec s = parquet::StringColumn("long_s", true);
    ColumnSpec b = parquet::BinaryColumn("long_bin", false);
    std::vector<FixtureColumn> cols = {
        {s, Plain(Encoding::kPlain), ValueMode::kLongStrings, 0.1},
        {b, Plain(Encoding::kDeltaLengthByteArray), ValueMode::kLongStrings, 0}};
    WriterOptions o = BaseOptions(CompressionCodec::kGzip, 2, "");
    o.row_group_rows = 500;
    add("long_strings", "byte-array bounds past the truncation length", std::move(cols), o, 1000);
  }
  return files;
}

}  // namespace strata::interop
