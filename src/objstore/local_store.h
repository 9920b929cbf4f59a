// LocalStore: an ObjectStore in a local directory, for development, tests and single machines,
// with the same semantics as S3.
//
// Key "a/b/c" is the file <dir>/a/b/c; directories are created as keys need them and removed
// when their last object is deleted. Writes go to a temporary file beside the target
// (".strata-tmp-*", never listed), which is synced, then renamed into place, then the directory
// is synced: a Put is atomic and durable when it returns.
//   kIfAbsent   link(2) of the temporary file to the key: fails with EEXIST if any process
//               created it first, so exactly one writer wins, between processes too.
//   kIfMatch    under an exclusive flock(2) of the key's directory, held by every conditional
//               writer of that directory: check the current ETag, then rename.
// ETags are derived from the file's inode, size and modification time (nanoseconds).
// Keys that a directory cannot hold are InvalidArgument: empty components ("a//b"), "." or
// "..", a NUL byte, the temporary-file prefix, and a key that is a prefix directory of another
// ("a" when "a/b" exists, and the reverse).
#pragma once

#include <memory>
#include <string>

#include "base/result.h"
#include "objstore/object_store.h"

namespace strata::objstore {

// The store rooted at dir (absolute or relative; created when missing).
Result<std::unique_ptr<ObjectStore>> OpenLocalStore(const std::string& dir);

}  // namespace strata::objstore
