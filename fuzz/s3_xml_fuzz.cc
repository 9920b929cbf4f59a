// libFuzzer target: arbitrary bytes as an S3 answer. The XML reader and every S3 document
// reader must never crash, hang or exceed their bounds, and:
//  * a document the reader accepts, written back with WriteXml, reads back to the same tree;
//  * each S3 reader accepts only what the XML reader accepts, and an S3 error names its source.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "objstore/s3_encoding.h"
#include "objstore/s3_xml.h"
#include "objstore/xml.h"

namespace {

// An S3 reader's failure is Corruption naming the source; its success implies well-formed XML.
template <typename R>
void CheckReader(const R& result, bool xml_ok) {
  if (result.ok()) {
    if (!xml_ok) std::abort();
    return;
  }
  if (!result.status().IsCorruption()) std::abort();
  if (result.status().message().rfind("fuzz", 0) != 0) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace o = strata::objstore;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto tree = o::ParseXml(input, "fuzz");
  if (tree.ok()) {
    const std::string written = o::WriteXml(*tree);
    auto again = o::ParseXml(written, "written");
    if (!again.ok() || !o::SameXml(*tree, *again)) std::abort();
  } else if (!tree.status().IsCorruption()) {
    std::abort();
  }
  const bool xml_ok = tree.ok();
  CheckReader(o::ParseS3Error(input, "fuzz"), xml_ok);
  CheckReader(o::ParseListObjectsV2(input, "fuzz"), xml_ok);
  CheckReader(o::ParseInitiateMultipartUpload(input, "fuzz"), xml_ok);
  CheckReader(o::ParseCompleteMultipartUpload(input, "fuzz"), xml_ok);
  CheckReader(o::ParseDeleteResult(input, "fuzz"), xml_ok);
  CheckReader(o::ParseListMultipartUploads(input, "fuzz"), xml_ok);
  (void)o::FormUrlDecode(input);
  return 0;
}
