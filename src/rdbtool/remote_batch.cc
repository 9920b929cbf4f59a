#include "rdbtool/remote_batch.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "rdbtool/batch_layout.h"

namespace strata::rdbtool {

namespace {

std::string ClusterPrefix(const std::string& cluster) {
  return "cluster=" + SafePathComponent(cluster) + "/";
}

std::string BatchPrefix(const std::string& cluster, const std::string& batch) {
  return ClusterPrefix(cluster) + "batch=" + batch + "/";
}

}  // namespace

Result<std::vector<std::string>> PublishedBatches(objstore::ObjectStore* store,
                                                  const std::string& cluster) {
  const std::string prefix = ClusterPrefix(cluster) + "batch=";
  std::vector<std::string> batches;
  Status s = objstore::ListAll(store, prefix, "/", nullptr, [&](const std::string& p) {
    // p is cluster=<c>/batch=<id>/
    const std::string batch = p.substr(prefix.size(), p.size() - prefix.size() - 1);
    auto manifest = store->Head(p + std::string(kManifestName));
    if (manifest.ok()) {
      batches.push_back(batch);
    } else if (!manifest.status().IsNotFound()) {
      return manifest.status();
    }
    return Status::OK();
  });
  if (!s.ok()) return s;
  std::sort(batches.begin(), batches.end());
  return batches;
}

FetchedBatch::~FetchedBatch() {
  if (dir_.empty()) return;
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);  // the links, never what they point to
}

Result<std::unique_ptr<FetchedBatch>> FetchBatch(objstore::ObjectStore* store,
                                                 objstore::ReadCache* cache,
                                                 const std::string& cluster,
                                                 const std::string& batch_in,
                                                 const std::string& scratch_dir) {
  std::string batch = batch_in;
  if (batch.empty()) {
    auto batches = PublishedBatches(store, cluster);
    if (!batches.ok()) return batches.status();
    if (batches->empty()) {
      return Status::NotFound(store->Url(ClusterPrefix(cluster)), "no published batch");
    }
    batch = batches->back();
  }
  const std::string prefix = BatchPrefix(cluster, batch);
  auto json = objstore::GetString(store, prefix + std::string(kManifestName));
  if (!json.ok()) {
    if (json.status().IsNotFound()) {
      return Status::NotFound(store->Url(prefix),
                              "no such published batch (no _SUCCESS: not published, or failed)");
    }
    return json.status();
  }
  const std::string manifest_url = store->Url(prefix + std::string(kManifestName));
  auto manifest = BatchManifest::FromJson(*json, manifest_url);
  if (!manifest.ok()) return manifest.status();
  if (manifest->batch != batch) {
    return Status::Corruption(manifest_url, "names batch " + manifest->batch);
  }

  std::unique_ptr<FetchedBatch> fetched(new FetchedBatch());
  char tmpl_buf[4096];
  std::snprintf(tmpl_buf, sizeof(tmpl_buf), "%s/strata-batch-XXXXXX", scratch_dir.c_str());
  if (::mkdtemp(tmpl_buf) == nullptr) {
    return Status::IOError("create a directory under " + scratch_dir, std::strerror(errno));
  }
  fetched->dir_ = tmpl_buf;
  const BatchPaths paths = MakeBatchPaths(fetched->dir_, cluster, batch);
  std::error_code ec;
  std::filesystem::create_directories(paths.final_dir, ec);
  if (ec) return Status::IOError("create " + paths.final_dir, ec.message());
  for (const ManifestFile& f : manifest->files) {
    const std::string key = prefix + f.name;
    auto file = cache->Fetch(store, key);
    if (!file.ok()) return file.status();
    uint32_t crc = 0;
    uint64_t bytes = 0;
    Status s = FileChecksum(Env::Default(), file->path(), &crc, &bytes);
    if (!s.ok()) return s;
    if (bytes != f.bytes || crc != f.crc32c) {
      return Status::Corruption(store->Url(key), "differs from its manifest (" +
                                                     std::to_string(bytes) + " bytes, " +
                                                     std::to_string(f.bytes) + " expected)");
    }
    // A link's relative target is taken from the link's directory, not from ours: the cache
    // may be relative (--cache-dir cache), so the link gets the file's absolute path.
    const std::string target = std::filesystem::absolute(file->path(), ec).string();
    if (ec) return Status::IOError("absolute path of " + file->path(), ec.message());
    const std::string link = paths.final_dir + "/" + f.name;
    if (::symlink(target.c_str(), link.c_str()) != 0) {
      return Status::IOError("link " + link, std::strerror(errno));
    }
    fetched->files_.push_back(std::move(*file));
  }
  fetched->manifest_ = std::move(*manifest);
  return fetched;
}

}  // namespace strata::rdbtool
