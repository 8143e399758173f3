#include "connectors/http/subject_records.h"

#include <algorithm>
#include <cctype>

namespace dsr::connectors::http {
namespace {

constexpr const char* kComparedAttributes[] = {"email", "phone"};

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

struct WrittenPhone {
  std::string digits;
  bool international = false;  // "+49 ..." or "0049 ..."
};

WrittenPhone Normalize(const std::string& text) {
  WrittenPhone phone;
  for (const char c : text) {
    if (c >= '0' && c <= '9') phone.digits.push_back(c);
  }
  const size_t first = text.find_first_not_of(" \t(");
  phone.international = first != std::string::npos && text[first] == '+';
  if (!phone.international && phone.digits.compare(0, 2, "00") == 0) {
    phone.international = true;
    phone.digits.erase(0, 2);
  }
  return phone;
}

std::string Join(const std::vector<std::string>& words) {
  std::string text;
  for (size_t i = 0; i < words.size(); ++i) text += (i == 0 ? "" : " and ") + words[i];
  return text;
}

// Which of the subject's compared identities a record's attributes hold, and
// which it contradicts.
struct Comparison {
  std::vector<std::string> matches, differs;
};

Comparison Compare(const Subject& subject, const std::map<std::string, std::string>& attributes) {
  Comparison comparison;
  for (const char* attribute : kComparedAttributes) {
    const auto given = subject.find(attribute);
    const auto held = attributes.find(attribute);
    if (given == subject.end() || given->second.empty() || held == attributes.end()) continue;
    const bool same = std::string(attribute) == "email"
                          ? Lower(given->second) == Lower(held->second)
                          : SamePhone(given->second, held->second);
    (same ? comparison.matches : comparison.differs).push_back(attribute);
  }
  return comparison;
}

// A user's record shows its primary address only: a user whose primary
// address differs from the subject's may hold the subject's as a further one.
// Asked only then, to spare a request per user found.
Status CompareHeldAddresses(TicketApi& api, const Subject& subject, const std::string& user,
                            Comparison* comparison) {
  const auto differs = std::find(comparison->differs.begin(), comparison->differs.end(), "email");
  if (differs == comparison->differs.end()) return Status::Ok();
  auto held = api.UserEmails(user);
  if (!held.ok()) {
    // A user deleted meanwhile holds nothing.
    return held.status().code() == StatusCode::kNotFound ? Status::Ok() : held.status();
  }
  const std::string given = Lower(subject.at("email"));
  const bool holds = std::any_of(held->begin(), held->end(), [&](const HeldAddress& address) {
    return Lower(address.value) == given;
  });
  if (holds) {
    comparison->differs.erase(differs);
    comparison->matches.insert(comparison->matches.begin(), "email");
  }
  return Status::Ok();
}

// Adds `record` under `parent`, or joins the parent to the record already
// there; a record is confirmed when any of its parents is.
LocatedRecord& AddReached(std::vector<LocatedRecord>* list, std::map<std::string, size_t>* index,
                          const nlohmann::json& record, const LocatedRecord& parent,
                          const std::string& ambiguity) {
  const std::string key = IdOf(record);
  const auto [found, inserted] = index->emplace(key, list->size());
  if (inserted) {
    LocatedRecord reached;
    reached.key = key;
    reached.record = record;
    reached.match = parent.match;
    if (parent.match == Match::kAmbiguous) reached.ambiguity = ambiguity;
    list->push_back(std::move(reached));
  }
  LocatedRecord& located = (*list)[found->second];
  located.parents.insert(parent.key);
  if (parent.match == Match::kConfirmed) {
    located.match = Match::kConfirmed;
    located.ambiguity.clear();
  }
  return located;
}

}  // namespace

bool SamePhone(const std::string& a, const std::string& b) {
  const WrittenPhone first = Normalize(a), second = Normalize(b);
  if (first.digits.empty() || second.digits.empty()) return false;
  if (first.international == second.international) return first.digits == second.digits;
  // "+49 30 1234567" and "030 1234567": the national number without its
  // trunk prefix ends the international one after a country code of 1-3 digits.
  const WrittenPhone& international = first.international ? first : second;
  const WrittenPhone& national = first.international ? second : first;
  if (national.digits.size() < 2 || national.digits[0] != '0') return false;
  const std::string subscriber = national.digits.substr(1);
  const size_t country_digits =
      international.digits.size() - std::min(international.digits.size(), subscriber.size());
  return country_digits >= 1 && country_digits <= 3 &&
         international.digits.compare(country_digits, std::string::npos, subscriber) == 0;
}

Result<std::vector<LocatedRecord>> LocateUsers(TicketApi& api,
                                               const std::set<std::string>& search_by,
                                               const Subject& subject) {
  std::vector<LocatedRecord> users;
  std::set<std::string> seen;
  for (const auto& attribute : search_by) {
    const auto given = subject.find(attribute);
    if (given == subject.end() || given->second.empty()) continue;
    DSR_RETURN_IF_ERROR(api.SearchUsers(attribute, given->second, [&](const nlohmann::json& user) {
      LocatedRecord located;
      located.key = IdOf(user);
      // A user found by several searches compares alike each time.
      if (!seen.insert(located.key).second) return Status::Ok();
      located.attributes = api.UserAttributes(user);
      Comparison comparison = Compare(subject, located.attributes);
      DSR_RETURN_IF_ERROR(CompareHeldAddresses(api, subject, located.key, &comparison));
      // Search may be fuzzy; only an equal identity counts.
      if (comparison.matches.empty()) return Status::Ok();
      located.record = user;
      if (!comparison.differs.empty()) {
        located.match = Match::kAmbiguous;
        located.ambiguity = "matches " + Join(comparison.matches) + "; " +
                            Join(comparison.differs) +
                            (comparison.differs.size() == 1 ? " differs" : " differ");
      }
      users.push_back(std::move(located));
      return Status::Ok();
    }));
  }
  return users;
}

Status AddTicketsAndComments(TicketApi& api, LocatedRecords* records, bool with_comments) {
  std::map<std::string, size_t> ticket_index, comment_index;
  for (const LocatedRecord& user : records->users) {
    for (const auto relation : {TicketRelation::kRequested, TicketRelation::kCopied}) {
      DSR_RETURN_IF_ERROR(api.ListTickets(user.key, relation, [&](const nlohmann::json& ticket) {
        LocatedRecord& reached =
            AddReached(&records->tickets, &ticket_index, ticket, user,
                       "belongs to an ambiguous user (" + user.ambiguity + ")");
        if (relation == TicketRelation::kRequested) reached.requesters.insert(user.key);
        return Status::Ok();
      }));
    }
  }
  if (!with_comments) return Status::Ok();
  for (const LocatedRecord& ticket : records->tickets) {
    DSR_RETURN_IF_ERROR(api.ListComments(ticket.key, [&](const nlohmann::json& comment) {
      AddReached(&records->comments, &comment_index, comment, ticket,
                 "on a ticket of an ambiguous user");
      return Status::Ok();
    }));
  }
  return Status::Ok();
}

FoundRecord ToFoundRecord(const std::string& collection, const LocatedRecord& located) {
  FoundRecord found;
  found.collection = collection;
  found.key = located.key;
  found.record = located.record;
  found.match = located.match;
  found.ambiguity = located.ambiguity;
  found.attributes = located.attributes;
  return found;
}

std::vector<std::string> KnownValues(const Subject& subject,
                                     const std::vector<LocatedRecord>& users) {
  std::vector<std::string> values;
  for (const auto& [attribute, value] : subject) values.push_back(value);
  for (const auto& user : users) {
    for (const auto& [attribute, value] : user.attributes) values.push_back(value);
  }
  return values;
}

}  // namespace dsr::connectors::http
