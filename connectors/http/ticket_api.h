// TicketApi: what the HTTP connector needs from a ticketing product, one
// implementation per config `profile` (zendesk_api.h). The connector's logic
// (which records belong to the subject, scopes, outcomes, verification) sits
// above this seam and is the same for every product.
//
// Records are the product's JSON objects trimmed to its documented fields;
// ids are given as text. Errors are ApiClient's (connectors/http/api_client.h).
// Not thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/civil_date.h"
#include "common/status.h"
#include "connectors/connector.h"

namespace dsr::connectors::http {

// Called with each record in turn; a non-ok Status stops the listing and is
// returned by it.
using RecordVisitor = std::function<Status(const nlohmann::json& record)>;

enum class TicketRelation {
  kRequested,  // the user asked for the ticket
  kCopied,     // the user is copied on the ticket (cc, collaborator)
};

// One e-mail address a user holds.
struct HeldAddress {
  std::string value;
  bool primary = false;  // the one the user's record shows
};

class TicketApi {
 public:
  virtual ~TicketApi() = default;

  // Active users whose `attribute` ("email" or "phone") is `value`, as the
  // product's search finds them (the caller checks the values again).
  virtual Status SearchUsers(std::string_view attribute, const std::string& value,
                             const RecordVisitor& visit) = 0;
  // The user with `id`, or nullopt when the product has no such user (any more).
  virtual Result<std::optional<nlohmann::json>> ShowUser(const std::string& id) = 0;
  virtual Status ListTickets(const std::string& user_id, TicketRelation relation,
                             const RecordVisitor& visit) = 0;
  // The ticket's comments, oldest first; each record carries "ticket_id".
  virtual Status ListComments(const std::string& ticket_id, const RecordVisitor& visit) = 0;
  // Writes `changes` (product field → value) to the user.
  virtual Status UpdateUser(const std::string& id, const nlohmann::json& changes) = 0;
  // Every e-mail address the user holds: a product may keep several per user,
  // of which the record shows one. kNotFound when the user is gone.
  virtual Result<std::vector<HeldAddress>> UserEmails(const std::string& user_id) = 0;
  // Makes `new_address` the user's primary e-mail address and takes each of
  // `old_addresses` (compared without case) away from the user; the user's
  // other addresses stay. True when this call changed anything; running it
  // again changes nothing. The caller verifies the outcome (UserEmails).
  virtual Result<bool> ReplaceEmail(const std::string& user_id,
                                    const std::set<std::string>& old_addresses,
                                    const std::string& new_address) = 0;
  // Deletes the user for good. True when this call deleted something, false
  // when the user was gone already (erasing twice is harmless).
  virtual Result<bool> EraseUser(const std::string& id) = 0;
  // The ticket with `id`, or nullopt when the product has no such ticket (any more).
  virtual Result<std::optional<nlohmann::json>> ShowTicket(const std::string& id) = 0;
  // Deletes the ticket for good, and its comments with it. True when this
  // call deleted something, false when the ticket was gone already.
  virtual Result<bool> EraseTicket(const std::string& id) = 0;
  // Up to `limit` users / tickets of the whole account, for Discover.
  virtual Status SampleUsers(int64_t limit, const RecordVisitor& visit) = 0;
  virtual Status SampleTickets(int64_t limit, const RecordVisitor& visit) = 0;

  // The canonical attributes a user record holds ("email", "phone", "name").
  virtual std::map<std::string, std::string> UserAttributes(const nlohmann::json& user) const = 0;
  // Whether a user record stands for a user that still exists.
  virtual bool IsActive(const nlohmann::json& user) const = 0;
  // The day (UTC) a user or ticket record was created; nullopt when it does not say.
  virtual std::optional<CivilDate> CreatedOn(const nlohmann::json& record) const = 0;
  // The product fields that `corrections` (connector.h) change on `user`,
  // limited to the canonical attributes in `mapped`; empty when none apply.
  // Never the e-mail address, which ReplaceEmail corrects.
  virtual nlohmann::json UserChanges(const nlohmann::json& user, const Corrections& corrections,
                                     const std::set<std::string>& mapped) const = 0;
  // Values to keep out of error messages (ApiClient::set_known_values).
  virtual void SetKnownValues(std::vector<std::string> values) = 0;
};

// The record's "id" as text ("" when it has none).
inline std::string IdOf(const nlohmann::json& record) {
  const auto id = record.find("id");
  if (id == record.end()) return "";
  if (id->is_number_integer()) return std::to_string(id->get<long long>());
  return id->is_string() ? id->get<std::string>() : "";
}

}  // namespace dsr::connectors::http
