#include "connectors/sql/identity_filter.h"

namespace dsr::connectors::sql {
namespace {

// The separators people write into phone numbers; the same list is removed in
// SQL by nested REPLACE, which SQLite and MySQL both have.
constexpr std::string_view kPhoneSeparators = " -/().";

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

std::string Trim(std::string_view value) {
  size_t begin = 0;
  size_t end = value.size();
  while (begin < end && IsSpace(value[begin])) ++begin;
  while (end > begin && IsSpace(value[end - 1])) --end;
  return std::string(value.substr(begin, end - begin));
}

std::string CollapseSpaces(const std::string& value) {
  std::string collapsed;
  for (char c : value) {
    if (IsSpace(c)) {
      if (!collapsed.empty() && collapsed.back() == ' ') continue;
      c = ' ';
    }
    collapsed += c;
  }
  return collapsed;
}

}  // namespace

std::string NormalizeIdentityValue(std::string_view value, const IdentityMapping& mapping) {
  std::string normalized = Trim(value);
  if (mapping.columns.size() > 1) normalized = CollapseSpaces(normalized);
  switch (mapping.match) {
    case MatchMode::kExact:
      break;
    case MatchMode::kCaseInsensitive:
      // ASCII only: that is what SQLite's LOWER does without ICU.
      for (char& c : normalized) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      }
      break;
    case MatchMode::kDigits: {
      std::string digits;
      for (char c : normalized) {
        if (kPhoneSeparators.find(c) == std::string_view::npos) digits += c;
      }
      normalized = digits;
      break;
    }
  }
  return normalized;
}

std::string NormalizedColumnExpression(const IdentityMapping& mapping, const SqlDialect& dialect) {
  std::vector<std::string> quoted;
  for (const auto& column : mapping.columns) quoted.push_back(dialect.Quote(column));
  std::string expression = quoted.size() == 1 ? quoted.front() : dialect.JoinWithSpace(quoted);
  switch (mapping.match) {
    case MatchMode::kExact:
      return expression;
    case MatchMode::kCaseInsensitive:
      return "LOWER(" + expression + ")";
    case MatchMode::kDigits:
      for (char separator : kPhoneSeparators) {
        expression = "REPLACE(" + expression + ", '" + separator + "', '')";
      }
      return expression;
  }
  return expression;
}

std::optional<BoundSql> IdentityFilter(const TableConfig& table, const Subject& subject,
                                       const SqlDialect& dialect) {
  BoundSql filter;
  for (const auto& [attribute, mapping] : table.identities) {
    const auto given = subject.find(attribute);
    if (given == subject.end()) continue;
    std::string value = NormalizeIdentityValue(given->second, mapping);
    if (value.empty()) continue;
    if (!filter.text.empty()) filter.text += " OR ";
    filter.text += "(" + NormalizedColumnExpression(mapping, dialect) + " = " +
                   filter.Bind(std::move(value)) + ")";
  }
  if (filter.text.empty()) return std::nullopt;
  return filter;
}

}  // namespace dsr::connectors::sql
