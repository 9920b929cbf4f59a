// Store URLs: which backend holds an object, and where.
//
//   s3://bucket            the bucket's root           (S3Store)
//   s3://bucket/a/b        keys under "a/b/"
//   file:///abs/dir        a local directory            (LocalStore)
//   /abs/dir, rel/dir      the same, as a plain path (relative to the working directory)
//
// Local paths are made absolute with "." and ".." resolved by text (symbolic links are not
// followed), so "." and "dir/.." name directories.
//
// OpenObjectStore opens a store rooted at the URL. For a command that names one object
// (`strata obj get s3://bucket/a/b.txt`), SplitObjectUrl gives the store's URL and the key in it.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "base/result.h"
#include "objstore/object_store.h"
#include "objstore/s3_options.h"

namespace strata::objstore {

struct StoreUrl {
  enum class Scheme : unsigned char { kFile, kS3 };
  Scheme scheme = Scheme::kFile;
  std::string bucket;  // S3 only
  // S3: the key prefix without leading or trailing '/' ("" for the bucket's root).
  // File: the directory, absolute, without a trailing '/' (except the root "/").
  std::string path;
  // The URL in canonical form: "s3://bucket/a/b", "file:///abs/dir".
  std::string ToString() const;
};

// True for "s3://..." and "file://...": names that must not be taken for local paths.
bool HasUrlScheme(std::string_view text);
// Parses a store URL or a plain path. InvalidArgument naming the text for an unknown scheme,
// an empty or invalid bucket name, or a path with a NUL byte.
Result<StoreUrl> ParseStoreUrl(std::string_view text);

// The store that holds url's object and the object's key in it: "s3://b/x/y" -> ("s3://b",
// "x/y"); "file:///tmp/x" or "/tmp/x" -> ("file:///tmp", "x"). A URL ending in '/' names a
// prefix, and its key keeps the '/': "s3://b/x/" -> ("s3://b", "x/"); so does a local path
// ending in "." or "..".
struct ObjectUrl {
  StoreUrl store;
  std::string key;
};
Result<ObjectUrl> SplitObjectUrl(std::string_view text);

struct StoreOptions {
  S3Options s3;  // used by s3:// stores only
};

// Opens the store rooted at url. For S3 this resolves the endpoint, region and credentials
// (s3_options.h) but sends no request.
Result<std::unique_ptr<ObjectStore>> OpenObjectStore(std::string_view url,
                                                     const StoreOptions& options = {});
Result<std::unique_ptr<ObjectStore>> OpenObjectStore(const StoreUrl& url,
                                                     const StoreOptions& options = {});

}  // namespace strata::objstore
