#include "connectors/files/files_config.h"

#include <nlohmann/json.hpp>

#include "common/schema.h"

namespace dsr::connectors::files {
namespace {

constexpr char kSchemaName[] = "config/connector-files";

struct FormatInfo {
  FileFormat format;
  const char* name;
  const char* erasure;
};

constexpr FormatInfo kFormats[] = {
    {FileFormat::kCsv, "csv", "delete_row"},
    {FileFormat::kXlsx, "xlsx", "delete_row"},
    {FileFormat::kVcard, "vcard", "delete_contact"},
    {FileFormat::kChatJsonl, "chat_jsonl", "delete_session"},
};

const FormatInfo& InfoOf(FileFormat format) {
  for (const auto& info : kFormats) {
    if (info.format == format) return info;
  }
  return kFormats[0];
}

// The match mode people expect of each identity when the config says none:
// addresses are written in any case, phone numbers with any separators.
MatchMode DefaultMatch(const std::string& attribute, size_t fields) {
  if (attribute == "email") return MatchMode::kCaseInsensitive;
  if (attribute == "phone") return MatchMode::kDigits;
  if (attribute == "ip_address") return MatchMode::kIpAddress;
  if (attribute == "name" || fields > 1) return MatchMode::kCaseInsensitive;
  return MatchMode::kExact;
}

MatchMode ParseMatch(const std::string& text) {
  if (text == "case_insensitive") return MatchMode::kCaseInsensitive;
  if (text == "digits") return MatchMode::kDigits;
  if (text == "ip_address") return MatchMode::kIpAddress;
  return MatchMode::kExact;
}

// Short forms "E-Mail" and [Vorname, Nachname]; long forms {column: ...} and
// {columns: [...]}, each with an optional match.
FieldMapping ParseIdentity(const std::string& attribute, const nlohmann::json& value) {
  FieldMapping mapping;
  if (value.is_string()) {
    mapping.fields.push_back(value.get<std::string>());
  } else if (value.is_array()) {
    mapping.fields = value.get<std::vector<std::string>>();
  } else if (value.contains("columns")) {
    mapping.fields = value.at("columns").get<std::vector<std::string>>();
  } else {
    mapping.fields.push_back(value.at("column").get<std::string>());
  }
  mapping.match = DefaultMatch(attribute, mapping.fields.size());
  if (value.is_object() && value.contains("match")) {
    mapping.match = ParseMatch(value.at("match").get<std::string>());
  }
  return mapping;
}

// A glob stays below the root: no empty, "." or ".." segment.
void CheckGlob(const std::string& glob, const std::string& path,
               std::vector<std::string>* problems) {
  size_t begin = 0;
  while (begin <= glob.size()) {
    size_t end = glob.find('/', begin);
    if (end == std::string::npos) end = glob.size();
    const std::string segment = glob.substr(begin, end - begin);
    if (segment.empty() || segment == "." || segment == "..") {
      problems->push_back(path + ".glob: '" + glob +
                          "' must name files below root (no empty, '.' or '..' part)");
      return;
    }
    begin = end + 1;
  }
}

// Keys that only some formats use, and the erasure that fits the format.
void CheckFormatKeys(const nlohmann::json& rule, const FileRule& parsed,
                     std::vector<std::string>* problems) {
  const std::string format = InfoOf(parsed.format).name;
  const bool table = parsed.format == FileFormat::kCsv || parsed.format == FileFormat::kXlsx;
  const auto misplaced = [&](const char* key, bool allowed, const std::string& which) {
    if (rule.contains(key) && !allowed) {
      problems->push_back(parsed.config_path + "." + key + ": only for " + which +
                          ", not for format " + format);
    }
  };
  misplaced("delimiter", parsed.format == FileFormat::kCsv, "format csv");
  misplaced("sheet", parsed.format == FileFormat::kXlsx, "format xlsx");
  misplaced("header_row", table, "formats csv and xlsx");
  misplaced("postal_address", table, "formats csv and xlsx");
  misplaced("identities", table, "formats csv and xlsx (chat_jsonl names them under fields)");
  misplaced("fields", parsed.format == FileFormat::kChatJsonl, "format chat_jsonl");
  if (table && parsed.identities.empty()) {
    problems->push_back(parsed.config_path + ".identities: missing, so no row can be located");
  }
  if (parsed.format == FileFormat::kChatJsonl) {
    if (parsed.session_field.empty()) {
      problems->push_back(parsed.config_path +
                          ".fields.session: missing, but chat_jsonl erases whole sessions "
                          "(delete_session)");
    }
    if (parsed.identities.empty()) {
      problems->push_back(parsed.config_path +
                          ".fields: names no identity, so no session can be located");
    }
  }
  const std::string erasure = rule.value("erasure", InfoOf(parsed.format).erasure);
  if (erasure != InfoOf(parsed.format).erasure) {
    problems->push_back(parsed.config_path + ".erasure: " + erasure + " does not fit format " +
                        format + " (use " + InfoOf(parsed.format).erasure + ")");
  }
}

FileRule ParseRule(const nlohmann::json& rule, size_t position,
                   std::vector<std::string>* problems) {
  FileRule parsed;
  parsed.config_path = "connector.files[" + std::to_string(position) + "]";
  parsed.glob = rule.at("glob").get<std::string>();
  const std::string format = rule.at("format").get<std::string>();
  for (const auto& info : kFormats) {
    if (format == info.name) parsed.format = info.format;
  }
  if (rule.contains("delimiter")) parsed.delimiter = rule.at("delimiter").get<std::string>()[0];
  parsed.sheet = rule.value("sheet", "");
  parsed.header_row = rule.value("header_row", 1);
  const nlohmann::json& identities =
      rule.contains("identities") ? rule.at("identities") : rule.value("fields", nlohmann::json{});
  for (const auto& [attribute, value] : identities.items()) {
    if (attribute == "session") {
      parsed.session_field = value.get<std::string>();
    } else {
      parsed.identities.emplace(attribute, ParseIdentity(attribute, value));
    }
  }
  if (rule.contains("postal_address")) {
    parsed.postal_address = rule.at("postal_address").get<AddressColumns>();
  }
  CheckGlob(parsed.glob, parsed.config_path, problems);
  CheckFormatKeys(rule, parsed, problems);
  return parsed;
}

}  // namespace

Result<FilesConfig> ParseFilesConfig(const nlohmann::json& config) {
  // The factory validated already; validating here keeps this function safe
  // for direct callers, since globs decide which files are rewritten.
  const Status valid = SchemaRegistry::Embedded().Validate(kSchemaName, config);
  if (!valid.ok()) {
    std::vector<std::string> details;
    for (const auto& detail : valid.details()) details.push_back("connector." + detail);
    return ValidationError("invalid connector configuration", std::move(details));
  }
  FilesConfig parsed;
  parsed.root = config.at("root").get<std::string>();
  parsed.max_file_bytes = config.value("max_file_bytes", kDefaultMaxFileBytes);
  parsed.max_line_bytes = config.value("max_line_bytes", kDefaultMaxLineBytes);
  std::vector<std::string> problems;
  if (parsed.max_line_bytes > parsed.max_file_bytes) {
    problems.push_back("connector.max_line_bytes: larger than max_file_bytes");
  }
  const nlohmann::json& rules = config.at("files");
  for (size_t i = 0; i < rules.size(); ++i) {
    parsed.files.push_back(ParseRule(rules[i], i, &problems));
  }
  if (!problems.empty()) return ValidationError(problems.front(), problems);
  return parsed;
}

}  // namespace dsr::connectors::files
