// The subject's records in a ticketing system: the users found by the
// subject's identities, the tickets they requested or are copied on, and the
// comments of those tickets, each confirmed or ambiguous by the rules of
// connectors/connector.h.
//
// A user is found when its e-mail address (without case) or its phone number
// (by digits, "+49 30 123" = "030 123") equals the subject's; it is ambiguous
// when the other of the two contradicts the subject's. A user's e-mail
// address is any it holds (TicketApi::UserEmails), not only the primary one
// its record shows. Names are not compared: people and systems spell them
// too differently. Tickets and comments inherit the match of the users they
// hang from.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "common/status.h"
#include "connectors/connector.h"
#include "connectors/http/ticket_api.h"

namespace dsr::connectors::http {

inline constexpr char kUsers[] = "users";
inline constexpr char kTickets[] = "tickets";
inline constexpr char kComments[] = "comments";

struct LocatedRecord {
  std::string key;
  nlohmann::json record;
  Match match = Match::kConfirmed;
  std::string ambiguity;
  std::map<std::string, std::string> attributes;
  std::set<std::string> parents;  // the users of a ticket, the ticket of a comment
  // Of a ticket's parents, the users who requested it (the others are copied on it).
  std::set<std::string> requesters;
};

struct LocatedRecords {
  std::vector<LocatedRecord> users, tickets, comments;  // each once, in the order found
};

// Users matching the subject's identities that `search_by` names.
Result<std::vector<LocatedRecord>> LocateUsers(TicketApi& api,
                                               const std::set<std::string>& search_by,
                                               const Subject& subject);

// Adds the tickets of records->users and, when `with_comments`, the comments
// of those tickets.
Status AddTicketsAndComments(TicketApi& api, LocatedRecords* records, bool with_comments);

FoundRecord ToFoundRecord(const std::string& collection, const LocatedRecord& located);

// Whether two written phone numbers are the same number.
bool SamePhone(const std::string& a, const std::string& b);

// The subject's identities and the located users' attributes: values to keep
// out of error messages.
std::vector<std::string> KnownValues(const Subject& subject,
                                     const std::vector<LocatedRecord>& users);

}  // namespace dsr::connectors::http
