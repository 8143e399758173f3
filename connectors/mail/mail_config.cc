#include "connectors/mail/mail_config.h"

#include <cctype>
#include <map>

#include "common/schema.h"
#include "common/secret_file.h"

namespace dsr::connectors::mail {
namespace {

constexpr char kSchemaName[] = "config/connector-mail";

// "imaps://mail.example.org:993" → host, port, tls. The schema allowed only
// scheme, host and port, so what is left to check is the port's range.
void ParseUrl(const std::string& url, ImapSettings* imap, std::vector<std::string>* problems) {
  const std::string key = "connector.imap.url";
  imap->tls = url.rfind("imaps://", 0) == 0;
  std::string rest = url.substr(imap->tls ? 8 : 7);
  if (!rest.empty() && rest.back() == '/') rest.pop_back();
  imap->port = imap->tls ? 993 : 143;
  const size_t bracket = rest.find(']');
  const size_t colon = rest.find(':', bracket == std::string::npos ? 0 : bracket);
  if (colon != std::string::npos) {
    const long port = std::strtol(rest.c_str() + colon + 1, nullptr, 10);
    if (port < 1 || port > 65535) problems->push_back(key + ": port must be 1 to 65535");
    imap->port = static_cast<int>(port);
    rest.resize(colon);
  }
  if (rest.size() > 2 && rest.front() == '[' && rest.back() == ']') {
    rest = rest.substr(1, rest.size() - 2);
  }
  imap->host = rest;
  if (imap->host.empty()) problems->push_back(key + ": no host");
  // Credentials and mail must never cross a network in clear.
  if (!imap->tls && !IsLoopbackHost(imap->host)) {
    problems->push_back(key +
                        ": plain imap:// is allowed only to a loopback address; use imaps://");
  }
}

ImapSettings ParseImap(const nlohmann::json& imap, std::vector<std::string>* problems) {
  ImapSettings parsed;
  ParseUrl(imap.at("url").get<std::string>(), &parsed, problems);
  parsed.user = imap.at("user").get<std::string>();
  parsed.password_file = imap.at("password_file").get<std::string>();
  parsed.tls_verify = imap.value("tls_verify", true);
  if (imap.contains("ca_file")) parsed.ca_file = imap.at("ca_file").get<std::string>();
  parsed.timeout = std::chrono::milliseconds(imap.value("timeout_ms", 30000));
  if (!parsed.tls && imap.contains("ca_file")) {
    problems->push_back("connector.imap.ca_file: given, but the url is plain imap://");
  }
  return parsed;
}

std::vector<FolderName> ParseFolders(const nlohmann::json& folders,
                                     std::vector<std::string>* problems) {
  std::vector<FolderName> parsed;
  std::map<std::string, size_t> folder_seen, collection_seen;
  for (size_t i = 0; i < folders.size(); ++i) {
    const std::string key = "connector.folders[" + std::to_string(i) + "]";
    FolderName name;
    if (folders[i].is_string()) {
      name.folder = folders[i].get<std::string>();
      name.collection = CollectionNameOf(name.folder);
    } else {
      name.folder = folders[i].at("folder").get<std::string>();
      name.collection = folders[i].at("collection").get<std::string>();
    }
    if (!folder_seen.emplace(name.folder, i).second) {
      problems->push_back(key + ": folder '" + name.folder + "' is listed twice");
    } else if (!collection_seen.emplace(name.collection, i).second) {
      problems->push_back(key + ": collection '" + name.collection +
                          "' is already used by connector.folders[" +
                          std::to_string(collection_seen[name.collection]) +
                          "]; name it with {folder, collection}");
    }
    parsed.push_back(std::move(name));
  }
  return parsed;
}

void ParseErasure(const nlohmann::json& erasure, MailConfig* config,
                  std::vector<std::string>* problems) {
  config->strategy =
      erasure.at("strategy") == "retain" ? ErasureStrategy::kRetain : ErasureStrategy::kDelete;
  config->retain = ParseRetainOrDelete(erasure, problems);
}

// A Maildir++ folder is the directory ".<name>" under the root: a name that
// could step out of it is refused.
void CheckMaildirFolders(const std::vector<FolderName>& folders,
                         std::vector<std::string>* problems) {
  for (size_t i = 0; i < folders.size(); ++i) {
    const std::string& folder = folders[i].folder;
    if (folder.find('/') != std::string::npos || folder.front() == '.') {
      problems->push_back("connector.folders[" + std::to_string(i) + "]: Maildir folder '" +
                          folder + "' must not contain '/' or start with '.'");
    }
  }
}

}  // namespace

bool IsCollectionName(const std::string& name) {
  if (name.empty() || name.size() > 63 || !std::isalpha(static_cast<unsigned char>(name[0]))) {
    return false;
  }
  for (const char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') return false;
  }
  return true;
}

std::string CollectionNameOf(const std::string& folder) {
  std::string name;
  for (const char c : folder) {
    const bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                       c == '_' || c == '-';
    name.push_back(plain ? c : '_');
  }
  if (name.empty() || !std::isalpha(static_cast<unsigned char>(name[0]))) name = "F" + name;
  if (name.size() > 63) name.resize(63);
  return name;
}

Result<MailConfig> ParseMailConfig(const nlohmann::json& config) {
  // The factory validated already; validating here too keeps this function
  // safe on its own (folder names end up in IMAP commands and paths).
  const Status valid = SchemaRegistry::Embedded().Validate(kSchemaName, config);
  if (!valid.ok()) {
    std::vector<std::string> details;
    for (const auto& detail : valid.details()) details.push_back("connector." + detail);
    return ValidationError("invalid connector configuration", std::move(details));
  }
  MailConfig parsed;
  std::vector<std::string> problems;
  const bool has_imap = config.contains("imap"), has_maildir = config.contains("maildir");
  if (has_imap == has_maildir) {
    problems.push_back(has_imap ? "connector.maildir: give either imap or maildir, not both"
                                : "connector.imap: missing; give either imap or maildir");
  }
  if (has_imap) parsed.imap = ParseImap(config.at("imap"), &problems);
  if (has_maildir) parsed.maildir = config.at("maildir").get<std::string>();
  if (config.contains("folders")) parsed.folders = ParseFolders(config.at("folders"), &problems);
  if (has_maildir) CheckMaildirFolders(parsed.folders, &problems);
  parsed.match_body = config.value("match_body", false);
  parsed.discover_sample = config.value("discover_sample", kDefaultDiscoverSample);
  if (config.contains("erasure")) ParseErasure(config.at("erasure"), &parsed, &problems);
  if (!problems.empty()) return ValidationError(problems.front(), problems);
  return parsed;
}

}  // namespace dsr::connectors::mail
