#include "connectors/http/ticket_actions.h"

#include "connectors/http/subject_records.h"
#include "connectors/http/ticket_scope.h"

namespace dsr::connectors::http {
Result<std::vector<CollectionOutcome>> RectifySubject(TicketApi& api, const HttpConfig& config,
                                                      const Subject& subject,
                                                      const Corrections& corrections,
                                                      const ActionScope& scope,
                                                      RecordSink& untouched) {
  DSR_RETURN_IF_ERROR(CheckCorrections(corrections));
  api.SetKnownValues(KnownValues(subject, {}));
  LocatedRecords located;
  auto in_scope = ResolveUsers(api, config, subject, scope, &located);
  if (!in_scope.ok()) return in_scope.status();
  api.SetKnownValues(KnownValues(subject, located.users));
  int64_t updated = 0;
  std::vector<FoundRecord> left_alone;
  for (const auto& user : located.users) {
    if (in_scope->count(user.key) == 0) {
      left_alone.push_back(ToFoundRecord(kUsers, user));
      continue;
    }
    if (user.record.is_null()) continue;  // kOnly: the user is gone
    const nlohmann::json changes = api.UserChanges(user.record, corrections, config.rectify);
    if (changes.empty()) continue;
    DSR_RETURN_IF_ERROR(api.UpdateUser(user.key, changes));
    ++updated;
  }
  DSR_RETURN_IF_ERROR(SendAll(left_alone, untouched));
  std::vector<CollectionOutcome> outcomes(3);
  outcomes[0].collection = kUsers;
  outcomes[0].kind = updated > 0 ? OutcomeKind::kUpdated : OutcomeKind::kNotApplicable;
  outcomes[0].records = updated;
  outcomes[1].collection = kTickets;
  outcomes[2].collection = kComments;
  // Tickets and comments hold no mapped attribute: what people wrote is not rewritten.
  outcomes[1].kind = outcomes[2].kind = OutcomeKind::kNotApplicable;
  outcomes[1].note = outcomes[2].note =
      "tickets and comments keep what people wrote; the user's details are corrected";
  return outcomes;
}

}  // namespace dsr::connectors::http
