// Helpers for the SQL connector tests: a temporary directory, a sink that
// keeps what it gets, and plain SQLite access through the C API, so expected
// rows are computed without SOCI and without the connector's own code.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "connectors/connector.h"

struct sqlite3;

namespace dsr::connectors::testing {

// A fresh directory under $TMPDIR (or /tmp), removed with everything in it.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string File(std::string_view name) const { return path_ + "/" + std::string(name); }

 private:
  std::string path_;
};

class CollectingSink final : public RecordSink {
 public:
  Status Add(const FoundRecord& found) override;

  // Records of one collection, in the order they came: only their fields, or
  // everything reported.
  std::vector<nlohmann::json> Records(std::string_view collection) const;
  std::vector<FoundRecord> Found(std::string_view collection) const;
  std::vector<std::string> Collections() const;  // sorted, each once
  size_t size() const { return found_.size(); }

 private:
  std::vector<FoundRecord> found_;
};

// Holds an exclusive lock on a SQLite file (BEGIN EXCLUSIVE) while it lives,
// so that other connections get "database is locked".
class RawLock {
 public:
  explicit RawLock(const std::string& path);
  ~RawLock();
  RawLock(const RawLock&) = delete;
  RawLock& operator=(const RawLock&) = delete;

 private:
  ::sqlite3* db_;
};

// Runs `sql` (several statements allowed) on the SQLite file at `path`;
// aborts the test binary on error (a fixture bug).
void RawExec(const std::string& path, const std::string& sql);

// Rows of one SELECT as JSON objects with SQLite's own value types (integer,
// real, text, null; blobs are a fixture bug here). `params` bind ?1, ?2 ...
// as text.
std::vector<nlohmann::json> RawQuery(const std::string& path, const std::string& sql,
                                     const std::vector<std::string>& params = {});

// Writes `content` to `path` (replacing it); aborts on error.
void WriteFile(const std::string& path, const std::string& content);

// The connector section of deploy/examples/worker-crm.yaml, read through the
// worker schema, with its connection pointed at `database_path` and, when
// given, its anonymize_key_file at `key_path`.
nlohmann::json ExampleCrmConnectorConfig(const std::string& database_path,
                                         const std::string& key_path = "");
// $DSR_SOURCE_DIR/deploy/examples/worker-crm.yaml (or the path relative to the
// source tree this file was compiled from).
std::string ExampleCrmConfigPath();

}  // namespace dsr::connectors::testing
