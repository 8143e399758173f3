// ZendeskStore: the accounts data of dsr-zendesk-standin, a local stand-in
// for Zendesk (not Zendesk itself) used by dsr's tests and demos. It holds
// users, tickets and comments as the Zendesk API v2 shows them and applies
// the changes that API documents, in memory; with a save path every change is
// written back to that file (whole, atomically).
//
// Behaviour copied from Zendesk's documentation: search and lists show active
// users only; deleting a user soft-deletes it (it shows with "active": false
// and under deleted_users); only a soft-deleted user can be permanently
// deleted; a user who requests a ticket that is not closed cannot be deleted
// (HTTP 422); tickets and comments stay when their users go. Deleting a
// ticket soft-deletes it: it leaves every list and view, and is kept with
// "status": "deleted" (as Zendesk's incremental exports show deleted
// tickets); only a soft-deleted ticket can be permanently deleted, which
// removes it with its comments. Error bodies follow Zendesk's shapes; their
// wording is the stand-in's own.
//
// Users' e-mail addresses and phone numbers are identities (UserIdentities).
// Search by e-mail or phone finds a user by any of its identities. Zendesk
// documents a user's `email` as writeable on create only: on update, the
// address is added as a further (secondary) identity and the primary one
// stays; the primary changes only through the identities
// (tools/zendesk-standin/README.md has the sources). A primary e-mail
// identity cannot be deleted here (the stand-in's own rule: Zendesk does not
// document the case).
// Thread-safe.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "tools/zendesk-standin/standin_identities.h"

namespace dsr::zendesk_standin {

// What the API answers: an HTTP status and a JSON body.
struct ApiAnswer {
  int status = 200;
  nlohmann::json body;
};

class ZendeskStore {
 public:
  // Reads {"users": [...], "tickets": [...], "comments": [...]} (comments
  // carry "ticket_id") and, when present, "identities": [...]; users'
  // addresses and numbers missing from it become identities (UserIdentities::
  // Load). `save_path` empty: changes stay in memory.
  static Result<std::unique_ptr<ZendeskStore>> Load(const std::string& path, std::string save_path);

  // `query`: "email:<address>" (without case), "phone:<number>" (quotes
  // allowed; compared by digits) or text found in a name or an address.
  std::vector<nlohmann::json> SearchUsers(const std::string& query) const;
  std::vector<nlohmann::json> ActiveUsers() const;
  // Tickets that are not deleted.
  std::vector<nlohmann::json> Tickets() const;
  // Empty when the user is not active (unknown, or deleted).
  std::optional<std::vector<nlohmann::json>> UserTickets(long long user, bool requested) const;
  // Without "ticket_id"; empty when there is no such ticket (or it is deleted).
  std::optional<std::vector<nlohmann::json>> Comments(long long ticket) const;
  // The user's identities; empty when the user is not active.
  std::optional<std::vector<nlohmann::json>> Identities(long long user) const;

  ApiAnswer ShowUser(long long user) const;
  ApiAnswer ShowDeletedUser(long long user) const;
  ApiAnswer UpdateUser(long long user, const nlohmann::json& request_body);
  ApiAnswer DeleteUser(long long user);
  ApiAnswer PermanentlyDeleteUser(long long user);
  // {"identity": {"type", "value"[, "primary", "verified"]}}: 201 with the
  // identity; 422 DuplicateValue when a user holds the value already.
  ApiAnswer AddIdentity(long long user, const nlohmann::json& request_body);
  // 200 with the user's identities, as Zendesk answers.
  ApiAnswer MakeIdentityPrimary(long long user, long long identity);
  // 204; 422 for the primary e-mail identity.
  ApiAnswer DeleteIdentity(long long user, long long identity);
  ApiAnswer ShowTicket(long long ticket) const;
  ApiAnswer DeleteTicket(long long ticket);
  ApiAnswer PermanentlyDeleteTicket(long long ticket);

  // Everything, in the data file's format.
  nlohmann::json Dump() const;

 private:
  ZendeskStore(std::map<long long, nlohmann::json> users, UserIdentities identities,
               std::vector<nlohmann::json> tickets, std::vector<nlohmann::json> comments,
               std::string save_path);
  nlohmann::json DumpLocked() const;
  Status SaveLocked() const;
  const nlohmann::json* FindUser(long long user) const;
  // The active user `id`, or nullptr.
  nlohmann::json* FindActiveUser(long long user);
  // Whether an active user other than `user` holds `value` as an identity of `type`.
  bool HeldByOther(long long user, const std::string& type, const std::string& value) const;
  // Applies "email" and "phone" of a user update to the identities.
  void UpdateIdentities(nlohmann::json& user, const nlohmann::json& changes,
                        const std::string& now);
  // Saves the data: `done` when that worked, else a 500.
  ApiAnswer Saved(ApiAnswer done) const;
  // The ticket with `id`, soft-deleted or not; end() when there is none.
  std::vector<nlohmann::json>::iterator FindTicket(long long ticket);
  std::vector<nlohmann::json>::const_iterator FindTicket(long long ticket) const;

  mutable std::mutex mutex_;
  std::map<long long, nlohmann::json> users_;  // by id; soft-deleted ones have "active": false
  std::vector<nlohmann::json> tickets_;
  std::vector<nlohmann::json> comments_;
  UserIdentities identities_;
  std::string save_path_;
};

// {"error": "RecordNotFound", "description": "Not found"} with 404.
ApiAnswer NotFoundAnswer();
// {"error": "RecordInvalid", "details": {field: [{error, description}]}} with 422.
ApiAnswer InvalidAnswer(const std::string& field, const std::string& error,
                        const std::string& description);

}  // namespace dsr::zendesk_standin
