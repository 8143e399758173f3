#include "connectors/sql/subject_rectifier.h"

#include "connectors/sql/row_filters.h"

namespace dsr::connectors::sql {
Result<std::vector<CollectionOutcome>> SubjectRectifier::Rectify(const Subject& subject,
                                                                 const Corrections& corrections,
                                                                 const ActionScope& scope,
                                                                 BufferedRecords* untouched) {
  DSR_RETURN_IF_ERROR(CheckCorrections(corrections));
  const SqlDialect& dialect = database_.dialect();
  WriteTransaction transaction(database_);
  auto scoped = ResolveScope(database_, config_, catalog_, subject, scope, untouched);
  if (!scoped.ok()) return scoped.status();
  std::vector<CollectionOutcome> outcomes;
  for (size_t table = 0; table < config_.tables.size(); ++table) {
    const TableConfig& config = config_.tables[table];
    const ScopedRows& rows = (*scoped)[table];
    const std::vector<BoundSql> filters =
        config.key ? KeyFilters(config, dialect, rows.keys, config_.batch_size) : rows.filters;
    int64_t count = 0;
    for (const auto& filter : filters) {
      BoundSql statement;
      const std::string assignments = Assignments(config, corrections, &statement);
      if (assignments.empty()) break;
      statement.text = "UPDATE " + dialect.Quote(config.name) + " SET " + assignments + " WHERE " +
                       statement.Adopt(filter);
      const int64_t changed = database_.Execute(statement);
      // MySQL counts only rows whose values changed; a key names exactly one row.
      count += config.key ? static_cast<int64_t>(filter.params.size()) : changed;
    }
    CollectionOutcome outcome = CountedOutcome(
        config.name, count > 0 ? OutcomeKind::kUpdated : OutcomeKind::kNotApplicable, count);
    if (count == 0) {
      BoundSql probe;
      outcome.note = Assignments(config, corrections, &probe).empty()
                         ? "this table keeps none of the corrected attributes"
                         : "none of the subject's rows are here";
    }
    outcomes.push_back(std::move(outcome));
  }
  if (scope.before_commit) DSR_RETURN_IF_ERROR(scope.before_commit(outcomes));
  transaction.Commit();
  return outcomes;
}

std::string SubjectRectifier::Assignments(const TableConfig& table, const Corrections& corrections,
                                          BoundSql* statement) const {
  std::string assignments;
  for (const auto& [attribute, parts] : table.rectify) {
    const auto correction = corrections.find(attribute);
    if (correction == corrections.end()) continue;
    for (const auto& [part, column] : parts) {
      const nlohmann::json* value = nullptr;
      if (part.empty()) {
        value = &*correction;
      } else if (const auto given = correction->find(part); given != correction->end()) {
        value = &*given;
      }
      if (value == nullptr) continue;
      assignments += (assignments.empty() ? "" : ", ") + database_.dialect().Quote(column) + " = " +
                     statement->Bind(value->get<std::string>());
    }
  }
  return assignments;
}

}  // namespace dsr::connectors::sql
