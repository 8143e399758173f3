#include "connectors/sql/action_scope.h"

#include "connectors/sql/located_rows_reader.h"
#include "connectors/sql/row_filters.h"
#include "connectors/sql/subject_locator.h"

namespace dsr::connectors::sql {
namespace {

const TableConfig* FindTable(const SqlConfig& config, const std::string& name) {
  for (const auto& table : config.tables) {
    if (table.name == name) return &table;
  }
  return nullptr;
}

Status CheckSelection(const SqlConfig& config, const ActionScope& scope) {
  for (const auto& [collection, keys] : scope.selection) {
    const TableConfig* table = FindTable(config, collection);
    if (table == nullptr) {
      return InvalidArgument("the scope names collection '" + collection +
                             "', which this source does not have");
    }
    if (!table->key && !keys.empty()) {
      return InvalidArgument("the scope names records of collection '" + collection +
                             "', which has no key to name them by");
    }
  }
  return Status::Ok();
}

Result<std::vector<ScopedRows>> ResolveSubject(SourceDatabase& database, const SqlConfig& config,
                                               const std::vector<TableColumns>& catalog,
                                               const Subject& subject, const ActionScope& scope,
                                               RecordSink* untouched) {
  SubjectLocator locator(database, config, catalog);
  auto located = locator.Locate(subject, scope.selection);
  if (!located.ok()) return located.status();
  std::vector<ScopedRows> scoped(config.tables.size());
  for (size_t table = 0; table < config.tables.size(); ++table) {
    const LocatedRows& rows = (*located)[table];
    for (const auto& [key, match] : rows.by_key) {
      if (match.match == Match::kConfirmed) scoped[table].keys.insert(key);
    }
    for (const auto& group : rows.groups) {
      if (group.match.match == Match::kConfirmed) scoped[table].filters.push_back(group.filter);
    }
    if (untouched == nullptr) continue;
    // After Locate promoted the accepted rows, every ambiguous row is outside the scope.
    DSR_RETURN_IF_ERROR(ReadLocatedRows(database, config, table, catalog[table], rows,
                                        RowChoice::kAmbiguousOnly, *untouched));
  }
  return scoped;
}

// The keys of `texts` that name an existing row of `table`.
Result<std::set<SqlValue>> ExistingKeys(SourceDatabase& database, const SqlConfig& config,
                                        size_t table, const TableColumns& columns,
                                        const std::set<std::string>& texts) {
  const TableConfig& table_config = config.tables[table];
  const SqlDialect& dialect = database.dialect();
  const ColumnInfo& key = *columns.Find(*table_config.key);
  std::vector<SqlValue> wanted;
  for (const auto& text : texts) wanted.push_back(dialect.KeyFromText(text, key));
  std::set<SqlValue> found;
  for (const auto& filter : InFilters(dialect.Quote(key.name), wanted, config.batch_size)) {
    BoundSql query = filter;
    query.text = "SELECT " + SelectList(dialect, {key}) + " FROM " +
                 dialect.Quote(table_config.name) + " WHERE " + filter.text;
    DSR_RETURN_IF_ERROR(database.ForEachRow(query, [&](const soci::row& row) {
      size_t position = 0;
      SqlValue value = dialect.DecodeColumn(row, &position, key);
      // A MySQL collation may find "ABC" for "abc"; the scope names exactly one.
      if (texts.count(KeyText(value)) != 0) found.insert(std::move(value));
      return Status::Ok();
    }));
  }
  return found;
}

}  // namespace

CollectionOutcome CountedOutcome(const std::string& collection, OutcomeKind kind, int64_t records) {
  CollectionOutcome outcome;
  outcome.collection = collection;
  outcome.kind = kind;
  outcome.records = records;
  return outcome;
}

Status BufferedRecords::SendTo(RecordSink& sink) const {
  for (const auto& found : records_) DSR_RETURN_IF_ERROR(sink.Add(found));
  return Status::Ok();
}

Result<std::vector<ScopedRows>> ResolveScope(SourceDatabase& database, const SqlConfig& config,
                                             const std::vector<TableColumns>& catalog,
                                             const Subject& subject, const ActionScope& scope,
                                             RecordSink* untouched) {
  DSR_RETURN_IF_ERROR(CheckSelection(config, scope));
  if (scope.mode == ActionScope::Mode::kSubject) {
    return ResolveSubject(database, config, catalog, subject, scope, untouched);
  }
  std::vector<ScopedRows> scoped(config.tables.size());
  for (size_t table = 0; table < config.tables.size(); ++table) {
    const auto named = scope.selection.find(config.tables[table].name);
    if (named == scope.selection.end() || named->second.empty()) continue;
    auto keys = ExistingKeys(database, config, table, catalog[table], named->second);
    if (!keys.ok()) return keys.status();
    scoped[table].keys = std::move(keys.value());
  }
  return scoped;
}

}  // namespace dsr::connectors::sql
