// libFuzzer target: arbitrary bytes as the _SUCCESS manifest of an RDB batch, as read from
// object storage. Parsing must never crash or throw, and a manifest it accepts must survive
// a round trip: written again and parsed, it gives the same manifest.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "rdbtool/batch_manifest.h"

using strata::rdbtool::BatchManifest;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = BatchManifest::FromJson(text, "fuzz input");
  if (!parsed.ok()) return 0;
  auto again = BatchManifest::FromJson(parsed->ToJson(), "round trip");
  if (!again.ok()) std::abort();
  if (again->cluster != parsed->cluster || again->batch != parsed->batch ||
      again->committed_at != parsed->committed_at || again->files.size() != parsed->files.size()) {
    std::abort();
  }
  // ToJson sorts the files by name.
  for (const auto& f : again->files) {
    bool found = false;
    for (const auto& g : parsed->files) {
      if (f.name == g.name) {
        found = f.instance == g.instance && f.bytes == g.bytes && f.crc32c == g.crc32c &&
                f.keys == g.keys;
      }
    }
    if (!found) std::abort();
  }
  return 0;
}
