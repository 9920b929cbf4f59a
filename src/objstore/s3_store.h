// S3Store: an ObjectStore in an S3 bucket (or an S3-compatible store: MinIO, Ceph RGW, R2,
// moto), over HTTP(S) with libcurl, requests signed with libcurl's AWS SigV4
// (CURLOPT_AWS_SIGV4).
//
// Keys are stored under the store's prefix: key "k" of the store at s3://b/p is object "p/k".
// Uploads send Content-MD5 and check the returned ETag against it; objects above the multipart
// threshold go in parts (S3Options), several in flight, and a failed multipart upload is aborted
// so no parts are left behind. Downloads check the length received against Content-Length
// (Content-Range for ranges) and fetch large objects in parallel ranges pinned to one ETag.
// Failed requests are retried as RetryOptions says.
#pragma once

#include <memory>
#include <string>

#include "base/result.h"
#include "objstore/object_store.h"
#include "objstore/s3_options.h"

namespace strata::objstore {

// Resolves options (s3_options.h) and returns the store; sends no request.
Result<std::unique_ptr<ObjectStore>> OpenS3Store(const std::string& bucket,
                                                 const std::string& prefix,
                                                 const S3Options& options);

}  // namespace strata::objstore
