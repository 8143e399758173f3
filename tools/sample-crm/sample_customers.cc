#include <cstdio>
#include <set>

#include "common/civil_date.h"
#include "tools/sample-crm/sample_generation.h"
#include "tools/sample-crm/sample_people.h"

namespace dsr::sample_crm {
namespace {

constexpr int64_t kFirstCustomerDay = 17532;  // 2018-01-01
constexpr int64_t kLastCustomerDay = 20088;   // 2024-12-31
constexpr int64_t kOldestBirthDay = -10958;   // 1940-01-01
constexpr int64_t kYoungestBirthDay = 13513;  // 2006-12-31

// Reserved example domains (RFC 2606): no real mailbox gets the sample's mail.
const std::vector<std::string> kMailDomains = {"example.com", "example.org", "example.net",
                                               "mail.example.com", "post.example.org"};

std::string EmailLocalPart(SampleRandom& random, const PersonName& name) {
  const std::string& first = name.first_ascii;
  const std::string& last = name.last_ascii;
  switch (random.Between(0, 4)) {
    case 0:
      return first + "." + last;
    case 1:
      return first + last;
    case 2:
      return first.substr(0, 1) + "." + last;
    case 3:
      return first + "_" + last;
    default:
      return last + "." + first;
  }
}

// Lower-case ASCII and unique: a number is appended until it is free.
std::string UniqueEmail(SampleRandom& random, const PersonName& name, std::set<std::string>* used) {
  const std::string local = EmailLocalPart(random, name);
  const std::string domain = random.Pick(kMailDomains);
  std::string email = local + "@" + domain;
  for (int suffix = 2; used->count(email) != 0; ++suffix) {
    email = local + std::to_string(suffix) + "@" + domain;
  }
  used->insert(email);
  return email;
}

// "juergen.mueller@example.com" → "Juergen.Mueller@Example.com", as some
// shop front ends store what people type.
std::string MixedCase(const std::string& email) {
  std::string mixed = email;
  bool word_start = true;
  for (char& c : mixed) {
    if (word_start && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    word_start = c == '.' || c == '@' || c == '_';
  }
  return mixed;
}

struct PhoneChoice {
  PhoneNumber number;
  PhoneForm form;
};

void FillIdentity(SampleRandom& random, long long id, CustomerRow* row) {
  char number[16];
  std::snprintf(number, sizeof number, "K-%06lld", id);
  row->id = id;
  row->customer_number = number;
  if (!random.Chance(50)) {
    row->birth_date = DayText(random.Between(kOldestBirthDay, kYoungestBirthDay));
  }
  const int64_t created_day = random.Between(kFirstCustomerDay, kLastCustomerDay);
  row->created_at = TimestampText(created_day, random.Between(7 * 3600, 22 * 3600));
  row->marketing_consent = random.Chance(350) ? 1 : 0;
}

// What was generated for customers 1..id-1, indexed by id - 1.
struct EarlierCustomers {
  std::set<std::string> emails;
  std::vector<PersonName> names;
  std::vector<Residence> residences;
  std::vector<PhoneChoice> phones;
};

// About 6 % move in with an earlier customer (same street, postal code and
// city), most taking the family name: households the connector must not merge.
void MaybeJoinHousehold(SampleRandom& random, long long id, const EarlierCustomers& earlier,
                        PersonName* name, Residence* residence, CustomerFacts* fact) {
  if (id == 1 || !random.Chance(60)) return;
  fact->shares_address_with = random.Between(1, id - 1);
  const auto index = static_cast<size_t>(fact->shares_address_with - 1);
  *residence = earlier.residences[index];
  if (random.Chance(700)) {
    name->last = earlier.names[index].last;
    name->last_ascii = earlier.names[index].last_ascii;
  }
}

// About 3 % of the others give the number of an earlier customer (a shared
// line), in the same national or international form, so digits match.
PhoneChoice ChoosePhone(SampleRandom& random, long long id, const EarlierCustomers& earlier,
                        const Residence& residence, CustomerFacts* fact) {
  // Household members give their own mobile, so a shared address never
  // comes with a shared number by accident.
  const bool landline = fact->shares_address_with == 0 && random.Chance(550);
  PhoneChoice phone{landline ? residence.landline : RandomMobile(random, residence),
                    random.Chance(500) ? PhoneForm::kInternational : PhoneForm::kNational};
  if (id > 1 && fact->shares_address_with == 0 && random.Chance(30)) {
    fact->shares_phone_with = random.Between(1, id - 1);
    phone = earlier.phones[static_cast<size_t>(fact->shares_phone_with - 1)];
  }
  return phone;
}

}  // namespace

std::string DayText(int64_t day) {
  return CivilDate::FromDaysSinceEpoch(day).ToString();
}

std::string TimestampText(int64_t day, int64_t seconds) {
  char time[16];
  std::snprintf(time, sizeof time, "T%02d:%02d:%02dZ", static_cast<int>(seconds / 3600 % 24),
                static_cast<int>(seconds / 60 % 60), static_cast<int>(seconds % 60));
  return DayText(day) + time;
}

void GenerateCustomers(SampleRandom& random, int count, SampleCrmData* data,
                       std::vector<CustomerFacts>* facts) {
  EarlierCustomers earlier;
  for (long long id = 1; id <= count; ++id) {
    CustomerRow row;
    CustomerFacts fact;
    FillIdentity(random, id, &row);
    fact.created_day = CivilDate::Parse(row.created_at.substr(0, 10)).value().DaysSinceEpoch();
    PersonName name = RandomName(random);
    Residence residence = RandomResidence(random);
    MaybeJoinHousehold(random, id, earlier, &name, &residence, &fact);
    const PhoneChoice phone = ChoosePhone(random, id, earlier, residence, &fact);
    row.first_name = name.first;
    row.last_name = name.last;
    row.email = UniqueEmail(random, name, &earlier.emails);
    fact.email_stored_mixed_case = random.Chance(80);
    if (fact.email_stored_mixed_case) row.email = MixedCase(row.email);
    row.phone = FormatPhone(random, phone.number, phone.form);
    row.street = residence.address.street;
    row.postal_code = residence.address.postal_code;
    row.city = residence.address.city;
    row.country = residence.address.country;
    fact.currency = residence.currency;
    data->customers.push_back(std::move(row));
    facts->push_back(std::move(fact));
    earlier.names.push_back(std::move(name));
    earlier.residences.push_back(std::move(residence));
    earlier.phones.push_back(phone);
  }
}

}  // namespace dsr::sample_crm
