#include "objstore/s3_store.h"

#include <algorithm>

#include "objstore/http_request.h"
#include "objstore/md5.h"
#include "objstore/s3_client.h"
#include "objstore/s3_config.h"
#include "objstore/s3_download.h"
#include "objstore/s3_encoding.h"
#include "objstore/s3_parts.h"
#include "objstore/s3_upload.h"
#include "objstore/s3_xml.h"

namespace strata::objstore {

namespace {

constexpr uint64_t kMinPartSize = 5ull << 20;  // S3's minimum for every part but the last
constexpr uint64_t kMaxParts = 10'000;
constexpr size_t kDeleteBatch = 1000;  // DeleteObjects' limit

class S3Store final : public ObjectStore {
 public:
  S3Store(std::unique_ptr<S3Client> client, std::string prefix, const S3Options& options)
      : client_(std::move(client)), prefix_(std::move(prefix)), options_(options) {
    options_.part_size = std::max(options_.part_size, kMinPartSize);
    options_.parallelism = std::max(1, options_.parallelism);
    options_.download_part_size = std::max<uint64_t>(options_.download_part_size, 1 << 20);
  }

  std::string Url(std::string_view key) const override {
    return "s3://" + client_->bucket() + "/" + FullKey(key);
  }

  Result<ObjectInfo> Put(std::string_view key, ByteSource* source,
                         const PutOptions& options) override;
  Result<ObjectInfo> PutFile(std::string_view key, const std::string& path,
                             const PutOptions& options) override;
  Result<ObjectInfo> Get(std::string_view key, const GetOptions& options, ByteSink* sink) override;
  Result<ObjectInfo> GetFile(std::string_view key, const std::string& path) override;
  Result<ObjectInfo> Head(std::string_view key) override;
  Result<ListPage> List(const ListOptions& options) override;
  Status Delete(std::string_view key) override;
  Status DeleteMany(const std::vector<std::string>& keys) override;

 private:
  std::string FullKey(std::string_view key) const {
    return prefix_.empty() ? std::string(key) : prefix_ + "/" + std::string(key);
  }
  Status CheckKey(const char* op, std::string_view key) const {
    if (key.empty())
      return Status::InvalidArgument(std::string(op) + " " + Url(key) + ": empty key");
    return Status::OK();
  }
  Status DeleteBatch(const std::vector<std::string>& full_keys);

  std::unique_ptr<S3Client> client_;
  const std::string prefix_;  // without leading or trailing '/'
  S3Options options_;
};

Result<ObjectInfo> S3Store::Put(std::string_view key, ByteSource* source,
                                const PutOptions& options) {
  Status s = CheckKey("PUT", key);
  if (!s.ok()) return s;
  const std::string full = FullKey(key);
  const std::string context = "PUT " + client_->DisplayUrl(full);
  // Read up to the threshold (and a byte more, to know whether the source goes beyond it): a
  // source that ends there is one PUT, a longer one goes in parts.
  const uint64_t threshold = options_.multipart_threshold;
  const uint64_t want = threshold == UINT64_MAX ? threshold : threshold + 1;
  std::string head;
  bool ended = false;
  while (head.size() < want) {
    // Reads grow with what came so far: a small object costs a small buffer.
    const auto chunk = static_cast<size_t>(
        std::min<uint64_t>(want - head.size(), std::max<size_t>(64 << 10, head.size())));
    const size_t have = head.size();
    head.resize(have + chunk);
    auto got = source->Read(head.data() + have, chunk);
    if (!got.ok()) {
      return Status::IOError(context + ": reading the source: " + got.status().ToString());
    }
    head.resize(have + *got);
    if (*got == 0) {
      ended = true;
      break;
    }
  }
  S3Upload upload(client_.get(), full, std::string(key), options, options_.parallelism);
  if (ended && head.size() <= threshold) {
    MemoryBody body{Slice(head)};
    return upload.PutSingle(&body);
  }
  StreamParts parts(source, std::move(head), options_.part_size, context);
  return upload.PutMultipart(&parts);
}

Result<ObjectInfo> S3Store::PutFile(std::string_view key, const std::string& path,
                                    const PutOptions& options) {
  Status s = CheckKey("PUT", key);
  if (!s.ok()) return s;
  auto file = FileParts::Open(path);
  if (!file.ok()) return file.status();
  S3Upload upload(client_.get(), FullKey(key), std::string(key), options, options_.parallelism);
  if ((*file)->size() <= options_.multipart_threshold) {
    auto body = (*file)->Whole();
    return upload.PutSingle(body.get());
  }
  (*file)->SetPartSize(options_.part_size, kMaxParts);
  return upload.PutMultipart(file->get());
}

Result<ObjectInfo> S3Store::Get(std::string_view key, const GetOptions& options, ByteSink* sink) {
  Status s = CheckKey("GET", key);
  if (!s.ok()) return s;
  return S3Download(client_.get(), FullKey(key), std::string(key)).Get(options, sink);
}

Result<ObjectInfo> S3Store::GetFile(std::string_view key, const std::string& path) {
  Status s = CheckKey("GET", key);
  if (!s.ok()) return s;
  return S3Download(client_.get(), FullKey(key), std::string(key))
      .ToFile(path, options_.download_part_size, options_.parallelism);
}

Result<ObjectInfo> S3Store::Head(std::string_view key) {
  Status s = CheckKey("HEAD", key);
  if (!s.ok()) return s;
  return S3Download(client_.get(), FullKey(key), std::string(key)).Head("");
}

Result<ListPage> S3Store::List(const ListOptions& options) {
  const std::string root = prefix_.empty() ? "" : prefix_ + "/";
  const std::string full_prefix = root + options.prefix;
  S3Request request;
  request.op = "LIST";
  request.key = "";
  request.display_key = full_prefix;
  request.query = {{"list-type", "2"},
                   {"encoding-type", "url"},
                   {"max-keys", std::to_string(std::clamp(options.max_keys, 1, 1000))}};
  if (!full_prefix.empty()) request.query.emplace_back("prefix", full_prefix);
  if (!options.delimiter.empty()) request.query.emplace_back("delimiter", options.delimiter);
  if (!options.continuation_token.empty()) {
    request.query.emplace_back("continuation-token", options.continuation_token);
  }
  S3Reply reply;
  Status s = client_->Send(request, &reply);
  const std::string url = client_->DisplayUrl(full_prefix);
  // A 404 here is about the bucket, not an object.
  if (!s.ok()) return s.IsNotFound() ? Status::IOError(s.message()) : s;
  auto doc = ParseListObjectsV2(reply.response.body, "ListObjectsV2 answer for " + url);
  if (!doc.ok()) return doc.status();
  ListPage page;
  for (ObjectInfo& o : doc->objects) {
    if (!o.key.starts_with(root)) {
      return Status::Corruption("LIST " + url +
                                ": listed key outside the prefix: " + client_->DisplayUrl(o.key));
    }
    o.key.erase(0, root.size());
    page.objects.push_back(std::move(o));
  }
  for (std::string& p : doc->common_prefixes) {
    if (!p.starts_with(root)) {
      return Status::Corruption("LIST " + url +
                                ": listed prefix outside the prefix: " + client_->DisplayUrl(p));
    }
    page.common_prefixes.push_back(p.substr(root.size()));
  }
  if (doc->is_truncated) {
    if (doc->next_continuation_token.empty()) {
      return Status::Corruption("LIST " + url +
                                ": a truncated page without a NextContinuationToken");
    }
    page.next_token = std::move(doc->next_continuation_token);
  }
  return page;
}

Status S3Store::Delete(std::string_view key) {
  Status s = CheckKey("DELETE", key);
  if (!s.ok()) return s;
  S3Request request;
  request.op = "DELETE";
  request.method = "DELETE";
  request.key = FullKey(key);
  S3Reply reply;
  s = client_->Send(request, &reply);
  if (s.IsNotFound()) return Status::OK();  // S3 answers 204 anyway; others may say 404
  return s;
}

Status S3Store::DeleteBatch(const std::vector<std::string>& full_keys) {
  const std::string document = WriteDeleteObjects(full_keys);
  const Md5::Digest md5 = Md5::Of(document);
  MemoryBody body{Slice(document)};
  S3Request request;
  request.op = "DeleteObjects";
  request.method = "POST";
  request.key = "";
  request.query = {{"delete", ""}};
  request.headers.push_back("Content-Type: application/xml");
  // S3 refuses DeleteObjects without a checksum of its body.
  request.headers.push_back("Content-MD5: " + Base64Encode(md5.data(), md5.size()));
  request.body = &body;
  S3Reply reply;
  Status s = client_->Send(request, &reply);
  if (!s.ok()) return s;
  auto errors =
      ParseDeleteResult(reply.response.body, "DeleteObjects answer for " + client_->DisplayUrl(""));
  if (!errors.ok()) return errors.status();
  if (errors->empty()) return Status::OK();
  const DeleteErrorDoc& first = errors->front();
  return Status::IOError("DELETE " + client_->DisplayUrl(first.key) + ": " + first.code + ": " +
                         first.message);
}

Status S3Store::DeleteMany(const std::vector<std::string>& keys) {
  std::vector<std::string> batch;
  for (size_t i = 0; i <= keys.size(); i++) {
    if (i < keys.size()) {
      Status s = CheckKey("DELETE", keys[i]);
      if (!s.ok()) return s;
      if (!XmlCanCarry(keys[i])) {
        // Control characters cannot travel in the XML request: one DELETE for this key.
        s = Delete(keys[i]);
        if (!s.ok()) return s;
        continue;
      }
      batch.push_back(FullKey(keys[i]));
    }
    if (batch.size() == kDeleteBatch || (i == keys.size() && !batch.empty())) {
      Status s = DeleteBatch(batch);
      if (!s.ok()) return s;
      batch.clear();
    }
  }
  return Status::OK();
}

}  // namespace

Result<std::unique_ptr<ObjectStore>> OpenS3Store(const std::string& bucket,
                                                 const std::string& prefix,
                                                 const S3Options& options) {
  if (bucket.empty()) return Status::InvalidArgument("S3 store without a bucket name");
  auto config = ResolveS3Config(options, bucket, CurrentEnvironment());
  if (!config.ok()) return config.status();
  std::string_view p = prefix;
  while (p.starts_with('/')) p.remove_prefix(1);
  while (p.ends_with('/')) p.remove_suffix(1);
  auto client = std::make_unique<S3Client>(std::move(*config), bucket, options);
  return std::unique_ptr<ObjectStore>(new S3Store(std::move(client), std::string(p), options));
}

}  // namespace strata::objstore
