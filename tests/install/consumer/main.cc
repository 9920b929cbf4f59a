// A program outside the Strata tree, built against an installed Strata: opens a DB, writes,
// reads back, iterates, reopens.
#include <cstdio>
#include <memory>
#include <string>

#include "strata/db.h"

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  const std::string path = argv[1];
  strata::Options options;
  options.create_if_missing = true;
  std::unique_ptr<strata::DB> db;
  strata::Status s = strata::DB::Open(options, path, &db);
  strata::WriteBatch batch;
  batch.Put("apple", "red");
  batch.Put("banana", "yellow");
  batch.Delete("cherry");
  if (s.ok()) s = db->Write(strata::WriteOptions(), &batch);
  if (s.ok()) s = db->Flush();
  db.reset();
  if (s.ok()) s = strata::DB::Open(options, path, &db);
  std::string value;
  if (s.ok()) s = db->Get(strata::ReadOptions(), "banana", &value);
  int keys = 0;
  if (s.ok()) {
    auto it = db->NewIterator(strata::ReadOptions());
    for (it->SeekToFirst(); it->Valid(); it->Next()) keys++;
    s = it->status();
  }
  if (!s.ok() || value != "yellow" || keys != 2) {
    std::printf("consumer: failed: %s value=%s keys=%d\n", s.ToString().c_str(), value.c_str(),
                keys);
    return 1;
  }
  std::printf("consumer: ok\n");
  return 0;
}
