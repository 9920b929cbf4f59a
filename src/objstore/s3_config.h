// S3Config: S3Options resolved against the environment and the AWS profile files, as
// s3_options.h documents (the AWS CLI's rules), once, when a store is opened.
//
// The resolver reads the environment from a map, not from the process, so tests can give it
// any; HOME in that map locates ~/.aws/credentials and ~/.aws/config.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "objstore/s3_options.h"

namespace strata::objstore {

using EnvironmentMap = std::map<std::string, std::string>;

// The process's environment now.
EnvironmentMap CurrentEnvironment();

struct S3Config {
  // "scheme://host[:port]" without a trailing '/' (an endpoint with a path is refused).
  std::string endpoint;
  std::string region;
  // nullopt: no credentials anywhere, so requests go unsigned (public buckets only).
  std::optional<S3Credentials> credentials;
  bool path_style = true;  // kAuto resolved for the bucket
  std::string profile;     // the profile consulted, for messages
};

// Resolves options for bucket. InvalidArgument for an endpoint that is not http(s)://host[:port],
// a profile named explicitly (S3Options::profile, AWS_PROFILE) that neither file has, a profile
// file that does not parse (naming file and line), or half a key pair; NotSupported for a
// profile whose credentials come from elsewhere (role_arn, credential_process, SSO).
Result<S3Config> ResolveS3Config(const S3Options& options, const std::string& bucket,
                                 const EnvironmentMap& env);

// One AWS INI file: section name -> (lowercased key -> value). Keys indented under a key with an
// empty value ("s3 =\n  addressing_style = path") are nested settings and are skipped. Lines
// starting with '#' or ';' are comments; a value keeps everything after '=', trimmed (no inline
// comments, as botocore reads them). InvalidArgument naming source and line for a line that is
// neither a section, a setting nor a comment.
using IniFile = std::map<std::string, std::map<std::string, std::string>>;
Result<IniFile> ParseIniFile(std::string_view text, std::string_view source);

// Whether bucket may be a DNS label of a virtual-hosted URL: 3 to 63 lowercase letters, digits
// and '-', starting and ending with a letter or digit. Dots are refused too: a dotted bucket
// would not match the endpoint's wildcard TLS certificate.
bool VirtualHostableBucket(std::string_view bucket);

}  // namespace strata::objstore
