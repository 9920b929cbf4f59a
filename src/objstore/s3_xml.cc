#include "objstore/s3_xml.h"

#include "objstore/s3_encoding.h"
#include "objstore/s3_time.h"
#include "objstore/xml.h"

namespace strata::objstore {

namespace {

Status Malformed(std::string_view source, const XmlElement& at, const std::string& what) {
  return Status::Corruption(std::string(source) + ": byte " + std::to_string(at.offset) + ": " +
                            what);
}

// The document's root, which must be named root.
Result<XmlElement> Root(std::string_view xml, std::string_view source, std::string_view root) {
  auto doc = ParseXml(xml, source);
  if (!doc.ok()) return doc.status();
  if (doc->LocalName() != root) {
    return Malformed(source, *doc,
                     "expected <" + std::string(root) + ">, found <" + doc->name + ">");
  }
  return doc;
}

Status RequiredText(const XmlElement& parent, std::string_view name, std::string_view source,
                    std::string* out) {
  const XmlElement* child = parent.Child(name);
  if (child == nullptr) {
    return Malformed(source, parent,
                     "<" + parent.name + "> has no <" + std::string(name) + "> element");
  }
  *out = child->text;
  return Status::OK();
}

Status ParseUint(const XmlElement& e, std::string_view source, uint64_t* out) {
  const std::string& t = e.text;
  if (t.empty() || t.size() > 20) return Malformed(source, e, "not a size: \"" + t + "\"");
  uint64_t v = 0;
  for (char c : t) {
    if (c < '0' || c > '9') return Malformed(source, e, "not a size: \"" + t + "\"");
    const uint64_t digit = static_cast<uint64_t>(c - '0');
    if (v > (UINT64_MAX - digit) / 10) return Malformed(source, e, "size overflows: " + t);
    v = v * 10 + digit;
  }
  *out = v;
  return Status::OK();
}

// An optional boolean element; absent is false.
Status ParseBool(const XmlElement& parent, std::string_view name, std::string_view source,
                 bool* out) {
  const XmlElement* e = parent.Child(name);
  *out = false;
  if (e == nullptr) return Status::OK();
  if (e->text == "true") {
    *out = true;
  } else if (e->text != "false") {
    return Malformed(source, *e, "<" + e->name + "> is neither true nor false");
  }
  return Status::OK();
}

// Decodes a key (or prefix) of a listing requested with encoding-type=url.
Status DecodeKey(const XmlElement& e, bool url_encoded, std::string_view source, std::string* out) {
  if (!url_encoded) {
    *out = e.text;
    return Status::OK();
  }
  auto decoded = FormUrlDecode(e.text);
  if (!decoded.ok()) return Malformed(source, e, decoded.status().message());
  *out = std::move(*decoded);
  return Status::OK();
}

}  // namespace

std::string UnquoteETag(std::string_view etag) {
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') {
    etag = etag.substr(1, etag.size() - 2);
  }
  return std::string(etag);
}

Result<S3ErrorDoc> ParseS3Error(std::string_view xml, std::string_view source) {
  auto root = Root(xml, source, "Error");
  if (!root.ok()) return root.status();
  S3ErrorDoc out;
  Status s = RequiredText(*root, "Code", source, &out.code);
  if (!s.ok()) return s;
  out.message = root->ChildText("Message");
  return out;
}

Result<ListObjectsV2Doc> ParseListObjectsV2(std::string_view xml, std::string_view source) {
  auto root = Root(xml, source, "ListBucketResult");
  if (!root.ok()) return root.status();
  ListObjectsV2Doc out;
  Status s = ParseBool(*root, "IsTruncated", source, &out.is_truncated);
  if (!s.ok()) return s;
  out.next_continuation_token = root->ChildText("NextContinuationToken");
  const XmlElement* encoding = root->Child("EncodingType");
  const bool url_encoded = encoding != nullptr && encoding->text == "url";
  for (const XmlElement& e : root->children) {
    if (e.LocalName() == "Contents") {
      ObjectInfo info;
      const XmlElement* key = e.Child("Key");
      if (key == nullptr) return Malformed(source, e, "<Contents> without <Key>");
      s = DecodeKey(*key, url_encoded, source, &info.key);
      if (!s.ok()) return s;
      const XmlElement* size = e.Child("Size");
      if (size == nullptr) return Malformed(source, e, "<Contents> without <Size>");
      s = ParseUint(*size, source, &info.size);
      if (!s.ok()) return s;
      info.etag = UnquoteETag(e.ChildText("ETag"));
      if (const XmlElement* modified = e.Child("LastModified")) {
        auto ms = ParseIso8601(modified->text);
        if (!ms.ok()) return Malformed(source, *modified, ms.status().message());
        info.last_modified_ms = *ms;
      }
      out.objects.push_back(std::move(info));
    } else if (e.LocalName() == "CommonPrefixes") {
      const XmlElement* prefix = e.Child("Prefix");
      if (prefix == nullptr) return Malformed(source, e, "<CommonPrefixes> without <Prefix>");
      std::string p;
      s = DecodeKey(*prefix, url_encoded, source, &p);
      if (!s.ok()) return s;
      out.common_prefixes.push_back(std::move(p));
    }
  }
  return out;
}

Result<std::string> ParseInitiateMultipartUpload(std::string_view xml, std::string_view source) {
  auto root = Root(xml, source, "InitiateMultipartUploadResult");
  if (!root.ok()) return root.status();
  std::string id;
  Status s = RequiredText(*root, "UploadId", source, &id);
  if (!s.ok()) return s;
  if (id.empty()) return Malformed(source, *root, "empty <UploadId>");
  return id;
}

Result<CompleteMultipartDoc> ParseCompleteMultipartUpload(std::string_view xml,
                                                          std::string_view source) {
  auto root = ParseXml(xml, source);
  if (!root.ok()) return root.status();
  CompleteMultipartDoc out;
  if (root->LocalName() == "Error") {
    out.failed = true;
    Status s = RequiredText(*root, "Code", source, &out.error.code);
    if (!s.ok()) return s;
    out.error.message = root->ChildText("Message");
    return out;
  }
  // S3 names the root CompleteMultipartUploadResult; moto (and older emulators)
  // CompleteMultipartUploadResponse.
  if (root->LocalName() != "CompleteMultipartUploadResult" &&
      root->LocalName() != "CompleteMultipartUploadResponse") {
    return Malformed(source, *root,
                     "expected <CompleteMultipartUploadResult>, found <" + root->name + ">");
  }
  std::string etag;
  Status s = RequiredText(*root, "ETag", source, &etag);
  if (!s.ok()) return s;
  out.etag = UnquoteETag(etag);
  return out;
}

Result<std::vector<DeleteErrorDoc>> ParseDeleteResult(std::string_view xml,
                                                      std::string_view source) {
  auto root = Root(xml, source, "DeleteResult");
  if (!root.ok()) return root.status();
  std::vector<DeleteErrorDoc> out;
  for (const XmlElement& e : root->children) {
    if (e.LocalName() != "Error") continue;
    DeleteErrorDoc err;
    Status s = RequiredText(e, "Key", source, &err.key);
    if (!s.ok()) return s;
    s = RequiredText(e, "Code", source, &err.code);
    if (!s.ok()) return s;
    err.message = e.ChildText("Message");
    out.push_back(std::move(err));
  }
  return out;
}

Result<ListMultipartUploadsDoc> ParseListMultipartUploads(std::string_view xml,
                                                          std::string_view source) {
  auto root = Root(xml, source, "ListMultipartUploadsResult");
  if (!root.ok()) return root.status();
  ListMultipartUploadsDoc out;
  Status s = ParseBool(*root, "IsTruncated", source, &out.is_truncated);
  if (!s.ok()) return s;
  out.next_key_marker = root->ChildText("NextKeyMarker");
  out.next_upload_id_marker = root->ChildText("NextUploadIdMarker");
  for (const XmlElement& e : root->children) {
    if (e.LocalName() != "Upload") continue;
    MultipartUploadDoc upload;
    s = RequiredText(e, "Key", source, &upload.key);
    if (!s.ok()) return s;
    s = RequiredText(e, "UploadId", source, &upload.upload_id);
    if (!s.ok()) return s;
    out.uploads.push_back(std::move(upload));
  }
  return out;
}

namespace {

XmlElement Leaf(std::string name, std::string text) {
  XmlElement e;
  e.name = std::move(name);
  e.text = std::move(text);
  return e;
}

}  // namespace

std::string WriteCompleteMultipartUpload(const std::vector<CompletedPart>& parts) {
  XmlElement root;
  root.name = "CompleteMultipartUpload";
  for (const CompletedPart& p : parts) {
    XmlElement part;
    part.name = "Part";
    part.children.push_back(Leaf("PartNumber", std::to_string(p.number)));
    part.children.push_back(Leaf("ETag", "\"" + p.etag + "\""));
    root.children.push_back(std::move(part));
  }
  return WriteXml(root);
}

std::string WriteDeleteObjects(const std::vector<std::string>& keys) {
  XmlElement root;
  root.name = "Delete";
  root.children.push_back(Leaf("Quiet", "true"));
  for (const std::string& key : keys) {
    XmlElement object;
    object.name = "Object";
    object.children.push_back(Leaf("Key", key));
    root.children.push_back(std::move(object));
  }
  return WriteXml(root);
}

bool XmlCanCarry(std::string_view key) {
  for (char c : key) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 && c != '\t' && c != '\n' && c != '\r') return false;
  }
  return true;
}

}  // namespace strata::objstore
