#include "tools/sample-crm/sample_crm_data.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "common/civil_date.h"
#include "tools/sample-crm/sample_generation.h"

namespace dsr::sample_crm {
namespace {

const std::vector<std::string> kAuthors = {"Petra Neumann", "Kemal Aydın", "Jana Hübner",
                                           "Tobias Brandt", "Marta Kowalska"};
const std::vector<std::string> kChannels = {"email", "phone", "chat", "letter"};

// Bodies with "{order}" get one of the customer's order numbers.
const std::vector<std::string> kNoteBodies = {
    "Anfrage zum Lieferstatus von Bestellung {order}.",
    "Reklamation zu {order}: Artikel beschädigt geliefert, Ersatz versandt.",
    "Rückruf erbeten wegen der Rechnungsadresse; neue Anschrift folgt per E-Mail.",
    "Customer asked to stop marketing e-mails; consent withdrawn in the shop.",
    "Bitte künftig nur noch per E-Mail kontaktieren, nicht telefonisch.",
    "Asked for a copy of the invoice for order {order}.",
    "Änderung der Telefonnummer gemeldet, im Profil aktualisiert.",
    "Gutschein über 10 € als Entschuldigung für die Verzögerung gewährt.",
};

struct OrderMention {
  std::string number;
  int64_t day = 0;
};

// A note's text and day: a note about an order is written after the order.
void WriteNote(SampleRandom& random, int64_t earliest_day, const std::vector<OrderMention>& orders,
               SupportNoteRow* note) {
  std::string body = random.Pick(kNoteBodies);
  const size_t slot = body.find("{order}");
  if (slot != std::string::npos && orders.empty()) {
    body = "Allgemeine Anfrage zum Sortiment, telefonisch beantwortet.";
  } else if (slot != std::string::npos) {
    const OrderMention& order = random.Pick(orders);
    body.replace(slot, 7, order.number);
    earliest_day = order.day;
  }
  note->body = body;
  note->created_at =
      TimestampText(random.Between(earliest_day, kLastDay), random.Between(8 * 3600, 18 * 3600));
}

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

bool HasNonAscii(const std::string& text) {
  return std::any_of(text.begin(), text.end(), [](char c) { return (c & 0x80) != 0; });
}

SampleCustomer Describe(const CustomerRow& customer, std::string reason) {
  return {customer.customer_number, Lower(customer.email), customer.phone,
          customer.first_name + " " + customer.last_name, std::move(reason)};
}

// What a customer has beyond their row, for picking samples.
struct Activity {
  int orders = 0;
  int uninvoiced_orders = 0;  // cancelled or open: nothing to keep for the tax office
  int paid_invoices = 0;
  int support_notes = 0;
  bool paid_next_year = false;  // an invoice paid in a later calendar year than it was issued
};

std::map<long long, Activity> ActivityPerCustomer(const SampleCrmData& data) {
  std::map<long long, Activity> activity;
  std::map<long long, const InvoiceRow*> invoices;
  std::set<long long> invoiced_orders;
  for (const auto& invoice : data.invoices) {
    invoices[invoice.id] = &invoice;
    invoiced_orders.insert(invoice.order_id);
  }
  for (const auto& order : data.orders) {
    ++activity[order.customer_id].orders;
    if (invoiced_orders.count(order.id) == 0) ++activity[order.customer_id].uninvoiced_orders;
  }
  for (const auto& note : data.support_notes) ++activity[note.customer_id].support_notes;
  long long last_invoice = 0;
  for (const auto& payment : data.payments) {
    const InvoiceRow& invoice = *invoices.at(payment.invoice_id);
    Activity& customer = activity[invoice.customer_id];
    if (payment.invoice_id != last_invoice) ++customer.paid_invoices;
    last_invoice = payment.invoice_id;
    customer.paid_next_year |= payment.paid_on.substr(0, 4) != invoice.issued_on.substr(0, 4);
  }
  return activity;
}

// A customer who shares a phone number, with rows in every table that an
// erasure treats differently (orders to delete and to keep for their
// invoices, paid invoices, support notes), while the customer it shares the
// number with has orders too: a demo then shows confirmed and ambiguous rows
// side by side. Without one, any sharer does.
bool RichPhoneSharer(const CustomerFacts& fact, std::map<long long, Activity>& activity,
                     long long id) {
  const Activity& own = activity[id];
  return own.orders > own.uninvoiced_orders && own.uninvoiced_orders >= 1 &&
         own.paid_invoices >= 1 && own.support_notes >= 1 &&
         activity[fact.shares_phone_with].orders >= 1;
}

// The first customer of each kind a demo may want to try.
std::vector<SampleCustomer> PickSamples(const SampleCrmData& data,
                                        const std::vector<CustomerFacts>& facts) {
  std::map<long long, Activity> activity = ActivityPerCustomer(data);
  std::map<std::string, SampleCustomer> picked;
  for (size_t i = 0; i < data.customers.size(); ++i) {
    const CustomerRow& customer = data.customers[i];
    const CustomerFacts& fact = facts[i];
    const Activity& own = activity[customer.id];
    const bool plain = fact.shares_address_with == 0 && fact.shares_phone_with == 0;
    if (plain && own.orders >= 3 && !fact.email_stored_mixed_case && !picked.count("typical")) {
      picked.emplace("typical", Describe(customer, "typical"));
    }
    if (plain && fact.email_stored_mixed_case && !picked.count("mixed")) {
      picked.emplace("mixed", Describe(customer, "mixed-case-email"));
    }
    if (fact.shares_phone_with != 0) {
      const auto& other = data.customers[static_cast<size_t>(fact.shares_phone_with - 1)];
      const char* kind = RichPhoneSharer(fact, activity, customer.id) ? "phone" : "phone-any";
      if (!picked.count(kind)) {
        picked.emplace(kind, Describe(customer, "shares-phone-with:" + other.customer_number));
      }
    }
    if (fact.shares_address_with != 0 && !picked.count("address")) {
      const auto& other = data.customers[static_cast<size_t>(fact.shares_address_with - 1)];
      picked.emplace("address", Describe(customer, "shares-address-with:" + other.customer_number));
    }
    if (plain && own.orders >= 1 && HasNonAscii(customer.first_name + customer.last_name) &&
        !picked.count("utf8")) {
      picked.emplace("utf8", Describe(customer, "non-ascii-name"));
    }
    if (plain && own.paid_next_year && !picked.count("next-year")) {
      picked.emplace("next-year", Describe(customer, "invoice-paid-next-year"));
    }
  }
  if (!picked.count("phone") && picked.count("phone-any")) {
    picked.emplace("phone", picked.at("phone-any"));
  }
  std::vector<SampleCustomer> samples;
  for (const char* kind : {"typical", "mixed", "phone", "address", "utf8", "next-year"}) {
    if (picked.count(kind)) samples.push_back(picked.at(kind));
  }
  return samples;
}

}  // namespace

void GenerateSupportNotes(SampleRandom& random, const std::vector<CustomerFacts>& facts,
                          SampleCrmData* data) {
  std::map<long long, std::vector<OrderMention>> orders;
  for (const auto& order : data->orders) {
    const int64_t day = CivilDate::Parse(order.ordered_at.substr(0, 10)).value().DaysSinceEpoch();
    orders[order.customer_id].push_back({order.order_number, day});
  }
  for (size_t customer = 0; customer < facts.size(); ++customer) {
    if (!random.Chance(450)) continue;
    const long long customer_id = static_cast<long long>(customer + 1);
    for (int64_t n = random.Between(1, 3); n > 0; --n) {
      SupportNoteRow note;
      note.id = static_cast<long long>(data->support_notes.size() + 1);
      note.customer_id = customer_id;
      note.author = random.Pick(kAuthors);
      note.channel = random.Pick(kChannels);
      WriteNote(random, facts[customer].created_day, orders[customer_id], &note);
      data->support_notes.push_back(std::move(note));
    }
  }
}

SampleCrmData GenerateSampleCrm(int customer_count, uint64_t seed) {
  SampleRandom random(seed);
  SampleCrmData data;
  std::vector<CustomerFacts> facts;
  GenerateCustomers(random, customer_count, &data, &facts);
  GenerateProducts(random, &data);
  GenerateCommerce(random, facts, &data);
  GenerateSupportNotes(random, facts, &data);
  data.samples = PickSamples(data, facts);
  return data;
}

}  // namespace dsr::sample_crm
