// libFuzzer target: arbitrary bytes as a table file. Opening, iterating in both directions,
// seeking and point lookups must never crash, hang or read outside the input; errors are
// fine. The block limit keeps a hostile size prefix from asking for much memory.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "sst/table_reader.h"
#include "testing/string_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  strata::sst::TableOptions options;
  options.max_block_size = 1 << 20;
  // Tables whose index holds user keys open too (the key minus an 8-byte trailer).
  options.user_key = [](const strata::Slice& k) {
    return k.size() >= 8 ? strata::Slice(k.data(), k.size() - 8) : k;
  };
  options.user_comparator = strata::BytewiseComparator();
  for (bool verify : {true, false}) {
    auto opened = strata::sst::TableReader::Open(options, "fuzz.sst",
                                                 strata::testing::FileOverCopyOf(data, size), size);
    if (!opened.ok()) return 0;
    const std::unique_ptr<strata::sst::TableReader>& table = *opened;
    strata::sst::TableReadOptions ro;
    ro.verify_checksums = verify;
    auto it = table->NewIterator(ro);
    int steps = 0;
    for (it->SeekToFirst(); it->Valid() && steps < 100000; it->Next()) steps++;
    for (it->SeekToLast(); it->Valid() && steps < 200000; it->Prev()) steps++;
    for (const char* target : {"", "a", "key", "\xff\xff"}) {
      it->Seek(target);
      if (it->Valid()) it->Prev();
      it->SeekForPrev(target);
      if (it->Valid()) it->Next();
      std::string k, v;
      bool found = false;
      (void)table->InternalGet(ro, target, &k, &v, &found);
      (void)table->KeyMayMatch(target);
    }
  }
  return 0;
}
