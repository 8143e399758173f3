#include "connectors/sql/sql_connector.h"

#include <nlohmann/json.hpp>

#include "common/log.h"
#include "connectors/sql/located_rows_reader.h"
#include "connectors/sql/source_database.h"
#include "connectors/sql/sql_config.h"
#include "connectors/sql/subject_locator.h"
#include "connectors/sql/table_catalog.h"

namespace dsr::connectors {
namespace {

constexpr char kLogComponent[] = "sql-connector";

class SqlConnector final : public Connector {
 public:
  explicit SqlConnector(sql::SqlConfig config) : config_(std::move(config)) {}

  std::string_view kind() const override { return "sql"; }

  Result<LocateReport> Locate(const Subject& subject) override {
    return AtEdge<LocateReport>("locate", [&]() { return LocateConnected(subject); });
  }

  Status Export(const Subject& subject, RecordSink& sink) override {
    Result<bool> done = AtEdge<bool>("export", [&]() -> Result<bool> {
      DSR_RETURN_IF_ERROR(ExportConnected(subject, sink));
      return true;
    });
    return done.status();
  }

 private:
  // Connects if needed, runs `action`, and turns what SOCI throws into a
  // Status. A failed session is dropped so the next action opens a new one
  // (never SOCI's reconnect, which loses state silently).
  template <typename T, typename Action>
  Result<T> AtEdge(const char* operation, Action action) {
    try {
      DSR_RETURN_IF_ERROR(Connect());
      return action();
    } catch (const soci::soci_error& error) {
      database_.reset();
      // Only SOCI's own message: what() would repeat the bound identities.
      const std::string message =
          std::string(operation) + ": database error: " + sql::SociErrorMessage(error);
      LogWarn(kLogComponent, message);
      return sql::IsTransientSociError(error) ? Unavailable(message) : Internal(message);
    } catch (const std::exception& error) {
      database_.reset();
      return Internal(std::string(operation) + ": unexpected error: " + error.what());
    }
  }

  Status Connect() {
    if (database_) return Status::Ok();
    auto database = sql::SourceDatabase::Open(config_.connection);
    if (!database.ok()) return database.status();
    auto catalog = sql::ReadTableCatalog(**database, config_);
    if (!catalog.ok()) return catalog.status();
    database_ = std::move(database.value());
    catalog_ = std::move(catalog.value());
    LogInfo(kLogComponent, "opened the database and found all " +
                               std::to_string(config_.tables.size()) + " configured tables");
    return Status::Ok();
  }

  Result<LocateReport> LocateConnected(const Subject& subject) {
    sql::SubjectLocator locator(*database_, config_, catalog_);
    auto located = locator.Locate(subject);
    if (!located.ok()) return located.status();
    LocateReport report;
    for (size_t table = 0; table < config_.tables.size(); ++table) {
      auto count = sql::CountLocatedRows(*database_, config_.tables[table], (*located)[table]);
      if (!count.ok()) return count.status();
      if (*count > 0) report.records_per_collection[config_.tables[table].name] = *count;
    }
    return report;
  }

  // Reads live rows without a transaction: holding one while a slow sink
  // drains would block the writers of a production database.
  Status ExportConnected(const Subject& subject, RecordSink& sink) {
    sql::SubjectLocator locator(*database_, config_, catalog_);
    auto located = locator.Locate(subject);
    if (!located.ok()) return located.status();
    for (size_t table = 0; table < config_.tables.size(); ++table) {
      DSR_RETURN_IF_ERROR(sql::ExportLocatedRows(*database_, config_.tables[table], catalog_[table],
                                                 (*located)[table], sink));
    }
    return Status::Ok();
  }

  sql::SqlConfig config_;
  std::unique_ptr<sql::SourceDatabase> database_;
  std::vector<sql::TableColumns> catalog_;
};

}  // namespace

Result<std::unique_ptr<Connector>> NewSqlConnector(const nlohmann::json& config) {
  auto parsed = sql::ParseSqlConfig(config);
  if (!parsed.ok()) return parsed.status();
  return std::unique_ptr<Connector>(new SqlConnector(std::move(parsed.value())));
}

}  // namespace dsr::connectors
