#include "connectors/sql/record_attributes.h"

#include <vector>

namespace dsr::connectors::sql {
namespace {

// The value of `column` as stored, as text; empty for NULL, binary and blank values.
std::string TextOf(const TableColumns& columns, const nlohmann::json& record,
                   const std::string& column) {
  const ColumnInfo* info = columns.Find(column);
  if (info == nullptr) return "";
  const auto value = record.find(info->name);
  if (value == record.end()) return "";
  if (value->is_number_integer()) return std::to_string(value->get<long long>());
  if (!value->is_string()) return "";
  const std::string& text = value->get_ref<const std::string&>();
  return text.find_first_not_of(" \t\r\n") == std::string::npos ? "" : text;
}

// The non-empty parts joined with `separator`.
std::string JoinParts(const std::vector<std::string>& parts, const std::string& separator) {
  std::string joined;
  for (const auto& part : parts) {
    if (!part.empty()) joined += (joined.empty() ? "" : separator) + part;
  }
  return joined;
}

std::string RectifyPart(const TableConfig& table, const TableColumns& columns,
                        const nlohmann::json& record, const std::string& attribute,
                        const std::string& part) {
  const auto mapping = table.rectify.find(attribute);
  if (mapping == table.rectify.end()) return "";
  const auto column = mapping->second.find(part);
  return column == mapping->second.end() ? "" : TextOf(columns, record, column->second);
}

std::string IdentityValue(const TableConfig& table, const TableColumns& columns,
                          const nlohmann::json& record, const std::string& attribute) {
  const auto mapping = table.identities.find(attribute);
  if (mapping == table.identities.end()) return "";
  std::vector<std::string> parts;
  for (const auto& column : mapping->second.columns) {
    parts.push_back(TextOf(columns, record, column));
  }
  return JoinParts(parts, " ");
}

}  // namespace

std::map<std::string, std::string> RecordAttributes(const TableConfig& table,
                                                    const TableColumns& columns,
                                                    const nlohmann::json& record) {
  std::map<std::string, std::string> attributes;
  if (table.identities.empty()) return attributes;
  auto part = [&](const std::string& attribute, const std::string& name) {
    return RectifyPart(table, columns, record, attribute, name);
  };
  for (const char* attribute : {"email", "phone", "name", "customer_id"}) {
    std::string value = IdentityValue(table, columns, record, attribute);
    if (value.empty() && attribute == std::string("name")) {
      value = JoinParts({part("name", "given"), part("name", "family")}, " ");
    } else if (value.empty()) {
      value = part(attribute, "");
    }
    if (!value.empty()) attributes[attribute] = std::move(value);
  }
  const std::string town =
      JoinParts({part("postal_address", "postal_code"), part("postal_address", "city")}, " ");
  const std::string address =
      JoinParts({part("postal_address", "street"), town, part("postal_address", "country")}, ", ");
  if (!address.empty()) attributes["postal_address"] = address;
  return attributes;
}

}  // namespace dsr::connectors::sql
