// The requests S3Store sends are the ones S3 expects, checked against two real peers (each
// skipped when it is not installed), with a capture server that records requests and answers
// 200:
//  * botocore (the AWS SDK for Python) signs the decoded request — the key and query values as
//    S3 itself decodes them, encoded again by botocore's own rules — and its signature must be
//    the one libcurl computed: a key or query encoded differently from S3's canonical form, or
//    a header left out of the signature, fails here (moto cannot tell: it verifies against its
//    own decoding of the URL, which differs from S3's for '+', '=', '%' and non-ASCII keys);
//  * botocore's S3 client writes the same keys, and the request paths must be byte-identical.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "base/escape.h"
#include "s3_test_util.h"
#include "support/moto_server.h"
#include "support/test_util.h"

namespace strata::objstore {
namespace {

struct CapturedRequest {
  std::string method;
  std::string target;                // as on the request line
  std::vector<std::string> headers;  // "Name: value" as received
  std::string body;
};

// Accepts connections on a loopback port, records each request and answers 200 with no body.
class CaptureServer {
 public:
  CaptureServer() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(addr);
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
        ::listen(fd_, 16) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      ADD_FAILURE() << "cannot listen on loopback";
      return;
    }
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~CaptureServer() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    if (fd_ >= 0) ::close(fd_);
  }

  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string host() const { return "127.0.0.1:" + std::to_string(port_); }

  std::vector<CapturedRequest> Take() {
    std::lock_guard<std::mutex> lock(mu_);
    return std::move(requests_);
  }

 private:
  void Serve() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      const int c = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (c < 0) continue;
      CapturedRequest request;
      if (Read(c, &request)) {
        {
          // Recorded before the answer goes out: once the client has its answer, Take() sees
          // the request.
          std::lock_guard<std::mutex> lock(mu_);
          requests_.push_back(std::move(request));
        }
        static constexpr char kOk[] =
            "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        (void)!::send(c, kOk, sizeof(kOk) - 1, MSG_NOSIGNAL);
      }
      ::close(c);
    }
  }

  static bool ReadMore(int c, std::string* buf) {
    pollfd p{c, POLLIN, 0};
    if (::poll(&p, 1, 10'000) <= 0) return false;
    char chunk[65536];
    const ssize_t n = ::recv(c, chunk, sizeof(chunk), 0);
    if (n <= 0) return false;
    buf->append(chunk, static_cast<size_t>(n));
    return true;
  }

  static bool Read(int c, CapturedRequest* out) {
    std::string buf;
    size_t end;
    while ((end = buf.find("\r\n\r\n")) == std::string::npos) {
      if (!ReadMore(c, &buf)) return false;
    }
    std::string head = buf.substr(0, end);
    buf.erase(0, end + 4);
    size_t line_end = head.find("\r\n");
    const std::string request_line = head.substr(0, line_end);
    out->method = request_line.substr(0, request_line.find(' '));
    out->target = request_line.substr(out->method.size() + 1);
    out->target = out->target.substr(0, out->target.rfind(' '));
    size_t content_length = 0;
    bool chunked = false, expect = false;
    while (line_end != std::string::npos) {
      const size_t start = line_end + 2;
      line_end = head.find("\r\n", start);
      const std::string line = head.substr(start, line_end - start);
      out->headers.push_back(line);
      std::string lower = line;
      for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      if (lower.starts_with("content-length:")) content_length = std::stoul(line.substr(15));
      if (lower.starts_with("transfer-encoding:") && lower.find("chunked") != std::string::npos) {
        chunked = true;
      }
      if (lower.starts_with("expect:")) expect = true;
    }
    if (expect) {
      static constexpr char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
      (void)!::send(c, kContinue, sizeof(kContinue) - 1, MSG_NOSIGNAL);
    }
    if (chunked) {
      while (buf.find("0\r\n\r\n") == std::string::npos) {
        if (!ReadMore(c, &buf)) return false;
      }
    } else {
      while (buf.size() < content_length) {
        if (!ReadMore(c, &buf)) return false;
      }
    }
    out->body = buf;
    return true;
  }

  int fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::mutex mu_;  // guards requests_
  std::vector<CapturedRequest> requests_;
};

// Recomputes captured requests' signatures with botocore from the decoded path and query. The
// file holds the credentials, then one request per record (method, target, headers), records
// separated by a line "--"; the output has a line per request: botocore's signature, the one
// carried, and botocore's with another secret.
constexpr char kVerifier[] = R"PY(
import sys
from urllib.parse import quote_from_bytes, unquote_to_bytes, parse_qsl
from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

text = open(sys.argv[1], encoding='latin-1').read()
head, *records = text.split('\n--\n')
host, key_id, secret, token, region = head.split('\n')[:5]
for record in records:
    lines = record.split('\n')
    method, target = lines[0], lines[1]
    headers = {}
    for line in lines[2:]:
        if line:
            name, _, value = line.partition(':')
            headers[name.strip().lower()] = value.strip()
    auth = headers['authorization']
    signed = auth.split('SignedHeaders=')[1].split(',')[0].split(';')
    for required in ('host', 'x-amz-date', 'x-amz-content-sha256'):
        assert required in signed, required + ' is not signed'
    path, _, query = target.partition('?')
    # S3 decodes the path to the key and encodes it again for the canonical request, the way
    # botocore encodes keys: every byte but unreserved ones and '/'.
    canonical_path = quote_from_bytes(unquote_to_bytes(path), safe='/~')
    params = {k.encode('latin-1').decode('utf-8'): v.encode('latin-1').decode('utf-8')
              for k, v in parse_qsl(query, keep_blank_values=True, encoding='latin-1')}
    out = []
    for key in (secret, 'another secret'):
        request = AWSRequest(method=method, url='http://' + host + canonical_path,
                             headers={k: v for k, v in headers.items() if k in signed},
                             params=params)
        request.context['timestamp'] = headers['x-amz-date']
        signer = S3SigV4Auth(Credentials(key_id, key, token or None), 's3', region)
        canonical = signer.canonical_request(request)
        out.append(signer.signature(signer.string_to_sign(request, canonical), request))
    print(out[0], auth.split('Signature=')[1].strip(), out[1])
)PY";

// The SignedHeaders of a captured request.
std::string SignedHeaders(const CapturedRequest& r) {
  for (const std::string& h : r.headers) {
    if (!h.starts_with("Authorization:")) continue;
    const size_t at = h.find("SignedHeaders=");
    if (at == std::string::npos) return "";
    return h.substr(at + 14, h.find(',', at) - at - 14);
  }
  return "";
}

class S3SignatureTest : public ::testing::Test {
 protected:
  void SetUp() override {
    python_ = test::FindProgram("python3");
    if (python_.empty()) GTEST_SKIP() << "python3 is not installed";
    auto probe = test::RunProgram({python_, "-c", "import botocore"});
    if (!probe.ok()) GTEST_SKIP() << "python3 has no botocore (pip install botocore)";
    std::ofstream(dir_.File("verify.py")) << kVerifier;
  }

  S3Options Options(const std::string& token = "") const {
    S3Options o = TestS3Options(capture_.endpoint());
    o.region = "eu-west-3";
    o.credentials = S3Credentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", token};
    o.retry.max_attempts = 1;
    return o;
  }

  // Checks every request's signature against botocore's, in one run of python.
  void ExpectVerified(const std::vector<CapturedRequest>& requests, const S3Options& o) {
    const std::string file = dir_.File("requests.txt");
    {
      std::ofstream out(file, std::ios::binary);
      out << capture_.host() << "\n"
          << o.credentials->access_key_id << "\n"
          << o.credentials->secret_access_key << "\n"
          << o.credentials->session_token << "\n"
          << o.region;
      for (const CapturedRequest& r : requests) {
        out << "\n--\n" << r.method << "\n" << r.target;
        for (const std::string& h : r.headers) out << "\n" << h;
      }
    }
    auto out = test::RunProgram({python_, dir_.File("verify.py"), file});
    ASSERT_TRUE(out.ok()) << out.status().ToString();
    std::istringstream lines(*out);
    for (const CapturedRequest& r : requests) {
      std::string expected, carried, other;
      lines >> expected >> carried >> other;
      EXPECT_EQ(carried.size(), 64u) << r.target;
      EXPECT_EQ(expected, carried) << r.method << " " << r.target;
      // The check can fail: another secret gives another signature.
      EXPECT_NE(other, carried) << r.target;
    }
  }

  std::string python_;
  test::TempDir dir_;
  CaptureServer capture_;
};

const std::vector<std::string>& TrickyKeys() {
  static const std::vector<std::string> keys = {
      "dir/a b+c=d%e~f!*'()$@,;:",
      "\xC3\xA9t\xC3\xA9/\xF0\x9F\x98\x80 & ?q=1#h",
      "dot/../segments/./x",
  };
  return keys;
}

TEST_F(S3SignatureTest, ObjectRequestsVerifyWithBotocore) {
  const S3Options o = Options();
  auto store = OpenS3Store("bucket", "", o);
  ASSERT_TRUE(store.ok());
  for (const std::string& key : TrickyKeys()) {
    (void)PutString(store->get(), key, "body");  // the capture server sends no ETag
    (void)(*store)->Head(key);
    (void)(*store)->Delete(key);
  }
  const std::vector<CapturedRequest> requests = capture_.Take();
  ASSERT_EQ(requests.size(), 3 * TrickyKeys().size());
  ExpectVerified(requests, o);
  // The body's checksum is signed along.
  EXPECT_EQ(requests[0].method, "PUT");
  EXPECT_NE(SignedHeaders(requests[0]).find("content-md5"), std::string::npos)
      << SignedHeaders(requests[0]);
}

TEST_F(S3SignatureTest, QueryRequestsAndSessionTokensVerifyWithBotocore) {
  const S3Options o = Options("FQoGZXIvYXdzE/session+token==");
  auto store = OpenS3Store("bucket", "pre fix", o);
  ASSERT_TRUE(store.ok());
  ListOptions list;
  list.prefix = "a b/+=&%\xC3\xA9";
  list.delimiter = "/";
  list.continuation_token = "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=";
  list.max_keys = 7;
  (void)(*store)->List(list);
  PutOptions absent;
  absent.condition = PutCondition::kIfAbsent;
  (void)PutString(store->get(), "k", "v", absent);
  // A multipart upload starts with POST ?uploads (a parameter without a value).
  PiecewiseSource big(std::string((5 << 20) + 1, 'x'), 1 << 20);
  (void)(*store)->Put("big", &big, {});
  (void)(*store)->DeleteMany({"x", "y"});
  const std::vector<CapturedRequest> requests = capture_.Take();
  ASSERT_GE(requests.size(), 4u);
  ExpectVerified(requests, o);
  EXPECT_NE(SignedHeaders(requests[1]).find("if-none-match"), std::string::npos)
      << requests[1].target << ": " << SignedHeaders(requests[1]);
  for (const CapturedRequest& r : requests) {
    EXPECT_NE(SignedHeaders(r).find("x-amz-security-token"), std::string::npos) << r.target;
    bool token = false;
    for (const std::string& h : r.headers) {
      token = token || h == "x-amz-security-token: FQoGZXIvYXdzE/session+token==";
    }
    EXPECT_TRUE(token) << r.target;
  }
}

// Writes the keys listed in a file (one per line, UTF-8) with botocore's S3 client.
constexpr char kBotocorePut[] = R"PY(
import sys
import botocore.session
from botocore.config import Config
endpoint, keys_file = sys.argv[1], sys.argv[2]
client = botocore.session.get_session().create_client(
    's3', endpoint_url=endpoint, region_name='eu-west-3', aws_access_key_id='AKIDEXAMPLE',
    aws_secret_access_key='secret', config=Config(s3={'addressing_style': 'path'}))
for key in open(keys_file, encoding='utf-8').read().split('\n'):
    if key:
        client.put_object(Bucket='bucket', Key=key, Body=b'body')
)PY";

// botocore's S3 client sends the same keys on the same paths as S3Store.
TEST_F(S3SignatureTest, PathsMatchBotocoreClient) {
  auto store = OpenS3Store("bucket", "", Options());
  ASSERT_TRUE(store.ok());
  std::ofstream(dir_.File("put.py")) << kBotocorePut;
  {
    std::ofstream keys(dir_.File("keys.txt"), std::ios::binary);
    for (const std::string& key : TrickyKeys()) keys << key << "\n";
  }
  for (const std::string& key : TrickyKeys()) (void)PutString(store->get(), key, "body");
  auto ran = test::RunProgram(
      {python_, dir_.File("put.py"), capture_.endpoint(), dir_.File("keys.txt")},
      {"AWS_CONFIG_FILE=" + dir_.File("none"), "AWS_SHARED_CREDENTIALS_FILE=" + dir_.File("none"),
       "AWS_EC2_METADATA_DISABLED=true"});
  ASSERT_TRUE(ran.ok()) << ran.status().ToString();
  const std::vector<CapturedRequest> requests = capture_.Take();
  const size_t n = TrickyKeys().size();
  ASSERT_EQ(requests.size(), 2 * n);
  auto path = [](const std::string& target) { return target.substr(0, target.find('?')); };
  for (size_t i = 0; i < n; i++) {
    EXPECT_EQ(requests[i].method, "PUT");
    EXPECT_EQ(requests[n + i].method, "PUT");
    EXPECT_EQ(path(requests[i].target), path(requests[n + i].target))
        << QuoteBytes(TrickyKeys()[i]);
  }
}

}  // namespace
}  // namespace strata::objstore
