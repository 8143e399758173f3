// StoreLocation: where one store test keeps its store, on the backend this
// run of the test executable covers — SQLite in a temporary directory by
// default, or a fresh database on the executable's one MariaDB server
// (started on first use, stopped at exit) when DSR_STORE_TEST_BACKEND is
// "mariadb". CTest runs the same tests both ways: dsr_store_test and
// dsr_store_test_mariadb.
#pragma once

#include <memory>
#include <string>

#include "tests/support/temp_dir.h"

namespace dsr::testing {

class StoreLocation {
 public:
  StoreLocation();

  // SOCI connection string of an empty store.
  const std::string& url() const { return url_; }
  // A URL of the same backend that cannot be opened.
  std::string UnreachableUrl() const;
  // "sqlite" or "mariadb".
  const std::string& backend() const { return backend_; }
  // The backend this run covers, without making a store.
  static std::string BackendOfThisRun();

 private:
  std::string backend_;
  std::unique_ptr<TempDir> dir_;
  std::string url_;
};

}  // namespace dsr::testing
