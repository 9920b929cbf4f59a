// The S3 documents Strata reads and writes, over the XML reader of xml.h.
//
// Each Parse function takes a response body and a source for messages ("ListObjectsV2 response
// for s3://b/p"); input that is not the expected document (another root element, a required
// element missing, a number or date that does not parse) is Corruption naming the source and
// the byte offset of the offending element. Keys and ETags come back decoded and unquoted.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "objstore/object_store.h"

namespace strata::objstore {

// <Error><Code>NoSuchKey</Code><Message>...</Message></Error>
struct S3ErrorDoc {
  std::string code;
  std::string message;
};
Result<S3ErrorDoc> ParseS3Error(std::string_view xml, std::string_view source);

// ListObjectsV2 (<ListBucketResult>). Keys are full object keys (the store's prefix included),
// decoded when the response says <EncodingType>url</EncodingType>.
struct ListObjectsV2Doc {
  std::vector<ObjectInfo> objects;
  std::vector<std::string> common_prefixes;
  bool is_truncated = false;
  std::string next_continuation_token;
};
Result<ListObjectsV2Doc> ParseListObjectsV2(std::string_view xml, std::string_view source);

// CreateMultipartUpload's <InitiateMultipartUploadResult>: the UploadId.
Result<std::string> ParseInitiateMultipartUpload(std::string_view xml, std::string_view source);

// CompleteMultipartUpload answers 200 and then either <CompleteMultipartUploadResult> or, when
// the completion failed after the status line was sent, an <Error>.
struct CompleteMultipartDoc {
  bool failed = false;
  S3ErrorDoc error;  // when failed
  std::string etag;  // when not failed, unquoted
};
Result<CompleteMultipartDoc> ParseCompleteMultipartUpload(std::string_view xml,
                                                          std::string_view source);

// DeleteObjects' <DeleteResult>: the keys that could not be deleted (quiet mode lists only
// those), in document order.
struct DeleteErrorDoc {
  std::string key;
  std::string code;
  std::string message;
};
Result<std::vector<DeleteErrorDoc>> ParseDeleteResult(std::string_view xml,
                                                      std::string_view source);

// ListMultipartUploads (<ListMultipartUploadsResult>).
struct MultipartUploadDoc {
  std::string key;
  std::string upload_id;
};
struct ListMultipartUploadsDoc {
  std::vector<MultipartUploadDoc> uploads;
  bool is_truncated = false;
  std::string next_key_marker;
  std::string next_upload_id_marker;
};
Result<ListMultipartUploadsDoc> ParseListMultipartUploads(std::string_view xml,
                                                          std::string_view source);

// Request bodies. Keys must be XML characters (see XmlCanCarry).
struct CompletedPart {
  int number = 0;
  std::string etag;  // unquoted
};
std::string WriteCompleteMultipartUpload(const std::vector<CompletedPart>& parts);
// <Delete> in quiet mode: the response lists failures only.
std::string WriteDeleteObjects(const std::vector<std::string>& keys);

// Whether key can travel in an XML 1.0 document: no control characters other than tab, line
// feed and carriage return, and valid UTF-8 is not required (S3 checks that). Keys that cannot
// are deleted one request each.
bool XmlCanCarry(std::string_view key);

// An ETag without its surrounding double quotes (S3 sends them quoted, with &quot; in XML).
std::string UnquoteETag(std::string_view etag);

}  // namespace strata::objstore
