#include "coordinator/store/migrations.h"

#include <algorithm>
#include <string_view>
#include <utility>

namespace dsr::embedded {
const std::vector<std::pair<std::string_view, std::string_view>>& StoreMigrations();
}

namespace dsr::store {
namespace {

// Splits a migration file at semicolons that end a line; "--" comment lines
// are dropped. Migration files keep one statement per such block.
std::vector<std::string> SplitStatements(std::string_view text) {
  std::vector<std::string> statements;
  std::string current;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    const size_t first = line.find_first_not_of(" \t\r");
    if (first == std::string_view::npos || line.substr(first, 2) == "--") continue;
    current.append(line).push_back('\n');
    const size_t last = line.find_last_not_of(" \t\r");
    if (line[last] == ';') {
      current.erase(current.find_last_of(';'));
      statements.push_back(std::move(current));
      current.clear();
    }
  }
  if (current.find_first_not_of(" \t\r\n") != std::string::npos) statements.push_back(current);
  return statements;
}

}  // namespace

std::vector<Migration> MigrationsFor(const std::string& folder) {
  std::vector<Migration> migrations;
  const std::string prefix = folder + "/";
  for (const auto& [path, text] : embedded::StoreMigrations()) {
    if (path.substr(0, prefix.size()) != prefix) continue;
    const std::string file(path.substr(prefix.size()));
    Migration migration;
    migration.version = std::stoi(file.substr(0, file.find('_')));
    migration.name = file.substr(0, file.rfind('.'));
    migration.statements = SplitStatements(text);
    migrations.push_back(std::move(migration));
  }
  std::sort(migrations.begin(), migrations.end(),
            [](const Migration& a, const Migration& b) { return a.version < b.version; });
  return migrations;
}

}  // namespace dsr::store
