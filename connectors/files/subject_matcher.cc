#include "connectors/files/subject_matcher.h"

#include <arpa/inet.h>

namespace dsr::connectors::files {
namespace {

// The separators people write into phone numbers, as the SQL connector
// removes them.
constexpr std::string_view kPhoneSeparators = " -/().";

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

std::string CollapseSpaces(std::string_view value) {
  std::string collapsed;
  for (char c : value) {
    if (IsSpace(c)) {
      if (collapsed.empty() || collapsed.back() == ' ') continue;
      c = ' ';
    }
    collapsed += c;
  }
  if (!collapsed.empty() && collapsed.back() == ' ') collapsed.pop_back();
  return collapsed;
}

std::string LowerAscii(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return text;
}

std::string CanonicalIp(const std::string& text) {
  unsigned char buffer[16];
  char printed[INET6_ADDRSTRLEN];
  for (const int family : {AF_INET, AF_INET6}) {
    if (inet_pton(family, text.c_str(), buffer) == 1 &&
        inet_ntop(family, buffer, printed, sizeof printed) != nullptr) {
      return printed;
    }
  }
  return LowerAscii(text);
}

std::string JoinNames(const std::vector<std::string>& names, const char* last_separator) {
  std::string joined;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) joined += i + 1 == names.size() ? last_separator : ", ";
    joined += names[i];
  }
  return joined;
}

}  // namespace

std::string NormalizeIdentity(std::string_view value, MatchMode mode) {
  std::string normalized = CollapseSpaces(value);
  switch (mode) {
    case MatchMode::kExact:
      return normalized;
    case MatchMode::kCaseInsensitive:
      return LowerAscii(std::move(normalized));
    case MatchMode::kDigits: {
      std::string digits;
      for (const char c : normalized) {
        if (kPhoneSeparators.find(c) == std::string_view::npos) digits += c;
      }
      return digits;
    }
    case MatchMode::kIpAddress:
      return normalized.empty() ? normalized : CanonicalIp(normalized);
  }
  return normalized;
}

SubjectMatcher::SubjectMatcher(const Subject& subject,
                               const std::map<std::string, FieldMapping>& modes) {
  for (const auto& [attribute, mapping] : modes) {
    const auto given = subject.find(attribute);
    if (given == subject.end()) continue;
    std::string value = NormalizeIdentity(given->second, mapping.match);
    if (value.empty()) continue;
    given_.push_back({attribute, std::move(value), mapping.match});
  }
}

RecordVerdict SubjectMatcher::Judge(const FileRecord& record) const {
  std::vector<std::string> matches;
  std::vector<std::string> differs;
  for (const auto& given : given_) {
    const auto values = record.identities.find(given.attribute);
    if (values == record.identities.end()) continue;
    bool matched = false;
    bool holds_other = false;
    for (const auto& value : values->second) {
      const std::string normalized = NormalizeIdentity(value, given.mode);
      if (normalized == given.value) matched = true;
      if (!normalized.empty() && normalized != given.value) holds_other = true;
    }
    if (matched) {
      matches.push_back(given.attribute);
    } else if (holds_other) {
      differs.push_back(given.attribute);
    }
  }
  RecordVerdict verdict;
  verdict.located = !matches.empty();
  if (verdict.located && !differs.empty()) {
    verdict.match = Match::kAmbiguous;
    verdict.ambiguity = "matches " + JoinNames(matches, " and ") + "; " +
                        JoinNames(differs, " and ") +
                        (differs.size() == 1 ? " differs" : " differ");
  } else if (verdict.located && matches == std::vector<std::string>{"ip_address"}) {
    // Households, offices and mobile networks share addresses, and they
    // change hands: an address alone never shows whose a record is.
    verdict.match = Match::kAmbiguous;
    verdict.ambiguity = "matches ip_address only; an IP address is shared and reassigned";
  }
  return verdict;
}

}  // namespace dsr::connectors::files
