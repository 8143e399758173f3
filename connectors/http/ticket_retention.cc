#include "connectors/http/ticket_retention.h"

namespace dsr::connectors::http {

void RetainedRecords::Add(const std::string& key, CivilDate until) {
  keys_by_end_[until].push_back(key);
}

std::vector<CollectionOutcome> RetainedRecords::Outcomes() const {
  std::vector<CollectionOutcome> outcomes;
  for (const auto& [until, keys] : keys_by_end_) {
    CollectionOutcome outcome;
    outcome.collection = collection_;
    outcome.kind = OutcomeKind::kRetained;
    outcome.records = static_cast<int64_t>(keys.size());
    outcome.retained_until = until;
    outcome.legal_basis = policy_.legal_basis;
    outcome.keys = keys;
    outcomes.push_back(std::move(outcome));
  }
  if (outcomes.empty()) {
    CollectionOutcome none;
    none.collection = collection_;
    none.kind = OutcomeKind::kNotFound;
    outcomes.push_back(std::move(none));
  }
  return outcomes;
}

}  // namespace dsr::connectors::http
