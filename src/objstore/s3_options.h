// S3Options: how an s3:// store reaches its bucket, and how hard it tries.
//
// Unset fields are resolved as the AWS CLI resolves them (s3_config.h):
//   credentials  AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, else the
//                profile's aws_access_key_id / aws_secret_access_key / aws_session_token in
//                ~/.aws/credentials (AWS_SHARED_CREDENTIALS_FILE), else ~/.aws/config
//                (AWS_CONFIG_FILE, section "[profile NAME]", "[default]")
//   profile      AWS_PROFILE, else "default"
//   region       AWS_REGION, AWS_DEFAULT_REGION, the profile's region, else us-east-1
//   endpoint     AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, the profile's endpoint_url, else
//                https://s3.<region>.amazonaws.com
//   addressing   virtual-hosted for the AWS endpoint with a DNS-compatible bucket name,
//                path-style for any other endpoint (MinIO, moto, Ceph RGW) — overridable
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace strata::objstore {

struct S3Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty for long-term keys
};

enum class S3Addressing : unsigned char {
  kAuto,           // see above
  kPathStyle,      // https://endpoint/bucket/key
  kVirtualHosted,  // https://bucket.endpoint/key
};

struct RetryOptions {
  // Attempts per request, the first included, on 5xx, 429/SlowDown, timeouts and broken
  // connections. Every request Strata sends is idempotent or made so: a retried conditional PUT
  // or CompleteMultipartUpload whose first attempt may have succeeded checks the object's ETag
  // before it reports PreconditionFailed or NoSuchUpload.
  int max_attempts = 6;
  // Backoff before attempt n (n >= 2): a random delay in [0, min(max_delay, base_delay *
  // 2^(n-2))] ("full jitter").
  std::chrono::milliseconds base_delay{100};
  std::chrono::milliseconds max_delay{5000};
};

struct S3Options {
  std::string endpoint;  // e.g. "http://127.0.0.1:9000"
  std::string region;
  std::string profile;
  std::optional<S3Credentials> credentials;  // overrides the environment and profiles
  S3Addressing addressing = S3Addressing::kAuto;

  // Uploads of more than multipart_threshold bytes go in parts of part_size bytes (at least
  // 5 MiB, S3's minimum; at most 10,000 parts, so part_size grows for huge files). 16 MiB, not
  // larger: a server's cost per byte grows with the part (moto spent 30% more CPU on a 1 GiB
  // upload in 64 MiB parts than in 16 MiB ones, and lost to the AWS CLI's 8 MiB parts), while
  // 16 MiB parts keep requests few (64 per GiB) and a stream upload's memory small.
  uint64_t multipart_threshold = 16ull << 20;
  uint64_t part_size = 16ull << 20;
  // Parts (uploads) or ranges (downloads) in flight at once. Memory: a stream upload holds at
  // most this many parts; a file upload or download holds none (parts are read and written in
  // place).
  int parallelism = 4;
  // Ranged parallel download for objects larger than this; smaller ones are one GET.
  uint64_t download_part_size = 64ull << 20;

  std::chrono::milliseconds connect_timeout{10'000};
  // A transfer slower than low_speed_bytes per second for low_speed_time fails (and is retried):
  // a stalled connection is detected without capping how long a large object may take.
  uint64_t low_speed_bytes = 1024;
  std::chrono::seconds low_speed_time{30};
  RetryOptions retry;
};

}  // namespace strata::objstore
