// Keeping records under a legal obligation instead of erasing them (GDPR
// Art. 17(3)(b)), as the mail and http connectors configure it:
//   erasure: {strategy: delete | retain,
//             retain: {legal_basis, years, from: end_of_year | date}}
// (schemas/config/connector-mail.json, connector-http.json). Pure functions.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/civil_date.h"

namespace dsr::connectors {

struct RetentionPolicy {
  enum class Start {
    kEndOfYear,  // the period starts at the end of the calendar year of the record's date
    kDate,       // the period starts on the record's date itself
  };
  std::string legal_basis;  // e.g. "§257 HGB: Handelsbriefe"
  int years = 0;
  Start from = Start::kEndOfYear;
};

// The last day a record dated `date` is kept under `policy`.
CivilDate RetainedUntil(CivilDate date, const RetentionPolicy& policy);

// Reads `erasure` (already checked against the connector's schema): the
// policy when the strategy is retain, nullopt for delete. A retain without
// its policy, or a policy given with delete, adds a problem naming the key.
std::optional<RetentionPolicy> ParseRetainOrDelete(const nlohmann::json& erasure,
                                                   std::vector<std::string>* problems);

}  // namespace dsr::connectors
