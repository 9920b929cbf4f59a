// A program outside the Strata tree, built against an installed Strata.
#include <cstdio>
#include <memory>

#include "strata/env.h"
#include "strata/slice.h"
#include "strata/status.h"

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  strata::Env* env = strata::Env::Default();
  std::unique_ptr<strata::WritableFile> out;
  strata::Status s = env->NewWritableFile(argv[1], {}, &out);
  if (s.ok()) s = out->Append(strata::Slice("embedded"));
  if (s.ok()) s = out->Sync();
  if (s.ok()) s = out->Close();
  uint64_t size = 0;
  if (s.ok()) s = env->GetFileSize(argv[1], &size);
  if (!s.ok() || size != 8) {
    std::printf("consumer: failed: %s\n", s.ToString().c_str());
    return 1;
  }
  std::printf("consumer: ok\n");
  return 0;
}
