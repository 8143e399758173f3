// UserIdentities: the e-mail addresses and phone numbers of the users of
// dsr-zendesk-standin (a local stand-in for Zendesk, not Zendesk itself), as
// Zendesk's User Identities API shows them: {"id", "user_id", "type"
// ("email" or "phone_number"), "value", "primary", "verified", "created_at",
// "updated_at"}. A user has at most one primary identity of each type, and
// its "email" / "phone" fields show the values of those primaries.
//
// E-mail values are kept in lower case and compared without case; phone
// numbers are compared by their digits. Not thread-safe: ZendeskStore holds
// it under its own lock.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "common/status.h"

namespace dsr::zendesk_standin {

inline constexpr char kEmailIdentity[] = "email";
inline constexpr char kPhoneIdentity[] = "phone_number";

class UserIdentities {
 public:
  // `identities`: the data file's list, or null when the file has none.
  // Each user whose e-mail address (or phone number, unless it is shared)
  // is not among its identities gets one derived, primary when the user has
  // no primary of that type, dated like the user. kInvalidArgument for an
  // identity without a numeric id and user_id, a known type and a value.
  static Result<UserIdentities> Load(const nlohmann::json& identities,
                                     const std::map<long long, nlohmann::json>& users);

  // The user's identities, by id.
  std::vector<nlohmann::json> Of(long long user) const;
  // The user's identity `id`, or nullptr.
  nlohmann::json* Find(long long user, long long id);
  // The users holding `value` as an identity of `type`.
  std::vector<long long> Holders(const std::string& type, const std::string& value) const;
  // Whether any of the user's identities of `type` is `value`.
  bool Holds(long long user, const std::string& type, const std::string& value) const;

  // A new identity (an e-mail value in lower case), stamped `now`.
  nlohmann::json& Add(long long user, const std::string& type, const std::string& value,
                      bool primary, bool verified, const std::string& now);
  // Makes the identity the primary of its type, the others of that type not.
  void MakePrimary(long long user, long long id, const std::string& now);
  void Erase(long long user, long long id);
  void EraseUser(long long user);
  // Sets the user's "email" / "phone" to the values of its primary identities
  // (where it has one of that type).
  void Mirror(nlohmann::json& user) const;

  // Every identity, by id.
  nlohmann::json Dump() const;

 private:
  std::map<long long, nlohmann::json> by_id_;
  std::map<long long, std::set<long long>> ids_of_user_;  // user → its identities' ids
  long long next_id_ = 0;
};

// Whether two values of an identity `type` are the same.
bool SameIdentityValue(const std::string& type, const std::string& a, const std::string& b);

}  // namespace dsr::zendesk_standin
