#include "parquet/byte_stream_split.h"

#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace strata::parquet {

namespace {

#if defined(__SSE2__)
// SSE2 (part of every x86-64) transposes 16 values per step: interleaving bytes of two
// streams, then 16-bit pairs of two such results (then 32-bit quads for 8-byte values), turns
// stream-major bytes into value-major ones. Returns how many values it handled (a multiple of
// 16); the caller finishes the rest.
__m128i Load(const uint8_t* p) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)); }
void Store(uint8_t* p, __m128i v) { _mm_storeu_si128(reinterpret_cast<__m128i*>(p), v); }

size_t DecodeWidth4Sse2(const uint8_t* const* streams, size_t n, uint8_t* out) {
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const __m128i a = Load(streams[0] + i);
    const __m128i b = Load(streams[1] + i);
    const __m128i c = Load(streams[2] + i);
    const __m128i d = Load(streams[3] + i);
    const __m128i ab_lo = _mm_unpacklo_epi8(a, b);  // a0 b0 a1 b1 ... a7 b7
    const __m128i ab_hi = _mm_unpackhi_epi8(a, b);
    const __m128i cd_lo = _mm_unpacklo_epi8(c, d);
    const __m128i cd_hi = _mm_unpackhi_epi8(c, d);
    uint8_t* o = out + i * 4;
    Store(o, _mm_unpacklo_epi16(ab_lo, cd_lo));  // a0 b0 c0 d0 ... a3 b3 c3 d3
    Store(o + 16, _mm_unpackhi_epi16(ab_lo, cd_lo));
    Store(o + 32, _mm_unpacklo_epi16(ab_hi, cd_hi));
    Store(o + 48, _mm_unpackhi_epi16(ab_hi, cd_hi));
  }
  return i;
}

size_t DecodeWidth8Sse2(const uint8_t* const* streams, size_t n, uint8_t* out) {
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    __m128i s[8];
    for (int k = 0; k < 8; k++) s[k] = Load(streams[k] + i);
    // Pairs of bytes (k, k+1) for values 0-7 (lo) and 8-15 (hi).
    __m128i p_lo[4], p_hi[4];
    for (int k = 0; k < 4; k++) {
      p_lo[k] = _mm_unpacklo_epi8(s[2 * k], s[2 * k + 1]);
      p_hi[k] = _mm_unpackhi_epi8(s[2 * k], s[2 * k + 1]);
    }
    // Quads: bytes 0-3 (q) and 4-7 (r) of values 0-3, 4-7, 8-11, 12-15.
    const __m128i q[4] = {
        _mm_unpacklo_epi16(p_lo[0], p_lo[1]), _mm_unpackhi_epi16(p_lo[0], p_lo[1]),
        _mm_unpacklo_epi16(p_hi[0], p_hi[1]), _mm_unpackhi_epi16(p_hi[0], p_hi[1])};
    const __m128i r[4] = {
        _mm_unpacklo_epi16(p_lo[2], p_lo[3]), _mm_unpackhi_epi16(p_lo[2], p_lo[3]),
        _mm_unpacklo_epi16(p_hi[2], p_hi[3]), _mm_unpackhi_epi16(p_hi[2], p_hi[3])};
    uint8_t* o = out + i * 8;
    for (int k = 0; k < 4; k++) {
      Store(o + 32 * k, _mm_unpacklo_epi32(q[k], r[k]));  // values 4k, 4k+1
      Store(o + 32 * k + 16, _mm_unpackhi_epi32(q[k], r[k]));
    }
  }
  return i;
}
#endif

// Gathers byte k of values [start, start + n) from stream k. With the width a template
// argument the inner loop disappears and each value is assembled in a register.
template <size_t W>
void DecodeWidth(const uint8_t* data, size_t stride, size_t start, size_t n, uint8_t* out) {
  const uint8_t* streams[W];
  for (size_t k = 0; k < W; k++) streams[k] = data + k * stride + start;
  size_t i = 0;
#if defined(__SSE2__)
  if constexpr (W == 4) i = DecodeWidth4Sse2(streams, n, out);
  if constexpr (W == 8) i = DecodeWidth8Sse2(streams, n, out);
#endif
  for (; i < n; i++) {
    uint8_t value[W];
    for (size_t k = 0; k < W; k++) value[k] = streams[k][i];
    std::memcpy(out + i * W, value, W);
  }
}

void DecodeAnyWidth(const uint8_t* data, size_t stride, size_t width, size_t start, size_t n,
                    uint8_t* out) {
  for (size_t k = 0; k < width; k++) {
    const uint8_t* stream = data + k * stride + start;
    for (size_t i = 0; i < n; i++) out[i * width + k] = stream[i];
  }
}

template <size_t W>
void EncodeWidth(const uint8_t* values, size_t n, uint8_t* out) {
  uint8_t* streams[W];
  for (size_t k = 0; k < W; k++) streams[k] = out + k * n;
  for (size_t i = 0; i < n; i++) {
    uint8_t value[W];
    std::memcpy(value, values + i * W, W);
    for (size_t k = 0; k < W; k++) streams[k][i] = value[k];
  }
}

}  // namespace

void ByteStreamSplitEncode(const uint8_t* values, size_t n, size_t width, std::string* dst) {
  const size_t at = dst->size();
  dst->resize(at + n * width);
  uint8_t* out = reinterpret_cast<uint8_t*>(dst->data()) + at;
  switch (width) {
    case 2:
      return EncodeWidth<2>(values, n, out);
    case 4:
      return EncodeWidth<4>(values, n, out);
    case 8:
      return EncodeWidth<8>(values, n, out);
    case 16:
      return EncodeWidth<16>(values, n, out);
    default:
      for (size_t k = 0; k < width; k++) {
        for (size_t i = 0; i < n; i++) out[k * n + i] = values[i * width + k];
      }
  }
}

Status ByteStreamSplitDecoder::Init(const uint8_t* data, size_t size, size_t width) {
  data_ = data;
  width_ = width;
  num_values_ = pos_ = 0;
  if (width == 0) {
    return Status::InvalidArgument("BYTE_STREAM_SPLIT: value width 0");
  }
  if (size % width != 0) {
    return Status::Corruption("BYTE_STREAM_SPLIT data of " + std::to_string(size) +
                              " bytes is not a whole number of " + std::to_string(width) +
                              "-byte values");
  }
  num_values_ = size / width;
  return Status::OK();
}

Status ByteStreamSplitDecoder::WidthMismatch(size_t type_width) const {
  return Status::InvalidArgument("BYTE_STREAM_SPLIT: values of " + std::to_string(type_width) +
                                 " bytes asked of a stream of " + std::to_string(width_) +
                                 "-byte values");
}

Result<size_t> ByteStreamSplitDecoder::GetBatch(uint8_t* out, size_t n) {
  if (n > values_left()) n = values_left();
  switch (width_) {
    case 2:
      DecodeWidth<2>(data_, num_values_, pos_, n, out);
      break;
    case 4:
      DecodeWidth<4>(data_, num_values_, pos_, n, out);
      break;
    case 8:
      DecodeWidth<8>(data_, num_values_, pos_, n, out);
      break;
    case 16:
      DecodeWidth<16>(data_, num_values_, pos_, n, out);
      break;
    default:
      DecodeAnyWidth(data_, num_values_, width_, pos_, n, out);
  }
  pos_ += n;
  return n;
}

}  // namespace strata::parquet
