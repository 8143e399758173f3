// The sample CRM: a deterministic, realistic SQLite database of customers,
// orders, invoices, payments and support notes, for demos and tests of the
// SQL connector (deploy/examples/worker-crm.yaml is its connector config).
//
// Tables (all ids INTEGER PRIMARY KEY, with real foreign keys):
//   customers(id, customer_number, first_name, last_name, email, phone, street,
//             postal_code, city, country, birth_date, created_at, marketing_consent)
//   products(id, sku, name, price_cents)                      -- no personal data
//   orders(id, customer_id → customers, order_number, ordered_at, status,
//          total_cents, currency)
//   order_lines(id, order_id → orders, product_id → products, quantity,
//               unit_price_cents)
//   invoices(id, customer_id → customers, order_id → orders (NULL for service
//            invoices), invoice_number, billing_name, issued_on, total_cents,
//            processing_restricted)
//   payments(id, invoice_id → invoices, paid_on, amount_cents, method, iban_masked,
//            processing_restricted)
// Street, postal code and city may be NULL (an anonymized customer has none).
// Invoices and payments are accounting vouchers that must be kept (HGB §257,
// AO §147) after a customer asks for erasure; processing_restricted (0 or 1)
// marks a row whose processing is restricted to storage (GDPR Art. 18).
//   support_notes(id, customer_id → customers, created_at, author, channel, body)
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/status.h"
#include "tools/sample-crm/sample_crm_data.h"

namespace dsr::sample_crm {

struct SampleCrmOptions {
  std::string path;  // the SQLite file to create
  int customers = 2000;
  uint64_t seed = 1;
  bool replace_existing = false;  // otherwise an existing file is kConflict
};

struct SampleCrmSummary {
  std::map<std::string, int64_t> rows_per_table;
  std::vector<SampleCustomer> samples;
};

// Generates the data for options.seed and writes it to a new SQLite file in
// one transaction. The file appears complete or not at all (it is written
// under a temporary name and renamed). The same options give a
// byte-identical file with the same SQLite library.
Result<SampleCrmSummary> CreateSampleCrm(const SampleCrmOptions& options);

}  // namespace dsr::sample_crm
