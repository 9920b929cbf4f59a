#include "objstore/s3_upload.h"

#include <condition_variable>
#include <mutex>
#include <vector>

#include "base/thread_pool.h"
#include "objstore/s3_download.h"
#include "objstore/s3_encoding.h"
#include "objstore/s3_time.h"
#include "objstore/s3_xml.h"

namespace strata::objstore {

namespace {

constexpr int kMaxParts = 10'000;  // S3's limit per upload

bool IsHex(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  return true;
}

// With SSE-KMS or a customer key, S3's ETag is not the MD5 of the bytes.
bool EtagIsNotMd5(const HttpResponse& r) {
  const std::string* sse = r.Header("x-amz-server-side-encryption");
  return (sse != nullptr && sse->starts_with("aws:kms")) ||
         r.Header("x-amz-server-side-encryption-customer-algorithm") != nullptr;
}

std::string Lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

}  // namespace

Result<Md5::Digest> Md5OfBody(RequestBody* body) {
  body->Rewind();
  Md5 md5;
  std::vector<char> buffer(256 << 10);
  uint64_t total = 0;
  while (true) {
    auto got = body->Read(buffer.data(), buffer.size());
    if (!got.ok()) return got.status();
    if (*got == 0) break;
    md5.Update(buffer.data(), *got);
    total += *got;
  }
  if (total != body->size()) {
    return Status::IOError("body yielded " + std::to_string(total) + " bytes, not " +
                           std::to_string(body->size()));
  }
  return md5.Finish();
}

S3Upload::S3Upload(S3Client* client, std::string full_key, std::string display_key,
                   const PutOptions& options, int parallelism)
    : client_(client),
      full_key_(std::move(full_key)),
      display_key_(std::move(display_key)),
      options_(options),
      parallelism_(std::max(1, parallelism)) {}

Status S3Upload::AddCondition(std::vector<std::string>* headers) const {
  switch (options_.condition) {
    case PutCondition::kNone:
      return Status::OK();
    case PutCondition::kIfAbsent:
      headers->push_back("If-None-Match: *");
      return Status::OK();
    case PutCondition::kIfMatch: {
      const std::string etag = UnquoteETag(options_.if_match);
      if (etag.empty()) {
        return Status::InvalidArgument("PUT " + client_->DisplayUrl(full_key_) +
                                       ": PutCondition::kIfMatch without an ETag");
      }
      headers->push_back("If-Match: \"" + etag + "\"");
      return Status::OK();
    }
  }
  return Status::OK();
}

Status S3Upload::ConditionFailure(const Status& s) const {
  // If-Match on a missing object: S3 says NoSuchKey, but the condition is what failed.
  if (options_.condition == PutCondition::kIfMatch && s.IsNotFound()) {
    return Status::PreconditionFailed(s.message() + " (If-Match: no object to match)");
  }
  return s;
}

ObjectInfo S3Upload::InfoFrom(const HttpResponse& response, const std::string& etag,
                              uint64_t size) const {
  ObjectInfo info;
  info.key = display_key_;
  info.size = size;
  info.etag = etag;
  // A PUT answer seldom has Last-Modified; its Date is when the server stored the object.
  for (const char* header : {"last-modified", "date"}) {
    const std::string* value = response.Header(header);
    if (value == nullptr) continue;
    auto ms = ParseHttpDate(*value);
    if (ms.ok()) {
      info.last_modified_ms = *ms;
      break;
    }
  }
  return info;
}

bool S3Upload::AlreadyWritten(const std::string& expected_etag, uint64_t size, ObjectInfo* info) {
  auto head = S3Download(client_, full_key_, display_key_).Head("");
  if (!head.ok() || head->size != size || Lower(head->etag) != Lower(expected_etag)) return false;
  *info = std::move(*head);
  return true;
}

Result<ObjectInfo> S3Upload::PutSingle(RequestBody* body) {
  const std::string url = client_->DisplayUrl(full_key_);
  auto md5 = Md5OfBody(body);
  if (!md5.ok()) return Status::IOError("PUT " + url + ": " + md5.status().message());
  S3Request request;
  request.op = "PUT";
  request.method = "PUT";
  request.key = full_key_;
  // Always a Content-Type: without one, a server may take the body for a form (libcurl's
  // default type for uploads) and store nothing.
  request.headers.push_back("Content-Type: " + (options_.content_type.empty()
                                                    ? "application/octet-stream"
                                                    : options_.content_type));
  request.headers.push_back("Content-MD5: " + Base64Encode(md5->data(), md5->size()));
  Status s = AddCondition(&request.headers);
  if (!s.ok()) return s;
  request.body = body;
  S3Reply reply;
  s = client_->Send(request, &reply);
  const std::string md5_hex = Md5Hex(*md5);
  if (!s.ok()) {
    ObjectInfo info;
    if (s.IsPreconditionFailed() && reply.earlier_outcome_unknown &&
        AlreadyWritten(md5_hex, body->size(), &info)) {
      return info;
    }
    return ConditionFailure(s);
  }
  const std::string* header = reply.response.Header("etag");
  if (header == nullptr) return Status::IOError("PUT " + url + ": the answer has no ETag");
  const std::string etag = UnquoteETag(*header);
  if (etag.size() == 32 && IsHex(etag) && !EtagIsNotMd5(reply.response) && Lower(etag) != md5_hex) {
    return Status::Corruption("PUT " + url + ": the ETag returned (" + etag +
                              ") is not the MD5 of the bytes sent (" + md5_hex + ")");
  }
  return InfoFrom(reply.response, etag, body->size());
}

Result<std::string> S3Upload::Create() {
  S3Request request;
  request.op = "CreateMultipartUpload";
  request.method = "POST";
  request.key = full_key_;
  request.query = {{"uploads", ""}};
  request.headers.push_back("Content-Type: " + (options_.content_type.empty()
                                                    ? "application/octet-stream"
                                                    : options_.content_type));
  S3Reply reply;
  Status s = client_->Send(request, &reply);
  if (!s.ok()) return s;
  return ParseInitiateMultipartUpload(
      reply.response.body, "CreateMultipartUpload answer for " + client_->DisplayUrl(full_key_));
}

Status S3Upload::UploadPart(const std::string& upload_id, int number, RequestBody* body,
                            std::string* etag, Md5::Digest* md5) {
  const std::string op = "UploadPart " + std::to_string(number);
  const std::string url = client_->DisplayUrl(full_key_);
  auto digest = Md5OfBody(body);
  if (!digest.ok()) return Status::IOError(op + " " + url + ": " + digest.status().message());
  *md5 = *digest;
  S3Request request;
  request.op = op;
  request.method = "PUT";
  request.key = full_key_;
  request.query = {{"partNumber", std::to_string(number)}, {"uploadId", upload_id}};
  request.headers.push_back("Content-Type: application/octet-stream");
  request.headers.push_back("Content-MD5: " + Base64Encode(md5->data(), md5->size()));
  request.body = body;
  S3Reply reply;
  Status s = client_->Send(request, &reply);
  if (!s.ok()) return s;
  const std::string* header = reply.response.Header("etag");
  if (header == nullptr) return Status::IOError(op + " " + url + ": the answer has no ETag");
  *etag = UnquoteETag(*header);
  const std::string md5_hex = Md5Hex(*md5);
  if (etag->size() == 32 && IsHex(*etag) && !EtagIsNotMd5(reply.response) &&
      Lower(*etag) != md5_hex) {
    return Status::Corruption(op + " " + url + ": the ETag returned (" + *etag +
                              ") is not the MD5 of the bytes sent (" + md5_hex + ")");
  }
  return Status::OK();
}

Result<ObjectInfo> S3Upload::Complete(const std::string& upload_id,
                                      const std::vector<std::string>& etags,
                                      const std::vector<Md5::Digest>& md5s, uint64_t size) {
  const std::string url = client_->DisplayUrl(full_key_);
  std::vector<CompletedPart> parts;
  Md5 of_parts;
  for (size_t i = 0; i < etags.size(); i++) {
    parts.push_back({static_cast<int>(i + 1), etags[i]});
    of_parts.Update(md5s[i].data(), md5s[i].size());
  }
  const std::string expected = Md5Hex(of_parts.Finish()) + "-" + std::to_string(etags.size());
  const std::string document = WriteCompleteMultipartUpload(parts);
  MemoryBody body{Slice(document)};
  S3Request request;
  request.op = "CompleteMultipartUpload";
  request.method = "POST";
  request.key = full_key_;
  request.query = {{"uploadId", upload_id}};
  request.headers.push_back("Content-Type: application/xml");
  Status s = AddCondition(&request.headers);
  if (!s.ok()) return s;
  request.body = &body;
  request.error_may_follow_200 = true;
  S3Reply reply;
  s = client_->Send(request, &reply);
  if (!s.ok()) {
    ObjectInfo info;
    // A completion that succeeded on an attempt whose answer was lost leaves no upload: the
    // retry gets NoSuchUpload (404), or 412 when the condition now sees the object itself.
    if ((s.IsPreconditionFailed() || reply.response.status == 404) &&
        reply.earlier_outcome_unknown && AlreadyWritten(expected, size, &info)) {
      return info;
    }
    return ConditionFailure(s);
  }
  auto doc = ParseCompleteMultipartUpload(reply.response.body,
                                          "CompleteMultipartUpload answer for " + url);
  if (!doc.ok()) return doc.status();
  if (doc->failed) {  // SendOnce treats an <Error> after 200 as a failure; kept for safety
    return Status::IOError("CompleteMultipartUpload " + url + ": " + doc->error.code + ": " +
                           doc->error.message);
  }
  const std::string& etag = doc->etag;
  const size_t dash = etag.find('-');
  if (dash == 32 && IsHex(etag.substr(0, 32)) && !EtagIsNotMd5(reply.response) &&
      Lower(etag) != expected) {
    return Status::Corruption("CompleteMultipartUpload " + url + ": the ETag returned (" + etag +
                              ") is not the MD5 of the parts' MD5s (" + expected + ")");
  }
  return InfoFrom(reply.response, etag, size);
}

Status S3Upload::Abort(const std::string& upload_id, const Status& failure) {
  S3Request request;
  request.op = "AbortMultipartUpload";
  request.method = "DELETE";
  request.key = full_key_;
  request.query = {{"uploadId", upload_id}};
  S3Reply reply;
  Status s = client_->Send(request, &reply);
  // 404: the upload is gone already.
  if (s.ok() || reply.response.status == 404) return failure;
  const std::string msg =
      failure.message() + "; the upload (" + upload_id + ") could not be aborted: " + s.message();
  return failure.IsPreconditionFailed() ? Status::PreconditionFailed(msg) : Status::IOError(msg);
}

Result<ObjectInfo> S3Upload::PutMultipart(PartSource* source) {
  auto upload_id = Create();
  if (!upload_id.ok()) return upload_id.status();
  const std::string& id = *upload_id;

  std::mutex mu;
  std::condition_variable part_done;
  // Guarded by mu: parts uploading now, the first failure, and each finished part's ETag and
  // MD5 (index = part number - 1).
  int in_flight = 0;
  Status failure;
  std::vector<std::string> etags;
  std::vector<Md5::Digest> md5s;

  uint64_t size = 0;
  int parts = 0;
  {
    ThreadPool pool(parallelism_);
    while (true) {
      {
        // At most parallelism_ parts in flight: the next part is read (into memory, for a
        // stream) only when one of them has finished.
        std::unique_lock<std::mutex> lock(mu);
        part_done.wait(lock, [&] { return in_flight < parallelism_ || !failure.ok(); });
        if (!failure.ok()) break;
      }
      auto next = source->Next();
      if (!next.ok() || *next == nullptr) {
        if (!next.ok()) {
          std::lock_guard<std::mutex> lock(mu);
          if (failure.ok()) failure = next.status();
        }
        break;
      }
      const int number = ++parts;
      if (number > kMaxParts) {
        std::lock_guard<std::mutex> lock(mu);
        failure = Status::InvalidArgument("PUT " + client_->DisplayUrl(full_key_) +
                                          ": more than 10,000 parts; raise S3Options::part_size");
        break;
      }
      size += (*next)->size();
      std::shared_ptr<RequestBody> body(std::move(*next));
      {
        std::lock_guard<std::mutex> lock(mu);
        in_flight++;
        etags.resize(static_cast<size_t>(number));
        md5s.resize(static_cast<size_t>(number));
      }
      pool.Schedule([&, number, body]() mutable {
        std::string etag;
        Md5::Digest md5{};
        bool skip;
        {
          std::lock_guard<std::mutex> lock(mu);
          skip = !failure.ok();
        }
        Status s = skip ? Status::OK() : UploadPart(id, number, body.get(), &etag, &md5);
        body.reset();  // a streamed part's buffer goes as soon as the part is stored
        std::lock_guard<std::mutex> lock(mu);
        if (!s.ok() && failure.ok()) failure = s;
        etags[static_cast<size_t>(number) - 1] = std::move(etag);
        md5s[static_cast<size_t>(number) - 1] = md5;
        in_flight--;
        part_done.notify_all();
      });
    }
    pool.Wait();
  }
  if (failure.ok() && parts == 0) {
    failure = Status::InvalidArgument("PUT " + client_->DisplayUrl(full_key_) +
                                      ": a multipart upload without parts");
  }
  if (!failure.ok()) return Abort(id, failure);
  auto info = Complete(id, etags, md5s, size);
  if (!info.ok()) return Abort(id, info.status());
  return info;
}

}  // namespace strata::objstore
