#include "connectors/sql/source_database.h"

#include <soci/mysql/soci-mysql.h>

#include <set>

namespace dsr::connectors::sql {
namespace {

// SOCI keeps references to bound values, so `params` must outlive `statement`.
void BindParameters(soci::statement& statement, const std::vector<SqlValue>& params) {
  for (size_t i = 0; i < params.size(); ++i) {
    const std::string name = "p" + std::to_string(i);
    const SqlValue& value = params[i];
    if (const auto* number = std::get_if<long long>(&value)) {
      statement.exchange(soci::use(*number, name));
    } else if (const auto* real = std::get_if<double>(&value)) {
      statement.exchange(soci::use(*real, name));
    } else if (const auto* text = std::get_if<std::string>(&value)) {
      statement.exchange(soci::use(*text, name));
    } else {
      // Keys that are NULL or BLOB are never collected, so never bound.
      throw soci::soci_error("cannot bind a NULL or BLOB parameter");
    }
  }
}

}  // namespace

Result<std::unique_ptr<SourceDatabase>> SourceDatabase::Open(const std::string& connection) {
  std::unique_ptr<soci::session> session;
  try {
    session = std::make_unique<soci::session>(connection);
  } catch (const soci::soci_error& error) {
    return Unavailable("cannot open the database: " + SociErrorMessage(error));
  }
  auto dialect = SqlDialect::ForBackend(session->get_backend_name());
  if (!dialect.ok()) return dialect.status();
  try {
    for (const auto& statement : dialect->SessionSetup()) *session << statement;
  } catch (const soci::soci_error& error) {
    return Unavailable("cannot prepare the database session: " + SociErrorMessage(error));
  }
  return std::unique_ptr<SourceDatabase>(new SourceDatabase(std::move(session), *dialect));
}

Status SourceDatabase::ForEachRow(const BoundSql& query,
                                  const std::function<Status(const soci::row&)>& on_row) {
  soci::row row;
  soci::statement statement(*session_);
  statement.exchange(soci::into(row));
  BindParameters(statement, query.params);
  statement.alloc();
  statement.prepare(query.text);
  statement.define_and_bind();
  statement.execute(false);
  while (statement.fetch()) {
    DSR_RETURN_IF_ERROR(on_row(row));
  }
  return Status::Ok();
}

int64_t SourceDatabase::Execute(const BoundSql& query) {
  soci::statement statement(*session_);
  BindParameters(statement, query.params);
  statement.alloc();
  statement.prepare(query.text);
  statement.define_and_bind();
  statement.execute(true);
  return static_cast<int64_t>(statement.get_affected_rows());
}

void SourceDatabase::Begin() {
  *session_ << dialect_.BeginTransaction();
}

void SourceDatabase::Commit() {
  *session_ << "COMMIT";
}

void SourceDatabase::Rollback() noexcept {
  try {
    *session_ << "ROLLBACK";
  } catch (const std::exception&) {
    // The connector drops a session whose action failed, which ends the
    // transaction on the server side too.
  }
}

std::string SociErrorMessage(const soci::soci_error& error) {
  const std::string message = error.get_error_message();
  const auto* mysql = dynamic_cast<const soci::mysql_soci_error*>(&error);
  if (mysql == nullptr) return message;
  // MySQL quotes the values it refuses ("Duplicate entry '...'", "Incorrect
  // string value: '...'"), so every quoted part goes; the number tells what it was.
  std::string redacted;
  bool quoted = false;
  for (char c : message) {
    if (c == '\'') {
      redacted += quoted ? "...'" : "'";
      quoted = !quoted;
    } else if (!quoted) {
      redacted += c;
    }
  }
  return redacted + " (MySQL error " + std::to_string(mysql->err_num_) + ")";
}

bool IsTransientSociError(const soci::soci_error& error) {
  if (error.get_error_category() == soci::soci_error::connection_error) return true;
  if (const auto* mysql = dynamic_cast<const soci::mysql_soci_error*>(&error)) {
    static const std::set<unsigned> kTransient = {
        1040,  // too many connections
        1053,  // server shutdown in progress
        1205,  // lock wait timeout exceeded
        1213,  // deadlock found: the transaction was rolled back
        2006,  // server has gone away
        2013,  // lost connection during query
    };
    return kTransient.count(mysql->err_num_) != 0;
  }
  // SOCI's SQLite backend files SQLITE_BUSY under "unknown"; its text is stable.
  const std::string message = error.get_error_message();
  return message.find("database is locked") != std::string::npos ||
         message.find("database table is locked") != std::string::npos;
}

bool IsConstraintError(const soci::soci_error& error) {
  if (error.get_error_category() == soci::soci_error::constraint_violation) return true;
  if (const auto* mysql = dynamic_cast<const soci::mysql_soci_error*>(&error)) {
    static const std::set<unsigned> kRefused = {
        1048,  // column cannot be null
        1062,  // duplicate entry
        1169,  // duplicate unique key
        1216,  // foreign key: no parent row
        1217,  // foreign key: still referenced
        1264,  // out of range value
        1366,  // incorrect string value (a character the column's charset lacks)
        1406,  // data too long for the column
        1451,  // foreign key: cannot delete or update a parent row
        1452,  // foreign key: cannot add or update a child row
        1557,  // foreign key: duplicate entry
        1586,  // duplicate entry for a named key
        3819,  // check constraint violated (MySQL)
        4025,  // check constraint failed (MariaDB)
    };
    return kRefused.count(mysql->err_num_) != 0;
  }
  // SQLite: "... constraint failed"; MySQL, should its error class not be
  // recognised: "Duplicate entry ...", "... constraint fails".
  const std::string message = error.get_error_message();
  return message.find("constraint failed") != std::string::npos ||
         message.find("Duplicate entry") != std::string::npos ||
         message.find("constraint fails") != std::string::npos;
}

}  // namespace dsr::connectors::sql
