#include "connectors/sql/row_anonymizer.h"

#include <cstdio>
#include <set>

#include "connectors/sql/row_filters.h"

namespace dsr::connectors::sql {
namespace {

using How = AnonymizeRule::How;

SqlValue FixedValue(const nlohmann::json& value) {
  if (value.is_number_integer()) return value.get<long long>();
  if (value.is_number()) return value.get<double>();
  return value.get<std::string>();
}

// The bytes a keyed hash is computed over: the value as the database shows it.
std::string HashInput(const SqlValue& value) {
  if (const auto* text = std::get_if<std::string>(&value)) return *text;
  if (const auto* blob = std::get_if<Blob>(&value)) return blob->bytes;
  if (const auto* number = std::get_if<long long>(&value)) return std::to_string(*number);
  if (const auto* real = std::get_if<double>(&value)) {
    char text[40];
    std::snprintf(text, sizeof text, "%.17g", *real);
    return text;
  }
  return "";
}

bool IsKeyedHash(const SqlValue& value) {
  const auto* text = std::get_if<std::string>(&value);
  return text != nullptr && text->rfind(kKeyedHashPrefix, 0) == 0;
}

}  // namespace

BoundSql RowAnonymizer::AlreadyAnonymized() const {
  const SqlDialect& dialect = database_.dialect();
  BoundSql condition;
  for (const auto& [column, rule] : table_.erasure.anonymize) {
    const std::string quoted = dialect.Quote(column);
    std::string test;
    switch (rule.how) {
      case How::kNull:
        test = quoted + " IS NULL";
        break;
      case How::kFixed:
        test = quoted + " IS NOT NULL AND " + Equals(quoted, FixedValue(rule.value), &condition);
        break;
      case How::kKeyedHash:
        test = quoted + " IS NULL OR " +
               dialect.SameText(
                   "SUBSTR(" + quoted + ", 1, " + std::to_string(kKeyedHashPrefix.size()) + ")",
                   "'" + std::string(kKeyedHashPrefix) + "'");
        break;
    }
    condition.text += (condition.text.empty() ? "(" : " AND (") + test + ")";
  }
  if (condition.text.empty()) condition.text = "1 = 1";  // no rules: nothing left to do
  return condition;
}

std::string RowAnonymizer::Equals(const std::string& quoted_column, const SqlValue& value,
                                  BoundSql* statement) const {
  const std::string placeholder = statement->Bind(value);
  if (std::holds_alternative<std::string>(value)) {
    return database_.dialect().SameText(quoted_column, placeholder);
  }
  return quoted_column + " = " + placeholder;  // numbers compare as numbers
}

std::string RowAnonymizer::PlainAssignments(BoundSql* statement) const {
  const SqlDialect& dialect = database_.dialect();
  std::string assignments;
  for (const auto& [column, rule] : table_.erasure.anonymize) {
    if (rule.how == How::kKeyedHash) continue;
    const std::string value =
        rule.how == How::kNull ? "NULL" : statement->Bind(FixedValue(rule.value));
    assignments += (assignments.empty() ? "" : ", ") + dialect.Quote(column) + " = " + value;
  }
  return assignments;
}

Result<int64_t> RowAnonymizer::Anonymize(const BoundSql& filter) {
  BoundSql pending;
  pending.text =
      "(" + pending.Adopt(filter) + ") AND NOT (" + pending.Adopt(AlreadyAnonymized()) + ")";
  std::vector<const ColumnInfo*> hashed;
  for (const auto& [column, rule] : table_.erasure.anonymize) {
    if (rule.how == How::kKeyedHash) hashed.push_back(columns_.Find(column));
  }
  if (!hashed.empty()) return AnonymizeHashed(pending, hashed);
  BoundSql update;
  update.text = "UPDATE " + database_.dialect().Quote(table_.name) + " SET ";
  update.text += PlainAssignments(&update);
  update.text += " WHERE " + update.Adopt(pending);
  return database_.Execute(update);
}

// Rows with the same values in the hashed columns get the same hashes, so one
// UPDATE per distinct combination rewrites them all, key or no key.
Result<int64_t> RowAnonymizer::AnonymizeHashed(const BoundSql& pending,
                                               const std::vector<const ColumnInfo*>& hashed) {
  if (key_ == nullptr) return Internal("keyed hash without a loaded key");
  const SqlDialect& dialect = database_.dialect();
  std::vector<ColumnInfo> columns;
  for (const ColumnInfo* column : hashed) columns.push_back(*column);
  // Not SELECT DISTINCT: a MySQL collation would merge values that differ in
  // case, and each value must get the hash of its own bytes.
  BoundSql values_query = pending;
  values_query.text = "SELECT " + SelectList(dialect, columns) + " FROM " +
                      dialect.Quote(table_.name) + " WHERE " + pending.text;
  std::set<std::vector<SqlValue>> combinations;
  DSR_RETURN_IF_ERROR(database_.ForEachRow(values_query, [&](const soci::row& row) {
    size_t position = 0;
    std::vector<SqlValue> values;
    for (const auto& column : columns) {
      values.push_back(dialect.DecodeColumn(row, &position, column));
    }
    combinations.insert(std::move(values));
    return Status::Ok();
  }));
  int64_t changed = 0;
  for (const auto& values : combinations) {
    BoundSql update;
    update.text = "UPDATE " + dialect.Quote(table_.name) + " SET ";
    std::string assignments = PlainAssignments(&update);
    std::string where = " WHERE " + update.Adopt(pending);
    for (size_t i = 0; i < columns.size(); ++i) {
      const std::string quoted = dialect.Quote(columns[i].name);
      if (std::holds_alternative<std::monostate>(values[i])) {
        where += " AND " + quoted + " IS NULL";
        continue;  // NULL stays NULL
      }
      where += " AND " + Equals(quoted, values[i], &update);
      // A hash from an earlier erasure (before a rule was added) stays as it
      // is: hashing it again would break its comparability.
      if (IsKeyedHash(values[i])) continue;
      assignments += std::string(assignments.empty() ? "" : ", ") + quoted + " = " +
                     update.Bind(key_->Hash(HashInput(values[i])));
    }
    if (assignments.empty()) continue;  // every hashed column is NULL: nothing to write
    update.text += assignments + where;
    changed += database_.Execute(update);
  }
  return changed;
}

}  // namespace dsr::connectors::sql
