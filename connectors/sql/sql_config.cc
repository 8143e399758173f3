#include "connectors/sql/sql_config.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <set>

#include "common/schema.h"
#include "connectors/sql/action_config.h"

namespace dsr::connectors::sql {
namespace {

constexpr char kSchemaName[] = "config/connector-sql";

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

MatchMode ParseMatchMode(const std::string& text) {
  if (text == "case_insensitive") return MatchMode::kCaseInsensitive;
  if (text == "digits") return MatchMode::kDigits;
  return MatchMode::kExact;
}

// Short form "email: email_column"; long form {column: ...} or {columns: [...]}.
IdentityMapping ParseIdentity(const nlohmann::json& value) {
  IdentityMapping mapping;
  if (value.is_string()) {
    mapping.columns.push_back(value.get<std::string>());
    return mapping;
  }
  if (value.contains("columns")) {
    mapping.columns = value.at("columns").get<std::vector<std::string>>();
    // Several columns are parts of one name, which people write in any case.
    mapping.match = MatchMode::kCaseInsensitive;
  } else {
    mapping.columns.push_back(value.at("column").get<std::string>());
  }
  if (value.contains("match")) mapping.match = ParseMatchMode(value.at("match").get<std::string>());
  return mapping;
}

// Table names are compared without case, as SQLite and MySQL (on most
// systems) do, so "Orders" and "orders" are the same table.
std::map<std::string, size_t> IndexTableNames(const nlohmann::json& tables,
                                              std::vector<std::string>* problems) {
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < tables.size(); ++i) {
    const std::string name = tables[i].at("name").get<std::string>();
    const auto [existing, inserted] = index.emplace(Lower(name), i);
    if (!inserted) {
      problems->push_back("connector.tables[" + std::to_string(i) + "].name: table '" + name +
                          "' is configured twice (first at connector.tables[" +
                          std::to_string(existing->second) + "])");
    }
  }
  return index;
}

TableConfig ParseTable(const nlohmann::json& table, size_t position,
                       const std::map<std::string, size_t>& table_index,
                       std::vector<std::string>* problems) {
  TableConfig parsed;
  parsed.config_path = "connector.tables[" + std::to_string(position) + "]";
  parsed.name = table.at("name").get<std::string>();
  if (table.contains("key")) parsed.key = table.at("key").get<std::string>();
  if (const auto identities = table.find("identities"); identities != table.end()) {
    for (const auto& [attribute, value] : identities->items()) {
      parsed.identities.emplace(attribute, ParseIdentity(value));
    }
  }
  const nlohmann::json no_references = nlohmann::json::array();
  const auto found_references = table.find("references");
  const nlohmann::json& references =
      found_references == table.end() ? no_references : *found_references;
  for (size_t r = 0; r < references.size(); ++r) {
    const std::string parent = references[r].at("table").get<std::string>();
    const auto found = table_index.find(Lower(parent));
    if (found == table_index.end()) {
      problems->push_back(parsed.config_path + ".references[" + std::to_string(r) +
                          "].table: no table named '" + parent + "' is configured");
      continue;
    }
    TableReference reference;
    reference.column = references[r].at("column").get<std::string>();
    reference.parent_table = found->second;
    reference.target = references[r].value("target", "");
    parsed.references.push_back(std::move(reference));
  }
  ParseTableActions(table, &parsed, problems);
  return parsed;
}

// A referenced table is located by key, and so is a table that can be reached
// in more than one way: its rows are collected into a set of keys.
void CheckKeys(std::vector<TableConfig>* tables, std::vector<std::string>* problems) {
  for (auto& table : *tables) {
    const size_t ways = table.references.size() + (table.identities.empty() ? 0 : 1);
    if (!table.key && ways > 1) {
      problems->push_back(table.config_path + ".key: missing, but table '" + table.name +
                          "' is reached in more than one way and its rows are told apart by key");
    }
    for (size_t r = 0; r < table.references.size(); ++r) {
      TableReference& reference = table.references[r];
      const TableConfig& parent = (*tables)[reference.parent_table];
      if (!parent.key) {
        problems->push_back(parent.config_path + ".key: missing, but " + table.config_path +
                            ".references[" + std::to_string(r) + "] refers to table '" +
                            parent.name + "' (a referenced table needs a key)");
        continue;
      }
      if (reference.target.empty()) reference.target = *parent.key;
    }
  }
}

// References are followed from the referenced table to the referencing one
// only, so a table is reachable when a chain of such steps leads to it from a
// table with identities.
void CheckReachability(const std::vector<TableConfig>& tables, std::vector<std::string>* problems) {
  std::set<size_t> reached;
  for (size_t i = 0; i < tables.size(); ++i) {
    if (!tables[i].identities.empty()) reached.insert(i);
  }
  if (reached.empty()) {
    problems->push_back("connector.tables: no table has identities, so no row can be located");
    return;
  }
  for (bool grew = true; grew;) {
    grew = false;
    for (size_t i = 0; i < tables.size(); ++i) {
      if (reached.count(i) != 0) continue;
      for (const auto& reference : tables[i].references) {
        if (reached.count(reference.parent_table) != 0) {
          reached.insert(i);
          grew = true;
          break;
        }
      }
    }
  }
  for (size_t i = 0; i < tables.size(); ++i) {
    if (reached.count(i) != 0) continue;
    problems->push_back(tables[i].config_path + ": table '" + tables[i].name +
                        "' is not reachable from any table with identities (references lead "
                        "from a referenced table to the tables that refer to it)");
  }
}

}  // namespace

Result<SqlConfig> ParseSqlConfig(const nlohmann::json& config) {
  // The factory validated already; validating here too keeps this function
  // safe on its own, since identifiers end up in SQL text.
  const Status valid = SchemaRegistry::Embedded().Validate(kSchemaName, config);
  if (!valid.ok()) {
    std::vector<std::string> details;
    for (const auto& detail : valid.details()) details.push_back("connector." + detail);
    return ValidationError("invalid connector configuration", std::move(details));
  }
  SqlConfig parsed;
  parsed.connection = config.at("connection").get<std::string>();
  parsed.batch_size = config.value("batch_size", kDefaultBatchSize);
  if (const auto discover = config.find("discover"); discover != config.end()) {
    parsed.discover_sample_rows = discover->value("sample_rows", kDefaultDiscoverSampleRows);
  }
  if (config.contains("anonymize_key_file")) {
    parsed.anonymize_key_file = config.at("anonymize_key_file").get<std::string>();
  }
  std::vector<std::string> problems;
  const nlohmann::json& tables = config.at("tables");
  const auto table_index = IndexTableNames(tables, &problems);
  for (size_t i = 0; i < tables.size(); ++i) {
    parsed.tables.push_back(ParseTable(tables[i], i, table_index, &problems));
  }
  CheckKeys(&parsed.tables, &problems);
  CheckReachability(parsed.tables, &problems);
  CheckErasurePlan(parsed, &problems);
  if (!problems.empty()) return ValidationError(problems.front(), problems);
  return parsed;
}

}  // namespace dsr::connectors::sql
