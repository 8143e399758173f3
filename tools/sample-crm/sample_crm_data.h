// The sample CRM's rows in memory, generated deterministically from a seed
// before they are written to SQLite. Empty strings and zero ids stand for SQL
// NULL where a column allows it. Value types; thread-compatible.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace dsr::sample_crm {

struct CustomerRow {
  long long id = 0;
  std::string customer_number;  // "K-000123"
  std::string first_name;
  std::string last_name;
  std::string email;  // unique without case; some stored in mixed case
  std::string phone;
  std::string street;
  std::string postal_code;
  std::string city;
  std::string country;
  std::string birth_date;  // "1980-05-17", empty = NULL
  std::string created_at;  // "2021-03-04T10:22:31Z"
  int marketing_consent = 0;
};

struct ProductRow {
  long long id = 0;
  std::string sku;
  std::string name;
  long long price_cents = 0;
};

struct OrderRow {
  long long id = 0;
  long long customer_id = 0;
  std::string order_number;
  std::string ordered_at;
  std::string status;
  long long total_cents = 0;
  std::string currency;
};

struct OrderLineRow {
  long long id = 0;
  long long order_id = 0;
  long long product_id = 0;
  int quantity = 0;
  long long unit_price_cents = 0;
};

struct InvoiceRow {
  long long id = 0;
  long long customer_id = 0;
  long long order_id = 0;  // 0 = NULL: a service invoice without an order
  std::string invoice_number;
  std::string billing_name;  // the customer's name when the invoice was issued
  std::string issued_on;
  long long total_cents = 0;
};

struct PaymentRow {
  long long id = 0;
  long long invoice_id = 0;
  std::string paid_on;
  long long amount_cents = 0;
  std::string method;
  std::string iban_masked;  // empty = NULL (methods without a bank account)
};

struct SupportNoteRow {
  long long id = 0;
  long long customer_id = 0;
  std::string created_at;
  std::string author;
  std::string channel;
  std::string body;
};

// A customer worth trying in a demo, and why: "typical", "mixed-case-email",
// "shares-phone-with:K-000017" (that customer has the same number),
// "shares-address-with:K-000004" (same household), "non-ascii-name",
// "invoice-paid-next-year" (an invoice paid in the calendar year after it was
// issued, so the payment is retained a year longer). `email` is lower case.
struct SampleCustomer {
  std::string customer_number;
  std::string email;
  std::string phone;
  std::string name;
  std::string reason;
};

struct SampleCrmData {
  std::vector<CustomerRow> customers;
  std::vector<ProductRow> products;
  std::vector<OrderRow> orders;
  std::vector<OrderLineRow> order_lines;
  std::vector<InvoiceRow> invoices;
  std::vector<PaymentRow> payments;
  std::vector<SupportNoteRow> support_notes;
  std::vector<SampleCustomer> samples;
};

// The same `seed` and `customer_count` give the same data on every machine.
SampleCrmData GenerateSampleCrm(int customer_count, uint64_t seed);

}  // namespace dsr::sample_crm
