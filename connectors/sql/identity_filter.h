// Identity matching: which rows of a table hold one of the subject's
// identities, and whether another identity contradicts the match. The
// subject's value and the column are normalized the same way (once in C++,
// once in SQL), and the value is always a bound parameter. Text is compared
// byte for byte on every database, as SQLite does: a MySQL collation that
// ignores case or accents must not widen an exact match.
#pragma once

#include <soci/soci.h>

#include <string>
#include <string_view>
#include <vector>

#include "connectors/connector.h"
#include "connectors/sql/sql_config.h"
#include "connectors/sql/sql_dialect.h"
#include "connectors/sql/sql_value.h"

namespace dsr::connectors::sql {

// `value` as `mapping` compares it: surrounding white space dropped; ASCII
// letters lower-cased for kCaseInsensitive (as SQL LOWER does in SQLite);
// space - / ( ) . removed for kDigits; runs of white space made one space when
// several columns are joined. Empty when nothing is left to compare.
std::string NormalizeIdentityValue(std::string_view value, const IdentityMapping& mapping);

// The SQL expression that normalizes `mapping`'s column(s) the same way.
std::string NormalizedColumnExpression(const IdentityMapping& mapping, const SqlDialect& dialect);
// The SQL expression to compare that with, around the `placeholder` of the
// value NormalizeIdentityValue gave.
std::string NormalizedValueExpression(const std::string& placeholder,
                                      const IdentityMapping& mapping, const SqlDialect& dialect);

// Whether a located row belongs to the subject for sure, and if not, why
// (attribute names only: "matches phone; email differs").
struct RowMatch {
  Match match = Match::kConfirmed;
  std::string ambiguity;
};

// For each identity of the subject that a table maps: does a row match it,
// contradict it (a different, non-empty value) or leave it empty? A row is
// confirmed when it matches one and contradicts none. Each verdict is one SQL
// expression, so filters and per-row reasons agree. Value type.
class IdentityVerdicts {
 public:
  IdentityVerdicts(const TableConfig& table, const Subject& subject, const SqlDialect& dialect);

  // Whether the table maps none of the subject's (non-empty) identities.
  bool empty() const { return given_.empty(); }
  // Rows that match ANY of the identities.
  BoundSql Matching() const;
  // Rows that are confirmed / ambiguous; both match at least one identity.
  BoundSql Confirmed() const;
  BoundSql Ambiguous() const;
  // Select-list expressions for Read, their values bound into `query`.
  std::string SelectList(BoundSql* query) const;
  // Reads what SelectList selected, from `*position` of `row` on.
  RowMatch Read(const soci::row& row, size_t* position) const;

 private:
  struct Given {
    std::string attribute;
    std::string value;             // normalized
    std::string expression;        // the normalized column(s)
    std::string value_expression;  // what `value` is compared as, around a slot for it
  };
  // "<column(s)> = <value>", with the value bound into `query`.
  static std::string Equals(const Given& given, BoundSql* query);
  // 'm' (matches), 'd' (differs) or 'e' (empty), with its value bound into `query`.
  std::string Verdict(const Given& given, BoundSql* query) const;
  std::string AnyMatch(BoundSql* query) const;
  std::string NoneDiffers(BoundSql* query) const;

  std::vector<Given> given_;
};

}  // namespace dsr::connectors::sql
