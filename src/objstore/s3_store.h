// S3Store: an ObjectStore in an S3 bucket (or an S3-compatible store: MinIO, Ceph RGW, R2,
// moto), over HTTP(S) with libcurl, requests signed with libcurl's AWS SigV4
// (CURLOPT_AWS_SIGV4).
//
// Keys are stored under the store's prefix: key "k" of the store at s3://b/p is object "p/k".
// Uploads send Content-MD5 and check the returned ETag against it; objects above the multipart
// threshold go in parts (S3Options), several in flight, and a failed multipart upload is aborted
// so no parts are left behind. Downloads check the length received against Content-Length
// (Content-Range for ranges) and fetch large objects in parallel ranges pinned to one ETag.
// Failed requests are retried as RetryOptions says (s3_retry.h).
//
// Details the interface leaves open:
//   * Put reads up to multipart_threshold + 1 bytes before it knows whether parts are needed,
//     so a stream upload holds that much, then at most `parallelism` parts. A stream needing
//     more than 10,000 parts fails with InvalidArgument (PutFile grows its parts instead).
//   * A conditional write whose first attempt's answer was lost, and whose retry finds the
//     condition failing, reads the object back: if its ETag is the one this write produces,
//     the write succeeded (s3_upload.h).
//   * A range starting at or past the end of a non-empty object is InvalidArgument (S3's 416),
//     as is any range from a byte past 0 of an empty object.
//   * kIfMatch on a missing object is PreconditionFailed (S3 answers NoSuchKey).
//   * Put's ObjectInfo::last_modified_ms is the server's Date (or Last-Modified) of the answer.
//   * Without credentials anywhere (s3_config.h), requests are sent unsigned: public buckets.
//   * Implementation: http_request (libcurl), s3_client (URLs, signing, retries, errors),
//     s3_upload and s3_parts (writes), s3_download (reads), s3_xml (S3's documents).
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
