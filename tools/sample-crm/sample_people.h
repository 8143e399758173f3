// Names, addresses and phone numbers for the sample CRM: German and
// international names with their ASCII spelling for e-mail addresses,
// addresses in a handful of countries, phone numbers written the many ways
// people write them. All fictitious; deterministic for a SampleRandom.
#pragma once

#include <string>

#include "tools/sample-crm/sample_random.h"

namespace dsr::sample_crm {

struct PersonName {
  std::string first;        // as written, UTF-8: "Jürgen", "Zoë", "芳"
  std::string last;         // "Müller", "Ødegård", "王"
  std::string first_ascii;  // for e-mail addresses: "juergen", "zoe", "fang"
  std::string last_ascii;
};

struct PostalAddress {
  std::string street;  // with house number, in the country's order
  std::string postal_code;
  std::string city;
  std::string country;  // ISO 3166-1 alpha-2
};

// A phone number in parts, so one number can be written in several ways.
struct PhoneNumber {
  std::string country_code;  // "49"
  std::string trunk_prefix;  // "0" where national numbers start with it
  std::string area_code;     // "30", or a mobile prefix like "151"
  std::string subscriber;    // "1234567"
};

// Whether a written number starts with +<country code> or with the national
// trunk prefix; digits compare equal only within the same form.
enum class PhoneForm { kInternational, kNational };

struct Residence {
  PostalAddress address;
  PhoneNumber landline;
  std::string currency;  // what the customer pays in
};

PersonName RandomName(SampleRandom& random);
Residence RandomResidence(SampleRandom& random);
// A mobile number of the residence's country.
PhoneNumber RandomMobile(SampleRandom& random, const Residence& residence);
// `number` written in one of the styles of `form`: "+49 30 1234567",
// "+49-30-1234567", "030/1234567", "(030) 123 45 67" ...
std::string FormatPhone(SampleRandom& random, const PhoneNumber& number, PhoneForm form);

}  // namespace dsr::sample_crm
