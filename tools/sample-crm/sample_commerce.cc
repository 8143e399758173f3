#include <algorithm>
#include <cstdio>
#include <tuple>

#include "common/civil_date.h"
#include "tools/sample-crm/sample_generation.h"

namespace dsr::sample_crm {
namespace {

struct Dated {
  int64_t day = 0;
  int64_t seconds = 0;
  size_t sequence = 0;  // draw order: ties are broken the same way every run
  bool operator<(const Dated& other) const {
    return std::tie(day, seconds, sequence) < std::tie(other.day, other.seconds, other.sequence);
  }
};

struct OrderDraft {
  Dated when;
  long long customer_id = 0;
};

struct InvoiceDraft {
  Dated when;
  long long customer_id = 0;
  long long order_id = 0;
  long long total_cents = 0;
};

std::string Numbered(const char* prefix, int64_t day, long long id) {
  char text[32];
  std::snprintf(text, sizeof text, "%s-%s-%06lld", prefix, DayText(day).substr(0, 4).c_str(), id);
  return text;
}

std::string OrderStatus(SampleRandom& random) {
  const int64_t roll = random.Between(0, 99);
  if (roll < 70) return "delivered";
  if (roll < 78) return "shipped";
  if (roll < 83) return "open";
  if (roll < 93) return "cancelled";
  return "returned";
}

// 15 % of customers never order; the rest one to eight times.
int OrderCount(SampleRandom& random) {
  const int64_t roll = random.Between(0, 99);
  if (roll < 15) return 0;
  if (roll < 40) return 1;
  if (roll < 60) return 2;
  if (roll < 75) return 3;
  if (roll < 85) return 4;
  return static_cast<int>(random.Between(5, 8));
}

std::vector<OrderDraft> DrawOrders(SampleRandom& random, const std::vector<CustomerFacts>& facts) {
  std::vector<OrderDraft> drafts;
  for (size_t customer = 0; customer < facts.size(); ++customer) {
    for (int n = OrderCount(random); n > 0; --n) {
      OrderDraft draft;
      draft.when = {random.Between(facts[customer].created_day, kLastDay),
                    random.Between(6 * 3600, 23 * 3600), drafts.size()};
      draft.customer_id = static_cast<long long>(customer + 1);
      drafts.push_back(draft);
    }
  }
  std::sort(drafts.begin(), drafts.end(),
            [](const OrderDraft& a, const OrderDraft& b) { return a.when < b.when; });
  return drafts;
}

void AddOrderLines(SampleRandom& random, OrderRow* order, SampleCrmData* data) {
  for (int64_t n = random.Between(1, 4); n > 0; --n) {
    const ProductRow& product = random.Pick(data->products);
    OrderLineRow line;
    line.id = static_cast<long long>(data->order_lines.size() + 1);
    line.order_id = order->id;
    line.product_id = product.id;
    line.quantity = random.Chance(750) ? 1 : static_cast<int>(random.Between(2, 3));
    line.unit_price_cents = product.price_cents;
    order->total_cents += line.quantity * line.unit_price_cents;
    data->order_lines.push_back(line);
  }
}

// Orders that were not cancelled or left open are invoiced; about 4 % of
// customers also get a service invoice that belongs to no order.
std::vector<InvoiceDraft> DrawInvoices(SampleRandom& random,
                                       const std::vector<CustomerFacts>& facts,
                                       const SampleCrmData& data) {
  std::vector<InvoiceDraft> drafts;
  for (const auto& order : data.orders) {
    if (order.status == "cancelled" || order.status == "open") continue;
    const int64_t ordered =
        CivilDate::Parse(order.ordered_at.substr(0, 10)).value().DaysSinceEpoch();
    drafts.push_back({{std::min(kLastDay, ordered + random.Between(0, 3)), 0, drafts.size()},
                      order.customer_id,
                      order.id,
                      order.total_cents});
  }
  for (size_t customer = 0; customer < facts.size(); ++customer) {
    if (!random.Chance(40)) continue;
    drafts.push_back({{random.Between(facts[customer].created_day, kLastDay), 0, drafts.size()},
                      static_cast<long long>(customer + 1),
                      0,
                      random.Between(990, 4990)});
  }
  std::sort(drafts.begin(), drafts.end(),
            [](const InvoiceDraft& a, const InvoiceDraft& b) { return a.when < b.when; });
  return drafts;
}

std::string MaskedIban(SampleRandom& random, const std::string& country) {
  return country + random.Digits(2) + " **** **** **** **" + random.Digits(2) + " " +
         random.Digits(2);
}

void AddPayments(SampleRandom& random, const InvoiceRow& invoice, int64_t issued_day,
                 SampleCrmData* data) {
  if (random.Chance(80)) return;  // still unpaid
  const int parts = random.Chance(50) ? 2 : 1;
  static const std::vector<std::string> kMethods = {"sepa_direct_debit", "sepa_direct_debit",
                                                    "paypal", "credit_card", "bank_transfer"};
  const std::string& method = random.Pick(kMethods);
  const std::string& country =
      data->customers[static_cast<size_t>(invoice.customer_id - 1)].country;
  for (int part = 0; part < parts; ++part) {
    PaymentRow payment;
    payment.id = static_cast<long long>(data->payments.size() + 1);
    payment.invoice_id = invoice.id;
    payment.paid_on = DayText(std::min(kLastDay, issued_day + random.Between(0, 20) + part * 30));
    payment.amount_cents = parts == 1  ? invoice.total_cents
                           : part == 0 ? invoice.total_cents / 2
                                       : invoice.total_cents - invoice.total_cents / 2;
    payment.method = method;
    if (method == "sepa_direct_debit") payment.iban_masked = MaskedIban(random, country);
    data->payments.push_back(std::move(payment));
  }
}

}  // namespace

void GenerateProducts(SampleRandom& random, SampleCrmData* data) {
  static const std::vector<std::string> kNames = {
      "Wanderrucksack 30 l",    "Thermoskanne 1 l",      "Kaffeemühle „Bohne“",
      "Espressotassen (6er)",   "Gusseisenpfanne 28 cm", "Schneidebrett Eiche",
      "Leinen-Geschirrtuch",    "Brotkasten Emaille",    "Teekanne Glas 1,2 l",
      "Küchenwaage digital",    "Messerblock 5-teilig",  "Salatschüssel Bambus",
      "Wasserkocher Edelstahl", "Müslischalen (4er)",    "Bügeleisen Dampf",
      "Fußmatte Kokos",         "Kissenbezug Leinen",    "Bettwäsche Satin 135×200",
      "Daunendecke leicht",     "Handtuch-Set Frottee",  "Lesebrille +1,5",
      "Regenschirm Größe L",    "Thermobecher to go",    "Picknickdecke wasserdicht",
      "Gartenschere",           "Gießkanne Zink 5 l",    "Vogelhäuschen Lärche",
      "Kräutertopf-Set",        "Lichterkette 10 m",     "Tischleuchte Messing",
  };
  for (size_t i = 0; i < kNames.size(); ++i) {
    ProductRow product;
    product.id = static_cast<long long>(i + 1);
    product.sku = "P-" + std::to_string(1001 + i);
    product.name = kNames[i];
    product.price_cents = random.Between(3, 180) * 100 - 1;
    data->products.push_back(std::move(product));
  }
}

void GenerateCommerce(SampleRandom& random, const std::vector<CustomerFacts>& facts,
                      SampleCrmData* data) {
  for (const auto& draft : DrawOrders(random, facts)) {
    OrderRow order;
    order.id = static_cast<long long>(data->orders.size() + 1);
    order.customer_id = draft.customer_id;
    order.order_number = Numbered("B", draft.when.day, order.id);
    order.ordered_at = TimestampText(draft.when.day, draft.when.seconds);
    order.status = OrderStatus(random);
    order.currency = facts[static_cast<size_t>(draft.customer_id - 1)].currency;
    AddOrderLines(random, &order, data);
    data->orders.push_back(std::move(order));
  }
  for (const auto& draft : DrawInvoices(random, facts, *data)) {
    InvoiceRow invoice;
    invoice.id = static_cast<long long>(data->invoices.size() + 1);
    invoice.customer_id = draft.customer_id;
    invoice.order_id = draft.order_id;
    invoice.invoice_number = Numbered("R", draft.when.day, invoice.id);
    const CustomerRow& customer = data->customers[static_cast<size_t>(draft.customer_id - 1)];
    invoice.billing_name = customer.first_name + " " + customer.last_name;
    invoice.issued_on = DayText(draft.when.day);
    invoice.total_cents = draft.total_cents;
    AddPayments(random, invoice, draft.when.day, data);
    data->invoices.push_back(std::move(invoice));
  }
}

}  // namespace dsr::sample_crm
