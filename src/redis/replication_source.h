// ReplicationSource: a ByteSource that streams a live server's snapshot by posing as a replica.
//
// Open() connects and performs the replica handshake:
//   AUTH [user] password                        when a password is given
//   REPLCONF listening-port <port>              only when announce_port is set
//   REPLCONF capa eof capa psync2               we accept the diskless (EOF-mark) format
//   REPLCONF rdb-only 1                         Redis 7.0+: send the RDB and nothing after it
//   PSYNC ? -1                                  a full resync: "+FULLRESYNC <replid> <offset>"
//   SYNC                                        instead, when PSYNC answers -ERR (a server
//                                                older than 2.8 does not know it)
// then reads the payload header, skipping the bare "\n" keepalives the master sends while
// its BGSAVE runs. The payload is either
//   $<length>\r\n  and exactly length bytes     (disk-based: repl-diskless-sync no)
//   $EOF:<40-byte mark>\r\n  the RDB, the mark  (diskless: repl-diskless-sync yes, the 7.0
//                                                default, for replicas that sent capa eof)
// Read() then hands the parser exactly the RDB bytes and returns 0 at their end, where the
// connection is closed. Nothing is stored: a diskless transfer is scanned through a small
// staging buffer whose last 40 bytes are held back until more bytes prove they are not the
// mark. The mark is recognized, as a Redis replica does, when the bytes received so far end
// with it; the master sends nothing after it until the replica's first REPLCONF ACK, which
// we never send.
//
// Errors name the master's host:port and the step that failed ("AUTH", "PSYNC", "RDB
// transfer"), with the server's own message when it sent one.
//
// Timing, and the master's repl-timeout (60 s by default):
//  * Connect, AUTH and REPLCONF replies wait at most handshake_timeout for each byte. PSYNC's
//    answer may legitimately take long (a BGSAVE that is already running must finish first),
//    but the master sends "\n" every second meanwhile, and each one restarts the wait.
//  * From PSYNC's answer to the end of the RDB, stall_timeout bounds the time without any byte
//    from the master (120 s by default, above repl-timeout: a master that stops sending for
//    that long has given up on us anyway).
//  * The master does not time out a replica that is still receiving a disk-based RDB. For a
//    diskless transfer it drops the replica when it could not write a single byte to it for
//    repl-timeout seconds, so the caller must keep calling Read(): a parse that pauses for a
//    minute (a blocked visitor) loses the transfer ("connection closed by the server").
//    A parse that reads steadily but slowly is fine, though it slows the master's fork child
//    (more copy-on-write memory on the master) and any replica syncing alongside.
//  * rdb-only keeps a 7.0+ master from buffering its write stream for us. An older master
//    buffers it until we disconnect and may drop us at its client-output-buffer-limit for
//    replicas if the transfer is slow and the write load heavy.
//  * We never send REPLCONF ACK: the master expects ACKs only from online replicas, and we
//    disconnect at the end of the RDB, before we would become one.
//
// Thread-safety: one thread calls Read(); bytes_read() may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/byte_source.h"
#include "base/result.h"
#include "redis/redis_connection.h"

namespace strata::redis {

struct ReplicationOptions {
  // AUTH: when password is not empty. user selects an ACL user (Redis 6+), which needs the
  // PSYNC (or SYNC) and REPLCONF commands.
  std::string user;
  std::string password;
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds handshake_timeout{10'000};
  std::chrono::milliseconds stall_timeout{120'000};
  // When not 0, sent as REPLCONF listening-port, which only labels us in the master's INFO
  // and logs. Left out by default, as redis-cli --rdb does: we listen on no port, and a
  // made-up one would lead tools that read INFO (Sentinel) to a replica that is not there.
  uint16_t announce_port = 0;
};

enum class TransferMode : uint8_t {
  kDiskBased,  // "$<length>": the length is known up front
  kDiskless,   // "$EOF:<mark>": the end is known when the mark arrives
};

class ReplicationSource final : public ByteSource {
 public:
  // Connects, handshakes and reads the payload header; the RDB's bytes are left to Read().
  static Result<std::unique_ptr<ReplicationSource>> Open(const net::HostPort& master,
                                                         const ReplicationOptions& options);
  ~ReplicationSource() override;

  Result<size_t> Read(char* dst, size_t n) override;

  // RDB bytes handed out by Read() so far. Safe from any thread (progress bars).
  uint64_t bytes_read() const { return bytes_read_.load(std::memory_order_relaxed); }
  // The announced RDB length of a disk-based transfer; nullopt for a diskless one.
  std::optional<uint64_t> total_bytes() const { return total_bytes_; }
  TransferMode mode() const { return mode_; }
  // From "+FULLRESYNC <replid> <offset>"; empty and -1 when the master answered SYNC.
  const std::string& replication_id() const { return replication_id_; }
  int64_t replication_offset() const { return replication_offset_; }
  // The master's "host:port".
  const std::string& name() const { return name_; }

 private:
  explicit ReplicationSource(std::unique_ptr<RedisConnection> connection);

  Status Handshake(const ReplicationOptions& options);
  // Sends PSYNC (or SYNC) and reads the answer, up to the payload header.
  Status StartFullSync();
  Status ReadPayloadHeader();
  Result<size_t> ReadCounted(char* dst, size_t n);
  Result<size_t> ReadUntilMark(char* dst, size_t n);
  // Ends the transfer: closes the connection; Read() returns 0 from now on.
  void Finish();
  // Records a failure of the transfer, closes the connection and returns it.
  Status Fail(const Status& s);

  std::unique_ptr<RedisConnection> connection_;  // null once finished or failed
  const std::string name_;
  TransferMode mode_ = TransferMode::kDiskBased;
  std::string replication_id_;
  int64_t replication_offset_ = -1;
  std::string psync_error_;  // PSYNC's error answer when we fell back to SYNC
  std::optional<uint64_t> total_bytes_;
  std::atomic<uint64_t> bytes_read_{0};
  bool finished_ = false;
  Status failure_;  // sticky: every Read() after a failure returns it

  // Disk-based: RDB bytes still to come.
  uint64_t remaining_ = 0;

  // Diskless: received bytes not yet handed out are staging_[begin_, end_). Unless
  // mark_found_, the last kMarkBytes of them are held back, since they may be the mark.
  std::string mark_;
  std::vector<char> staging_;
  size_t begin_ = 0;
  size_t end_ = 0;
  bool mark_found_ = false;
};

}  // namespace strata::redis
