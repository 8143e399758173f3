// Versioned schema migrations, compiled in from migrations/<dialect>/NNNN_name.sql.
// Internal to the store.
#pragma once

#include <string>
#include <vector>

namespace dsr::store {

struct Migration {
  int version = 0;
  std::string name;
  std::vector<std::string> statements;
};

// The migrations of one dialect folder, in version order.
std::vector<Migration> MigrationsFor(const std::string& folder);

}  // namespace dsr::store
