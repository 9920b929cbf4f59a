#include "rdbtool/key_summary.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace strata::rdbtool {

namespace {

using Json = nlohmann::json;

constexpr int64_t kHourMs = 3600 * 1000;

bool HeavierFirst(const ReportKey& a, const ReportKey& b) {
  if (a.memory != b.memory) return a.memory > b.memory;
  if (a.instance != b.instance) return a.instance < b.instance;
  if (a.db != b.db) return a.db < b.db;
  return a.key < b.key;
}

void AddTo(ReportTotals* t, uint64_t rdb, uint64_t memory, bool expiring) {
  t->keys++;
  t->rdb_bytes += rdb;
  t->memory_bytes += memory;
  if (expiring) t->expiring_keys++;
}

void AddTotals(ReportTotals* t, const ReportTotals& o) {
  t->keys += o.keys;
  t->rdb_bytes += o.rdb_bytes;
  t->memory_bytes += o.memory_bytes;
  t->expiring_keys += o.expiring_keys;
}

const char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string Base64(std::string_view in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const uint32_t v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
    out += kBase64[v >> 18];
    out += kBase64[(v >> 12) & 63];
    out += kBase64[(v >> 6) & 63];
    out += kBase64[v & 63];
  }
  if (i + 1 == in.size()) {
    const uint32_t v = uint8_t(in[i]) << 16;
    out += kBase64[v >> 18];
    out += kBase64[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == in.size()) {
    const uint32_t v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8);
    out += kBase64[v >> 18];
    out += kBase64[(v >> 12) & 63];
    out += kBase64[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

bool Unbase64(std::string_view in, std::string* out) {
  if (in.size() % 4 != 0) return false;
  out->clear();
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  for (size_t i = 0; i < in.size(); i += 4) {
    int v[4];
    int pad = 0;
    for (int j = 0; j < 4; j++) {
      if (in[i + j] == '=' && i + 4 == in.size() && j >= 2) {
        v[j] = 0;
        pad++;
        continue;
      }
      if (pad > 0) return false;  // '=' only at the very end
      v[j] = value(in[i + j]);
      if (v[j] < 0) return false;
    }
    const uint32_t n = (v[0] << 18) | (v[1] << 12) | (v[2] << 6) | v[3];
    out->push_back(static_cast<char>(n >> 16));
    if (pad < 2) out->push_back(static_cast<char>((n >> 8) & 0xff));
    if (pad < 1) out->push_back(static_cast<char>(n & 0xff));
  }
  return true;
}

Json TotalsJson(const ReportTotals& t) {
  return Json{{"keys", t.keys},
              {"rdb_bytes", t.rdb_bytes},
              {"memory_bytes", t.memory_bytes},
              {"expiring_keys", t.expiring_keys}};
}

ReportTotals TotalsFrom(const Json& j) {
  ReportTotals t;
  t.keys = j.at("keys").get<uint64_t>();
  t.rdb_bytes = j.at("rdb_bytes").get<uint64_t>();
  t.memory_bytes = j.at("memory_bytes").get<uint64_t>();
  t.expiring_keys = j.at("expiring_keys").get<uint64_t>();
  return t;
}

Json KeyJson(const ReportKey& k) {
  Json j{{"db", k.db},
         {"key_b64", Base64(k.key)},
         {"type", k.type},
         {"encoding", k.encoding},
         {"members", k.member_count},
         {"rdb_size", k.rdb_size},
         {"memory", k.memory}};
  j["expire_at_ms"] = k.expire_at_ms ? Json(*k.expire_at_ms) : Json(nullptr);
  return j;
}

bool KeyFrom(const Json& j, const std::string& instance, ReportKey* k) {
  k->instance = instance;
  k->db = j.at("db").get<uint64_t>();
  if (!Unbase64(j.at("key_b64").get<std::string>(), &k->key)) return false;
  k->type = j.at("type").get<std::string>();
  k->encoding = j.at("encoding").get<std::string>();
  k->member_count = j.at("members").get<uint64_t>();
  k->rdb_size = j.at("rdb_size").get<uint64_t>();
  k->memory = j.at("memory").get<uint64_t>();
  const Json& e = j.at("expire_at_ms");
  if (e.is_null()) {
    k->expire_at_ms.reset();
  } else {
    k->expire_at_ms = e.get<int64_t>();
  }
  return true;
}

Json SlotsJson(const std::map<uint32_t, std::pair<uint64_t, uint64_t>>& slots) {
  Json a = Json::array();
  for (const auto& [slot, v] : slots) a.push_back(Json::array({slot, v.first, v.second}));
  return a;
}

void SlotsFrom(const Json& j, std::map<uint32_t, std::pair<uint64_t, uint64_t>>* slots) {
  for (const Json& e : j) {
    auto& v = (*slots)[e.at(0).get<uint32_t>()];
    v.first += e.at(1).get<uint64_t>();
    v.second += e.at(2).get<uint64_t>();
  }
}

}  // namespace

void KeySummary::AddTop(ReportKey key) {
  auto lighter = [](const ReportKey& a, const ReportKey& b) { return HeavierFirst(a, b); };
  if (top_.size() < kTopKeys) {
    top_.push_back(std::move(key));
    std::push_heap(top_.begin(), top_.end(), lighter);
    return;
  }
  // top_.front() is the lightest kept key.
  if (!HeavierFirst(key, top_.front())) return;
  std::pop_heap(top_.begin(), top_.end(), lighter);
  top_.back() = std::move(key);
  std::push_heap(top_.begin(), top_.end(), lighter);
}

void KeySummary::Add(const rdb::KeyRecord& r, uint64_t memory, std::optional<uint16_t> redis_slot,
                     std::optional<uint16_t> codis_slot) {
  const bool expiring = r.expire_at_ms.has_value();
  AddTo(&totals_, r.rdb_size, memory, expiring);
  // Consecutive keys mostly share their db, type and encoding: remember the groups of the
  // last key (map nodes never move) instead of building a name and searching every time.
  if (last_.db == nullptr || r.db != last_.db_number) {
    last_.db = &by_db_[std::to_string(r.db)];
    last_.db_number = r.db;
  }
  if (last_.type == nullptr || r.type != last_.type_kind) {
    last_.type = &by_type_[EnumName(r.type)];
    last_.type_kind = r.type;
  }
  if (last_.encoding == nullptr || r.encoding != last_.encoding_name) {
    last_.encoding = &by_encoding_[std::string(r.encoding)];
    last_.encoding_name = r.encoding;
  }
  AddTo(last_.db, r.rdb_size, memory, expiring);
  AddTo(last_.type, r.rdb_size, memory, expiring);
  AddTo(last_.encoding, r.rdb_size, memory, expiring);

  size_t bucket = 5;  // none
  if (expiring) {
    const int64_t left = *r.expire_at_ms - batch_ms_;
    bucket = left <= 0              ? 0
             : left < kHourMs       ? 1
             : left < 24 * kHourMs  ? 2
             : left < 168 * kHourMs ? 3
                                    : 4;
  }
  expiry_[bucket].keys++;
  expiry_[bucket].memory_bytes += memory;

  if (redis_slot) {
    auto& s = redis_slots_[*redis_slot];
    s.first++;
    s.second += memory;
  }
  if (codis_slot) {
    auto& s = codis_slots_[*codis_slot];
    s.first++;
    s.second += memory;
  }

  const bool big = r.type == rdb::KeyType::kString
                       ? r.shape.element_bytes > kBigStringBytes
                       : (r.member_count > kBigMembers || memory > kBigContainerBytes);
  const bool top_candidate = top_.size() < kTopKeys || memory > top_.front().memory;
  if (!big && !top_candidate) return;
  ReportKey k;
  k.instance = instance_;
  k.db = r.db;
  k.key = r.key;
  k.type = EnumName(r.type);
  k.encoding = std::string(r.encoding);
  k.member_count = r.member_count;
  k.rdb_size = r.rdb_size;
  k.memory = memory;
  k.expire_at_ms = r.expire_at_ms;
  if (big) {
    if (big_keys_.size() < kMaxBigKeys) {
      big_keys_.push_back(k);
    } else {
      big_keys_truncated_ = true;
    }
  }
  if (top_candidate) AddTop(std::move(k));
}

void KeySummary::Merge(const KeySummary& o) {
  AddTotals(&totals_, o.totals_);
  for (const auto& [k, t] : o.by_db_) AddTotals(&by_db_[k], t);
  for (const auto& [k, t] : o.by_type_) AddTotals(&by_type_[k], t);
  for (const auto& [k, t] : o.by_encoding_) AddTotals(&by_encoding_[k], t);
  for (size_t i = 0; i < expiry_.size(); i++) {
    expiry_[i].keys += o.expiry_[i].keys;
    expiry_[i].memory_bytes += o.expiry_[i].memory_bytes;
  }
  for (const ReportKey& k : o.top_) AddTop(k);
  for (const ReportKey& k : o.big_keys_) {
    if (big_keys_.size() < kMaxBigKeys) {
      big_keys_.push_back(k);
    } else {
      big_keys_truncated_ = true;
    }
  }
  big_keys_truncated_ = big_keys_truncated_ || o.big_keys_truncated_;
  for (const auto& [slot, v] : o.redis_slots_) {
    redis_slots_[slot].first += v.first;
    redis_slots_[slot].second += v.second;
  }
  for (const auto& [slot, v] : o.codis_slots_) {
    codis_slots_[slot].first += v.first;
    codis_slots_[slot].second += v.second;
  }
}

std::vector<ReportKey> KeySummary::TopKeys() const {
  std::vector<ReportKey> keys = top_;
  std::sort(keys.begin(), keys.end(), HeavierFirst);
  return keys;
}

std::string KeySummary::ToJson() const {
  Json j;
  j["version"] = 1;
  // Instance names are whatever the operator or a file name gave, not always UTF-8: the exact
  // bytes go in base64, and "instance" is there for people reading the JSON.
  j["instance"] = instance_;
  j["instance_b64"] = Base64(instance_);
  j["batch_ms"] = batch_ms_;
  j["keys"] = totals_.keys;
  j["rdb_bytes"] = totals_.rdb_bytes;
  j["memory_bytes"] = totals_.memory_bytes;
  j["expiring_keys"] = totals_.expiring_keys;
  for (const auto& [k, t] : by_db_) j["by_db"][k] = TotalsJson(t);
  for (const auto& [k, t] : by_type_) j["by_type"][k] = TotalsJson(t);
  for (const auto& [k, t] : by_encoding_) j["by_encoding"][k] = TotalsJson(t);
  for (const ReportExpiryBucket& b : expiry_) j["expiry"][b.label] = {b.keys, b.memory_bytes};
  j["top_keys"] = Json::array();
  for (const ReportKey& k : TopKeys()) j["top_keys"].push_back(KeyJson(k));
  j["big_keys"] = Json::array();
  for (const ReportKey& k : big_keys_) j["big_keys"].push_back(KeyJson(k));
  j["big_keys_truncated"] = big_keys_truncated_;
  if (!redis_slots_.empty()) j["redis_slots"] = SlotsJson(redis_slots_);
  if (!codis_slots_.empty()) j["codis_slots"] = SlotsJson(codis_slots_);
  // ASCII only: keys and the exact instance name are base64, and any other text is escaped
  // (ensure_ascii); bytes of "instance" that are not UTF-8 become U+FFFD instead of throwing.
  return j.dump(-1, ' ', /*ensure_ascii=*/true, Json::error_handler_t::replace);
}

Result<KeySummary> KeySummary::FromJson(std::string_view text) {
  const Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return Status::Corruption(std::string(kSummaryMetadataKey), "not a JSON object");
  }
  // Field access throws on a missing or mistyped field; Strata code does not let exceptions
  // cross module boundaries, so they end here as Corruption.
  try {
    if (j.at("version").get<int>() != 1) {
      return Status::NotSupported(std::string(kSummaryMetadataKey), "unknown summary version");
    }
    // instance_b64 holds the exact name; summaries written before it only had "instance".
    std::string instance = j.at("instance").get<std::string>();
    if (j.contains("instance_b64") &&
        !Unbase64(j.at("instance_b64").get<std::string>(), &instance)) {
      return Status::Corruption(std::string(kSummaryMetadataKey), "bad instance_b64");
    }
    KeySummary s(std::move(instance), j.at("batch_ms").get<int64_t>());
    s.totals_.keys = j.at("keys").get<uint64_t>();
    s.totals_.rdb_bytes = j.at("rdb_bytes").get<uint64_t>();
    s.totals_.memory_bytes = j.at("memory_bytes").get<uint64_t>();
    s.totals_.expiring_keys = j.at("expiring_keys").get<uint64_t>();
    if (j.contains("by_db")) {
      for (const auto& [k, v] : j.at("by_db").items()) s.by_db_[k] = TotalsFrom(v);
    }
    if (j.contains("by_type")) {
      for (const auto& [k, v] : j.at("by_type").items()) s.by_type_[k] = TotalsFrom(v);
    }
    if (j.contains("by_encoding")) {
      for (const auto& [k, v] : j.at("by_encoding").items()) s.by_encoding_[k] = TotalsFrom(v);
    }
    for (ReportExpiryBucket& b : s.expiry_) {
      const Json& e = j.at("expiry").at(b.label);
      b.keys = e.at(0).get<uint64_t>();
      b.memory_bytes = e.at(1).get<uint64_t>();
    }
    for (const Json& k : j.at("top_keys")) {
      ReportKey key;
      if (!KeyFrom(k, s.instance_, &key)) return Status::Corruption("summary: bad key_b64");
      s.AddTop(std::move(key));
    }
    for (const Json& k : j.at("big_keys")) {
      ReportKey key;
      if (!KeyFrom(k, s.instance_, &key)) return Status::Corruption("summary: bad key_b64");
      s.big_keys_.push_back(std::move(key));
    }
    s.big_keys_truncated_ = j.at("big_keys_truncated").get<bool>();
    if (j.contains("redis_slots")) SlotsFrom(j.at("redis_slots"), &s.redis_slots_);
    if (j.contains("codis_slots")) SlotsFrom(j.at("codis_slots"), &s.codis_slots_);
    return s;
  } catch (const std::exception& e) {
    return Status::Corruption(std::string(kSummaryMetadataKey), e.what());
  }
}

}  // namespace strata::rdbtool
