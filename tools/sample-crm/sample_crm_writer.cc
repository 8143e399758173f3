#include <soci/soci.h>
#include <sys/stat.h>

#include <cstdio>

#include "tools/sample-crm/sample_crm.h"

namespace dsr::sample_crm {
namespace {

constexpr const char* kSchema[] = {
    "CREATE TABLE customers (id INTEGER PRIMARY KEY, customer_number TEXT NOT NULL UNIQUE, "
    "first_name TEXT NOT NULL, last_name TEXT NOT NULL, email TEXT NOT NULL, phone TEXT, "
    "street TEXT, postal_code TEXT, city TEXT, country TEXT NOT NULL, "
    "birth_date DATE, created_at TIMESTAMP NOT NULL, marketing_consent BOOLEAN NOT NULL)",
    "CREATE UNIQUE INDEX customers_email ON customers (lower(email))",
    "CREATE TABLE products (id INTEGER PRIMARY KEY, sku TEXT NOT NULL UNIQUE, name TEXT NOT NULL, "
    "price_cents INTEGER NOT NULL)",
    "CREATE TABLE orders (id INTEGER PRIMARY KEY, "
    "customer_id INTEGER NOT NULL REFERENCES customers (id), order_number TEXT NOT NULL UNIQUE, "
    "ordered_at TIMESTAMP NOT NULL, status TEXT NOT NULL, total_cents INTEGER NOT NULL, "
    "currency TEXT NOT NULL)",
    "CREATE INDEX orders_customer ON orders (customer_id)",
    "CREATE TABLE order_lines (id INTEGER PRIMARY KEY, "
    "order_id INTEGER NOT NULL REFERENCES orders (id), "
    "product_id INTEGER NOT NULL REFERENCES products (id), quantity INTEGER NOT NULL, "
    "unit_price_cents INTEGER NOT NULL)",
    "CREATE INDEX order_lines_order ON order_lines (order_id)",
    "CREATE TABLE invoices (id INTEGER PRIMARY KEY, "
    "customer_id INTEGER NOT NULL REFERENCES customers (id), order_id INTEGER REFERENCES orders "
    "(id), "
    "invoice_number TEXT NOT NULL UNIQUE, billing_name TEXT NOT NULL, issued_on DATE NOT NULL, "
    "total_cents INTEGER NOT NULL, processing_restricted INTEGER NOT NULL DEFAULT 0)",
    "CREATE INDEX invoices_customer ON invoices (customer_id)",
    "CREATE INDEX invoices_order ON invoices (order_id)",
    "CREATE TABLE payments (id INTEGER PRIMARY KEY, "
    "invoice_id INTEGER NOT NULL REFERENCES invoices (id), paid_on DATE NOT NULL, "
    "amount_cents INTEGER NOT NULL, method TEXT NOT NULL, iban_masked TEXT, "
    "processing_restricted INTEGER NOT NULL DEFAULT 0)",
    "CREATE INDEX payments_invoice ON payments (invoice_id)",
    "CREATE TABLE support_notes (id INTEGER PRIMARY KEY, "
    "customer_id INTEGER NOT NULL REFERENCES customers (id), created_at TIMESTAMP NOT NULL, "
    "author TEXT NOT NULL, channel TEXT NOT NULL, body TEXT NOT NULL)",
    "CREATE INDEX support_notes_customer ON support_notes (customer_id)",
};

soci::indicator NullIfEmpty(const std::string& text) {
  return text.empty() ? soci::i_null : soci::i_ok;
}

// Each writer prepares one INSERT bound to a row variable and executes it per
// row: SQLite parses the statement once.
void WriteCustomers(soci::session& sql, const std::vector<CustomerRow>& rows) {
  CustomerRow row;
  soci::indicator birth = soci::i_ok;
  soci::statement insert =
      (sql.prepare << "INSERT INTO customers VALUES (:id, :number, :first, :last, :email, :phone, "
                      ":street, :postal, :city, :country, :birth, :created, :consent)",
       soci::use(row.id), soci::use(row.customer_number), soci::use(row.first_name),
       soci::use(row.last_name), soci::use(row.email), soci::use(row.phone), soci::use(row.street),
       soci::use(row.postal_code), soci::use(row.city), soci::use(row.country),
       soci::use(row.birth_date, birth), soci::use(row.created_at),
       soci::use(row.marketing_consent));
  for (const auto& each : rows) {
    row = each;
    birth = NullIfEmpty(row.birth_date);
    insert.execute(true);
  }
}

void WriteProducts(soci::session& sql, const std::vector<ProductRow>& rows) {
  ProductRow row;
  soci::statement insert =
      (sql.prepare << "INSERT INTO products VALUES (:id, :sku, :name, :price)", soci::use(row.id),
       soci::use(row.sku), soci::use(row.name), soci::use(row.price_cents));
  for (const auto& each : rows) {
    row = each;
    insert.execute(true);
  }
}

void WriteOrders(soci::session& sql, const SampleCrmData& data) {
  OrderRow order;
  soci::statement insert_order =
      (sql.prepare << "INSERT INTO orders VALUES (:id, :customer, :number, :at, :status, :total, "
                      ":currency)",
       soci::use(order.id), soci::use(order.customer_id), soci::use(order.order_number),
       soci::use(order.ordered_at), soci::use(order.status), soci::use(order.total_cents),
       soci::use(order.currency));
  for (const auto& each : data.orders) {
    order = each;
    insert_order.execute(true);
  }
  OrderLineRow line;
  soci::statement insert_line =
      (sql.prepare
           << "INSERT INTO order_lines VALUES (:id, :order_id, :product, :quantity, :price)",
       soci::use(line.id), soci::use(line.order_id), soci::use(line.product_id),
       soci::use(line.quantity), soci::use(line.unit_price_cents));
  for (const auto& each : data.order_lines) {
    line = each;
    insert_line.execute(true);
  }
}

void WriteInvoices(soci::session& sql, const std::vector<InvoiceRow>& rows) {
  InvoiceRow row;
  soci::indicator order = soci::i_ok;
  soci::statement insert =
      (sql.prepare << "INSERT INTO invoices (id, customer_id, order_id, invoice_number, "
                      "billing_name, issued_on, total_cents) VALUES (:id, :customer, :order_id, "
                      ":number, :billing_name, :issued, :total)",
       soci::use(row.id), soci::use(row.customer_id), soci::use(row.order_id, order),
       soci::use(row.invoice_number), soci::use(row.billing_name), soci::use(row.issued_on),
       soci::use(row.total_cents));
  for (const auto& each : rows) {
    row = each;
    order = row.order_id == 0 ? soci::i_null : soci::i_ok;
    insert.execute(true);
  }
}

void WritePayments(soci::session& sql, const std::vector<PaymentRow>& rows) {
  PaymentRow row;
  soci::indicator iban = soci::i_ok;
  soci::statement insert =
      (sql.prepare << "INSERT INTO payments (id, invoice_id, paid_on, amount_cents, method, "
                      "iban_masked) VALUES (:id, :invoice, :paid, :amount, :method, :iban)",
       soci::use(row.id), soci::use(row.invoice_id), soci::use(row.paid_on),
       soci::use(row.amount_cents), soci::use(row.method), soci::use(row.iban_masked, iban));
  for (const auto& each : rows) {
    row = each;
    iban = NullIfEmpty(row.iban_masked);
    insert.execute(true);
  }
}

void WriteSupportNotes(soci::session& sql, const std::vector<SupportNoteRow>& rows) {
  SupportNoteRow row;
  soci::statement insert =
      (sql.prepare << "INSERT INTO support_notes VALUES (:id, :customer, :at, :author, :channel, "
                      ":body)",
       soci::use(row.id), soci::use(row.customer_id), soci::use(row.created_at),
       soci::use(row.author), soci::use(row.channel), soci::use(row.body));
  for (const auto& each : rows) {
    row = each;
    insert.execute(true);
  }
}

void WriteDatabase(const std::string& path, const SampleCrmData& data) {
  // Quoted, so that a path with spaces stays one value of the connection string.
  soci::session sql("sqlite3", "db=\"" + path + "\"");
  sql << "PRAGMA foreign_keys = ON";
  soci::transaction transaction(sql);
  for (const char* statement : kSchema) sql << statement;
  WriteCustomers(sql, data.customers);
  WriteProducts(sql, data.products);
  WriteOrders(sql, data);
  WriteInvoices(sql, data.invoices);
  WritePayments(sql, data.payments);
  WriteSupportNotes(sql, data.support_notes);
  transaction.commit();
}

bool FileExists(const std::string& path) {
  struct stat info;
  return ::stat(path.c_str(), &info) == 0;
}

void RemoveDatabaseFiles(const std::string& path) {
  for (const char* suffix : {"", "-journal", "-wal", "-shm"}) std::remove((path + suffix).c_str());
}

}  // namespace

Result<SampleCrmSummary> CreateSampleCrm(const SampleCrmOptions& options) {
  if (options.customers < 1 || options.customers > 1000000) {
    return InvalidArgument("--customers must be between 1 and 1000000");
  }
  if (options.path.find('"') != std::string::npos) {
    return InvalidArgument("the database path must not contain '\"'");
  }
  if (FileExists(options.path) && !options.replace_existing) {
    return Conflict(options.path + " exists (use --force to replace it)");
  }
  const SampleCrmData data = GenerateSampleCrm(options.customers, options.seed);
  const std::string partial = options.path + ".partial";
  RemoveDatabaseFiles(partial);
  try {
    WriteDatabase(partial, data);
  } catch (const soci::soci_error& error) {
    RemoveDatabaseFiles(partial);
    return Internal("cannot write " + partial + ": " + error.get_error_message());
  }
  RemoveDatabaseFiles(options.path);
  if (std::rename(partial.c_str(), options.path.c_str()) != 0) {
    RemoveDatabaseFiles(partial);
    return Internal("cannot rename " + partial + " to " + options.path);
  }
  SampleCrmSummary summary;
  auto count = [](const auto& rows) { return static_cast<int64_t>(rows.size()); };
  summary.rows_per_table = {{"customers", count(data.customers)},
                            {"products", count(data.products)},
                            {"orders", count(data.orders)},
                            {"order_lines", count(data.order_lines)},
                            {"invoices", count(data.invoices)},
                            {"payments", count(data.payments)},
                            {"support_notes", count(data.support_notes)}};
  summary.samples = data.samples;
  return summary;
}

}  // namespace dsr::sample_crm
