#include "tests/e2e/crm_oracle.h"

#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <stdexcept>

#include "tests/e2e/cluster.h"

namespace dsr::testing {
namespace {

constexpr const char* kCustomerIds = "SELECT id FROM customers WHERE lower(email) = lower(?1)";

std::string OrderIds() {
  return std::string("SELECT id FROM orders WHERE customer_id IN (") + kCustomerIds + ")";
}

std::string InvoiceIds() {
  return std::string("SELECT id FROM invoices WHERE customer_id IN (") + kCustomerIds +
         ") OR order_id IN (" + OrderIds() + ")";
}

std::vector<nlohmann::json> Query(sqlite3* db, const std::string& sql, const std::string& email) {
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) {
    throw std::runtime_error(sqlite3_errmsg(db));
  }
  sqlite3_bind_text(statement, 1, email.c_str(), -1, SQLITE_TRANSIENT);
  std::vector<nlohmann::json> rows;
  while (sqlite3_step(statement) == SQLITE_ROW) {
    nlohmann::json row = nlohmann::json::object();
    for (int i = 0; i < sqlite3_column_count(statement); ++i) {
      const std::string name = sqlite3_column_name(statement, i);
      switch (sqlite3_column_type(statement, i)) {
        case SQLITE_INTEGER:
          row[name] = sqlite3_column_int64(statement, i);
          break;
        case SQLITE_FLOAT:
          row[name] = sqlite3_column_double(statement, i);
          break;
        case SQLITE_NULL:
          row[name] = nullptr;
          break;
        default:
          row[name] = std::string(reinterpret_cast<const char*>(sqlite3_column_text(statement, i)));
      }
    }
    rows.push_back(std::move(row));
  }
  sqlite3_finalize(statement);
  return rows;
}

void SortById(std::vector<nlohmann::json>& rows) {
  std::sort(rows.begin(), rows.end(), [](const nlohmann::json& a, const nlohmann::json& b) {
    return a.at("id") < b.at("id");
  });
}

}  // namespace

RowsByTable ExpectedRowsForEmail(const std::string& crm_path, const std::string& email) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(crm_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    throw std::runtime_error("cannot open " + crm_path);
  }
  const std::map<std::string, std::string> queries = {
      {"customers", "SELECT * FROM customers WHERE id IN (" + std::string(kCustomerIds) + ")"},
      {"orders", "SELECT * FROM orders WHERE id IN (" + OrderIds() + ")"},
      {"order_lines", "SELECT * FROM order_lines WHERE order_id IN (" + OrderIds() + ")"},
      {"invoices", "SELECT * FROM invoices WHERE id IN (" + InvoiceIds() + ")"},
      {"payments", "SELECT * FROM payments WHERE invoice_id IN (" + InvoiceIds() + ")"},
      {"support_notes",
       "SELECT * FROM support_notes WHERE customer_id IN (" + std::string(kCustomerIds) + ")"},
  };
  RowsByTable expected;
  for (const auto& [table, sql] : queries) {
    auto rows = Query(db, sql, email);
    if (rows.empty()) continue;
    SortById(rows);
    expected[table] = std::move(rows);
  }
  sqlite3_close(db);
  return expected;
}

RowsByTable AllRows(const std::string& crm_path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(crm_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    throw std::runtime_error("cannot open " + crm_path);
  }
  RowsByTable all;
  for (const char* table :
       {"customers", "orders", "order_lines", "invoices", "payments", "support_notes"}) {
    auto rows = Query(db, std::string("SELECT * FROM ") + table, "");
    SortById(rows);
    all[table] = std::move(rows);
  }
  sqlite3_close(db);
  return all;
}

RowsByTable WithoutRowsOf(const RowsByTable& all, const RowsByTable& subject) {
  RowsByTable rest;
  for (const auto& [table, rows] : all) {
    std::set<int64_t> ids;
    if (auto found = subject.find(table); found != subject.end()) {
      for (const auto& row : found->second) ids.insert(row.at("id").get<int64_t>());
    }
    for (const auto& row : rows) {
      if (ids.count(row.at("id").get<int64_t>()) == 0) rest[table].push_back(row);
    }
  }
  return rest;
}

RowsByTable BundleRows(const std::string& bundle_folder, const std::string& source) {
  RowsByTable found;
  const std::filesystem::path root = bundle_folder + "/sources/" + source;
  if (!std::filesystem::exists(root)) return found;
  for (const auto& entry : std::filesystem::directory_iterator(root)) {
    const auto records = entry.path() / "records.json";
    if (!std::filesystem::exists(records)) continue;
    auto rows =
        nlohmann::json::parse(ReadFile(records.string())).get<std::vector<nlohmann::json>>();
    SortById(rows);
    found[entry.path().filename().string()] = std::move(rows);
  }
  return found;
}

}  // namespace dsr::testing
