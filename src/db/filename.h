// The files of a DB directory and their names:
//
//   CURRENT            name of the live MANIFEST, one line
//   LOCK               held while the DB is open
//   MANIFEST-000005    VersionEdits in the log format (docs/formats/manifest.md)
//   000007.log         write-ahead log
//   000008.sst         SSTable
//   000009.dbtmp       a file being written, renamed into place when complete
#pragma once

#include <cstdint>
#include <string>

#include "base/result.h"
#include "strata/env.h"

namespace strata {

enum class FileType { kLog, kTable, kManifest, kCurrent, kLock, kTemp };

std::string LogFileName(const std::string& db, uint64_t number);
std::string TableFileName(const std::string& db, uint64_t number);
std::string ManifestFileName(const std::string& db, uint64_t number);
std::string CurrentFileName(const std::string& db);
std::string LockFileName(const std::string& db);
std::string TempFileName(const std::string& db, uint64_t number);

// Recognizes the names above (without the directory); number is 0 for CURRENT and LOCK.
bool ParseFileName(const std::string& name, uint64_t* number, FileType* type);

// Points CURRENT at MANIFEST-<manifest_number>: writes a temporary file, syncs it, and
// renames it over CURRENT (a durable rename), so CURRENT is always whole, old or new.
Status SetCurrentFile(Env* env, const std::string& db, uint64_t manifest_number);

// Reads CURRENT: the manifest's number. Corruption (naming the file) if its content is not
// exactly "MANIFEST-<number>\n".
Result<uint64_t> ReadCurrentFile(Env* env, const std::string& db);

}  // namespace strata
