#include "connectors/sql/table_catalog.h"

#include <strings.h>

namespace dsr::connectors::sql {

Status ReadTableColumns(SourceDatabase& database, const std::string& table, TableColumns* found) {
  BoundSql query;
  query.text = database.dialect().ColumnsQuery();
  query.Bind(table);
  return database.ForEachRow(query, [&](const soci::row& row) {
    ColumnInfo column;
    column.name = row.get<std::string>(0);
    if (row.get_indicator(1) != soci::i_null) column.type = row.get<std::string>(1);
    found->columns.push_back(std::move(column));
    return Status::Ok();
  });
}

namespace {

void CheckColumn(const TableConfig& table, const TableColumns& columns, const std::string& column,
                 const std::string& key, std::vector<std::string>* problems) {
  if (columns.Find(column) != nullptr) return;
  problems->push_back(table.config_path + "." + key + ": table '" + table.name +
                      "' has no column '" + column + "'");
}

void CheckActionColumns(const TableConfig& table, const TableColumns& columns,
                        std::vector<std::string>* problems) {
  for (const auto& [column, rule] : table.erasure.anonymize) {
    CheckColumn(table, columns, column, "erasure.anonymize." + column, problems);
  }
  if (const auto& retain = table.erasure.retain) {
    CheckColumn(table, columns, retain->from_column, "erasure.retain.from_column", problems);
    if (retain->restrict_column) {
      CheckColumn(table, columns, *retain->restrict_column, "erasure.retain.restrict_column",
                  problems);
    }
  }
  for (const auto& [attribute, parts] : table.rectify) {
    for (const auto& [part, column] : parts) {
      const std::string key = "rectify." + attribute + (part.empty() ? "" : "." + part);
      CheckColumn(table, columns, column, key, problems);
    }
  }
}

void CheckTable(const SqlConfig& config, size_t index, const std::vector<TableColumns>& catalog,
                std::vector<std::string>* problems) {
  const TableConfig& table = config.tables[index];
  const TableColumns& columns = catalog[index];
  if (table.key) CheckColumn(table, columns, *table.key, "key", problems);
  for (const auto& [attribute, mapping] : table.identities) {
    for (const auto& column : mapping.columns) {
      CheckColumn(table, columns, column, "identities." + attribute, problems);
    }
  }
  CheckActionColumns(table, columns, problems);
  for (size_t r = 0; r < table.references.size(); ++r) {
    const TableReference& reference = table.references[r];
    const std::string key = "references[" + std::to_string(r) + "]";
    CheckColumn(table, columns, reference.column, key + ".column", problems);
    const TableConfig& parent = config.tables[reference.parent_table];
    if (catalog[reference.parent_table].Find(reference.target) == nullptr &&
        !catalog[reference.parent_table].columns.empty()) {
      problems->push_back(table.config_path + "." + key + ".target: table '" + parent.name +
                          "' has no column '" + reference.target + "'");
    }
  }
}

}  // namespace

const ColumnInfo* TableColumns::Find(const std::string& name) const {
  for (const auto& column : columns) {
    if (strcasecmp(column.name.c_str(), name.c_str()) == 0) return &column;
  }
  return nullptr;
}

Result<std::vector<TableColumns>> ReadTableCatalog(SourceDatabase& database,
                                                   const SqlConfig& config) {
  std::vector<TableColumns> catalog;
  std::vector<std::string> problems;
  for (const auto& table : config.tables) {
    catalog.emplace_back();
    DSR_RETURN_IF_ERROR(ReadTableColumns(database, table.name, &catalog.back()));
    if (catalog.back().columns.empty()) {
      problems.push_back(table.config_path + ".name: the database has no table '" + table.name +
                         "'");
    }
  }
  for (size_t i = 0; i < config.tables.size(); ++i) {
    if (!catalog[i].columns.empty()) CheckTable(config, i, catalog, &problems);
  }
  if (!problems.empty()) {
    return ValidationError(
        "the database does not match the connector configuration: " + problems.front(), problems);
  }
  return catalog;
}

}  // namespace dsr::connectors::sql
