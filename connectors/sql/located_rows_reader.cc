#include "connectors/sql/located_rows_reader.h"

#include <nlohmann/json.hpp>

namespace dsr::connectors::sql {

Result<int64_t> CountLocatedRows(SourceDatabase& database, const TableConfig& table,
                                 const LocatedRows& rows) {
  if (rows.known_count) return *rows.known_count;
  int64_t count = 0;
  for (const auto& filter : rows.filters) {
    BoundSql query = filter;
    // Counting fetched rows instead of COUNT(*) keeps one way of reading
    // results: SOCI types an aggregate differently per backend.
    query.text = "SELECT 1 FROM " + database.dialect().Quote(table.name) + " WHERE " + filter.text;
    DSR_RETURN_IF_ERROR(database.ForEachRow(query, [&](const soci::row&) {
      ++count;
      return Status::Ok();
    }));
  }
  return count;
}

Status ExportLocatedRows(SourceDatabase& database, const TableConfig& table,
                         const TableColumns& columns, const LocatedRows& rows, RecordSink& sink) {
  const SqlDialect& dialect = database.dialect();
  std::string select;
  for (const auto& column : columns.columns) {
    for (const auto& expression : dialect.Projection(column)) {
      select += (select.empty() ? "" : ", ") + expression;
    }
  }
  const std::string order = table.key ? " ORDER BY " + dialect.Quote(*table.key) : "";
  for (const auto& filter : rows.filters) {
    BoundSql query = filter;
    query.text =
        "SELECT " + select + " FROM " + dialect.Quote(table.name) + " WHERE " + filter.text + order;
    DSR_RETURN_IF_ERROR(database.ForEachRow(query, [&](const soci::row& row) {
      nlohmann::json record = nlohmann::json::object();
      size_t position = 0;
      for (const auto& column : columns.columns) {
        record[column.name] = SqlValueToJson(dialect.DecodeColumn(row, &position, column));
      }
      return sink.Add(table.name, record);
    }));
  }
  return Status::Ok();
}

}  // namespace dsr::connectors::sql
