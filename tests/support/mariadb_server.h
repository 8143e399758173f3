// MariaDbServer: a private MariaDB server for tests, made from Debian's
// mariadb-server-core binaries in a temporary directory: a fresh data
// directory (mariadb-install-db), then mariadbd on 127.0.0.1 at a free port
// and on a Unix socket in that directory. Destroying it stops the server
// (SIGTERM, SIGKILL after a bound) and removes the directory; Stop and
// StartAgain restart it in between, as an operator's restart would; if the test
// process dies first, the kernel sends the server SIGTERM (PR_SET_PDEATHSIG).
//
// Administration runs as root over the socket through the MariaDB C API, so
// expected rows are read without SOCI and without the connector's code.
// Tests connect as the user `dsr` over TCP, with only the privileges a
// connector needs (SELECT, UPDATE, DELETE) on each database they create, or
// with all privileges on a database for the coordinator's store.
// Not thread-safe.
#pragma once

#include <sys/types.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/status.h"

struct st_mysql;

namespace dsr::testing {

class MariaDbServer {
 public:
  // Starts a server; kUnavailable with the reason (and the end of the
  // server's log) when the binaries are missing or it does not come up
  // within 30 s.
  static Result<std::unique_ptr<MariaDbServer>> Start();
  // The one server of this test executable, started on first use and stopped
  // at exit. Fails the calling test when it cannot start.
  static MariaDbServer& Shared();

  ~MariaDbServer();
  MariaDbServer(const MariaDbServer&) = delete;
  MariaDbServer& operator=(const MariaDbServer&) = delete;

  int port() const { return port_; }
  const std::string& socket_path() const { return socket_; }
  // How long Start took, data directory included.
  double startup_seconds() const { return startup_seconds_; }

  // A new, empty database (utf8mb4, utf8mb4_unicode_ci, as a CRM would
  // have it) named "<prefix>_<n>", on which `dsr` may SELECT, UPDATE and DELETE.
  std::string CreateDatabase(const std::string& prefix);
  // The same, but `dsr` has every privilege on it, as the coordinator's
  // store needs (it creates and alters its own tables).
  std::string CreateOwnedDatabase(const std::string& prefix);
  // Stops the server (SIGTERM, SIGKILL after a bound), keeping its data.
  void Stop();
  // Starts the stopped server again on the same data directory and port;
  // kUnavailable when it does not come up within 30 s.
  Status StartAgain();

  // SOCI connection string for `database` as `dsr` over TCP.
  std::string ConnectionString(const std::string& database) const;
  // SOCI connection string for `database` as root over the socket.
  std::string RootConnectionString(const std::string& database) const;

  // Runs `sql` (one statement) as root; aborts the test binary on error.
  void Execute(const std::string& database, const std::string& sql) const;
  // Rows of one SELECT as JSON objects: integers, doubles (FLOAT, DOUBLE,
  // DECIMAL), DATE as "YYYY-MM-DD", DATETIME and TIMESTAMP as
  // "YYYY-MM-DDTHH:MM:SS", other values as strings, NULL as null. ?1, ?2 ...
  // in `sql` stand for `params`, escaped and quoted as text. Aborts on error.
  std::vector<nlohmann::json> Query(const std::string& database, const std::string& sql,
                                    const std::vector<std::string>& params = {}) const;

 private:
  MariaDbServer() = default;
  Status Install(const std::string& install_db);
  Status Launch(const std::string& mariadbd);
  Status WaitUntilReady();
  std::string CreateDatabaseWith(const std::string& prefix, const std::string& privileges);

  std::string dir_;
  std::string socket_;
  int port_ = 0;
  pid_t pid_ = -1;
  int databases_ = 0;
  double startup_seconds_ = 0;
};

// Runs `locking_statement` as root in a transaction that stays open while
// this object lives (then rolls back), so other sessions wait for its locks.
class MariaDbLockHolder {
 public:
  MariaDbLockHolder(const MariaDbServer& server, const std::string& database,
                    const std::string& locking_statement);
  ~MariaDbLockHolder();
  MariaDbLockHolder(const MariaDbLockHolder&) = delete;
  MariaDbLockHolder& operator=(const MariaDbLockHolder&) = delete;

 private:
  st_mysql* connection_;
};

}  // namespace dsr::testing
