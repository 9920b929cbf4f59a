// strata kv put|get|del|scan --db DIR ...
#include <cstdio>
#include <memory>
#include <string>

#include "commands.h"
#include "strata/db.h"

namespace strata::cli {

namespace {

struct KvArgs {
  std::string db;
  std::string key;
  std::string value;
  bool create = false;
  bool sync = false;
  std::string from;
  std::string to;
  uint64_t limit = 0;
};

void Fail(const char* command, const Status& s) {
  std::fprintf(stderr, "strata kv %s: %s\n", command, s.ToString().c_str());
}

// Opens args.db; prints the error and returns false on failure.
bool OpenDb(const char* command, const KvArgs& args, std::unique_ptr<DB>* db) {
  Options options;
  options.create_if_missing = args.create;
  Status s = DB::Open(options, args.db, db);
  if (s.ok()) return true;
  Fail(command, s);
  if (s.IsInvalidArgument() && !args.create && std::string(command) == "put") {
    std::fprintf(stderr, "strata kv put: pass --create to make a new DB\n");
  }
  return false;
}

void WriteBytes(const Slice& s) { std::fwrite(s.data(), 1, s.size(), stdout); }

int Put(const KvArgs& args) {
  std::unique_ptr<DB> db;
  if (!OpenDb("put", args, &db)) return 1;
  WriteOptions wo;
  wo.sync = args.sync;
  Status s = db->Put(wo, args.key, args.value);
  if (!s.ok()) {
    Fail("put", s);
    return 1;
  }
  return 0;
}

int Get(const KvArgs& args) {
  std::unique_ptr<DB> db;
  if (!OpenDb("get", args, &db)) return 1;
  std::string value;
  Status s = db->Get(ReadOptions(), args.key, &value);
  if (s.IsNotFound()) {
    std::fprintf(stderr, "strata kv get: key \"%s\" not found\n", args.key.c_str());
    return 1;
  }
  if (!s.ok()) {
    Fail("get", s);
    return 1;
  }
  WriteBytes(value);
  std::fputc('\n', stdout);
  return 0;
}

int Del(const KvArgs& args) {
  std::unique_ptr<DB> db;
  if (!OpenDb("del", args, &db)) return 1;
  WriteOptions wo;
  wo.sync = args.sync;
  Status s = db->Delete(wo, args.key);
  if (!s.ok()) {
    Fail("del", s);
    return 1;
  }
  return 0;
}

int Scan(const KvArgs& args) {
  std::unique_ptr<DB> db;
  if (!OpenDb("scan", args, &db)) return 1;
  const Comparator* cmp = BytewiseComparator();
  uint64_t shown = 0;
  Status s;
  {
    // The iterator must go before the DB.
    std::unique_ptr<Iterator> it = db->NewIterator(ReadOptions());
    for (it->Seek(args.from); it->Valid(); it->Next()) {
      if (!args.to.empty() && cmp->Compare(it->key(), args.to) >= 0) break;
      if (args.limit > 0 && shown == args.limit) break;
      WriteBytes(it->key());
      std::fputc('\t', stdout);
      WriteBytes(it->value());
      std::fputc('\n', stdout);
      shown++;
    }
    s = it->status();
  }
  if (!s.ok()) {
    Fail("scan", s);
    return 1;
  }
  return 0;
}

CLI::App* AddCommand(CLI::App* kv, const char* name, const char* help,
                     const std::shared_ptr<KvArgs>& args) {
  CLI::App* cmd = kv->add_subcommand(name, help);
  cmd->add_option("--db", args->db, "DB directory")->required();
  return cmd;
}

}  // namespace

void AddKvCommands(CLI::App& app, int& exit_code) {
  CLI::App* kv = app.add_subcommand("kv", "Read and write keys of a DB");
  kv->require_subcommand(1);

  auto put_args = std::make_shared<KvArgs>();
  CLI::App* put = AddCommand(kv, "put", "Set KEY to VALUE", put_args);
  put->add_option("KEY", put_args->key, "Key")->required();
  put->add_option("VALUE", put_args->value, "Value")->required();
  put->add_flag("--create", put_args->create, "Create the DB if it does not exist");
  put->add_flag("--sync", put_args->sync, "Sync the write-ahead log before returning");
  put->callback([put_args, &exit_code] { exit_code = Put(*put_args); });

  auto get_args = std::make_shared<KvArgs>();
  CLI::App* get =
      AddCommand(kv, "get", "Print the value of KEY; exit 1 if it is not there", get_args);
  get->add_option("KEY", get_args->key, "Key")->required();
  get->callback([get_args, &exit_code] { exit_code = Get(*get_args); });

  auto del_args = std::make_shared<KvArgs>();
  CLI::App* del = AddCommand(kv, "del", "Delete KEY (deleting a missing key is fine)", del_args);
  del->add_option("KEY", del_args->key, "Key")->required();
  del->add_flag("--sync", del_args->sync, "Sync the write-ahead log before returning");
  del->callback([del_args, &exit_code] { exit_code = Del(*del_args); });

  auto scan_args = std::make_shared<KvArgs>();
  CLI::App* scan = AddCommand(kv, "scan", "Print key<TAB>value lines in key order", scan_args);
  scan->add_option("--from", scan_args->from, "First key (inclusive); empty: the start");
  scan->add_option("--to", scan_args->to, "Stop before this key (exclusive); empty: the end");
  scan->add_option("--limit", scan_args->limit, "Most lines printed; 0: no limit");
  scan->callback([scan_args, &exit_code] { exit_code = Scan(*scan_args); });
}

}  // namespace strata::cli
