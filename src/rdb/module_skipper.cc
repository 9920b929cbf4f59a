#include "rdb/module_skipper.h"

#include "rdb/rdb_format.h"

namespace strata::rdb {

namespace {

constexpr char kNameCharset[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr int kNameChars = 9;
constexpr int kVersionBits = 10;

}  // namespace

std::string ModuleTypeName(uint64_t module_id) {
  std::string name(kNameChars, ' ');
  uint64_t bits = module_id >> kVersionBits;
  // The first character sits in the highest six bits.
  for (int i = kNameChars - 1; i >= 0; i--) {
    name[static_cast<size_t>(i)] = kNameCharset[bits & 63];
    bits >>= 6;
  }
  return name;
}

Status SkipModuleItems(RdbReader* reader, uint64_t* items) {
  uint64_t count = 0;
  for (;;) {
    uint64_t opcode;
    Status s = reader->ReadPlainLength(&opcode, "module item opcode");
    if (!s.ok()) return s;
    switch (opcode) {
      case kModuleOpEof:
        if (items != nullptr) *items = count;
        return Status::OK();
      case kModuleOpSint:
      case kModuleOpUint: {
        uint64_t v;
        s = reader->ReadPlainLength(&v, "module integer");
        break;
      }
      case kModuleOpFloat:
        s = reader->Skip(4);
        break;
      case kModuleOpDouble:
        s = reader->Skip(8);
        break;
      case kModuleOpString: {
        StringHeader h;
        s = reader->SkipString(&h);
        break;
      }
      default:
        return reader->Corruption("unknown module item opcode " + std::to_string(opcode));
    }
    if (!s.ok()) return s;
    count++;
  }
}

}  // namespace strata::rdb
