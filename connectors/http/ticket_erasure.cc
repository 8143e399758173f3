// EraseSubject (ticket_actions.h): which records an erasure applies to, and
// deleting or retaining them by the configured strategy.
#include <map>

#include "common/log.h"
#include "connectors/http/subject_records.h"
#include "connectors/http/ticket_actions.h"
#include "connectors/http/ticket_retention.h"
#include "connectors/http/ticket_scope.h"

namespace dsr::connectors::http {
namespace {

constexpr char kLogComponent[] = "http-connector";

// The users in scope, the tickets they requested and those tickets'
// comments; the rest of what was reached from the users is left alone.
struct ErasureScope {
  std::vector<const LocatedRecord*> users, tickets, comments;
  std::vector<FoundRecord> left_alone;
};

bool AnyIn(const std::set<std::string>& keys, const std::set<std::string>& wanted) {
  for (const auto& key : keys) {
    if (wanted.count(key) != 0) return true;
  }
  return false;
}

std::set<std::string> Named(const ActionScope& scope, const char* collection) {
  const auto keys = scope.selection.find(collection);
  return keys == scope.selection.end() ? std::set<std::string>() : keys->second;
}

ErasureScope Partition(const LocatedRecords& located, const std::set<std::string>& in_scope) {
  ErasureScope scope;
  std::set<std::string> tickets;
  for (const auto& user : located.users) {
    if (in_scope.count(user.key) != 0) {
      scope.users.push_back(&user);
    } else {
      scope.left_alone.push_back(ToFoundRecord(kUsers, user));
    }
  }
  for (const auto& ticket : located.tickets) {
    if (AnyIn(ticket.requesters, in_scope)) {
      scope.tickets.push_back(&ticket);
      tickets.insert(ticket.key);
    } else {
      scope.left_alone.push_back(ToFoundRecord(kTickets, ticket));
    }
  }
  for (const auto& comment : located.comments) {
    if (AnyIn(comment.parents, tickets)) {
      scope.comments.push_back(&comment);
    } else {
      scope.left_alone.push_back(ToFoundRecord(kComments, comment));
    }
  }
  return scope;
}

Status StillFound(int64_t found, size_t of, const char* what) {
  if (found == 0) return Status::Ok();
  return Internal("verification failed: " + std::to_string(found) + " of " + std::to_string(of) +
                  " erased " + what + " are still found");
}

// A deleted ticket that its id still shows was not erased.
Status VerifyTicketsGone(TicketApi& api, const std::set<std::string>& tickets) {
  int64_t found = 0;
  for (const auto& key : tickets) {
    auto ticket = api.ShowTicket(key);
    if (!ticket.ok()) return ticket.status();
    found += ticket->has_value() ? 1 : 0;
  }
  return StillFound(found, tickets.size(), "tickets");
}

// A user in scope that its id still shows as active was not erased. The id
// is the authority: Zendesk's search index catches up with deletions only
// minutes later, so searching again would report users already gone.
Status VerifyUsersGone(TicketApi& api, const std::set<std::string>& users) {
  int64_t found = 0;
  for (const auto& key : users) {
    auto user = api.ShowUser(key);
    if (!user.ok()) return user.status();
    if (user->has_value() && api.IsActive(**user)) ++found;
  }
  return StillFound(found, users.size(), "users");
}

// Deletes each ticket and returns the keys of those this call deleted.
Result<std::set<std::string>> EraseTickets(TicketApi& api, const std::set<std::string>& tickets) {
  std::set<std::string> deleted;
  for (const auto& key : tickets) {
    auto done = api.EraseTicket(key);
    if (!done.ok()) return done.status();
    if (*done) deleted.insert(key);
  }
  DSR_RETURN_IF_ERROR(VerifyTicketsGone(api, tickets));
  return deleted;
}

// Deletes each user and returns how many this call deleted.
Result<int64_t> EraseUsers(TicketApi& api, const std::set<std::string>& users) {
  int64_t deleted = 0;
  for (const auto& key : users) {
    auto done = api.EraseUser(key);
    if (!done.ok()) return done.status();
    deleted += *done ? 1 : 0;
  }
  DSR_RETURN_IF_ERROR(VerifyUsersGone(api, users));
  return deleted;
}

// Tickets go, and are verified gone, before their users: Zendesk refuses to
// delete the requester of a ticket that is not closed, and lists a user's
// tickets only while the user exists, so an erasure cut short or failed
// finds the rest again.
Result<std::vector<CollectionOutcome>> DeleteInScope(TicketApi& api, const ErasureScope& scope) {
  std::set<std::string> tickets, users;
  for (const LocatedRecord* ticket : scope.tickets) tickets.insert(ticket->key);
  for (const LocatedRecord* user : scope.users) users.insert(user->key);
  auto deleted_tickets = EraseTickets(api, tickets);
  if (!deleted_tickets.ok()) return deleted_tickets.status();
  auto deleted_users = EraseUsers(api, users);
  if (!deleted_users.ok()) return deleted_users.status();
  int64_t deleted_comments = 0;
  for (const LocatedRecord* comment : scope.comments) {
    deleted_comments += AnyIn(comment->parents, *deleted_tickets) ? 1 : 0;
  }
  const auto deleted = static_cast<int64_t>(deleted_tickets->size());
  if (*deleted_users > 0 || deleted > 0) {
    LogInfo(kLogComponent, "erase: " + std::to_string(*deleted_users) + " users, " +
                               std::to_string(deleted) + " tickets and " +
                               std::to_string(deleted_comments) + " comments deleted for good");
  }
  return std::vector<CollectionOutcome>{Counted(kUsers, OutcomeKind::kErased, *deleted_users),
                                        Counted(kTickets, OutcomeKind::kErased, deleted),
                                        Counted(kComments, OutcomeKind::kErased, deleted_comments)};
}

// When the retention of the tickets in scope ends, and of each requester
// the latest of its tickets'.
struct RetentionEnds {
  std::map<std::string, CivilDate> tickets, users;
  int64_t undated = 0;  // tickets without a readable creation date
};

RetentionEnds EndsOfTickets(const TicketApi& api, const RetentionPolicy& policy,
                            const ErasureScope& scope) {
  RetentionEnds ends;
  for (const LocatedRecord* ticket : scope.tickets) {
    const auto created = api.CreatedOn(ticket->record);
    if (!created) {
      ++ends.undated;
      continue;
    }
    ends.tickets.emplace(ticket->key, RetainedUntil(*created, policy));
  }
  // Every comment is a letter of its own whose period starts with the year
  // it was written (HGB §257(5)); a comment cannot be deleted apart from its
  // ticket, so the ticket is kept as long as its latest comment must be.
  for (const LocatedRecord* comment : scope.comments) {
    const auto written = api.CreatedOn(comment->record);
    if (!written) continue;  // the ticket's own date still holds it
    const CivilDate until = RetainedUntil(*written, policy);
    for (const auto& parent : comment->parents) {
      const auto ticket = ends.tickets.find(parent);
      if (ticket != ends.tickets.end() && ticket->second < until) ticket->second = until;
    }
  }
  for (const LocatedRecord* ticket : scope.tickets) {
    const auto until = ends.tickets.find(ticket->key);
    if (until == ends.tickets.end()) continue;
    for (const auto& requester : ticket->requesters) {
      const auto [latest, added] = ends.users.emplace(requester, until->second);
      if (!added && latest->second < until->second) latest->second = until->second;
    }
  }
  return ends;
}

// Nothing changes: each record in scope is reported with the end of its
// retention, a ticket's from its latest comment (or its creation), a
// comment's with its ticket, a user's with the latest of its tickets (from
// its own creation without any).
Result<std::vector<CollectionOutcome>> RetainInScope(const TicketApi& api,
                                                     const RetentionPolicy& policy,
                                                     const ErasureScope& scope) {
  RetainedRecords users(kUsers, policy), tickets(kTickets, policy), comments(kComments, policy);
  RetentionEnds ends = EndsOfTickets(api, policy, scope);
  for (const auto& [key, until] : ends.tickets) tickets.Add(key, until);
  for (const LocatedRecord* comment : scope.comments) {
    for (const auto& parent : comment->parents) {
      const auto until = ends.tickets.find(parent);
      if (until == ends.tickets.end()) continue;
      comments.Add(comment->key, until->second);
      break;
    }
  }
  for (const LocatedRecord* user : scope.users) {
    if (user->record.is_null()) continue;  // gone already: nothing left to keep
    const auto latest = ends.users.find(user->key);
    const auto created = api.CreatedOn(user->record);
    if (latest != ends.users.end()) {
      users.Add(user->key, latest->second);
    } else if (created) {
      users.Add(user->key, RetainedUntil(*created, policy));
    } else {
      ++ends.undated;
    }
  }
  if (ends.undated > 0) {
    return Internal("retain: " + std::to_string(ends.undated) +
                    " records in scope have no readable created_at, so the end of their "
                    "retention is unknown; nothing was changed");
  }
  std::vector<CollectionOutcome> outcomes = users.Outcomes();
  for (const auto* retained : {&tickets, &comments}) {
    const auto more = retained->Outcomes();
    outcomes.insert(outcomes.end(), more.begin(), more.end());
  }
  return outcomes;
}

// After retention: exactly the named tickets and users, by key (the subject
// may no longer be found, and a hold names exactly what was kept). Comments
// are counted as their tickets go.
Result<std::vector<CollectionOutcome>> EraseNamed(TicketApi& api, const ActionScope& scope) {
  DSR_RETURN_IF_ERROR(CheckSelection(scope));
  const std::set<std::string> tickets = Named(scope, kTickets);
  std::map<std::string, int64_t> comments_of;
  for (const auto& key : tickets) {
    DSR_RETURN_IF_ERROR(api.ListComments(key, [&](const nlohmann::json&) {
      ++comments_of[key];
      return Status::Ok();
    }));
  }
  auto deleted_tickets = EraseTickets(api, tickets);
  if (!deleted_tickets.ok()) return deleted_tickets.status();
  auto deleted_users = EraseUsers(api, Named(scope, kUsers));
  if (!deleted_users.ok()) return deleted_users.status();
  int64_t deleted_comments = 0;
  for (const auto& key : *deleted_tickets) deleted_comments += comments_of[key];
  CollectionOutcome comments = Counted(kComments, OutcomeKind::kErased, deleted_comments);
  // A comment cannot be deleted on its own: it went with its ticket, which a
  // hold of the same end date names.
  if (deleted_comments == 0 && !Named(scope, kComments).empty()) {
    comments.kind = OutcomeKind::kNotApplicable;
    comments.note = "a comment cannot be deleted on its own; it goes with its ticket";
  }
  return std::vector<CollectionOutcome>{
      Counted(kUsers, OutcomeKind::kErased, *deleted_users),
      Counted(kTickets, OutcomeKind::kErased, static_cast<int64_t>(deleted_tickets->size())),
      comments};
}

}  // namespace

Result<std::vector<CollectionOutcome>> EraseSubject(TicketApi& api, const HttpConfig& config,
                                                    const Subject& subject,
                                                    const ActionScope& scope,
                                                    RecordSink& untouched) {
  api.SetKnownValues(KnownValues(subject, {}));
  if (scope.mode == ActionScope::Mode::kOnly && scope.retention_ended) {
    return EraseNamed(api, scope);
  }
  const bool retain = config.erasure == ErasureStrategy::kRetain;
  if (retain && !config.retain) return Internal("erasure.strategy retain without erasure.retain");
  LocatedRecords located;
  auto in_scope = ResolveUsers(api, config, subject, scope, &located);
  if (!in_scope.ok()) return in_scope.status();
  api.SetKnownValues(KnownValues(subject, located.users));
  // Tickets and comments are listed before anything changes: the product
  // lists them by user only.
  DSR_RETURN_IF_ERROR(AddTicketsAndComments(api, &located, true));
  const ErasureScope erasure = Partition(located, *in_scope);
  auto outcomes =
      retain ? RetainInScope(api, *config.retain, erasure) : DeleteInScope(api, erasure);
  if (!outcomes.ok()) return outcomes.status();
  DSR_RETURN_IF_ERROR(SendAll(erasure.left_alone, untouched));
  return outcomes;
}

}  // namespace dsr::connectors::http
