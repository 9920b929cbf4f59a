#include "rdbtool/batch_publisher.h"

#include <chrono>
#include <string>
#include <vector>

#include "base/path.h"

namespace strata::rdbtool {

namespace {

// A lake in a local directory: the batch is published by renaming its directory.
class LocalPublisher final : public BatchPublisher {
 public:
  LocalPublisher(PublisherOptions options, std::string dir) : BatchPublisher(std::move(options)) {
    local_ = MakeBatchPaths(dir, options_.cluster, options_.batch_id);
  }

  Status Begin() override { return CreateBatchDir(options_.env, local_); }

  Status AddInstance(const std::string& instance, const std::string& local_file,
                     uint64_t keys) override {
    return Record(instance, local_file, keys);
  }

  Status Commit() override {
    const std::string manifest = local_.tmp_dir + "/" + std::string(kManifestName);
    std::unique_ptr<WritableFile> file;
    Status s = options_.env->NewWritableFile(manifest, FileOptions(), &file);
    if (s.ok()) s = file->Append(ManifestJson());
    if (s.ok()) s = file->Sync();
    if (s.ok()) s = file->Close();
    if (!s.ok()) return s;
    return CommitBatch(options_.env, local_);
  }

  Status Abandon() override { return Status::OK(); }  // _tmp_batch= stays for inspection

  std::string BatchLocation() const override { return local_.final_dir; }
};

// A lake in object storage: files are uploaded as they are finished; _SUCCESS, created last
// and only if absent, publishes the batch.
class ObjectStorePublisher final : public BatchPublisher {
 public:
  ObjectStorePublisher(PublisherOptions options, std::unique_ptr<objstore::ObjectStore> store)
      : BatchPublisher(std::move(options)), store_(std::move(store)) {
    local_ = MakeBatchPaths(options_.staging_dir, options_.cluster, options_.batch_id);
    prefix_ =
        "cluster=" + SafePathComponent(options_.cluster) + "/batch=" + options_.batch_id + "/";
  }

  Status Begin() override {
    objstore::ListOptions o;
    o.prefix = prefix_;
    o.max_keys = 1;
    auto page = store_->List(o);
    if (!page.ok()) return page.status();
    if (!page->objects.empty()) {
      auto manifest = store_->Head(prefix_ + std::string(kManifestName));
      if (manifest.ok()) return Status::InvalidArgument(BatchLocation(), "batch already exists");
      return Status::InvalidArgument(BatchLocation(),
                                     "a failed or running attempt of this batch is in the way "
                                     "(it has files but no _SUCCESS); remove it to rerun");
    }
    return CreateBatchDir(options_.env, local_);
  }

  Status AddInstance(const std::string& instance, const std::string& local_file,
                     uint64_t keys) override {
    Status s = Record(instance, local_file, keys);
    if (!s.ok()) return s;
    auto put = store_->PutFile(prefix_ + BaseName(local_file), local_file, objstore::PutOptions());
    if (!put.ok()) return put.status();
    return options_.env->DeleteFile(local_file);
  }

  Status Commit() override {
    const std::string json = ManifestJson();
    objstore::PutOptions if_absent;
    if_absent.condition = objstore::PutCondition::kIfAbsent;
    auto put =
        objstore::PutString(store_.get(), prefix_ + std::string(kManifestName), json, if_absent);
    if (!put.ok()) {
      if (put.status().IsPreconditionFailed()) {
        return Status::InvalidArgument(BatchLocation(), "another run published this batch");
      }
      return put.status();
    }
    // The staging directory is empty now: every file went up and was removed.
    Status s = options_.env->DeleteDir(local_.runs_dir);
    if (s.ok()) s = options_.env->DeleteDir(local_.tmp_dir);
    return s;
  }

  // The staging directory holds the runs and files of instances that failed (or were not
  // uploaded): its files and its runs directory's, no deeper.
  Status Abandon() override {
    Env* env = options_.env;
    Status first;
    auto keep_first = [&first](Status s) {
      if (first.ok() && !s.ok()) first = std::move(s);
    };
    for (const std::string& dir : {local_.runs_dir, local_.tmp_dir}) {
      std::vector<std::string> names;
      Status s = env->GetChildren(dir, &names);
      if (!s.ok()) {
        keep_first(s);
        continue;
      }
      for (const std::string& name : names) {
        if (dir + "/" + name != local_.runs_dir) keep_first(env->DeleteFile(dir + "/" + name));
      }
      keep_first(env->DeleteDir(dir));
    }
    return first;
  }

  std::string BatchLocation() const override {
    const std::string url = store_->Url(prefix_);
    return url.substr(0, url.size() - 1);  // without the trailing '/'
  }

 private:
  std::unique_ptr<objstore::ObjectStore> store_;
  std::string prefix_;  // cluster=<c>/batch=<b>/
};

}  // namespace

Status BatchPublisher::Record(const std::string& instance, const std::string& local_file,
                              uint64_t keys) {
  ManifestFile f;
  f.name = BaseName(local_file);
  f.instance = instance;
  f.keys = keys;
  Status s = FileChecksum(options_.env, local_file, &f.crc32c, &f.bytes);
  if (!s.ok()) return s;
  std::lock_guard lock(mu_);
  manifest_.files.push_back(std::move(f));
  return Status::OK();
}

std::string BatchPublisher::ManifestJson() {
  const int64_t now_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  std::lock_guard lock(mu_);
  manifest_.committed_at = FormatRfc3339(now_ns);
  return manifest_.ToJson();
}

Result<std::unique_ptr<BatchPublisher>> BatchPublisher::Open(const PublisherOptions& in) {
  PublisherOptions options = in;
  if (options.env == nullptr) options.env = Env::Default();
  auto url = objstore::ParseStoreUrl(options.lake);
  if (!url.ok()) return url.status();
  std::unique_ptr<BatchPublisher> publisher;
  if (url->scheme == objstore::StoreUrl::Scheme::kFile) {
    // A plain path stays as given (relative paths work through any Env); file:// gives its path.
    const std::string dir = objstore::HasUrlScheme(options.lake) ? url->path : options.lake;
    publisher = std::make_unique<LocalPublisher>(std::move(options), dir);
  } else {
    if (options.staging_dir.empty()) {
      return Status::InvalidArgument("a lake in object storage needs a local staging directory");
    }
    auto store = objstore::OpenObjectStore(*url, options.store);
    if (!store.ok()) return store.status();
    publisher = std::make_unique<ObjectStorePublisher>(std::move(options), std::move(*store));
  }
  publisher->manifest_.cluster = publisher->options_.cluster;
  publisher->manifest_.batch = publisher->options_.batch_id;
  return publisher;
}

}  // namespace strata::rdbtool
