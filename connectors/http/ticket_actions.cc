#include "connectors/http/ticket_actions.h"

#include <algorithm>
#include <cctype>

#include "connectors/http/subject_records.h"
#include "connectors/http/ticket_scope.h"

namespace dsr::connectors::http {
namespace {

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// The addresses an e-mail correction replaces on `user`: the one the subject
// gave and the one the user's record shows (the attribute corrected). Other
// addresses the user holds stay: nobody said they are wrong.
std::set<std::string> CorrectedAddresses(const Subject& subject, const LocatedRecord& user,
                                         const std::string& new_address) {
  std::set<std::string> old;
  const auto given = subject.find("email");
  const auto shown = user.attributes.find("email");
  for (const auto* value : {given == subject.end() ? nullptr : &given->second,
                            shown == user.attributes.end() ? nullptr : &shown->second}) {
    if (value != nullptr && !value->empty() && Lower(*value) != Lower(new_address)) {
      old.insert(Lower(*value));
    }
  }
  return old;
}

// A product may keep a replaced address as a further one of the user's and
// still answer the replacement as done; only listing the addresses shows it.
Status VerifyEmailReplaced(TicketApi& api, const std::string& user,
                           const std::set<std::string>& old, const std::string& new_address) {
  auto held = api.UserEmails(user);
  if (!held.ok()) return held.status();
  bool new_is_primary = false;
  for (const auto& address : *held) {
    if (old.count(Lower(address.value)) != 0) {
      return Internal(
          "verification failed: a rectified user still holds a corrected e-mail address");
    }
    new_is_primary =
        new_is_primary || (address.primary && Lower(address.value) == Lower(new_address));
  }
  if (!new_is_primary) {
    return Internal(
        "verification failed: a rectified user's primary e-mail address is not the corrected one");
  }
  return Status::Ok();
}

// Replaces and verifies the user's e-mail address; true when anything changed.
Result<bool> RectifyEmail(TicketApi& api, const Subject& subject, const LocatedRecord& user,
                          const std::string& new_address) {
  const std::set<std::string> old = CorrectedAddresses(subject, user, new_address);
  const auto shown = user.attributes.find("email");
  if (old.empty() && shown != user.attributes.end() && Lower(shown->second) == Lower(new_address)) {
    return false;  // already as corrected
  }
  auto replaced = api.ReplaceEmail(user.key, old, new_address);
  if (!replaced.ok()) return replaced.status();
  DSR_RETURN_IF_ERROR(VerifyEmailReplaced(api, user.key, old, new_address));
  return *replaced;
}

// Writes the corrections to one user in scope; true when anything changed.
Result<bool> RectifyUser(TicketApi& api, const HttpConfig& config, const Subject& subject,
                         const Corrections& corrections, const LocatedRecord& user) {
  std::set<std::string> by_field = config.rectify;
  by_field.erase("email");
  const nlohmann::json changes = api.UserChanges(user.record, corrections, by_field);
  if (!changes.empty()) DSR_RETURN_IF_ERROR(api.UpdateUser(user.key, changes));
  if (config.rectify.count("email") == 0 || !corrections.contains("email")) {
    return !changes.empty();
  }
  auto email = RectifyEmail(api, subject, user, corrections.at("email").get<std::string>());
  if (!email.ok()) return email.status();
  return *email || !changes.empty();
}

}  // namespace

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
    auto changed = RectifyUser(api, config, subject, corrections, user);
    if (!changed.ok()) return changed.status();
    updated += *changed ? 1 : 0;
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
