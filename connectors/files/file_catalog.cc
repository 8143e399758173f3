#include "connectors/files/file_catalog.h"

#include <algorithm>

#include "common/digest.h"

namespace dsr::connectors::files {
namespace {

constexpr size_t kMaxNameLength = 63;
constexpr size_t kHashSuffixLength = 9;  // '-' and 8 hex digits

bool IsLetter(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}
bool IsNameChar(char c) {
  return IsLetter(c) || (c >= '0' && c <= '9') || c == '-';
}

std::string PlainName(const std::string& relative) {
  std::string name;
  for (const char c : relative) name.push_back(IsNameChar(c) ? c : '_');
  if (name.empty() || !IsLetter(name.front())) name = "f_" + name;
  return name;
}

std::string HashedName(const std::string& relative) {
  std::string name = PlainName(relative);
  name.resize(std::min(name.size(), kMaxNameLength - kHashSuffixLength));
  return name + "-" + Sha256Hex(relative).substr(0, 8);
}

}  // namespace

bool IsCollectionName(std::string_view name) {
  if (name.empty() || name.size() > kMaxNameLength || !IsLetter(name.front())) return false;
  for (const char c : name) {
    if (!IsNameChar(c) && c != '_') return false;
  }
  return true;
}

std::map<std::string, std::string> CollectionNames(const std::vector<std::string>& relatives) {
  std::map<std::string, int> uses;
  for (const auto& relative : relatives) ++uses[PlainName(relative)];
  std::map<std::string, std::string> names;
  for (const auto& relative : relatives) {
    const std::string plain = PlainName(relative);
    const bool unique = uses[plain] == 1 && plain.size() <= kMaxNameLength;
    names[relative] = unique ? plain : HashedName(relative);
  }
  return names;
}

Result<std::vector<CatalogEntry>> BuildCatalog(const SourceTree& tree, const FilesConfig& config) {
  std::vector<std::string> files;
  std::vector<std::string> links;
  DSR_RETURN_IF_ERROR(tree.List(&files, &links));
  for (const auto& link : links) {
    for (const auto& rule : config.files) {
      if (!GlobReaches(rule.glob, link)) continue;
      return Conflict(link + ": matched by " + rule.config_path +
                      ".glob, but is a symbolic link, which the files connector does not follow "
                      "(name the real file or folder instead)");
    }
  }
  std::vector<CatalogEntry> catalog;
  std::vector<std::string> matched;
  for (const auto& relative : files) {
    if (IsHelperFile(relative)) continue;
    for (size_t rule = 0; rule < config.files.size(); ++rule) {
      if (!GlobMatches(config.files[rule].glob, relative)) continue;
      catalog.push_back({rule, relative, ""});
      matched.push_back(relative);
      break;
    }
  }
  const auto names = CollectionNames(matched);
  for (auto& entry : catalog) entry.collection = names.at(entry.relative);
  return catalog;
}

}  // namespace dsr::connectors::files
