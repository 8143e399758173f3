#include "connectors/sql/action_config.h"

#include <nlohmann/json.hpp>

namespace dsr::connectors::sql {
namespace {

ErasureStrategy ParseStrategy(const std::string& text) {
  if (text == "anonymize") return ErasureStrategy::kAnonymize;
  if (text == "retain") return ErasureStrategy::kRetain;
  return ErasureStrategy::kDelete;
}

std::string StrategyName(ErasureStrategy strategy) {
  switch (strategy) {
    case ErasureStrategy::kDelete:
      return "delete";
    case ErasureStrategy::kAnonymize:
      return "anonymize";
    case ErasureStrategy::kRetain:
      return "retain";
  }
  return "?";
}

// `with: null` unquoted is YAML's null; it means the same as "null".
AnonymizeRule ParseRule(const nlohmann::json& rule, const std::string& path,
                        std::vector<std::string>* problems) {
  AnonymizeRule parsed;
  const nlohmann::json& with = rule.at("with");
  if (with == "fixed") parsed.how = AnonymizeRule::How::kFixed;
  if (with == "keyed_hash") parsed.how = AnonymizeRule::How::kKeyedHash;
  const bool has_value = rule.contains("value");
  if (parsed.how == AnonymizeRule::How::kFixed && !has_value) {
    problems->push_back(path + ".value: missing, but 'with' is fixed");
  } else if (parsed.how != AnonymizeRule::How::kFixed && has_value) {
    problems->push_back(path + ".value: only used with 'with: fixed'");
  }
  if (has_value) parsed.value = rule.at("value");
  return parsed;
}

RetentionPolicy ParseRetention(const nlohmann::json& retain) {
  RetentionPolicy policy;
  policy.legal_basis = retain.at("legal_basis").get<std::string>();
  policy.years = retain.at("years").get<int>();
  policy.from_column = retain.at("from_column").get<std::string>();
  if (retain.value("from", "end_of_year") == "date") policy.from = RetentionPolicy::Start::kDate;
  if (retain.contains("restrict_column")) {
    policy.restrict_column = retain.at("restrict_column").get<std::string>();
  }
  policy.then = ParseStrategy(retain.value("then", "delete"));
  return policy;
}

void CheckSections(const TableConfig& table, const nlohmann::json& erasure,
                   std::vector<std::string>* problems) {
  const std::string path = table.config_path + ".erasure";
  const ErasureConfig& parsed = table.erasure;
  const std::string strategy = StrategyName(parsed.strategy);
  if (parsed.strategy == ErasureStrategy::kRetain && !parsed.retain) {
    problems->push_back(path + ".retain: missing, but erasure.strategy is retain");
  }
  if (parsed.strategy != ErasureStrategy::kRetain && erasure.contains("retain")) {
    problems->push_back(path + ".retain: given, but erasure.strategy is " + strategy);
  }
  const bool anonymizes = parsed.Final() == ErasureStrategy::kAnonymize;
  if (anonymizes && parsed.anonymize.empty()) {
    problems->push_back(path + ".anonymize: missing, but " +
                        (parsed.retain ? "erasure.retain.then" : "erasure.strategy") +
                        " is anonymize");
  }
  if (!anonymizes && erasure.contains("anonymize")) {
    problems->push_back(path +
                        ".anonymize: given, but neither erasure.strategy nor erasure.retain.then "
                        "is anonymize");
  }
  if (parsed.strategy == ErasureStrategy::kRetain && !table.key) {
    problems->push_back(table.config_path +
                        ".key: missing, but erasure.strategy retain names the retained rows by "
                        "key for their erasure when the period ends");
  }
  if (table.key && parsed.anonymize.count(*table.key) != 0) {
    problems->push_back(path + ".anonymize." + *table.key +
                        ": the key column cannot be anonymized (rows are told apart and referred "
                        "to by it)");
  }
}

void ParseErasure(const nlohmann::json& erasure, TableConfig* table,
                  std::vector<std::string>* problems) {
  ErasureConfig& parsed = table->erasure;
  parsed.strategy = ParseStrategy(erasure.at("strategy").get<std::string>());
  if (const auto rules = erasure.find("anonymize"); rules != erasure.end()) {
    for (const auto& [column, rule] : rules->items()) {
      parsed.anonymize.emplace(
          column, ParseRule(rule, table->config_path + ".erasure.anonymize." + column, problems));
    }
  }
  if (parsed.strategy == ErasureStrategy::kRetain && erasure.contains("retain")) {
    parsed.retain = ParseRetention(erasure.at("retain"));
  }
  CheckSections(*table, erasure, problems);
}

void ParseRectify(const nlohmann::json& rectify, TableConfig* table,
                  std::vector<std::string>* problems) {
  for (const auto& [attribute, mapping] : rectify.items()) {
    auto& parts = table->rectify[attribute];
    if (mapping.is_string()) {
      parts[""] = mapping.get<std::string>();
    } else {
      for (const auto& [part, column] : mapping.items()) parts[part] = column.get<std::string>();
    }
    for (const auto& [part, column] : parts) {
      if (table->key && column == *table->key) {
        problems->push_back(table->config_path + ".rectify." + attribute +
                            (part.empty() ? "" : "." + part) +
                            ": the key column cannot be rectified");
      }
    }
  }
}

bool UsesKeyedHash(const TableConfig& table) {
  for (const auto& [column, rule] : table.erasure.anonymize) {
    if (rule.how == AnonymizeRule::How::kKeyedHash) return true;
  }
  return false;
}

}  // namespace

void ParseTableActions(const nlohmann::json& table_json, TableConfig* table,
                       std::vector<std::string>* problems) {
  if (const auto erasure = table_json.find("erasure"); erasure != table_json.end()) {
    ParseErasure(*erasure, table, problems);
  }
  if (const auto rectify = table_json.find("rectify"); rectify != table_json.end()) {
    ParseRectify(*rectify, table, problems);
  }
}

void CheckErasurePlan(const SqlConfig& config, std::vector<std::string>* problems) {
  for (const auto& table : config.tables) {
    if (UsesKeyedHash(table) && !config.anonymize_key_file) {
      problems->push_back("connector.anonymize_key_file: missing, but " + table.config_path +
                          ".erasure.anonymize uses keyed_hash");
    }
  }
  // A kept row that refers to a deleted one would break the reference (or be
  // refused by the database's foreign key): the parent must be kept too.
  for (const auto& child : config.tables) {
    if (child.erasure.Final() != ErasureStrategy::kAnonymize) continue;
    for (const auto& reference : child.references) {
      const TableConfig& parent = config.tables[reference.parent_table];
      if (parent.erasure.Final() != ErasureStrategy::kDelete) continue;
      problems->push_back(parent.config_path + ".erasure: rows of table '" + parent.name +
                          "' would be deleted, but anonymized rows of table '" + child.name +
                          "' keep referring to them; anonymize them instead");
    }
  }
}

}  // namespace dsr::connectors::sql
