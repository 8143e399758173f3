#include "connectors/sql/located_rows_reader.h"

#include <nlohmann/json.hpp>

#include "connectors/sql/record_attributes.h"
#include "connectors/sql/row_filters.h"

namespace dsr::connectors::sql {
namespace {

nlohmann::json DecodeRecord(const SqlDialect& dialect, const TableColumns& columns,
                            const soci::row& row, size_t* position, SqlValue* key,
                            const ColumnInfo* key_column) {
  nlohmann::json record = nlohmann::json::object();
  for (const auto& column : columns.columns) {
    SqlValue value = dialect.DecodeColumn(row, position, column);
    if (&column == key_column) *key = value;
    record[column.name] = SqlValueToJson(value);
  }
  return record;
}

Status ReadKeyedRows(SourceDatabase& database, const SqlConfig& config, const TableConfig& table,
                     const TableColumns& columns, const LocatedRows& rows, RowChoice choice,
                     RecordSink& sink) {
  const SqlDialect& dialect = database.dialect();
  const ColumnInfo* key_column = columns.Find(*table.key);
  std::set<SqlValue> keys;
  for (const auto& [key, match] : rows.by_key) {
    if (choice == RowChoice::kAll || match.match == Match::kAmbiguous) keys.insert(key);
  }
  for (const auto& filter : KeyFilters(table, dialect, keys, config.batch_size)) {
    BoundSql query = filter;
    query.text = "SELECT " + SelectList(dialect, columns.columns) + " FROM " +
                 dialect.Quote(table.name) + " WHERE " + filter.text + " ORDER BY " +
                 dialect.Quote(*table.key);
    DSR_RETURN_IF_ERROR(database.ForEachRow(query, [&](const soci::row& row) {
      FoundRecord found;
      found.collection = table.name;
      size_t position = 0;
      SqlValue key;
      found.record = DecodeRecord(dialect, columns, row, &position, &key, key_column);
      const auto located = rows.by_key.find(key);
      if (located == rows.by_key.end()) return Status::Ok();  // changed since it was located
      found.attributes = RecordAttributes(table, columns, found.record);
      found.key = KeyText(key);
      found.match = located->second.match;
      found.ambiguity = located->second.ambiguity;
      return sink.Add(found);
    }));
  }
  return Status::Ok();
}

Status ReadKeylessRows(SourceDatabase& database, const TableConfig& table,
                       const TableColumns& columns, const LocatedRows& rows, RowChoice choice,
                       RecordSink& sink) {
  const SqlDialect& dialect = database.dialect();
  for (const auto& group : rows.groups) {
    const bool ambiguous = group.match.match == Match::kAmbiguous;
    if (choice == RowChoice::kAmbiguousOnly && !ambiguous) continue;
    const bool reason_per_row = ambiguous && rows.verdicts.has_value();
    BoundSql query;
    query.text = "SELECT " + SelectList(dialect, columns.columns);
    if (reason_per_row) query.text += ", " + rows.verdicts->SelectList(&query);
    query.text += " FROM " + dialect.Quote(table.name) + " WHERE " + query.Adopt(group.filter);
    DSR_RETURN_IF_ERROR(database.ForEachRow(query, [&](const soci::row& row) {
      FoundRecord found;
      found.collection = table.name;
      size_t position = 0;
      SqlValue unused;
      found.record = DecodeRecord(dialect, columns, row, &position, &unused, nullptr);
      found.attributes = RecordAttributes(table, columns, found.record);
      const RowMatch match = reason_per_row ? rows.verdicts->Read(row, &position) : group.match;
      found.match = match.match;
      found.ambiguity = match.ambiguity;
      return sink.Add(found);
    }));
  }
  return Status::Ok();
}

}  // namespace

Result<MatchCounts> CountLocatedRows(SourceDatabase& database, const TableConfig& table,
                                     const LocatedRows& rows) {
  MatchCounts counts;
  for (const auto& [key, match] : rows.by_key) {
    ++(match.match == Match::kConfirmed ? counts.confirmed : counts.ambiguous);
  }
  for (const auto& group : rows.groups) {
    BoundSql query = group.filter;
    // Counting fetched rows instead of COUNT(*) keeps one way of reading
    // results: SOCI types an aggregate differently per backend.
    query.text =
        "SELECT 1 FROM " + database.dialect().Quote(table.name) + " WHERE " + group.filter.text;
    int64_t& count = group.match.match == Match::kConfirmed ? counts.confirmed : counts.ambiguous;
    DSR_RETURN_IF_ERROR(database.ForEachRow(query, [&](const soci::row&) {
      ++count;
      return Status::Ok();
    }));
  }
  return counts;
}

Status ReadLocatedRows(SourceDatabase& database, const SqlConfig& config, size_t table,
                       const TableColumns& columns, const LocatedRows& rows, RowChoice choice,
                       RecordSink& sink) {
  const TableConfig& table_config = config.tables[table];
  if (table_config.key) {
    return ReadKeyedRows(database, config, table_config, columns, rows, choice, sink);
  }
  return ReadKeylessRows(database, table_config, columns, rows, choice, sink);
}

}  // namespace dsr::connectors::sql
