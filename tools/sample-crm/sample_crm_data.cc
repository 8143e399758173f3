#include "tools/sample-crm/sample_crm_data.h"

#include <algorithm>
#include <cctype>
#include <map>

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

// The first customer of each kind a demo may want to try.
std::vector<SampleCustomer> PickSamples(const SampleCrmData& data,
                                        const std::vector<CustomerFacts>& facts) {
  std::map<long long, int> orders_per_customer;
  for (const auto& order : data.orders) ++orders_per_customer[order.customer_id];
  std::map<std::string, SampleCustomer> picked;
  for (size_t i = 0; i < data.customers.size(); ++i) {
    const CustomerRow& customer = data.customers[i];
    const CustomerFacts& fact = facts[i];
    const int orders = orders_per_customer[customer.id];
    const bool plain = fact.shares_address_with == 0 && fact.shares_phone_with == 0;
    if (plain && orders >= 3 && !fact.email_stored_mixed_case && !picked.count("typical")) {
      picked.emplace("typical", Describe(customer, "typical"));
    }
    if (plain && fact.email_stored_mixed_case && !picked.count("mixed")) {
      picked.emplace("mixed", Describe(customer, "mixed-case-email"));
    }
    if (fact.shares_phone_with != 0 && !picked.count("phone")) {
      const auto& other = data.customers[static_cast<size_t>(fact.shares_phone_with - 1)];
      picked.emplace("phone", Describe(customer, "shares-phone-with:" + other.customer_number));
    }
    if (fact.shares_address_with != 0 && !picked.count("address")) {
      const auto& other = data.customers[static_cast<size_t>(fact.shares_address_with - 1)];
      picked.emplace("address", Describe(customer, "shares-address-with:" + other.customer_number));
    }
    if (plain && orders >= 1 && HasNonAscii(customer.first_name + customer.last_name) &&
        !picked.count("utf8")) {
      picked.emplace("utf8", Describe(customer, "non-ascii-name"));
    }
  }
  std::vector<SampleCustomer> samples;
  for (const char* kind : {"typical", "mixed", "phone", "address", "utf8"}) {
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
