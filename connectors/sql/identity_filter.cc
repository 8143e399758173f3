#include "connectors/sql/identity_filter.h"

namespace dsr::connectors::sql {
namespace {

// The separators people write into phone numbers; the same list is removed in
// SQL by nested REPLACE, which SQLite and MySQL both have.
constexpr std::string_view kPhoneSeparators = " -/().";

// Where the placeholder of the subject's value goes in Given::value_expression.
constexpr char kValueSlot[] = "{value}";

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
  std::vector<std::string> columns;
  for (const auto& column : mapping.columns) {
    columns.push_back(dialect.AsText(dialect.Quote(column)));
  }
  std::string expression = columns.size() == 1 ? columns.front() : dialect.JoinWithSpace(columns);
  switch (mapping.match) {
    case MatchMode::kExact:
      break;
    case MatchMode::kCaseInsensitive:
      expression = "LOWER(" + expression + ")";
      break;
    case MatchMode::kDigits:
      for (char separator : kPhoneSeparators) {
        expression = "REPLACE(" + expression + ", '" + separator + "', '')";
      }
      break;
  }
  return dialect.ByteForByte(expression);
}

std::string NormalizedValueExpression(const std::string& placeholder,
                                      const IdentityMapping& mapping, const SqlDialect& dialect) {
  // MySQL's LOWER folds letters beyond ASCII too, so the value gets the same
  // LOWER as the column; on SQLite it repeats what the C++ side did.
  const bool fold = mapping.match == MatchMode::kCaseInsensitive;
  return dialect.ByteForByte(fold ? "LOWER(" + placeholder + ")" : placeholder);
}

IdentityVerdicts::IdentityVerdicts(const TableConfig& table, const Subject& subject,
                                   const SqlDialect& dialect) {
  for (const auto& [attribute, mapping] : table.identities) {
    const auto given = subject.find(attribute);
    if (given == subject.end()) continue;
    std::string value = NormalizeIdentityValue(given->second, mapping);
    if (value.empty()) continue;
    given_.push_back({attribute, std::move(value), NormalizedColumnExpression(mapping, dialect),
                      NormalizedValueExpression(kValueSlot, mapping, dialect)});
  }
}

std::string IdentityVerdicts::Equals(const Given& given, BoundSql* query) {
  std::string value = given.value_expression;
  value.replace(value.find(kValueSlot), std::string_view(kValueSlot).size(),
                query->Bind(given.value));
  return given.expression + " = " + value;
}

std::string IdentityVerdicts::Verdict(const Given& given, BoundSql* query) const {
  // A column that normalizes to nothing (NULL, blanks, only separators) says
  // nothing about the person, so it contradicts nothing.
  return "(CASE WHEN " + Equals(given, query) + " THEN 'm' WHEN COALESCE(TRIM(" + given.expression +
         "), '') = '' THEN 'e' ELSE 'd' END)";
}

std::string IdentityVerdicts::AnyMatch(BoundSql* query) const {
  std::string text;
  for (const auto& given : given_) text += (text.empty() ? "(" : " OR ") + Equals(given, query);
  return text + ")";
}

std::string IdentityVerdicts::NoneDiffers(BoundSql* query) const {
  std::string text;
  for (const auto& given : given_) {
    text += (text.empty() ? "(" : " AND ") + Verdict(given, query) + " <> 'd'";
  }
  return text + ")";
}

BoundSql IdentityVerdicts::Matching() const {
  BoundSql filter;
  filter.text = AnyMatch(&filter);
  return filter;
}

BoundSql IdentityVerdicts::Confirmed() const {
  BoundSql filter;
  filter.text = AnyMatch(&filter);
  filter.text += " AND " + NoneDiffers(&filter);
  return filter;
}

BoundSql IdentityVerdicts::Ambiguous() const {
  BoundSql filter;
  filter.text = AnyMatch(&filter);
  filter.text += " AND NOT " + NoneDiffers(&filter);
  return filter;
}

std::string IdentityVerdicts::SelectList(BoundSql* query) const {
  std::string list;
  for (const auto& given : given_) list += (list.empty() ? "" : ", ") + Verdict(given, query);
  return list;
}

RowMatch IdentityVerdicts::Read(const soci::row& row, size_t* position) const {
  std::vector<std::string> matches;
  std::vector<std::string> differs;
  for (const auto& given : given_) {
    const size_t at = (*position)++;
    const std::string verdict =
        row.get_indicator(at) == soci::i_null ? "e" : row.get<std::string>(at);
    if (verdict == "m") matches.push_back(given.attribute);
    if (verdict == "d") differs.push_back(given.attribute);
  }
  if (differs.empty()) return {};
  auto join = [](const std::vector<std::string>& names) {
    std::string joined;
    for (const auto& name : names) joined += (joined.empty() ? "" : " and ") + name;
    return joined;
  };
  return {Match::kAmbiguous, "matches " + join(matches) + "; " + join(differs) +
                                 (differs.size() == 1 ? " differs" : " differ")};
}

}  // namespace dsr::connectors::sql
