// Internal steps of GenerateSampleCrm, one per group of tables, sharing one
// SampleRandom so that the whole database follows from the seed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tools/sample-crm/sample_crm_data.h"
#include "tools/sample-crm/sample_random.h"

namespace dsr::sample_crm {

// What later steps need to know about a customer beyond its row.
struct CustomerFacts {
  int64_t created_day = 0;  // days since 1970-01-01
  std::string currency;
  long long shares_address_with = 0;  // id of an earlier customer in the same household, or 0
  long long shares_phone_with = 0;    // id of an earlier customer with the same number, or 0
  bool email_stored_mixed_case = false;
};

// The last day anything happens in the sample: 2025-06-30.
inline constexpr int64_t kLastDay = 20269;

std::string DayText(int64_t day);                         // "2025-06-30"
std::string TimestampText(int64_t day, int64_t seconds);  // "2025-06-30T08:15:00Z"

void GenerateCustomers(SampleRandom& random, int count, SampleCrmData* data,
                       std::vector<CustomerFacts>* facts);
void GenerateProducts(SampleRandom& random, SampleCrmData* data);
// Orders with their lines, invoices (some without an order) and payments.
void GenerateCommerce(SampleRandom& random, const std::vector<CustomerFacts>& facts,
                      SampleCrmData* data);
void GenerateSupportNotes(SampleRandom& random, const std::vector<CustomerFacts>& facts,
                          SampleCrmData* data);

}  // namespace dsr::sample_crm
