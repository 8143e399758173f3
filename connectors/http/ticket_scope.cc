#include "connectors/http/ticket_scope.h"

namespace dsr::connectors::http {

Status CheckSelection(const ActionScope& scope) {
  for (const auto& [collection, keys] : scope.selection) {
    if (collection != kUsers && collection != kTickets && collection != kComments) {
      return InvalidArgument("scope names the collection '" + collection +
                             "', which this connector does not have");
    }
  }
  return Status::Ok();
}

bool Selected(const ActionScope& scope, const char* collection, const std::string& key) {
  const auto keys = scope.selection.find(collection);
  return keys != scope.selection.end() && keys->second.count(key) != 0;
}

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

}  // namespace dsr::connectors::http
