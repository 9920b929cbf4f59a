// The `strata obj` command group: ls, stat, get, put, rm and cat on objects in S3 buckets and
// local directories, named by URL (objstore/store_url.h). obj_commands.cc registers the group
// and holds ls, stat, rm and cat; obj_transfer_commands.cc holds get and put; obj_common.cc
// what they share (declared here). The logic lives in src/objstore; these files parse options,
// walk listings and print.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <vector>

#include "base/result.h"
#include "objstore/object_store.h"
#include "objstore/store_url.h"

namespace strata::cli {

// Exit codes of every `strata obj` command (documented in each --help).
constexpr int kObjExitOk = 0;
constexpr int kObjExitError = 1;  // an operation failed (missing object, I/O, network, ...)
constexpr int kObjExitUsage = 2;  // the command line asks for something that cannot be done
// A conditional put lost: --if-absent and the object exists, --if-match and its ETag differs.
constexpr int kObjExitPrecondition = 3;

// How to reach S3: the options every obj subcommand takes.
struct ObjStoreArgs {
  std::string endpoint;
  std::string region;
  std::string profile;
  bool path_style = false;
  std::string part_size;  // "64M"; AddObjStoreOptions sets S3Options' default
  int parallelism = 0;    // AddObjStoreOptions sets S3Options' default
};

// Adds --endpoint-url, --region, --profile, --path-style, --part-size and --parallelism, and
// the footer that explains URLs, credentials and exit codes.
void AddObjStoreOptions(CLI::App* cmd, ObjStoreArgs* args);
// The StoreOptions the arguments ask for; InvalidArgument for a bad --part-size or
// --parallelism.
Result<objstore::StoreOptions> MakeStoreOptions(const ObjStoreArgs& args);

// A URL from the command line, split into its store and key, the store opened.
struct ObjTarget {
  std::string text;  // as the user wrote it, for messages
  objstore::ObjectUrl url;
  std::unique_ptr<objstore::ObjectStore> store;
};
// Opens the store of each URL (local paths are made absolute and "." and ".." resolved first,
// so "." and "dir/.." name directories, as if they ended in '/'). On failure prints the error
// and returns its exit code: kObjExitUsage for a bad option or URL, else kObjExitError.
int OpenObjTargets(const char* command, const std::vector<std::string>& urls,
                   const ObjStoreArgs& store_args, std::vector<ObjTarget>* targets);

// Whether the target names a prefix rather than an object: its key is empty or ends in '/', or
// it is a local path of an existing directory.
bool NamesPrefix(const ObjTarget& target);

// The prefix a recursive command works under: key as a directory ("a/b" -> "a/b/"), "" for a
// store's root.
std::string DirectoryPrefix(const std::string& key);

// "strata obj <command>: <message>": the status, preceded by what (a URL or a path) unless the
// status already names it. ObjError prints it on stderr, after what stdout has so far.
std::string ObjErrorText(const char* command, const std::string& what, const Status& s);
void ObjError(const char* command, const std::string& what, const Status& s);
// The exit code for a failed status: kObjExitPrecondition or kObjExitError.
int ObjExitCode(const Status& s);

// Writes to standard output, unbuffered (flush stdio first).
class StdoutSink final : public objstore::ByteSink {
 public:
  Status Append(Slice data) override;
};

void AddObjGetCommand(CLI::App& obj, int& exit_code);
void AddObjPutCommand(CLI::App& obj, int& exit_code);

}  // namespace strata::cli
