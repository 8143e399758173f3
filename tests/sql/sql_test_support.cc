#include "tests/sql/sql_test_support.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

#include "common/config_file.h"

namespace dsr::connectors::testing {
namespace {

[[noreturn]] void FixtureFailure(const std::string& what) {
  std::fprintf(stderr, "test fixture failure: %s\n", what.c_str());
  std::abort();
}

sqlite3* OpenRaw(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) FixtureFailure("cannot open " + path);
  return db;
}

nlohmann::json ColumnValue(sqlite3_stmt* statement, int column) {
  switch (sqlite3_column_type(statement, column)) {
    case SQLITE_INTEGER:
      return static_cast<long long>(sqlite3_column_int64(statement, column));
    case SQLITE_FLOAT:
      return sqlite3_column_double(statement, column);
    case SQLITE_TEXT:
      return std::string(reinterpret_cast<const char*>(sqlite3_column_text(statement, column)),
                         static_cast<size_t>(sqlite3_column_bytes(statement, column)));
    case SQLITE_NULL:
      return nullptr;
    default:
      FixtureFailure("RawQuery does not read blobs");
  }
}

}  // namespace

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern =
      std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/dsr-sql-test-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) FixtureFailure("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

Status CollectingSink::Add(const FoundRecord& found) {
  found_.push_back(found);
  return Status::Ok();
}

std::vector<nlohmann::json> CollectingSink::Records(std::string_view collection) const {
  std::vector<nlohmann::json> records;
  for (const auto& found : Found(collection)) records.push_back(found.record);
  return records;
}

std::vector<FoundRecord> CollectingSink::Found(std::string_view collection) const {
  std::vector<FoundRecord> found;
  for (const auto& each : found_) {
    if (each.collection == collection) found.push_back(each);
  }
  return found;
}

std::vector<std::string> CollectingSink::Collections() const {
  std::set<std::string> names;
  for (const auto& found : found_) names.insert(found.collection);
  return {names.begin(), names.end()};
}

RawLock::RawLock(const std::string& path) : db_(OpenRaw(path)) {
  if (sqlite3_exec(db_, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr) != SQLITE_OK) {
    FixtureFailure("cannot lock " + path);
  }
}

RawLock::~RawLock() {
  sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(db_);
}

void RawExec(const std::string& path, const std::string& sql) {
  sqlite3* db = OpenRaw(path);
  char* error = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    const std::string message = error != nullptr ? error : "?";
    sqlite3_free(error);
    sqlite3_close(db);
    FixtureFailure("RawExec: " + message);
  }
  sqlite3_close(db);
}

std::vector<nlohmann::json> RawQuery(const std::string& path, const std::string& sql,
                                     const std::vector<std::string>& params) {
  sqlite3* db = OpenRaw(path);
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) {
    FixtureFailure("RawQuery: " + std::string(sqlite3_errmsg(db)));
  }
  for (size_t i = 0; i < params.size(); ++i) {
    sqlite3_bind_text(statement, static_cast<int>(i + 1), params[i].c_str(), -1, SQLITE_TRANSIENT);
  }
  std::vector<nlohmann::json> rows;
  while (sqlite3_step(statement) == SQLITE_ROW) {
    nlohmann::json row = nlohmann::json::object();
    for (int c = 0; c < sqlite3_column_count(statement); ++c) {
      row[sqlite3_column_name(statement, c)] = ColumnValue(statement, c);
    }
    rows.push_back(std::move(row));
  }
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return rows;
}

std::string ExampleCrmConfigPath() {
  const char* source_dir = std::getenv("DSR_SOURCE_DIR");
  const std::string root =
      source_dir != nullptr && *source_dir != '\0'
          ? std::string(source_dir)
          : std::filesystem::path(__FILE__).parent_path().parent_path().parent_path().string();
  return root + "/deploy/examples/worker-crm.yaml";
}

void WriteFile(const std::string& path, const std::string& content) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << content;
  if (!file) FixtureFailure("cannot write " + path);
}

nlohmann::json ExampleCrmConnectorConfig(const std::string& database_path,
                                         const std::string& key_path) {
  auto config = LoadConfigFile(ExampleCrmConfigPath(), "config/worker");
  if (!config.ok()) FixtureFailure(config.status().ToString());
  nlohmann::json connector = config.value()["connector"];
  connector["connection"] = "sqlite3://db=" + database_path + " timeout=5";
  if (!key_path.empty()) connector["anonymize_key_file"] = key_path;
  return connector;
}

}  // namespace dsr::connectors::testing
