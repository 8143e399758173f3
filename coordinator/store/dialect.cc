#include "coordinator/store/dialect.h"

namespace dsr::store {

Result<std::unique_ptr<Dialect>> DialectForUrl(const std::string& url) {
  if (url.rfind("sqlite3://", 0) == 0) return NewSqliteDialect();
  if (url.rfind("mysql://", 0) == 0) return NewMysqlDialect();
  // Only the scheme is echoed: the rest may hold a password.
  return ValidationError(
      "unsupported store URL (expected sqlite3://db=PATH or mysql://db=NAME host=… user=…): '" +
      url.substr(0, url.find("://")) + "://…'");
}

}  // namespace dsr::store
