// S3Upload: writes one object to S3, in one PUT or in parts, for S3Store's Put and PutFile.
//
// Every request carries Content-MD5, so S3 refuses a body damaged on the way, and the ETag that
// comes back is compared with the MD5 (when it is one: 32 hex digits, no SSE-KMS or SSE-C).
//
// Multipart: CreateMultipartUpload, then parts from a PartSource, at most `parallelism` of them
// in flight (and so in memory, for a stream), then CompleteMultipartUpload, which carries the
// write condition (If-None-Match: * or If-Match) so that the object appears, or not, at once. A
// failure anywhere aborts the upload, so no parts stay behind. The multipart ETag is checked
// too: the MD5 of the parts' MD5s, then "-" and the part count.
//
// A retried conditional request that fails (412, or NoSuchUpload for a completion) after an
// attempt whose outcome is unknown (s3_retry.h) may have failed only because that attempt had
// already written the object. The object is then read back with HEAD: if its ETag is the one
// this upload produces, the upload succeeded. (Another writer storing the very same bytes at
// the same moment would be taken for this one; the object is the same either way.)
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "base/result.h"
#include "objstore/http_request.h"
#include "objstore/md5.h"
#include "objstore/object_store.h"
#include "objstore/s3_client.h"

namespace strata::objstore {

// Where the parts of a multipart upload come from. Next() is called from one thread at a time.
class PartSource {
 public:
  virtual ~PartSource() = default;
  // The next part's body, or null when there are no more. The body is read (twice: for its
  // MD5, then to send it) on another thread, after Next() returned.
  virtual Result<std::unique_ptr<RequestBody>> Next() = 0;
};

class S3Upload {
 public:
  // full_key includes the store's prefix; info.key of the result is display_key.
  S3Upload(S3Client* client, std::string full_key, std::string display_key,
           const PutOptions& options, int parallelism);

  // One PUT of body.
  Result<ObjectInfo> PutSingle(RequestBody* body);
  // A multipart upload of every part source yields (at least one).
  Result<ObjectInfo> PutMultipart(PartSource* source);

 private:
  // Adds the write condition's header; InvalidArgument for kIfMatch without an ETag.
  Status AddCondition(std::vector<std::string>* headers) const;
  // After a conditional failure that an earlier attempt may explain: whether the object now
  // has expected_etag (and so this upload wrote it). Fills *info when it does.
  bool AlreadyWritten(const std::string& expected_etag, uint64_t size, ObjectInfo* info);
  // s, or PreconditionFailed when s says the object to replace under kIfMatch is missing.
  Status ConditionFailure(const Status& s) const;
  Result<std::string> Create();
  // Uploads one part; its ETag and MD5 are stored at parts[number - 1].
  Status UploadPart(const std::string& upload_id, int number, RequestBody* body, std::string* etag,
                    Md5::Digest* md5);
  Result<ObjectInfo> Complete(const std::string& upload_id, const std::vector<std::string>& etags,
                              const std::vector<Md5::Digest>& md5s, uint64_t size);
  // Aborts the upload; failure is the error to report, with the abort's own failure appended.
  Status Abort(const std::string& upload_id, const Status& failure);

  ObjectInfo InfoFrom(const HttpResponse& response, const std::string& etag, uint64_t size) const;

  S3Client* client_;
  const std::string full_key_;
  const std::string display_key_;
  const PutOptions options_;
  const int parallelism_;
};

// The MD5 of a body, read once from its start.
Result<Md5::Digest> Md5OfBody(RequestBody* body);

}  // namespace strata::objstore
