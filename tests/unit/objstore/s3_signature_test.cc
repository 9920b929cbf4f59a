// The requests S3Store sends are the ones S3 expects, checked against two real peers (each
// skipped when it is not installed), with a server that records requests and answers 200:
//  * botocore (the AWS SDK for Python) signs the decoded request — the key and query values as
//    S3 itself decodes them, encoded again by botocore's own rules — and its signature must be
//    the one libcurl computed: a key or query encoded differently from S3's canonical form, or
//    a header left out of the signature, fails here (moto cannot tell: it verifies against its
//    own decoding of the URL, which differs from S3's for '+', '=', '%' and non-ASCII keys);
//  * botocore's S3 client writes the same keys, and the request paths must be byte-identical.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "base/escape.h"
#include "s3_test_util.h"
#include "scripted_http_server.h"
#include "support/moto_server.h"
#include "support/test_util.h"

namespace strata::objstore {
namespace {

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
std::string SignedHeaders(const test::CapturedRequest& r) {
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
  void ExpectVerified(const std::vector<test::CapturedRequest>& requests, const S3Options& o) {
    const std::string file = dir_.File("requests.txt");
    {
      std::ofstream out(file, std::ios::binary);
      out << capture_.host() << "\n"
          << o.credentials->access_key_id << "\n"
          << o.credentials->secret_access_key << "\n"
          << o.credentials->session_token << "\n"
          << o.region;
      for (const test::CapturedRequest& r : requests) {
        out << "\n--\n" << r.method << "\n" << r.target;
        for (const std::string& h : r.headers) out << "\n" << h;
      }
    }
    auto out = test::RunProgram({python_, dir_.File("verify.py"), file});
    ASSERT_TRUE(out.ok()) << out.status().ToString();
    std::istringstream lines(*out);
    for (const test::CapturedRequest& r : requests) {
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
  test::ScriptedHttpServer capture_;
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
  const std::vector<test::CapturedRequest> requests = capture_.Take();
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
  const std::vector<test::CapturedRequest> requests = capture_.Take();
  ASSERT_GE(requests.size(), 4u);
  ExpectVerified(requests, o);
  EXPECT_NE(SignedHeaders(requests[1]).find("if-none-match"), std::string::npos)
      << requests[1].target << ": " << SignedHeaders(requests[1]);
  for (const test::CapturedRequest& r : requests) {
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
  auto ran =
      test::RunProgram({python_, dir_.File("put.py"), capture_.endpoint(), dir_.File("keys.txt")},
                       {.extra_env = {"AWS_CONFIG_FILE=" + dir_.File("none"),
                                      "AWS_SHARED_CREDENTIALS_FILE=" + dir_.File("none"),
                                      "AWS_EC2_METADATA_DISABLED=true"}});
  ASSERT_TRUE(ran.ok()) << ran.status().ToString();
  const std::vector<test::CapturedRequest> requests = capture_.Take();
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
