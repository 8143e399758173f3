#include "connectors/http/ticket_actions.h"

#include "common/log.h"
#include "connectors/http/subject_records.h"

namespace dsr::connectors::http {
namespace {

constexpr char kLogComponent[] = "http-connector";

Status CheckSelection(const ActionScope& scope) {
  for (const auto& [collection, keys] : scope.selection) {
    if (collection != kUsers && collection != kTickets && collection != kComments) {
      return InvalidArgument("scope names the collection '" + collection +
                             "', which this connector does not have");
    }
  }
  return Status::Ok();
}

// The corrections came through the worker's schema check; this keeps a
// direct caller from reaching the API with something else.
Status CheckCorrections(const Corrections& corrections) {
  if (!corrections.is_object()) return InvalidArgument("corrections must be an object");
  for (const auto& [attribute, value] : corrections.items()) {
    const bool simple = attribute == "email" || attribute == "phone";
    const bool composite = attribute == "name" || attribute == "postal_address";
    if (!simple && !composite) {
      return InvalidArgument("corrections: unknown attribute '" + attribute + "'");
    }
    bool text = simple ? value.is_string() : value.is_object();
    if (composite) {
      for (const auto& part : value) text = text && part.is_string();
    }
    if (!text) return InvalidArgument("corrections." + attribute + ": not text");
  }
  return Status::Ok();
}

bool Selected(const ActionScope& scope, const char* collection, const std::string& key) {
  const auto keys = scope.selection.find(collection);
  return keys != scope.selection.end() && keys->second.count(key) != 0;
}

// Fills located->users and returns the keys of those in scope. With kOnly the
// named users are looked up by id; one that is gone keeps an empty record, so
// that an erasure cut short can still be finished.
Result<std::set<std::string>> ResolveUsers(TicketApi& api, const HttpConfig& config,
                                           const Subject& subject, const ActionScope& scope,
                                           LocatedRecords* located) {
  DSR_RETURN_IF_ERROR(CheckSelection(scope));
  std::set<std::string> in_scope;
  if (scope.mode == ActionScope::Mode::kSubject) {
    auto users = LocateUsers(api, config.search_by, subject);
    if (!users.ok()) return users.status();
    located->users = std::move(users.value());
    for (const auto& user : located->users) {
      if (user.match == Match::kConfirmed || Selected(scope, kUsers, user.key)) {
        in_scope.insert(user.key);
      }
    }
    return in_scope;
  }
  const auto named = scope.selection.find(kUsers);
  if (named == scope.selection.end()) return in_scope;
  for (const auto& key : named->second) {
    auto user = api.ShowUser(key);
    if (!user.ok()) return user.status();
    LocatedRecord record;
    record.key = key;
    if (user->has_value()) {
      record.record = **user;
      record.attributes = api.UserAttributes(**user);
    }
    located->users.push_back(std::move(record));
    in_scope.insert(key);
  }
  return in_scope;
}

bool ReachedFrom(const LocatedRecord& record, const std::set<std::string>& parents) {
  for (const auto& parent : record.parents) {
    if (parents.count(parent) != 0) return true;
  }
  return false;
}

// Records of `list` reached from `parents` are counted and their keys
// collected; the others go to `untouched`.
int64_t Partition(const std::vector<LocatedRecord>& list, const char* collection,
                  const std::set<std::string>& parents, std::set<std::string>* reached,
                  std::vector<FoundRecord>* untouched) {
  int64_t count = 0;
  for (const auto& record : list) {
    if (ReachedFrom(record, parents)) {
      ++count;
      reached->insert(record.key);
    } else {
      untouched->push_back(ToFoundRecord(collection, record));
    }
  }
  return count;
}

Status SendAll(const std::vector<FoundRecord>& records, RecordSink& sink) {
  for (const auto& record : records) DSR_RETURN_IF_ERROR(sink.Add(record));
  return Status::Ok();
}

CollectionOutcome Counted(const char* collection, OutcomeKind kind, int64_t records) {
  CollectionOutcome outcome;
  outcome.collection = collection;
  outcome.kind = records > 0 ? kind : OutcomeKind::kNotFound;
  outcome.records = records;
  return outcome;
}

// A user in scope that search or its id still finds was not erased.
Status VerifyErased(TicketApi& api, const HttpConfig& config, const Subject& subject,
                    const ActionScope& scope, const std::set<std::string>& erased) {
  int64_t still_found = 0;
  for (const auto& key : erased) {
    auto user = api.ShowUser(key);
    if (!user.ok()) return user.status();
    if (user->has_value() && api.IsActive(**user)) ++still_found;
  }
  if (still_found == 0 && scope.mode == ActionScope::Mode::kSubject) {
    auto users = LocateUsers(api, config.search_by, subject);
    if (!users.ok()) return users.status();
    for (const auto& user : *users) still_found += erased.count(user.key) != 0 ? 1 : 0;
  }
  if (still_found == 0) return Status::Ok();
  return Internal("verification failed: " + std::to_string(still_found) + " of " +
                  std::to_string(erased.size()) + " erased users are still found");
}

}  // namespace

Result<std::vector<CollectionOutcome>> EraseSubject(TicketApi& api, const HttpConfig& config,
                                                    const Subject& subject,
                                                    const ActionScope& scope,
                                                    RecordSink& untouched) {
  api.SetKnownValues(KnownValues(subject, {}));
  LocatedRecords located;
  auto in_scope = ResolveUsers(api, config, subject, scope, &located);
  if (!in_scope.ok()) return in_scope.status();
  api.SetKnownValues(KnownValues(subject, located.users));
  // Tickets and comments are listed before the users go: afterwards the
  // product no longer lists them by user.
  DSR_RETURN_IF_ERROR(AddTicketsAndComments(api, &located, true));
  std::vector<FoundRecord> left_alone;
  std::set<std::string> ticket_keys, comment_keys;
  for (const auto& user : located.users) {
    if (in_scope->count(user.key) == 0) left_alone.push_back(ToFoundRecord(kUsers, user));
  }
  const int64_t tickets =
      Partition(located.tickets, kTickets, *in_scope, &ticket_keys, &left_alone);
  const int64_t comments =
      Partition(located.comments, kComments, ticket_keys, &comment_keys, &left_alone);
  int64_t erased = 0;
  for (const auto& key : *in_scope) {
    auto done = api.EraseUser(key);
    if (!done.ok()) return done.status();
    erased += *done ? 1 : 0;
  }
  DSR_RETURN_IF_ERROR(VerifyErased(api, config, subject, scope, *in_scope));
  if (erased > 0 || tickets > 0) {
    LogInfo(kLogComponent, "erase: " + std::to_string(erased) + " users erased; " +
                               std::to_string(tickets) + " tickets and " +
                               std::to_string(comments) +
                               " comments stay with their text, their person shown as deleted");
  }
  DSR_RETURN_IF_ERROR(SendAll(left_alone, untouched));
  return std::vector<CollectionOutcome>{Counted(kUsers, OutcomeKind::kErased, erased),
                                        Counted(kTickets, OutcomeKind::kAnonymized, tickets),
                                        Counted(kComments, OutcomeKind::kAnonymized, comments)};
}

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
  return outcomes;
}

}  // namespace dsr::connectors::http
