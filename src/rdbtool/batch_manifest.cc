#include "rdbtool/batch_manifest.h"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>

#include "base/crc32c.h"

namespace strata::rdbtool {

namespace {

using Json = nlohmann::json;

constexpr std::string_view kFormat = "strata.rdb.batch";

std::string Hex32(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%08x", v);
  return buf;
}

bool ParseHex32(const std::string& text, uint32_t* out) {
  if (text.size() != 8) return false;
  uint32_t v = 0;
  for (char c : text) {
    v <<= 4;
    if (c >= '0' && c <= '9') {
      v |= static_cast<uint32_t>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      v |= static_cast<uint32_t>(c - 'a' + 10);
    } else {
      return false;
    }
  }
  *out = v;
  return true;
}

// A name a batch may hold: one path component ending in .parquet, not hidden.
bool PlainFileName(const std::string& name) {
  return name.size() > 8 && name.ends_with(".parquet") && name.front() != '.' &&
         name.find('/') == std::string::npos && name.find('\0') == std::string::npos;
}

}  // namespace

std::string BatchManifest::ToJson() const {
  Json files_json = Json::array();
  std::vector<const ManifestFile*> sorted;
  for (const ManifestFile& f : files) sorted.push_back(&f);
  std::sort(sorted.begin(), sorted.end(),
            [](const ManifestFile* a, const ManifestFile* b) { return a->name < b->name; });
  for (const ManifestFile* f : sorted) {
    files_json.push_back({{"name", f->name},
                          {"instance", f->instance},
                          {"bytes", f->bytes},
                          {"crc32c", Hex32(f->crc32c)},
                          {"keys", f->keys}});
  }
  Json j = {{"format", kFormat},
            {"version", 1},
            {"cluster", cluster},
            {"batch", batch},
            {"committed_at", committed_at},
            {"files", std::move(files_json)}};
  // Names that are not UTF-8 get U+FFFD rather than an exception: the instance and cluster
  // columns of the files keep the exact bytes.
  return j.dump(1, ' ', /*ensure_ascii=*/true, Json::error_handler_t::replace) + "\n";
}

Result<BatchManifest> BatchManifest::FromJson(std::string_view text, std::string_view source) {
  auto bad = [&](const std::string& why) {
    return Status::Corruption(std::string(source), "not a batch manifest: " + why);
  };
  const Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return bad("not a JSON object");
  // Field access throws on a missing or mistyped field; it ends here as Corruption.
  try {
    if (j.at("format").get<std::string>() != kFormat) return bad("unknown format");
    if (j.at("version").get<int>() != 1) {
      return Status::NotSupported(std::string(source), "unknown batch manifest version");
    }
    BatchManifest m;
    m.cluster = j.at("cluster").get<std::string>();
    m.batch = j.at("batch").get<std::string>();
    m.committed_at = j.at("committed_at").get<std::string>();
    std::set<std::string> names;
    for (const Json& f : j.at("files")) {
      ManifestFile file;
      file.name = f.at("name").get<std::string>();
      file.instance = f.at("instance").get<std::string>();
      // get<uint64_t>() would take -20 as 2^64 - 20: counts must be unsigned in the text.
      if (!f.at("bytes").is_number_unsigned() || !f.at("keys").is_number_unsigned()) {
        return bad("bytes and keys must be non-negative integers");
      }
      file.bytes = f.at("bytes").get<uint64_t>();
      file.keys = f.at("keys").get<uint64_t>();
      if (!PlainFileName(file.name)) return bad("file name " + f.at("name").dump());
      if (!names.insert(file.name).second) return bad("file " + file.name + " listed twice");
      if (!ParseHex32(f.at("crc32c").get<std::string>(), &file.crc32c)) {
        return bad("crc32c of " + file.name + " is not 8 lower-case hex digits");
      }
      m.files.push_back(std::move(file));
    }
    return m;
  } catch (const Json::exception& e) {
    return bad(e.what());
  }
}

Status FileChecksum(Env* env, const std::string& path, uint32_t* crc, uint64_t* bytes) {
  std::unique_ptr<SequentialFile> file;
  Status s = env->NewSequentialFile(path, &file);
  if (!s.ok()) return s;
  std::string scratch(1 << 20, '\0');
  uint32_t c = 0;
  uint64_t n = 0;
  while (true) {
    Slice got;
    s = file->Read(scratch.size(), &got, scratch.data());
    if (!s.ok()) return s;
    if (got.empty()) break;
    c = crc32c::Extend(c, got.data(), got.size());
    n += got.size();
  }
  *crc = c;
  *bytes = n;
  return Status::OK();
}

}  // namespace strata::rdbtool
