#include "tests/sql/mariadb_sample_crm.h"

#include <doctest/doctest.h>
#include <soci/soci.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <variant>

namespace dsr::connectors::testing {
namespace {

using sample_crm::SampleCrmData;

// The sample CRM's tables as a MariaDB schema would declare them. The keyed
// hashes of anonymization ("anon:" + 64 hex digits) must fit customer_number.
constexpr const char* kSchema[] = {
    "CREATE TABLE customers (id INT PRIMARY KEY, customer_number VARCHAR(80) NOT NULL UNIQUE, "
    "first_name VARCHAR(100) NOT NULL, last_name VARCHAR(100) NOT NULL, "
    "email VARCHAR(254) NOT NULL UNIQUE, phone VARCHAR(40), street VARCHAR(200), "
    "postal_code VARCHAR(20), city VARCHAR(100), country VARCHAR(60) NOT NULL, birth_date DATE, "
    "created_at DATETIME NOT NULL, marketing_consent BOOLEAN NOT NULL) ENGINE=InnoDB",
    "CREATE TABLE products (id INT PRIMARY KEY, sku VARCHAR(40) NOT NULL UNIQUE, "
    "name VARCHAR(200) NOT NULL, price_cents BIGINT NOT NULL) ENGINE=InnoDB",
    "CREATE TABLE orders (id INT PRIMARY KEY, customer_id INT NOT NULL, "
    "order_number VARCHAR(40) NOT NULL UNIQUE, ordered_at DATETIME NOT NULL, "
    "status VARCHAR(20) NOT NULL, total_cents BIGINT NOT NULL, currency CHAR(3) NOT NULL, "
    "FOREIGN KEY (customer_id) REFERENCES customers (id)) ENGINE=InnoDB",
    "CREATE TABLE order_lines (id INT PRIMARY KEY, order_id INT NOT NULL, product_id INT NOT NULL, "
    "quantity INT NOT NULL, unit_price_cents BIGINT NOT NULL, "
    "FOREIGN KEY (order_id) REFERENCES orders (id), "
    "FOREIGN KEY (product_id) REFERENCES products (id)) ENGINE=InnoDB",
    "CREATE TABLE invoices (id INT PRIMARY KEY, customer_id INT NOT NULL, order_id INT, "
    "invoice_number VARCHAR(40) NOT NULL UNIQUE, billing_name VARCHAR(200) NOT NULL, "
    "issued_on DATE NOT NULL, total_cents BIGINT NOT NULL, "
    "processing_restricted TINYINT NOT NULL DEFAULT 0, "
    "FOREIGN KEY (customer_id) REFERENCES customers (id), "
    "FOREIGN KEY (order_id) REFERENCES orders (id)) ENGINE=InnoDB",
    "CREATE TABLE payments (id INT PRIMARY KEY, invoice_id INT NOT NULL, paid_on DATE NOT NULL, "
    "amount_cents BIGINT NOT NULL, method VARCHAR(40) NOT NULL, iban_masked VARCHAR(50), "
    "processing_restricted TINYINT NOT NULL DEFAULT 0, "
    "FOREIGN KEY (invoice_id) REFERENCES invoices (id)) ENGINE=InnoDB",
    "CREATE TABLE support_notes (id INT PRIMARY KEY, customer_id INT NOT NULL, "
    "created_at DATETIME NOT NULL, author VARCHAR(100) NOT NULL, channel VARCHAR(20) NOT NULL, "
    "body TEXT NOT NULL, FOREIGN KEY (customer_id) REFERENCES customers (id)) ENGINE=InnoDB",
};

using Cell = std::variant<std::monostate, long long, std::string>;
using Rows = std::vector<std::vector<Cell>>;

Cell TextOrNull(const std::string& text) {
  return text.empty() ? Cell{} : Cell{text};
}
Cell IdOrNull(long long id) {
  return id == 0 ? Cell{} : Cell{id};
}

// "2021-03-04T10:22:31Z" as a DATETIME literal: "2021-03-04 10:22:31".
Cell DateTime(std::string iso) {
  if (iso.size() > 10 && iso[10] == 'T') iso[10] = ' ';
  if (!iso.empty() && iso.back() == 'Z') iso.pop_back();
  return iso;
}

// One INSERT per 250 rows: the mysql backend binds on the client and sends
// one round trip per statement (PITFALLS.md).
void InsertRows(soci::session& sql, const std::string& table,
                const std::vector<std::string>& columns, Rows rows) {
  constexpr size_t kBatch = 250;
  static std::string unused;
  static soci::indicator null = soci::i_null;
  std::string names;
  for (const auto& column : columns) names += (names.empty() ? "" : ", ") + column;
  for (size_t start = 0; start < rows.size(); start += kBatch) {
    soci::statement insert(sql);
    std::string text = "INSERT INTO " + table + " (" + names + ") VALUES ";
    int bound = 0;
    for (size_t r = start; r < std::min(rows.size(), start + kBatch); ++r) {
      text += r == start ? "(" : ", (";
      for (size_t c = 0; c < rows[r].size(); ++c) {
        const std::string name = "v" + std::to_string(bound++);
        text += (c == 0 ? ":" : ", :") + name;
        Cell& cell = rows[r][c];
        if (auto* number = std::get_if<long long>(&cell)) {
          insert.exchange(soci::use(*number, name));
        } else if (auto* value = std::get_if<std::string>(&cell)) {
          insert.exchange(soci::use(*value, name));
        } else {
          insert.exchange(soci::use(unused, null, name));
        }
      }
      text += ")";
    }
    insert.alloc();
    insert.prepare(text);
    insert.define_and_bind();
    insert.execute(true);
  }
}

void InsertCustomers(soci::session& sql, const SampleCrmData& data) {
  Rows rows;
  for (const auto& c : data.customers) {
    rows.push_back({c.id, c.customer_number, c.first_name, c.last_name, c.email,
                    TextOrNull(c.phone), TextOrNull(c.street), TextOrNull(c.postal_code),
                    TextOrNull(c.city), c.country, TextOrNull(c.birth_date), DateTime(c.created_at),
                    static_cast<long long>(c.marketing_consent)});
  }
  InsertRows(sql, "customers",
             {"id", "customer_number", "first_name", "last_name", "email", "phone", "street",
              "postal_code", "city", "country", "birth_date", "created_at", "marketing_consent"},
             std::move(rows));
}

void InsertCommerce(soci::session& sql, const SampleCrmData& data) {
  Rows products, orders, lines;
  for (const auto& p : data.products) products.push_back({p.id, p.sku, p.name, p.price_cents});
  InsertRows(sql, "products", {"id", "sku", "name", "price_cents"}, std::move(products));
  for (const auto& o : data.orders) {
    orders.push_back({o.id, o.customer_id, o.order_number, DateTime(o.ordered_at), o.status,
                      o.total_cents, o.currency});
  }
  InsertRows(
      sql, "orders",
      {"id", "customer_id", "order_number", "ordered_at", "status", "total_cents", "currency"},
      std::move(orders));
  for (const auto& l : data.order_lines) {
    lines.push_back(
        {l.id, l.order_id, l.product_id, static_cast<long long>(l.quantity), l.unit_price_cents});
  }
  InsertRows(sql, "order_lines", {"id", "order_id", "product_id", "quantity", "unit_price_cents"},
             std::move(lines));
}

void InsertAccounting(soci::session& sql, const SampleCrmData& data) {
  Rows invoices, payments, notes;
  for (const auto& i : data.invoices) {
    invoices.push_back({i.id, i.customer_id, IdOrNull(i.order_id), i.invoice_number, i.billing_name,
                        i.issued_on, i.total_cents});
  }
  InsertRows(sql, "invoices",
             {"id", "customer_id", "order_id", "invoice_number", "billing_name", "issued_on",
              "total_cents"},
             std::move(invoices));
  for (const auto& p : data.payments) {
    payments.push_back(
        {p.id, p.invoice_id, p.paid_on, p.amount_cents, p.method, TextOrNull(p.iban_masked)});
  }
  InsertRows(sql, "payments",
             {"id", "invoice_id", "paid_on", "amount_cents", "method", "iban_masked"},
             std::move(payments));
  for (const auto& n : data.support_notes) {
    notes.push_back({n.id, n.customer_id, DateTime(n.created_at), n.author, n.channel, n.body});
  }
  InsertRows(sql, "support_notes", {"id", "customer_id", "created_at", "author", "channel", "body"},
             std::move(notes));
}

const SampleCrmData& GeneratedRows() {
  static const SampleCrmData data = sample_crm::GenerateSampleCrm(400, 1);
  return data;
}

}  // namespace

void LoadSampleCrm(const std::string& root_connection, const SampleCrmData& data) {
  try {
    soci::session sql(root_connection);
    soci::transaction transaction(sql);
    for (const char* statement : kSchema) sql << statement;
    InsertCustomers(sql, data);
    InsertCommerce(sql, data);
    InsertAccounting(sql, data);
    transaction.commit();
  } catch (const soci::soci_error& error) {
    std::fprintf(stderr, "test fixture failure: LoadSampleCrm: %s\n", error.what());
    std::abort();
  }
}

MariaDbCrm::MariaDbCrm()
    : server_(MariaDbServer::Shared()),
      database_(server_.CreateDatabase("crm")),
      key_path_(dir_.File("anon.key")) {
  WriteFile(key_path_, std::string(64, 'k'));
  LoadSampleCrm(server_.RootConnectionString(database_), GeneratedRows());
}

nlohmann::json MariaDbCrm::Config() const {
  nlohmann::json config = ExampleCrmConnectorConfig("", key_path_);
  config["connection"] = server_.ConnectionString(database_);
  return config;
}

std::unique_ptr<Connector> MariaDbCrm::Connect() const {
  auto connector = NewConnector(Config(), "worker-crm.yaml");
  REQUIRE_MESSAGE(connector.ok(), connector.status().ToString());
  return std::move(connector.value());
}

std::vector<nlohmann::json> MariaDbCrm::Query(const std::string& sql,
                                              const std::vector<std::string>& params) const {
  return server_.Query(database_, sql, params);
}

void MariaDbCrm::Execute(const std::string& sql) const {
  server_.Execute(database_, sql);
}

long long MariaDbCrm::CustomerId(const std::string& customer_number) const {
  const auto rows = Query("SELECT id FROM customers WHERE customer_number = ?1", {customer_number});
  REQUIRE(rows.size() == 1);
  return rows[0]["id"].get<long long>();
}

TableDump MariaDbCrm::Dump() const {
  TableDump dump;
  for (const char* table :
       {"customers", "orders", "order_lines", "invoices", "payments", "support_notes"}) {
    dump[table] = Query(std::string("SELECT * FROM ") + table + " ORDER BY id");
  }
  return dump;
}

const MariaDbCrm& SharedMariaDbCrm() {
  static const MariaDbCrm crm;
  return crm;
}

MariaDbFixture BuildMariaDbFixture(const std::vector<std::string>& statements,
                                   nlohmann::json config) {
  MariaDbServer& server = MariaDbServer::Shared();
  MariaDbFixture fixture;
  fixture.database = server.CreateDatabase("fixture");
  for (const auto& statement : statements) server.Execute(fixture.database, statement);
  config["connection"] = server.ConnectionString(fixture.database);
  auto connector = NewConnector(config, "test.yaml");
  REQUIRE_MESSAGE(connector.ok(), connector.status().ToString());
  fixture.connector = std::move(connector.value());
  return fixture;
}

}  // namespace dsr::connectors::testing
