// Resolving S3Options against an environment (a map) and profile files in a scratch HOME, with
// the AWS CLI's precedence: options, then environment variables, then the profile's files, then
// defaults.
#include "objstore/s3_config.h"

#include <gtest/gtest.h>

#include <fstream>

#include "support/test_util.h"

namespace strata::objstore {
namespace {

class S3ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override { env_["HOME"] = home_.path(); }

  void Write(const std::string& relative, const std::string& text) {
    const std::string path = home_.path() + "/" + relative;
    const size_t slash = path.find_last_of('/');
    std::string mkdir = "mkdir -p '" + path.substr(0, slash) + "'";
    ASSERT_EQ(std::system(mkdir.c_str()), 0);
    std::ofstream(path) << text;
  }

  S3Config Resolve(const S3Options& options = {}, const std::string& bucket = "bucket") {
    auto r = ResolveS3Config(options, bucket, env_);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : S3Config();
  }

  Status ResolveError(const S3Options& options = {}, const std::string& bucket = "bucket") {
    auto r = ResolveS3Config(options, bucket, env_);
    EXPECT_FALSE(r.ok());
    return r.status();
  }

  test::TempDir home_;
  EnvironmentMap env_;
};

TEST_F(S3ConfigTest, DefaultsWithNothingConfigured) {
  const S3Config c = Resolve();
  EXPECT_EQ(c.region, "us-east-1");
  EXPECT_EQ(c.endpoint, "https://s3.us-east-1.amazonaws.com");
  EXPECT_FALSE(c.credentials.has_value());
  EXPECT_FALSE(c.path_style);  // AWS and a DNS-compatible bucket
  EXPECT_EQ(c.profile, "default");
}

TEST_F(S3ConfigTest, EnvironmentVariables) {
  env_["AWS_ACCESS_KEY_ID"] = "AKIDENV";
  env_["AWS_SECRET_ACCESS_KEY"] = "secretenv";
  env_["AWS_SESSION_TOKEN"] = "tokenenv";
  env_["AWS_DEFAULT_REGION"] = "eu-west-1";
  env_["AWS_ENDPOINT_URL"] = "http://generic:9000";
  S3Config c = Resolve();
  ASSERT_TRUE(c.credentials.has_value());
  EXPECT_EQ(c.credentials->access_key_id, "AKIDENV");
  EXPECT_EQ(c.credentials->secret_access_key, "secretenv");
  EXPECT_EQ(c.credentials->session_token, "tokenenv");
  EXPECT_EQ(c.region, "eu-west-1");
  EXPECT_EQ(c.endpoint, "http://generic:9000");
  EXPECT_TRUE(c.path_style);  // not AWS

  env_["AWS_REGION"] = "eu-central-1";                  // beats AWS_DEFAULT_REGION
  env_["AWS_ENDPOINT_URL_S3"] = "http://s3only:9000/";  // beats AWS_ENDPOINT_URL; '/' dropped
  c = Resolve();
  EXPECT_EQ(c.region, "eu-central-1");
  EXPECT_EQ(c.endpoint, "http://s3only:9000");
}

TEST_F(S3ConfigTest, OptionsBeatEverything) {
  env_["AWS_ACCESS_KEY_ID"] = "AKIDENV";
  env_["AWS_SECRET_ACCESS_KEY"] = "secretenv";
  env_["AWS_REGION"] = "eu-west-1";
  env_["AWS_ENDPOINT_URL_S3"] = "http://env:1";
  S3Options o;
  o.credentials = S3Credentials{"AKIDOPT", "secretopt", ""};
  o.region = "ap-south-1";
  o.endpoint = "https://minio.example:9000";
  const S3Config c = Resolve(o);
  EXPECT_EQ(c.credentials->access_key_id, "AKIDOPT");
  EXPECT_EQ(c.region, "ap-south-1");
  EXPECT_EQ(c.endpoint, "https://minio.example:9000");
}

TEST_F(S3ConfigTest, DefaultProfileFromFiles) {
  Write(".aws/credentials",
        "# comment\n[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key=secret=with=eq\n"
        "\n[other]\naws_access_key_id = AKIDOTHER\naws_secret_access_key = s\n");
  Write(".aws/config",
        "[default]\nregion = us-west-2\n; comment\ns3 =\n  addressing_style = path\n"
        "  region = nested-is-ignored\nendpoint_url = http://profile-endpoint:4566\n"
        "[profile other]\nregion = sa-east-1\n");
  const S3Config c = Resolve();
  ASSERT_TRUE(c.credentials.has_value());
  EXPECT_EQ(c.credentials->access_key_id, "AKIDFILE");
  EXPECT_EQ(c.credentials->secret_access_key, "secret=with=eq");
  EXPECT_EQ(c.credentials->session_token, "");
  EXPECT_EQ(c.region, "us-west-2");
  EXPECT_EQ(c.endpoint, "http://profile-endpoint:4566");
}

TEST_F(S3ConfigTest, NamedProfileFromEnvironmentOrOptions) {
  Write(".aws/credentials",
        "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = d\n"
        "[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = dev\n"
        "aws_session_token = devtoken\n");
  Write(".aws/config", "[default]\nregion = us-west-2\n[profile dev]\nregion = eu-north-1\n");
  env_["AWS_PROFILE"] = "dev";
  S3Config c = Resolve();
  EXPECT_EQ(c.profile, "dev");
  EXPECT_EQ(c.credentials->access_key_id, "AKIDDEV");
  EXPECT_EQ(c.credentials->session_token, "devtoken");
  EXPECT_EQ(c.region, "eu-north-1");

  // The option beats AWS_PROFILE.
  S3Options o;
  o.profile = "default";
  c = Resolve(o);
  EXPECT_EQ(c.credentials->access_key_id, "AKIDDEFAULT");
  EXPECT_EQ(c.region, "us-west-2");
}

TEST_F(S3ConfigTest, EnvironmentKeysBeatProfileKeys) {
  Write(".aws/credentials", "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = f\n");
  Write(".aws/config", "[default]\nregion = us-west-2\n");
  env_["AWS_ACCESS_KEY_ID"] = "AKIDENV";
  env_["AWS_SECRET_ACCESS_KEY"] = "e";
  const S3Config c = Resolve();
  EXPECT_EQ(c.credentials->access_key_id, "AKIDENV");
  EXPECT_EQ(c.region, "us-west-2");  // the profile still gives what the environment does not
}

TEST_F(S3ConfigTest, CredentialsFileBeatsConfigFileForKeys) {
  Write(".aws/credentials", "[default]\naws_access_key_id = AKIDCRED\naws_secret_access_key = c\n");
  Write(".aws/config",
        "[default]\naws_access_key_id = AKIDCONF\naws_secret_access_key = x\nregion = r1\n");
  EXPECT_EQ(Resolve().credentials->access_key_id, "AKIDCRED");
  // Keys only in the config file are found there.
  Write(".aws/credentials", "");
  EXPECT_EQ(Resolve().credentials->access_key_id, "AKIDCONF");
}

TEST_F(S3ConfigTest, FileLocationsFromEnvironment) {
  Write("elsewhere/creds", "[default]\naws_access_key_id = AKIDMOVED\naws_secret_access_key = m\n");
  Write("elsewhere/conf", "[default]\nregion = af-south-1\n");
  Write(".aws/credentials", "[default]\naws_access_key_id = AKIDHOME\naws_secret_access_key = h\n");
  env_["AWS_SHARED_CREDENTIALS_FILE"] = "~/elsewhere/creds";  // "~" expands to HOME
  env_["AWS_CONFIG_FILE"] = home_.path() + "/elsewhere/conf";
  const S3Config c = Resolve();
  EXPECT_EQ(c.credentials->access_key_id, "AKIDMOVED");
  EXPECT_EQ(c.region, "af-south-1");
}

TEST_F(S3ConfigTest, Errors) {
  env_["AWS_PROFILE"] = "nope";
  Status s = ResolveError();
  EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
  EXPECT_NE(s.message().find("AWS profile \"nope\" not found in " + home_.path() +
                             "/.aws/credentials or " + home_.path() + "/.aws/config"),
            std::string::npos)
      << s.ToString();
  env_.erase("AWS_PROFILE");

  env_["AWS_ACCESS_KEY_ID"] = "only-id";
  s = ResolveError();
  EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
  env_.erase("AWS_ACCESS_KEY_ID");

  Write(".aws/credentials", "[default]\naws_access_key_id = AKID\n");
  s = ResolveError();
  EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
  EXPECT_NE(s.message().find("has only one of"), std::string::npos) << s.ToString();

  Write(".aws/credentials", "");
  Write(".aws/config", "[default]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = x\n");
  s = ResolveError();
  EXPECT_TRUE(s.IsNotSupported()) << s.ToString();
  EXPECT_NE(s.message().find("role_arn"), std::string::npos) << s.ToString();

  Write(".aws/config", "[default]\nthis line has no equals sign\n");
  s = ResolveError();
  EXPECT_EQ(s.ToString(), "InvalidArgument: " + home_.path() +
                              "/.aws/config:2: expected 'key = value' or '[section]'");

  Write(".aws/config", "");
  for (const char* bad : {"ftp://host", "host:9000", "http://host/path", "http://", "http://a b"}) {
    S3Options o;
    o.endpoint = bad;
    s = ResolveError(o);
    EXPECT_TRUE(s.IsInvalidArgument()) << bad << ": " << s.ToString();
  }
}

TEST_F(S3ConfigTest, Addressing) {
  S3Options aws;  // the default AWS endpoint
  EXPECT_FALSE(Resolve(aws, "my-bucket-1").path_style);
  EXPECT_TRUE(Resolve(aws, "dotted.bucket").path_style);  // the TLS wildcard would not match
  EXPECT_TRUE(Resolve(aws, "Upper").path_style);
  EXPECT_TRUE(Resolve(aws, "under_score").path_style);
  EXPECT_TRUE(Resolve(aws, "-dash").path_style);

  S3Options other;
  other.endpoint = "http://127.0.0.1:9000";
  EXPECT_TRUE(Resolve(other, "my-bucket").path_style);
  other.addressing = S3Addressing::kVirtualHosted;
  EXPECT_FALSE(Resolve(other, "my-bucket").path_style);
  EXPECT_TRUE(ResolveError(other, "Bad_Bucket").IsInvalidArgument());

  aws.addressing = S3Addressing::kPathStyle;
  EXPECT_TRUE(Resolve(aws, "my-bucket").path_style);

  S3Options china;
  china.endpoint = "https://s3.cn-north-1.amazonaws.com.cn";
  EXPECT_FALSE(Resolve(china, "my-bucket").path_style);
}

TEST(IniFile, Parsing) {
  auto ini = ParseIniFile(
      "[a]\nKey = v1\n  # indented comment\n\n[ b c ]\nk=\n  nested = x\nk2 = v2 # not a comment\n",
      "f");
  ASSERT_TRUE(ini.ok()) << ini.status().ToString();
  EXPECT_EQ((*ini)["a"]["key"], "v1");  // names lowercased
  EXPECT_EQ((*ini)["b c"]["k"], "");
  EXPECT_EQ((*ini)["b c"].count("nested"), 0u);
  EXPECT_EQ((*ini)["b c"]["k2"], "v2 # not a comment");
  EXPECT_EQ(ParseIniFile("k = v\n", "f").status().ToString(),
            "InvalidArgument: f:1: setting before the first [section]");
  EXPECT_EQ(ParseIniFile("[a\n", "f").status().ToString(),
            "InvalidArgument: f:1: section header without ']'");
}

}  // namespace
}  // namespace strata::objstore
