// Options shared by TableBuilder and TableReader, and the per-read options of a reader.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

#include "sst/cache.h"
#include "sst/compression.h"
#include "strata/comparator.h"
#include "strata/slice.h"

namespace strata::sst {

struct TableOptions {
  // The order of keys; must outlive builders and readers. Its name is stored in the table
  // and a reader refuses a table written with another.
  const Comparator* comparator = BytewiseComparator();

  // Uncompressed size at which a data block is cut (the block holding one large entry may
  // be larger).
  size_t block_size = 4096;
  // Entries between restart points of data blocks (index blocks restart at every entry).
  int restart_interval = 16;
  // The same for the index block. Every lookup seeks the index, so each entry is a restart
  // point and the seek is a pure binary search. Restarting every 16 entries would halve
  // the index (neighbouring separators share long prefixes) but made the DB only 0.2%
  // smaller while readrandom paid about 5% for the forward scan after the search.
  int index_restart_interval = 1;

  // Codec for data and index blocks; a block that shrinks by less than 1/8 is stored raw.
  CompressionType compression = CompressionType::kLz4;
  // zstd level; 0 = the codec's default. Ignored by the other codecs.
  int compression_level = 0;

  // Bloom filter bits per filter key; 0 = no filter.
  int bloom_bits_per_key = 10;

  // Maps a key to what the filter indexes (e.g. the user key of an internal key). Equal
  // results of consecutive keys are added once. Empty = the key itself.
  std::function<Slice(const Slice&)> filter_key;
  // Maps a key to its sequence number, for the min/max sequence properties. Empty = none.
  std::function<uint64_t(const Slice&)> sequence_of;
  // For keys with a user-key part (internal keys): user_key extracts it, user_comparator
  // orders it. With both set, a table in which no user key spans two data blocks gets an
  // index of user keys (8 bytes less per block for internal keys), noted in its properties;
  // a reader of such a table needs both too.
  std::function<Slice(const Slice&)> user_key;
  const Comparator* user_comparator = nullptr;

  // Largest uncompressed block a reader accepts (and a builder writes): the bound on what a
  // damaged or hostile file can make a reader allocate.
  size_t max_block_size = size_t{256} << 20;

  // Data blocks of readers are cached here when set (and ReadOptions::fill_cache).
  std::shared_ptr<Cache> block_cache;
};

struct TableReadOptions {
  // Check the CRC of every data block read (index, filter and properties blocks are always
  // checked when the table is opened).
  bool verify_checksums = true;
  // Put data blocks read from the file into the block cache.
  bool fill_cache = true;
};

}  // namespace strata::sst
