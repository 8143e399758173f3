#include "connectors/files/table_records.h"

#include <algorithm>
#include <set>

namespace dsr::connectors::files {
namespace {

std::string Trim(const std::string& text) {
  const size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return "";
  const size_t end = text.find_last_not_of(" \t\r\n");
  return text.substr(begin, end - begin + 1);
}

std::string JoinNonEmpty(const std::vector<std::string>& parts, const std::string& separator) {
  std::string joined;
  for (const auto& part : parts) {
    if (part.empty()) continue;
    joined += (joined.empty() ? "" : separator) + part;
  }
  return joined;
}

}  // namespace

std::vector<std::string> ColumnNames(const std::vector<std::string>& header_cells) {
  std::vector<std::string> names;
  std::set<std::string> seen;
  for (size_t i = 0; i < header_cells.size(); ++i) {
    std::string name = Trim(header_cells[i]);
    if (name.empty()) name = "column " + std::to_string(i + 1);
    const std::string base = name;
    for (int copy = 2; seen.count(name) != 0; ++copy) {
      name = base + " (" + std::to_string(copy) + ")";
    }
    seen.insert(name);
    names.push_back(name);
  }
  return names;
}

Status CheckMappedColumns(const FileRule& rule, const std::vector<std::string>& columns,
                          const std::string& relative) {
  const auto has = [&](const std::string& column) {
    return std::find(columns.begin(), columns.end(), column) != columns.end();
  };
  for (const auto& [attribute, mapping] : rule.identities) {
    for (const auto& column : mapping.fields) {
      if (has(column)) continue;
      return ValidationError(rule.config_path + ".identities." + attribute + ": column '" + column +
                             "' is not in the header row (row " + std::to_string(rule.header_row) +
                             ") of " + relative);
    }
  }
  for (const auto& [part, column] : rule.postal_address) {
    if (has(column)) continue;
    return ValidationError(rule.config_path + ".postal_address." + part + ": column '" + column +
                           "' is not in the header row of " + relative);
  }
  return Status::Ok();
}

FileRecord TableRecord(const FileRule& rule, int row, const std::string& fingerprint,
                       const std::vector<std::string>& columns,
                       const std::vector<std::string>& values) {
  FileRecord record;
  record.key = "row-" + std::to_string(row) + "-" + fingerprint;
  record.record["row"] = row;
  nlohmann::json fields = nlohmann::json::object();
  std::map<std::string, std::string> by_column;
  for (size_t i = 0; i < columns.size(); ++i) {
    const std::string value = i < values.size() ? values[i] : "";
    fields[columns[i]] = value;
    by_column[columns[i]] = value;
  }
  record.record["fields"] = std::move(fields);
  for (const auto& [attribute, mapping] : rule.identities) {
    std::vector<std::string> parts;
    for (const auto& column : mapping.fields) parts.push_back(Trim(by_column[column]));
    const std::string value = JoinNonEmpty(parts, " ");
    record.identities[attribute].push_back(value);
    if (attribute != "ip_address" && !value.empty()) {  // the wire has no ip_address attribute
      record.attributes[attribute] = value;
    }
  }
  const auto part = [&](const char* name) {
    const auto column = rule.postal_address.find(name);
    return column == rule.postal_address.end() ? "" : Trim(by_column[column->second]);
  };
  const std::string town = JoinNonEmpty({part("postal_code"), part("city")}, " ");
  const std::string address = JoinNonEmpty({part("street"), town, part("country")}, ", ");
  if (!address.empty()) record.attributes["postal_address"] = address;
  return record;
}

bool IsBlankRow(const std::vector<std::string>& values) {
  return std::all_of(values.begin(), values.end(),
                     [](const std::string& value) { return Trim(value).empty(); });
}

}  // namespace dsr::connectors::files
