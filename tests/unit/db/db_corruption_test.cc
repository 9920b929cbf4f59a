// Damaged files give a Corruption status naming the file, never wrong data; directories that
// are not a Strata DB are refused without being written to.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <vector>

#include "db/filename.h"
#include "strata/db.h"
#include "support/test_util.h"
#include "wal/log_writer.h"

namespace strata {
namespace {

constexpr int kKeys = 3000;

std::string KeyOf(int i) { return "key" + std::to_string(100000 + i); }
std::string ValueOf(int i) { return strata::test::RandomBytes(i, 60 + i % 100); }

Options Opts() {
  Options o;
  o.create_if_missing = true;
  o.compression = Compression::kNone;  // flipped bytes land in plain data
  return o;
}

// A DB with kKeys keys in one flushed table; returns the table's path.
std::string MakeDB(const std::string& path) {
  std::unique_ptr<DB> db;
  EXPECT_TRUE(DB::Open(Opts(), path, &db).ok());
  for (int i = 0; i < kKeys; i++) EXPECT_TRUE(db->Put(WriteOptions(), KeyOf(i), ValueOf(i)).ok());
  EXPECT_TRUE(db->Flush().ok());
  db.reset();
  std::vector<std::string> names;
  EXPECT_TRUE(Env::Default()->GetChildren(path, &names).ok());
  for (const std::string& n : names) {
    uint64_t number;
    FileType type;
    if (ParseFileName(n, &number, &type) && type == FileType::kTable) return path + "/" + n;
  }
  ADD_FAILURE() << "no table in " << path;
  return "";
}

void FlipByte(const std::string& path, uint64_t offset) {
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  f.seekg(static_cast<std::streamoff>(offset));
  char c;
  f.read(&c, 1);
  c = static_cast<char>(c ^ 0x5a);
  f.seekp(static_cast<std::streamoff>(offset));
  f.write(&c, 1);
}

uint64_t SizeOf(const std::string& path) {
  uint64_t size = 0;
  EXPECT_TRUE(Env::Default()->GetFileSize(path, &size).ok());
  return size;
}

// Reads every key by Get and by a scan: each read is either correct or a Corruption that
// names the table. Returns how many reads reported corruption.
int ReadEverything(DB* db, const std::string& table) {
  int corrupt = 0;
  for (int i = 0; i < kKeys; i++) {
    std::string v;
    Status s = db->Get(ReadOptions(), KeyOf(i), &v);
    if (s.ok()) {
      EXPECT_EQ(v, ValueOf(i)) << "wrong data for " << KeyOf(i);
    } else {
      EXPECT_TRUE(s.IsCorruption()) << s.ToString();
      EXPECT_NE(s.ToString().find(table), std::string::npos) << s.ToString();
      corrupt++;
    }
  }
  // The scan sees only keys that were written, in order, each with its value; a scan that
  // ends without an error has seen them all.
  auto it = db->NewIterator(ReadOptions());
  int seen = 0;
  int previous = -1;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const std::string k = it->key().ToString();
    int i = -1;
    for (int j = previous + 1; j < kKeys && i < 0; j++) {
      if (KeyOf(j) == k) i = j;
    }
    if (i < 0) {
      ADD_FAILURE() << "scan: key " << k << " was not written, or comes out of order after "
                    << (previous < 0 ? std::string("the start") : KeyOf(previous));
      break;
    }
    EXPECT_EQ(it->value().ToString(), ValueOf(i)) << "wrong data in scan for " << k;
    previous = i;
    seen++;
  }
  if (!it->status().ok()) {
    EXPECT_TRUE(it->status().IsCorruption()) << it->status().ToString();
    EXPECT_NE(it->status().ToString().find(table), std::string::npos) << it->status().ToString();
    corrupt++;
  } else {
    EXPECT_EQ(seen, kKeys) << "the scan ended without an error but left keys out";
  }
  return corrupt;
}

TEST(DBCorruption, DataBlockDamageIsReportedNeverWrongData) {
  strata::test::TempDir dir;
  const std::string table = MakeDB(dir.File("db"));
  FlipByte(table, 1000);  // inside the first data blocks
  std::unique_ptr<DB> db;
  ASSERT_TRUE(DB::Open(Opts(), dir.File("db"), &db).ok());
  EXPECT_GT(ReadEverything(db.get(), table), 0);
}

TEST(DBCorruption, IndexAndFooterDamageAreReported) {
  for (uint64_t from_end : {uint64_t{10}, uint64_t{60}, uint64_t{300}}) {
    SCOPED_TRACE(from_end);
    strata::test::TempDir dir;
    const std::string table = MakeDB(dir.File("db"));
    FlipByte(table, SizeOf(table) - from_end);  // footer, footer handles, index/properties
    std::unique_ptr<DB> db;
    ASSERT_TRUE(DB::Open(Opts(), dir.File("db"), &db).ok());
    EXPECT_GT(ReadEverything(db.get(), table), 0);
  }
}

TEST(DBCorruption, MissingOrTruncatedTableFailsTheOpenNamingIt) {
  strata::test::TempDir dir;
  const std::string table = MakeDB(dir.File("db"));
  ASSERT_EQ(::truncate(table.c_str(), static_cast<off_t>(SizeOf(table) - 1)), 0);
  std::unique_ptr<DB> db;
  Status s = DB::Open(Opts(), dir.File("db"), &db);
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(s.ToString().find(table), std::string::npos) << s.ToString();
  EXPECT_NE(s.ToString().find("the MANIFEST says"), std::string::npos) << s.ToString();
  ASSERT_TRUE(Env::Default()->DeleteFile(table).ok());
  s = DB::Open(Opts(), dir.File("db"), &db);
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(s.ToString().find(table), std::string::npos) << s.ToString();
  EXPECT_NE(s.ToString().find("missing"), std::string::npos) << s.ToString();
}

TEST(DBCorruption, DamagedManifestFailsTheOpenNamingIt) {
  strata::test::TempDir dir;
  MakeDB(dir.File("db"));
  auto current = ReadCurrentFile(Env::Default(), dir.File("db"));
  ASSERT_TRUE(current.ok()) << current.status().ToString();
  const uint64_t number = *current;
  const std::string manifest = ManifestFileName(dir.File("db"), number);
  FlipByte(manifest, 40);  // inside the first edit (the full state)
  std::unique_ptr<DB> db;
  Status s = DB::Open(Opts(), dir.File("db"), &db);
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(s.ToString().find("MANIFEST"), std::string::npos) << s.ToString();
}

TEST(DBBadInput, DirectoryThatIsNotADBIsRefusedAndLeftAlone) {
  strata::test::TempDir dir;
  std::unique_ptr<WritableFile> f;
  ASSERT_TRUE(Env::Default()->NewWritableFile(dir.File("notes.txt"), {}, &f).ok());
  ASSERT_TRUE(f->Close().ok());
  std::unique_ptr<DB> db;
  Status s = DB::Open(Opts(), dir.path(), &db);
  EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
  EXPECT_NE(s.ToString().find("not a Strata DB"), std::string::npos);
  std::vector<std::string> names;
  ASSERT_TRUE(Env::Default()->GetChildren(dir.path(), &names).ok());
  EXPECT_EQ(names, std::vector<std::string>{"notes.txt"}) << "something was written";

  Options no_create;
  s = DB::Open(no_create, dir.File("absent"), &db);
  EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
  EXPECT_FALSE(Env::Default()->FileExists(dir.File("absent")));
}

TEST(DBBadInput, NewerManifestVersionIsNotSupported) {
  strata::test::TempDir dir;
  MakeDB(dir.File("db"));
  auto current = ReadCurrentFile(Env::Default(), dir.File("db"));
  ASSERT_TRUE(current.ok()) << current.status().ToString();
  const uint64_t number = *current;
  // Replace the MANIFEST with one whose log header says version 2.
  std::unique_ptr<WritableFile> f;
  ASSERT_TRUE(
      Env::Default()->NewWritableFile(ManifestFileName(dir.File("db"), number), {}, &f).ok());
  wal::LogWriter writer(f.get());
  wal::LogFileHeader header;
  header.version = 2;
  header.purpose = wal::LogPurpose::kManifest;
  ASSERT_TRUE(writer.WriteHeader(header).ok());
  ASSERT_TRUE(f->Close().ok());
  std::unique_ptr<DB> db;
  Status s = DB::Open(Opts(), dir.File("db"), &db);
  EXPECT_TRUE(s.IsNotSupported()) << s.ToString();
}

TEST(DBBadInput, OtherComparatorIsRefused) {
  class Reverse final : public Comparator {
   public:
    int Compare(const Slice& a, const Slice& b) const override { return b.compare(a); }
    const char* Name() const override { return "test.Reverse"; }
    void FindShortestSeparator(std::string*, const Slice&) const override {}
    void FindShortSuccessor(std::string*) const override {}
  } reverse;
  strata::test::TempDir dir;
  MakeDB(dir.File("db"));
  Options o = Opts();
  o.comparator = &reverse;
  std::unique_ptr<DB> db;
  Status s = DB::Open(o, dir.File("db"), &db);
  EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
}

TEST(DBBadInput, SecondOpenOfTheSameDBIsBusy) {
  strata::test::TempDir dir;
  std::unique_ptr<DB> a;
  ASSERT_TRUE(DB::Open(Opts(), dir.File("db"), &a).ok());
  std::unique_ptr<DB> b;
  EXPECT_TRUE(DB::Open(Opts(), dir.File("db"), &b).IsBusy());
}

}  // namespace
}  // namespace strata
