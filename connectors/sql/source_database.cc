#include "connectors/sql/source_database.h"

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
  return error.get_error_message();
}

bool IsTransientSociError(const soci::soci_error& error) {
  if (error.get_error_category() == soci::soci_error::connection_error) return true;
  // SOCI's SQLite backend files SQLITE_BUSY under "unknown"; its text is stable.
  const std::string message = error.get_error_message();
  return message.find("database is locked") != std::string::npos ||
         message.find("database table is locked") != std::string::npos;
}

bool IsConstraintError(const soci::soci_error& error) {
  if (error.get_error_category() == soci::soci_error::constraint_violation) return true;
  const std::string message = error.get_error_message();
  // SQLite: "... constraint failed"; MySQL: "Duplicate entry ...", "... constraint fails".
  return message.find("constraint failed") != std::string::npos ||
         message.find("Duplicate entry") != std::string::npos ||
         message.find("constraint fails") != std::string::npos;
}

}  // namespace dsr::connectors::sql
