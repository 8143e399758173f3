#include "connectors/sql/sql_connector.h"

#include <nlohmann/json.hpp>

#include "common/log.h"
#include "connectors/sql/action_scope.h"
#include "connectors/sql/anonymize_key.h"
#include "connectors/sql/located_rows_reader.h"
#include "connectors/sql/personal_data_discovery.h"
#include "connectors/sql/source_database.h"
#include "connectors/sql/sql_config.h"
#include "connectors/sql/subject_eraser.h"
#include "connectors/sql/subject_locator.h"
#include "connectors/sql/subject_rectifier.h"
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

  // Ambiguous records outside the scope are passed on after the commit, so
  // that a slow sink never holds the database's write lock.
  Result<std::vector<CollectionOutcome>> Erase(const Subject& subject, const ActionScope& scope,
                                               RecordSink& untouched) override {
    sql::BufferedRecords buffered;
    auto outcomes = AtEdge<std::vector<CollectionOutcome>>(
        "erase", [&]() { return EraseConnected(subject, scope, &buffered); });
    if (!outcomes.ok()) return outcomes.status();
    DSR_RETURN_IF_ERROR(buffered.SendTo(untouched));
    return outcomes;
  }

  Result<std::vector<CollectionOutcome>> Rectify(const Subject& subject,
                                                 const Corrections& corrections,
                                                 const ActionScope& scope,
                                                 RecordSink& untouched) override {
    sql::BufferedRecords buffered;
    auto outcomes = AtEdge<std::vector<CollectionOutcome>>("rectify", [&]() {
      sql::SubjectRectifier rectifier(*database_, config_, catalog_);
      return rectifier.Rectify(subject, corrections, scope, &buffered);
    });
    if (!outcomes.ok()) return outcomes.status();
    DSR_RETURN_IF_ERROR(buffered.SendTo(untouched));
    return outcomes;
  }

  Result<std::vector<PersonalDataPlace>> Discover() override {
    return AtEdge<std::vector<PersonalDataPlace>>("discover", [&]() {
      return sql::DiscoverPersonalData(*database_, config_.discover_sample_rows);
    });
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
      if (sql::IsConstraintError(error)) {
        // MySQL's text repeats the refused value ("Duplicate entry '...'").
        const std::string message =
            std::string(operation) + ": the database refused the change by a constraint";
        LogWarn(kLogComponent, message);
        return Conflict(message);
      }
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
      auto counts = sql::CountLocatedRows(*database_, config_.tables[table], (*located)[table]);
      if (!counts.ok()) return counts.status();
      const std::string& name = config_.tables[table].name;
      if (counts->confirmed > 0) report.confirmed[name] = counts->confirmed;
      if (counts->ambiguous > 0) report.ambiguous[name] = counts->ambiguous;
    }
    return report;
  }

  Result<std::vector<CollectionOutcome>> EraseConnected(const Subject& subject,
                                                        const ActionScope& scope,
                                                        sql::BufferedRecords* untouched) {
    DSR_RETURN_IF_ERROR(LoadAnonymizeKey());
    sql::SubjectEraser eraser(*database_, config_, catalog_, key_ ? &*key_ : nullptr);
    auto outcomes = eraser.Erase(subject, scope, untouched);
    if (outcomes.ok()) LogInfo(kLogComponent, "erase: " + CountsByKind(*outcomes));
    return outcomes;
  }

  // "erased 12, anonymized 1, retained 9": counts only, for the log.
  static std::string CountsByKind(const std::vector<CollectionOutcome>& outcomes) {
    std::map<OutcomeKind, int64_t> counts;
    for (const auto& outcome : outcomes) counts[outcome.kind] += outcome.records;
    std::string text;
    for (const auto& [kind, count] : counts) {
      if (kind == OutcomeKind::kNotFound) continue;
      text +=
          (text.empty() ? "" : ", ") + std::string(ToString(kind)) + " " + std::to_string(count);
    }
    return text.empty() ? "nothing found" : text;
  }

  // Read on first need, not at start-up: a worker that only exports runs
  // without the secret on its disk.
  Status LoadAnonymizeKey() {
    if (key_ || !config_.anonymize_key_file) return Status::Ok();
    auto key = sql::AnonymizeKey::Load(*config_.anonymize_key_file);
    if (!key.ok()) return key.status();
    key_ = std::move(key.value());
    return Status::Ok();
  }

  // Reads live rows without a transaction: holding one while a slow sink
  // drains would block the writers of a production database.
  Status ExportConnected(const Subject& subject, RecordSink& sink) {
    sql::SubjectLocator locator(*database_, config_, catalog_);
    auto located = locator.Locate(subject);
    if (!located.ok()) return located.status();
    for (size_t table = 0; table < config_.tables.size(); ++table) {
      DSR_RETURN_IF_ERROR(sql::ReadLocatedRows(*database_, config_, table, catalog_[table],
                                               (*located)[table], sql::RowChoice::kAll, sink));
    }
    return Status::Ok();
  }

  sql::SqlConfig config_;
  std::unique_ptr<sql::SourceDatabase> database_;
  std::vector<sql::TableColumns> catalog_;
  std::optional<sql::AnonymizeKey> key_;
};

}  // namespace

Result<std::unique_ptr<Connector>> NewSqlConnector(const nlohmann::json& config) {
  auto parsed = sql::ParseSqlConfig(config);
  if (!parsed.ok()) return parsed.status();
  return std::unique_ptr<Connector>(new SqlConnector(std::move(parsed.value())));
}

}  // namespace dsr::connectors
