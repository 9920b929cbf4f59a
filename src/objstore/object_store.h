// ObjectStore: one interface for where Strata keeps immutable objects — a local directory or
// an S3 bucket — chosen by URL (store_url.h, OpenObjectStore below).
//
// A store has a root ("s3://bucket/prefix", "file:///dir"); keys are relative to it, '/'
// separated, and name whole objects that are written once and replaced whole: there is no
// append and no partial write. Every Put is atomic: readers see the old object, or the new
// one complete, never a part of it.
//
// Conditional writes are how commits are made (a batch's _SUCCESS manifest, a table log's next
// version): PutCondition::kIfAbsent creates the object only if no object has the key, kIfMatch
// replaces it only if its current ETag is the one given. When the condition does not hold the
// result is Status::PreconditionFailed — never another code, so callers can tell "somebody else
// won" from "could not tell". Both backends make the check and the write one atomic step, also
// between processes.
//
// Errors name the operation and the object's URL; an S3 error adds the HTTP status and the S3
// error code ("PUT s3://b/k: HTTP 503 SlowDown: Please reduce your request rate"). A missing
// object is NotFound.
//
// Thread safety: a store may be used from any number of threads at once.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/byte_source.h"
#include "base/result.h"
#include "strata/slice.h"

namespace strata::objstore {

struct ObjectInfo {
  std::string key;  // relative to the store's root
  uint64_t size = 0;
  // An opaque version tag, without quotes. S3's ETag (the MD5 of a single-part object); a
  // local file's is derived from its inode, size and modification time. Any write changes it.
  std::string etag;
  int64_t last_modified_ms = 0;  // milliseconds since the epoch, UTC
};

// Where Get writes. Append is called with the object's bytes in order; a failed Append stops the
// transfer and its status is returned.
class ByteSink {
 public:
  virtual ~ByteSink() = default;
  virtual Status Append(Slice data) = 0;
};

// Collects into a string (small objects, tests).
class StringSink final : public ByteSink {
 public:
  Status Append(Slice data) override {
    bytes_.append(data.data(), data.size());
    return Status::OK();
  }
  const std::string& bytes() const { return bytes_; }
  std::string Release() { return std::move(bytes_); }

 private:
  std::string bytes_;
};

enum class PutCondition : unsigned char {
  kNone,      // create or replace
  kIfAbsent,  // create only: S3's If-None-Match: *
  kIfMatch,   // replace only the version whose ETag is PutOptions::if_match: S3's If-Match
};

struct PutOptions {
  PutCondition condition = PutCondition::kNone;
  std::string if_match;  // the ETag for kIfMatch
  std::string content_type = "application/octet-stream";
};

struct GetOptions {
  // The byte range [offset, offset + length); length nullopt reads to the end. A range that
  // starts past the end of a non-empty object is InvalidArgument; one that ends past it is cut at
  // the end. Reading an empty object from offset 0 yields nothing.
  uint64_t offset = 0;
  std::optional<uint64_t> length;
  // When set, the read fails with PreconditionFailed unless the object still has this ETag
  // (ranged reads of one version in several requests).
  std::string if_match;
};

struct ListOptions {
  std::string prefix;     // only keys starting with it
  std::string delimiter;  // "" lists every key; "/" lists one level, as directories
  // Where the previous page ended (ListPage::next_token); empty for the first page.
  std::string continuation_token;
  int max_keys = 1000;  // per page, at most 1000 (S3's limit)
};

struct ListPage {
  // Keys in ascending byte order.
  std::vector<ObjectInfo> objects;
  // With a delimiter: the distinct prefixes that end at the first delimiter after
  // ListOptions::prefix ("a/b/" for key "a/b/c" under prefix "a/"), ascending, without
  // duplicates across pages.
  std::vector<std::string> common_prefixes;
  std::string next_token;  // empty: this was the last page
};

class ObjectStore {
 public:
  virtual ~ObjectStore() = default;

  // The URL of key in this store, for messages and output ("s3://bucket/prefix/key").
  virtual std::string Url(std::string_view key) const = 0;

  // Writes everything source yields as the object key; source is read once, front to back,
  // and never held whole in memory (S3 uploads large objects in parts). Returns the new
  // object's size and ETag.
  virtual Result<ObjectInfo> Put(std::string_view key, ByteSource* source,
                                 const PutOptions& options) = 0;
  // Writes the local file at path as the object key. A backend may read the file's parts in
  // parallel and holds no copy of it in memory. The default reads it as a stream with Put.
  virtual Result<ObjectInfo> PutFile(std::string_view key, const std::string& path,
                                     const PutOptions& options);

  // Streams the object's bytes (or GetOptions' range of them) to sink and returns its info (size
  // is the whole object's). Fails, never returning a short read as complete, when fewer bytes
  // arrive than the range holds.
  virtual Result<ObjectInfo> Get(std::string_view key, const GetOptions& options,
                                 ByteSink* sink) = 0;
  // Downloads the whole object to the local file at path, replacing it atomically (a temporary
  // file beside it, renamed once complete). A backend may fetch ranges in parallel. The default
  // streams it with Get.
  virtual Result<ObjectInfo> GetFile(std::string_view key, const std::string& path);

  // The object's info; NotFound when there is none.
  virtual Result<ObjectInfo> Head(std::string_view key) = 0;

  // One page of keys, in ascending order.
  virtual Result<ListPage> List(const ListOptions& options) = 0;

  // Removes the object. Removing a missing object succeeds, as in S3.
  virtual Status Delete(std::string_view key) = 0;
  // Removes every key (in batches of at most 1000 on S3). The first failure is returned,
  // naming its key; keys after it may or may not have been removed.
  virtual Status DeleteMany(const std::vector<std::string>& keys) = 0;
};

// Every page of a listing, in order: on_object for each key, on_prefix for each common prefix
// (with a delimiter). Either callback may be null; a callback's error stops the walk.
Status ListAll(ObjectStore* store, std::string_view prefix, std::string_view delimiter,
               const std::function<Status(const ObjectInfo&)>& on_object,
               const std::function<Status(const std::string&)>& on_prefix = nullptr);

// Small-object conveniences.
Result<ObjectInfo> PutString(ObjectStore* store, std::string_view key, std::string_view bytes,
                             const PutOptions& options = {});
Result<std::string> GetString(ObjectStore* store, std::string_view key);

}  // namespace strata::objstore
