#include "objstore/s3_download.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <mutex>
#include <optional>
#include <random>
#include <thread>

#include "base/posix_error.h"
#include "base/thread_pool.h"
#include "objstore/posix_file.h"
#include "objstore/s3_retry.h"
#include "objstore/s3_time.h"
#include "objstore/s3_xml.h"

namespace strata::objstore {

namespace {

constexpr int kToFileRounds = 3;  // downloads restarted when the object is replaced

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

}  // namespace

S3Download::S3Download(S3Client* client, std::string full_key, std::string key)
    : client_(client), full_key_(std::move(full_key)), key_(std::move(key)) {}

Result<ObjectInfo> S3Download::Head(const std::string& if_match) {
  S3Request request;
  request.op = "HEAD";
  request.method = "HEAD";
  request.key = full_key_;
  if (!if_match.empty()) request.headers.push_back("If-Match: \"" + UnquoteETag(if_match) + "\"");
  S3Reply reply;
  Status s = client_->Send(request, &reply);
  if (!s.ok()) return s;
  const HttpResponse& r = reply.response;
  ObjectInfo info;
  info.key = key_;
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

Result<ObjectInfo> S3Download::Get(const GetOptions& options, ByteSink* sink) {
  if (options.length.has_value() && *options.length == 0) {
    // Nothing to read, but the object must exist (and match), and the range be valid.
    auto info = Head(options.if_match);
    if (!info.ok()) return info;
    if (options.offset > 0 && options.offset >= info->size) {
      return Status::InvalidArgument("GET " + Url() + ": range starts at byte " +
                                     std::to_string(options.offset) + " of a " +
                                     std::to_string(info->size) + "-byte object");
    }
    return info;
  }
  return GetRange(options, sink);
}

// Streams [offset, offset + length) to sink. A transfer that breaks after some bytes went to the
// sink is resumed where it stopped, with a Range from there and If-Match the ETag the first
// answer had, so the bytes come from one version of the object or the read fails.
Result<ObjectInfo> S3Download::GetRange(const GetOptions& options, ByteSink* sink) {
  const std::string url = Url();
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
  info.key = key_;
  const int max_attempts = std::max(1, client_->retry().max_attempts);
  for (int attempt = 1;; attempt++) {
    if (attempt > 1) std::this_thread::sleep_for(BackoffDelay(client_->retry(), attempt));
    const uint64_t pos = options.offset + delivered;
    S3Request request;
    request.op = "GET";
    request.key = full_key_;
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
      auto head = Head(pin);
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

// The first range is fetched alone: its answer gives the object's size and ETag, so an object
// that fits in it (most objects of a lake of small files) costs one request, not a HEAD and a
// GET. The rest is fetched in parallel ranges pinned to that ETag.
Result<ObjectInfo> S3Download::Fetch(int fd, const std::string& tmp_path,
                                     uint64_t download_part_size, int parallelism) {
  const uint64_t part = std::max<uint64_t>(download_part_size, 1);
  PwriteSink first_sink(fd, &tmp_path, 0);
  GetOptions first;
  first.length = part;
  auto head = GetRange(first, &first_sink);
  if (!head.ok() || head->size <= part) return head;
  const uint64_t size = head->size;
  std::mutex mu;
  Status failure;  // guarded by mu: the first range that failed
  std::atomic<bool> failed{false};
  {
    ThreadPool pool(std::max(1, parallelism));
    for (uint64_t offset = part; offset < size; offset += part) {
      pool.Schedule([&, offset] {
        if (failed.load()) return;
        PwriteSink sink(fd, &tmp_path, offset);
        GetOptions get;
        get.offset = offset;
        get.length = std::min(part, size - offset);
        get.if_match = head->etag;
        auto got = GetRange(get, &sink);
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

Result<ObjectInfo> S3Download::ToFile(const std::string& path, uint64_t download_part_size,
                                      int parallelism) {
  Status last;
  for (int round = 1; round <= kToFileRounds; round++) {
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
    auto done = Fetch(fd.get(), tmp, download_part_size, parallelism);
    if (done.ok() && ::fsync(fd.get()) != 0) done = PosixError("fsync", tmp, errno);
    if (done.ok() && fd.Close() != 0) done = PosixError("close", tmp, errno);
    if (done.ok() && ::rename(tmp.c_str(), path.c_str()) != 0) {
      done = PosixError("rename to", path, errno);
    }
    if (done.ok()) {
      // The rename is durable once the directory is synced.
      const size_t slash = path.find_last_of('/');
      (void)SyncDir(slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash)));
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

}  // namespace strata::objstore
