#include "tests/store/store_location.h"

#include <cstdlib>

#include "tests/support/mariadb_server.h"

namespace dsr::testing {
std::string StoreLocation::BackendOfThisRun() {
  const char* chosen = std::getenv("DSR_STORE_TEST_BACKEND");
  return chosen != nullptr && std::string(chosen) == "mariadb" ? "mariadb" : "sqlite";
}

StoreLocation::StoreLocation() : backend_(BackendOfThisRun()) {
  if (backend_ == "mariadb") {
    MariaDbServer& server = MariaDbServer::Shared();
    url_ = server.ConnectionString(server.CreateOwnedDatabase("store"));
  } else {
    dir_ = std::make_unique<TempDir>();
    url_ = "sqlite3://db=" + dir_->File("dsr.db") + " timeout=5";
  }
}

std::string StoreLocation::UnreachableUrl() const {
  // Port 1 on loopback refuses at once: no server listens there.
  if (backend_ == "mariadb") {
    return "mysql://db=dsr host=127.0.0.1 port=1 user=dsr password=x connect_timeout=2";
  }
  return "sqlite3://db=/nonexistent/dir/dsr.db";
}

}  // namespace dsr::testing
