#include "connectors/retention.h"

#include <nlohmann/json.hpp>

namespace dsr::connectors {

CivilDate RetainedUntil(CivilDate date, const RetentionPolicy& policy) {
  if (policy.from == RetentionPolicy::Start::kEndOfYear) {
    // HGB §257(5): the period starts with the end of the calendar year in
    // which the letter was sent or received.
    return CivilDate(date.year() + policy.years, 12, 31);
  }
  return date.AddMonthsClamped(12 * policy.years);
}

std::optional<RetentionPolicy> ParseRetainOrDelete(const nlohmann::json& erasure,
                                                   std::vector<std::string>* problems) {
  const bool retain = erasure.at("strategy") == "retain";
  const auto policy = erasure.find("retain");
  if (retain && policy == erasure.end()) {
    problems->push_back("connector.erasure.retain: missing, but erasure.strategy is retain");
  }
  if (!retain && policy != erasure.end()) {
    problems->push_back("connector.erasure.retain: given, but erasure.strategy is delete");
  }
  if (!retain || policy == erasure.end()) return std::nullopt;
  RetentionPolicy parsed;
  parsed.legal_basis = policy->at("legal_basis").get<std::string>();
  parsed.years = policy->at("years").get<int>();
  if (policy->value("from", "end_of_year") == "date") parsed.from = RetentionPolicy::Start::kDate;
  return parsed;
}

}  // namespace dsr::connectors
