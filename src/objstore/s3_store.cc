#include "objstore/s3_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <mutex>
#include <random>
#include <thread>

#include "base/posix_error.h"
#include "base/thread_pool.h"
#include "objstore/http_request.h"
#include "objstore/s3_client.h"
#include "objstore/s3_config.h"
#include "objstore/s3_encoding.h"
#include "objstore/s3_time.h"
#include "objstore/s3_upload.h"
#include "objstore/s3_xml.h"

namespace strata::objstore {

namespace {

constexpr uint64_t kMinPartSize = 5ull << 20;  // S3's minimum for every part but the last
constexpr uint64_t kMaxParts = 10'000;
constexpr size_t kDeleteBatch = 1000;  // DeleteObjects' limit
constexpr int kGetFileRounds = 3;      // downloads restarted when the object is replaced

// A file descriptor that closes itself.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() { Close(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  void Reset(int fd) {
    Close();
    fd_ = fd;
  }
  int Close() {
    const int r = fd_ >= 0 ? ::close(fd_) : 0;
    fd_ = -1;
    return r;
  }

 private:
  int fd_;
};

// Reads a stream into parts of part_size bytes, the first ones from what Put read before it
// knew the object needed parts.
class StreamParts final : public PartSource {
 public:
  StreamParts(ByteSource* source, std::string head, uint64_t part_size, std::string context)
      : source_(source),
        head_(std::move(head)),
        part_size_(part_size),
        context_(std::move(context)) {}

  Result<std::unique_ptr<RequestBody>> Next() override {
    std::string part;
    if (head_pos_ < head_.size()) {
      if (head_pos_ == 0 && head_.size() <= part_size_) {
        part = std::move(head_);  // the head becomes the first part, without a copy
      } else {
        const size_t take =
            static_cast<size_t>(std::min<uint64_t>(part_size_, head_.size() - head_pos_));
        part = head_.substr(head_pos_, take);
        head_pos_ += take;
      }
      if (head_pos_ >= head_.size()) {
        head_.clear();
        head_.shrink_to_fit();
        head_pos_ = 0;
      }
    }
    if (part.size() < part_size_ && !ended_) {
      const size_t have = part.size();
      part.resize(static_cast<size_t>(part_size_));
      size_t filled = have;
      while (filled < part.size()) {
        auto got = source_->Read(part.data() + filled, part.size() - filled);
        if (!got.ok()) {
          return Status::IOError(context_ + ": reading the source: " + got.status().ToString());
        }
        if (*got == 0) {
          ended_ = true;
          break;
        }
        filled += *got;
      }
      part.resize(filled);
    }
    if (part.empty()) return std::unique_ptr<RequestBody>();
    return std::unique_ptr<RequestBody>(new OwnedBody(std::move(part)));
  }

 private:
  // A part's bytes, owned by its body and freed with it once the part is stored.
  class OwnedBody final : public RequestBody {
   public:
    explicit OwnedBody(std::string bytes) : bytes_(std::move(bytes)), memory_(Slice(bytes_)) {}
    uint64_t size() const override { return memory_.size(); }
    void Rewind() override { memory_.Rewind(); }
    Result<size_t> Read(char* dst, size_t n) override { return memory_.Read(dst, n); }

   private:
    std::string bytes_;
    MemoryBody memory_;  // over bytes_
  };

  ByteSource* source_;
  std::string head_;
  size_t head_pos_ = 0;  // head_[head_pos_..] is not in a part yet
  const uint64_t part_size_;
  const std::string context_;
  bool ended_ = false;  // the source returned 0
};

// The parts of a file, read in place with pread.
class FileParts final : public PartSource {
 public:
  FileParts(int fd, std::string path, uint64_t size, uint64_t part_size)
      : fd_(fd), path_(std::move(path)), size_(size), part_size_(part_size) {}

  Result<std::unique_ptr<RequestBody>> Next() override {
    if (offset_ >= size_) return std::unique_ptr<RequestBody>();
    const uint64_t length = std::min(part_size_, size_ - offset_);
    auto body = std::make_unique<FileRangeBody>(fd_, path_, offset_, length);
    offset_ += length;
    return std::unique_ptr<RequestBody>(std::move(body));
  }

 private:
  const int fd_;
  const std::string path_;
  const uint64_t size_;
  const uint64_t part_size_;
  uint64_t offset_ = 0;
};

// Writes at increasing offsets of a file with pwrite (a range of a parallel download).
class PwriteSink final : public ByteSink {
 public:
  PwriteSink(int fd, const std::string* path, uint64_t offset)
      : fd_(fd), path_(path), offset_(offset) {}
  Status Append(Slice data) override {
    const char* p = data.data();
    size_t left = data.size();
    while (left > 0) {
      const ssize_t n = ::pwrite(fd_, p, left, static_cast<off_t>(offset_));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return PosixError("write", *path_, errno);
      p += n;
      left -= static_cast<size_t>(n);
      offset_ += static_cast<uint64_t>(n);
    }
    return Status::OK();
  }

 private:
  int fd_;
  const std::string* path_;
  uint64_t offset_;
};

// "bytes <first>-<last>/<total>" of a 206 answer.
bool ParseContentRange(const std::string& value, uint64_t* first, uint64_t* last, uint64_t* total) {
  std::string_view v = value;
  if (!v.starts_with("bytes ")) return false;
  v.remove_prefix(6);
  auto number = [&v](uint64_t* out, char end) {
    uint64_t n = 0;
    size_t i = 0;
    for (; i < v.size() && v[i] >= '0' && v[i] <= '9'; i++) {
      if (n > (UINT64_MAX - 9) / 10) return false;
      n = n * 10 + static_cast<uint64_t>(v[i] - '0');
    }
    if (i == 0) return false;
    if (end != '\0' && (i >= v.size() || v[i] != end)) return false;
    if (end == '\0' && i != v.size()) return false;
    v.remove_prefix(end == '\0' ? i : i + 1);
    *out = n;
    return true;
  };
  return number(first, '-') && number(last, '/') && number(total, '\0') && *first <= *last &&
         *last < *total;
}

bool ParseLength(const std::string* value, uint64_t* out) {
  if (value == nullptr || value->empty() || value->size() > 19) return false;
  uint64_t n = 0;
  for (char c : *value) {
    if (c < '0' || c > '9') return false;
    n = n * 10 + static_cast<uint64_t>(c - '0');
  }
  *out = n;
  return true;
}

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
  Result<ObjectInfo> Head(std::string_view key) override { return HeadObject(key, ""); }
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
  Result<ObjectInfo> HeadObject(std::string_view key, const std::string& if_match);
  // One download attempt loop of GET, resuming after a broken transfer (see Get).
  Result<ObjectInfo> GetRange(std::string_view key, const GetOptions& options, ByteSink* sink);
  Result<ObjectInfo> DownloadTo(std::string_view key, const ObjectInfo& head, int fd,
                                const std::string& tmp_path);
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
  std::string head;
  uint64_t want = threshold + 1;
  bool ended = false;
  while (head.size() < want) {
    const size_t chunk = static_cast<size_t>(std::min<uint64_t>(want - head.size(), 4u << 20));
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
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return PosixError("open", path, errno);
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) return PosixError("stat", path, errno);
  if (!S_ISREG(st.st_mode)) return Status::InvalidArgument(path + ": not a regular file");
  const auto size = static_cast<uint64_t>(st.st_size);
  S3Upload upload(client_.get(), FullKey(key), std::string(key), options, options_.parallelism);
  if (size <= options_.multipart_threshold) {
    FileRangeBody body(fd.get(), path, 0, size);
    return upload.PutSingle(&body);
  }
  // At most 10,000 parts: a huge file gets larger parts (whole MiB).
  uint64_t part_size = options_.part_size;
  if ((size + part_size - 1) / part_size > kMaxParts) {
    const uint64_t mib = 1 << 20;
    part_size = ((size + kMaxParts - 1) / kMaxParts + mib - 1) / mib * mib;
  }
  FileParts parts(fd.get(), path, size, part_size);
  return upload.PutMultipart(&parts);
}

Result<ObjectInfo> S3Store::HeadObject(std::string_view key, const std::string& if_match) {
  Status s = CheckKey("HEAD", key);
  if (!s.ok()) return s;
  S3Request request;
  request.op = "HEAD";
  request.method = "HEAD";
  request.key = FullKey(key);
  if (!if_match.empty()) request.headers.push_back("If-Match: \"" + UnquoteETag(if_match) + "\"");
  S3Reply reply;
  s = client_->Send(request, &reply);
  if (!s.ok()) return s;
  const HttpResponse& r = reply.response;
  ObjectInfo info;
  info.key = std::string(key);
  if (!ParseLength(r.Header("content-length"), &info.size)) {
    return Status::IOError("HEAD " + client_->DisplayUrl(request.key) +
                           ": the answer has no valid Content-Length");
  }
  if (const std::string* etag = r.Header("etag")) info.etag = UnquoteETag(*etag);
  if (const std::string* modified = r.Header("last-modified")) {
    auto ms = ParseHttpDate(*modified);
    if (!ms.ok()) {
      return Status::IOError("HEAD " + client_->DisplayUrl(request.key) +
                             ": Last-Modified: " + ms.status().message());
    }
    info.last_modified_ms = *ms;
  }
  return info;
}

// The sink of one GET attempt: checks the answer's headers before its first byte goes on (the
// range it covers, the ETag it must have), keeps only the bytes asked for (a server that
// ignores Range sends the whole object), and counts what it passed on.
class RangeSink final : public ByteSink {
 public:
  struct Want {
    uint64_t pos;                 // the first byte wanted
    std::optional<uint64_t> end;  // one past the last byte wanted; nullopt: to the end
    std::string etag;             // "" accepts any, and is set from the answer
  };
  RangeSink(ByteSink* out, const HttpResponse* response, Want want)
      : out_(out), response_(response), want_(std::move(want)) {}

  // Reads the answer's headers (once; later calls return the first outcome). A failure names
  // what did not match.
  Status Prepare() {
    if (!prepared_) {
      prepared_ = true;
      header_status_ = CheckHeaders();
    }
    return header_status_;
  }
  // Whether Prepare() failed (rather than the sink written to).
  bool header_failed() const { return prepared_ && !header_status_.ok(); }
  // Whether it failed because the answer has another ETag than the one wanted.
  bool etag_mismatch() const { return etag_mismatch_; }

  Status Append(Slice data) override {
    Status s = Prepare();
    if (!s.ok()) return s;
    const char* p = data.data();
    size_t n = data.size();
    const size_t skip = static_cast<size_t>(std::min<uint64_t>(skip_, n));
    p += skip;
    n -= skip;
    skip_ -= skip;
    n = static_cast<size_t>(std::min<uint64_t>(n, take_ - passed_));
    if (n == 0) return Status::OK();
    s = out_->Append(Slice(p, n));
    if (!s.ok()) return s;
    passed_ += n;
    return Status::OK();
  }

  bool complete() const { return prepared_ && header_status_.ok() && passed_ == take_; }
  uint64_t passed() const { return passed_; }  // bytes given to out
  uint64_t expected() const { return take_; }  // bytes this answer should give
  uint64_t total() const { return total_; }    // the object's size
  const std::string& etag() const { return etag_; }
  int64_t last_modified_ms() const { return last_modified_ms_; }

 private:
  Status CheckHeaders() {
    const HttpResponse& r = *response_;
    uint64_t length = 0;
    if (!ParseLength(r.Header("content-length"), &length)) {
      return Status::IOError("the answer has no valid Content-Length");
    }
    if (r.status == 206) {
      uint64_t first = 0, last = 0;
      const std::string* range = r.Header("content-range");
      if (range == nullptr || !ParseContentRange(*range, &first, &last, &total_)) {
        return Status::IOError("a 206 answer without a valid Content-Range");
      }
      const uint64_t end = want_.end ? std::min(*want_.end, total_) : total_;
      if (first != want_.pos || last + 1 != end || length != last - first + 1) {
        return Status::IOError("asked for bytes " + std::to_string(want_.pos) + "-" +
                               std::to_string(end - 1) + ", got Content-Range " + *range +
                               " with Content-Length " + std::to_string(length));
      }
      skip_ = 0;
      take_ = length;
    } else {
      // The whole object, whatever was asked.
      total_ = length;
      const uint64_t end = want_.end ? std::min(*want_.end, total_) : total_;
      if (want_.pos > end || (want_.pos >= total_ && total_ > 0)) {
        return Status::InvalidArgument("range starts at byte " + std::to_string(want_.pos) +
                                       " of a " + std::to_string(total_) + "-byte object");
      }
      skip_ = want_.pos;
      take_ = end - want_.pos;
    }
    const std::string* etag = r.Header("etag");
    etag_ = etag == nullptr ? "" : UnquoteETag(*etag);
    if (!want_.etag.empty() && etag_ != want_.etag) {
      // A server that ignored If-Match.
      etag_mismatch_ = true;
      return Status::PreconditionFailed("the object's ETag is " + etag_ + ", not " + want_.etag);
    }
    if (const std::string* modified = r.Header("last-modified")) {
      auto ms = ParseHttpDate(*modified);
      if (ms.ok()) last_modified_ms_ = *ms;
    }
    return Status::OK();
  }

  ByteSink* out_;
  const HttpResponse* response_;  // filled by the transfer; headers complete before the body
  const Want want_;
  bool prepared_ = false;
  Status header_status_;
  bool etag_mismatch_ = false;
  uint64_t total_ = 0;
  uint64_t skip_ = 0;
  uint64_t take_ = 0;
  uint64_t passed_ = 0;
  std::string etag_;
  int64_t last_modified_ms_ = 0;
};

Result<ObjectInfo> S3Store::Get(std::string_view key, const GetOptions& options, ByteSink* sink) {
  Status s = CheckKey("GET", key);
  if (!s.ok()) return s;
  if (options.length.has_value() && *options.length == 0) {
    // Nothing to read, but the object must exist (and match), and the range be valid.
    auto info = HeadObject(key, options.if_match);
    if (!info.ok()) return info;
    if (options.offset > 0 && options.offset >= info->size) {
      return Status::InvalidArgument("GET " + client_->DisplayUrl(FullKey(key)) +
                                     ": range starts at byte " + std::to_string(options.offset) +
                                     " of a " + std::to_string(info->size) + "-byte object");
    }
    return info;
  }
  return GetRange(key, options, sink);
}

// Streams [offset, offset + length) to sink. A transfer that breaks after some bytes went to the
// sink is resumed where it stopped, with a Range from there and If-Match the ETag the first
// answer had, so the bytes come from one version of the object or the read fails.
Result<ObjectInfo> S3Store::GetRange(std::string_view key, const GetOptions& options,
                                     ByteSink* sink) {
  const std::string full = FullKey(key);
  const std::string url = client_->DisplayUrl(full);
  std::optional<uint64_t> end;
  if (options.length.has_value()) {
    if (*options.length > UINT64_MAX - options.offset) {
      return Status::InvalidArgument("GET " + url + ": range beyond 2^64");
    }
    end = options.offset + *options.length;
  }
  std::string pin = UnquoteETag(options.if_match);
  const bool caller_pinned = !pin.empty();
  uint64_t delivered = 0;  // bytes given to sink so far, over all attempts
  ObjectInfo info;
  info.key = std::string(key);
  const int max_attempts = std::max(1, client_->retry().max_attempts);
  for (int attempt = 1;; attempt++) {
    if (attempt > 1) std::this_thread::sleep_for(BackoffDelay(client_->retry(), attempt));
    const uint64_t pos = options.offset + delivered;
    S3Request request;
    request.op = "GET";
    request.key = full;
    // An empty object has no byte 0: a read of it from offset 0 sends no Range.
    if (pos > 0 || end.has_value()) {
      request.headers.push_back("Range: bytes=" + std::to_string(pos) + "-" +
                                (end ? std::to_string(*end - 1) : std::string()));
    }
    if (!pin.empty()) request.headers.push_back("If-Match: \"" + pin + "\"");
    HttpResponse response;
    RangeSink range(sink, &response, {pos, end, pin});
    request.sink = &range;
    AttemptOutcome outcome;
    Status s = client_->SendOnce(request, &response, &outcome);
    if (s.ok()) s = range.Prepare();  // an empty body calls no Append
    delivered += range.passed();
    if (pin.empty() && range.passed() > 0) pin = range.etag();
    // Every byte the answer announced arrived (even if the connection broke after the last).
    if (range.complete() && (s.ok() || range.expected() > 0)) {
      info.size = range.total();
      info.etag = range.etag();
      info.last_modified_ms = range.last_modified_ms();
      return info;
    }
    if (range.header_failed()) {
      const Status& hs = range.Prepare();
      if (range.etag_mismatch() && !caller_pinned) {
        return Status::IOError("GET " + url + ": the object changed while it was read (" +
                               hs.message() + ")");
      }
      if (hs.IsPreconditionFailed())
        return Status::PreconditionFailed("GET " + url + ": " + hs.message());
      if (hs.IsInvalidArgument())
        return Status::InvalidArgument("GET " + url + ": " + hs.message());
      return Status::IOError("GET " + url + ": " + hs.message());
    }
    if (s.ok()) {
      // Fewer bytes than the answer announced, without a transport error: count it as a lost
      // connection, and resume.
      outcome.transport = TransportError::kConnectionLost;
      response.transport = TransportError::kConnectionLost;
      response.transport_message = "the answer ended after " + std::to_string(range.passed()) +
                                   " of " + std::to_string(range.expected()) + " bytes";
    }
    if (response.status == 416 && pos == 0 && delivered == 0) {
      // A range from byte 0 of an empty object: S3 answers 416, the read yields nothing.
      auto head = HeadObject(key, pin);
      if (head.ok() && head->size == 0) return head;
    }
    if (response.status == 412 && !caller_pinned) {
      return Status::IOError("GET " + url + ": the object changed while it was read (ETag " + pin +
                             ")");
    }
    if (attempt >= max_attempts || !IsRetryable(outcome)) {
      return client_->FailureStatus(request, response, outcome, attempt);
    }
  }
}

Result<ObjectInfo> S3Store::DownloadTo(std::string_view key, const ObjectInfo& head, int fd,
                                       const std::string& tmp_path) {
  const uint64_t size = head.size;
  const uint64_t part = options_.download_part_size;
  if (size <= part || options_.parallelism == 1) {
    PwriteSink sink(fd, &tmp_path, 0);
    GetOptions get;
    get.if_match = head.etag;
    return GetRange(key, get, &sink);
  }
  std::mutex mu;
  Status failure;  // guarded by mu: the first range that failed
  std::atomic<bool> failed{false};
  {
    ThreadPool pool(options_.parallelism);
    for (uint64_t offset = 0; offset < size; offset += part) {
      pool.Schedule([&, offset] {
        if (failed.load()) return;
        PwriteSink sink(fd, &tmp_path, offset);
        GetOptions get;
        get.offset = offset;
        get.length = std::min(part, size - offset);
        get.if_match = head.etag;
        auto got = GetRange(key, get, &sink);
        if (!got.ok()) {
          std::lock_guard<std::mutex> lock(mu);
          if (failure.ok()) failure = got.status();
          failed.store(true);
        }
      });
    }
    pool.Wait();
  }
  if (!failure.ok()) return failure;
  return head;
}

Result<ObjectInfo> S3Store::GetFile(std::string_view key, const std::string& path) {
  Status s = CheckKey("GET", key);
  if (!s.ok()) return s;
  Status last;
  for (int round = 1; round <= kGetFileRounds; round++) {
    auto head = HeadObject(key, "");
    if (!head.ok()) return head;
    // A temporary file beside the target, so the rename is atomic; a random name, so two
    // downloads to one path do not write into each other's file.
    std::string tmp;
    Fd fd;
    for (int i = 0; i < 100 && fd.get() < 0; i++) {
      std::random_device rd;
      tmp = path + ".strata-tmp-" + std::to_string(rd());
      fd.Reset(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
      if (fd.get() < 0 && errno != EEXIST) return PosixError("create", tmp, errno);
    }
    if (fd.get() < 0) return Status::IOError("cannot create a temporary file beside " + path);
    auto done = DownloadTo(key, *head, fd.get(), tmp);
    if (done.ok() && ::fsync(fd.get()) != 0) done = PosixError("fsync", tmp, errno);
    if (done.ok() && fd.Close() != 0) done = PosixError("close", tmp, errno);
    if (done.ok() && ::rename(tmp.c_str(), path.c_str()) != 0) {
      done = PosixError("rename to", path, errno);
    }
    if (done.ok()) {
      // The rename is durable once the directory is synced.
      const size_t slash = path.find_last_of('/');
      const std::string dir =
          slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
      Fd dfd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
      if (dfd.get() >= 0) (void)::fsync(dfd.get());
      return done;
    }
    fd.Close();
    ::unlink(tmp.c_str());
    last = done.status();
    // Replaced while downloading (the ranges are pinned to the ETag HEAD saw): start again
    // with the new version.
    if (!last.IsPreconditionFailed()) return last;
  }
  return last;
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
  if (!s.ok()) {
    return Status(s.IsNotFound() ? Status::IOError("LIST " + url + ": " + s.message()) : s);
  }
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
