#include "connectors/files/corrections.h"

#include <nlohmann/json.hpp>

namespace dsr::connectors::files {
namespace {

Status CheckText(const std::string& path, const std::string& text) {
  for (const char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return InvalidArgument("corrections." + path + ": holds a line break or control character");
    }
  }
  if (!text.empty() && (text.front() == '=' || text.front() == '@')) {
    return InvalidArgument("corrections." + path +
                           ": starts with '=' or '@', which a spreadsheet would run as a formula");
  }
  return Status::Ok();
}

Result<std::string> TextAt(const nlohmann::json& value, const std::string& path) {
  if (!value.is_string()) return InvalidArgument("corrections." + path + ": not text");
  std::string text = value.get<std::string>();
  DSR_RETURN_IF_ERROR(CheckText(path, text));
  return text;
}

const FieldMapping* Mapped(const FileRule& rule, const char* attribute) {
  const auto found = rule.identities.find(attribute);
  return found == rule.identities.end() ? nullptr : &found->second;
}

}  // namespace

std::string NewValues::FullName() const {
  if (!given || !family) return "";
  return *given + " " + *family;
}

Result<NewValues> ReadCorrections(const Corrections& corrections) {
  if (!corrections.is_object()) return InvalidArgument("corrections must be an object");
  NewValues values;
  for (const auto& [attribute, value] : corrections.items()) {
    if (attribute == "email" || attribute == "phone") {
      auto text = TextAt(value, attribute);
      if (!text.ok()) return text.status();
      (attribute == "email" ? values.email : values.phone) = std::move(text.value());
      continue;
    }
    if (attribute != "name" && attribute != "postal_address") {
      return InvalidArgument("corrections: unknown attribute '" + attribute + "'");
    }
    if (!value.is_object()) return InvalidArgument("corrections." + attribute + ": not an object");
    for (const auto& [part, part_value] : value.items()) {
      auto text = TextAt(part_value, attribute + "." + part);
      if (!text.ok()) return text.status();
      if (attribute == "postal_address") {
        values.address[part] = std::move(text.value());
      } else if (part == "given" || part == "family") {
        (part == "given" ? values.given : values.family) = std::move(text.value());
      } else {
        return InvalidArgument("corrections.name: unknown part '" + part + "'");
      }
    }
  }
  return values;
}

std::map<std::string, std::string> ColumnCorrections(const FileRule& rule,
                                                     const NewValues& values) {
  std::map<std::string, std::string> columns;
  const FieldMapping* email = Mapped(rule, "email");
  if (values.email && email != nullptr && email->fields.size() == 1) {
    columns[email->fields[0]] = *values.email;
  }
  const FieldMapping* phone = Mapped(rule, "phone");
  if (values.phone && phone != nullptr && phone->fields.size() == 1) {
    columns[phone->fields[0]] = *values.phone;
  }
  if (const FieldMapping* name = Mapped(rule, "name"); name != nullptr) {
    if (name->fields.size() == 2) {
      if (values.given) columns[name->fields[0]] = *values.given;
      if (values.family) columns[name->fields[1]] = *values.family;
    } else if (name->fields.size() == 1 && !values.FullName().empty()) {
      columns[name->fields[0]] = values.FullName();
    }
  }
  for (const auto& [part, value] : values.address) {
    const auto column = rule.postal_address.find(part);
    if (column != rule.postal_address.end()) columns[column->second] = value;
  }
  return columns;
}

}  // namespace dsr::connectors::files
