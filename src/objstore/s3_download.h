// S3Download: reading one S3 object — HEAD, GET of a byte range, a download to a file — for
// S3Store.
//
// A GET checks its answer before passing a byte on: the Content-Range must be the range asked
// for, the ETag the one pinned, and the bytes that arrive must be as many as announced; a short
// answer is never taken for a complete one. A transfer that breaks after some bytes went to the
// sink is resumed where it stopped (Range from there, If-Match the ETag of the first answer), so
// the bytes come from one version of the object or the read fails. A server that ignores Range
// and sends the whole object is read for the range asked.
//
// A download to a file GETs the first download_part_size bytes (the answer tells the object's
// size and ETag: a small object takes one request), then the other ranges of that size,
// `parallelism` at a time, each pinned with If-Match to the first answer's ETag, all written in
// place with pwrite into a temporary file beside the target, which is synced and renamed over
// it. An object replaced meanwhile (412) restarts the download, at most three times.
#pragma once

#include <string>

#include "base/result.h"
#include "objstore/object_store.h"
#include "objstore/s3_client.h"

namespace strata::objstore {

class S3Download {
 public:
  // full_key includes the store's prefix; results name key.
  S3Download(S3Client* client, std::string full_key, std::string key);

  // The object's info; with if_match, PreconditionFailed unless it has that ETag.
  Result<ObjectInfo> Head(const std::string& if_match);
  // GetOptions' range of the object, to sink (object_store.h's contract).
  Result<ObjectInfo> Get(const GetOptions& options, ByteSink* sink);
  // The whole object into the file at path, replaced atomically.
  Result<ObjectInfo> ToFile(const std::string& path, uint64_t download_part_size, int parallelism);

 private:
  Result<ObjectInfo> GetRange(const GetOptions& options, ByteSink* sink);
  // One round of ToFile: the object's current version into the open temporary file.
  Result<ObjectInfo> Fetch(int fd, const std::string& tmp_path, uint64_t download_part_size,
                           int parallelism);
  std::string Url() const { return client_->DisplayUrl(full_key_); }

  S3Client* client_;
  const std::string full_key_;
  const std::string key_;
};

}  // namespace strata::objstore
