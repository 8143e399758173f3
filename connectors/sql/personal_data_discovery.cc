#include "connectors/sql/personal_data_discovery.h"

#include <algorithm>
#include <string>

#include "common/log.h"
#include "connectors/discovery.h"
#include "connectors/sql/table_catalog.h"

namespace dsr::connectors::sql {
namespace {

constexpr char kLogComponent[] = "sql-connector";

Result<std::vector<std::string>> TableNames(SourceDatabase& database) {
  std::vector<std::string> names;
  BoundSql query;
  query.text = database.dialect().TablesQuery();
  DSR_RETURN_IF_ERROR(database.ForEachRow(query, [&](const soci::row& row) {
    const std::string name = row.get<std::string>(0);
    if (database.dialect().CanQuote(name)) {
      names.push_back(name);
    } else {
      LogWarn(kLogComponent, "discover: skipped table '" + name +
                                 "': its name cannot be written into a statement");
    }
    return Status::Ok();
  }));
  return names;
}

// The columns of `table` that may hold free text and can be named in SQL.
Result<std::vector<ColumnInfo>> TextColumns(SourceDatabase& database, const std::string& table) {
  TableColumns all;
  DSR_RETURN_IF_ERROR(ReadTableColumns(database, table, &all));
  const SqlDialect& dialect = database.dialect();
  std::vector<ColumnInfo> text;
  for (auto& column : all.columns) {
    if (!dialect.IsTextLike(column)) continue;
    if (!dialect.CanQuote(column.name)) {
      LogWarn(kLogComponent, "discover: skipped column '" + column.name + "' of table '" + table +
                                 "': its name cannot be written into a statement");
      continue;
    }
    text.push_back(std::move(column));
  }
  return text;
}

// Reads up to `sample_rows` rows of `table` and adds a place for each of
// `columns` whose values hold personal data.
Status ScanTable(SourceDatabase& database, const std::string& table,
                 const std::vector<ColumnInfo>& columns, int sample_rows,
                 std::vector<PersonalDataPlace>* places) {
  const SqlDialect& dialect = database.dialect();
  BoundSql query;
  for (const auto& column : columns) {
    query.text += (query.text.empty() ? "SELECT " : ", ") + dialect.TextProjection(column);
  }
  query.text += " FROM " + dialect.Quote(table) + " LIMIT ";
  query.text += query.Bind(static_cast<long long>(sample_rows));
  std::vector<PersonalDataPlace> found(columns.size());
  DSR_RETURN_IF_ERROR(database.ForEachRow(query, [&](const soci::row& row) {
    for (size_t i = 0; i < columns.size(); ++i) {
      if (row.get_indicator(i) == soci::i_null) continue;
      const Detection detection = DetectPersonalData(row.get<std::string>(i));
      found[i].kinds.insert(detection.kinds.begin(), detection.kinds.end());
      found[i].occurrences += detection.occurrences;
    }
    return Status::Ok();
  }));
  for (size_t i = 0; i < columns.size(); ++i) {
    if (found[i].occurrences == 0) continue;
    found[i].place = table + "." + columns[i].name;
    places->push_back(std::move(found[i]));
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<PersonalDataPlace>> DiscoverPersonalData(SourceDatabase& database,
                                                            int sample_rows) {
  auto tables = TableNames(database);
  if (!tables.ok()) return tables.status();
  std::vector<PersonalDataPlace> places;
  size_t scanned_columns = 0;
  for (const auto& table : *tables) {
    auto columns = TextColumns(database, table);
    if (!columns.ok()) return columns.status();
    if (columns->empty()) continue;
    scanned_columns += columns->size();
    DSR_RETURN_IF_ERROR(ScanTable(database, table, *columns, sample_rows, &places));
  }
  std::sort(places.begin(), places.end(),
            [](const auto& a, const auto& b) { return a.place < b.place; });
  LogInfo(kLogComponent, "discover: read " + std::to_string(tables->size()) + " tables and " +
                             std::to_string(scanned_columns) + " text columns; " +
                             std::to_string(places.size()) + " hold personal data");
  return places;
}

}  // namespace dsr::connectors::sql
