// S3Store and the AWS CLI on one moto_server (skipped when either is missing): what S3Store
// writes, `aws s3 cp` reads back byte for byte, and what `aws s3 cp` writes (its multipart
// uploads included), S3Store reads back byte for byte.
#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "s3_test_util.h"
#include "support/moto_server.h"
#include "support/test_util.h"

namespace strata::objstore {
namespace {

using test::MotoServer;

TEST(S3Interop, AwsCliReadsWhatS3StoreWritesAndBack) {
  if (!MotoServer::Available()) GTEST_SKIP() << MotoServer::SkipReason();
  const std::string aws = test::FindProgram("aws");
  if (aws.empty()) GTEST_SKIP() << "the aws command is not installed (pip install awscli)";
  std::string why;
  MotoServer* server = SharedMoto(&why);
  ASSERT_NE(server, nullptr) << why;
  const std::string bucket = FreshBucketName();
  ASSERT_TRUE(server->CreateBucket(bucket).ok());
  auto opened = OpenS3Store(bucket, "", TestS3Options(server->endpoint()));
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  ObjectStore* store = opened->get();

  test::TempDir dir;
  const std::vector<std::string> env = {
      "AWS_ACCESS_KEY_ID=testing",           "AWS_SECRET_ACCESS_KEY=testing",
      "AWS_DEFAULT_REGION=us-east-1",        "HOME=" + dir.path(),
      "AWS_CONFIG_FILE=" + dir.File("none"), "AWS_SHARED_CREDENTIALS_FILE=" + dir.File("none"),
      "AWS_EC2_METADATA_DISABLED=true"};
  auto run = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {aws, "--endpoint-url", server->endpoint()});
    auto out = test::RunProgram(args, {.extra_env = env});
    EXPECT_TRUE(out.ok()) << out.status().ToString();
  };

  // S3Store writes: a small object, one with a space in its key, and one in three parts.
  const std::map<std::string, std::string> ours = {
      {"small.txt", "written by S3Store\n"},
      {"dir/with space.bin", test::RandomBytes(1, 4096)},
      {"multi.bin", test::RandomBytes(2, (11 << 20) + 5)}};
  for (const auto& [key, data] : ours) {
    PiecewiseSource source(data, 1 << 20);
    auto put = store->Put(key, &source, {});
    ASSERT_TRUE(put.ok()) << put.status().ToString();
  }
  EXPECT_TRUE(store->Head("multi.bin")->etag.ends_with("-3"));
  run({"s3", "cp", "--recursive", "--quiet", "s3://" + bucket + "/", dir.File("down")});
  for (const auto& [key, data] : ours) {
    const std::string got = test::ReadFile(dir.File("down/" + key));
    EXPECT_EQ(got.size(), data.size()) << key;
    EXPECT_TRUE(got == data) << key << " differs";
  }

  // The AWS CLI writes: a small file and one above its 8 MiB multipart threshold.
  const std::map<std::string, std::string> theirs = {
      {"from-aws/small.txt", "written by the AWS CLI\n"},
      {"from-aws/big.bin", test::RandomBytes(3, (9 << 20) + 17)}};
  ASSERT_EQ(std::system(("mkdir -p " + dir.File("up/from-aws")).c_str()), 0);
  for (const auto& [key, data] : theirs)
    std::ofstream(dir.File("up/" + key), std::ios::binary) << data;
  run({"s3", "cp", "--recursive", "--quiet", dir.File("up"), "s3://" + bucket + "/"});
  for (const auto& [key, data] : theirs) {
    auto got = GetString(store, key);
    ASSERT_TRUE(got.ok()) << key << ": " << got.status().ToString();
    EXPECT_EQ(got->size(), data.size()) << key;
    EXPECT_TRUE(*got == data) << key << " differs";
  }
  auto big = store->Head("from-aws/big.bin");
  ASSERT_TRUE(big.ok());
  EXPECT_TRUE(big->etag.ends_with("-2")) << "the AWS CLI wrote " << big->etag;
  auto file = store->GetFile("from-aws/big.bin", dir.File("big.copy"));
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  EXPECT_TRUE(test::ReadFile(dir.File("big.copy")) == theirs.at("from-aws/big.bin"));
}

}  // namespace
}  // namespace strata::objstore
