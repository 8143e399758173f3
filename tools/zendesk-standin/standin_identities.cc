#include "tools/zendesk-standin/standin_identities.h"

#include <algorithm>
#include <set>

#include "tools/zendesk-standin/standin_json.h"

namespace dsr::zendesk_standin {
namespace {

using Json = nlohmann::json;

// Zendesk's identity ids are large integers of their own; these stay clear of
// the sample account's user, ticket and comment ids.
constexpr long long kFirstIdentityId = 6100000000001;

bool KnownType(const std::string& type) {
  return type == kEmailIdentity || type == kPhoneIdentity;
}

Status CheckIdentity(const Json& identity) {
  const bool valid =
      identity.is_object() && identity.contains("id") && identity.at("id").is_number_integer() &&
      identity.contains("user_id") && identity.at("user_id").is_number_integer() &&
      KnownType(TextField(identity, "type")) && !TextField(identity, "value").empty() &&
      identity.value("primary", Json(false)).is_boolean();
  return valid ? Status::Ok()
               : InvalidArgument(
                     "every identity needs a numeric id and user_id, a type (email or "
                     "phone_number), a value, and \"primary\" true or false when given");
}

}  // namespace

bool SameIdentityValue(const std::string& type, const std::string& a, const std::string& b) {
  if (type == kPhoneIdentity) return !Digits(a).empty() && Digits(a) == Digits(b);
  return Lower(a) == Lower(b);
}

Result<UserIdentities> UserIdentities::Load(const Json& identities,
                                            const std::map<long long, Json>& users) {
  UserIdentities book;
  long long last_id = kFirstIdentityId - 1;
  if (!identities.is_null()) {
    if (!identities.is_array()) return InvalidArgument("'identities' is not a list");
    for (Json identity : identities) {
      DSR_RETURN_IF_ERROR(CheckIdentity(identity));
      const long long id = identity.at("id").get<long long>();
      const long long user = identity.at("user_id").get<long long>();
      if (users.count(user) == 0) {
        return InvalidArgument("identity " + std::to_string(id) + " names no user");
      }
      identity["primary"] = identity.value("primary", false);
      if (TextField(identity, "type") == kEmailIdentity) {
        identity["value"] = Lower(TextField(identity, "value"));
      }
      if (!book.by_id_.emplace(id, std::move(identity)).second) {
        return InvalidArgument("identity " + std::to_string(id) + " is listed twice");
      }
      book.ids_of_user_[user].insert(id);
      last_id = std::max(last_id, id);
    }
  }
  book.next_id_ = last_id + 1;
  for (const auto& [id, user] : users) {
    const bool verified =
        user.value("verified", Json(false)).is_boolean() && user.value("verified", false);
    const std::string created = TextField(user, "created_at");
    const std::string email = TextField(user, "email");
    const std::string phone = TextField(user, "phone");
    // A shared phone number is no identity of anyone (Zendesk's phone_number
    // identities are direct lines).
    const bool shared = user.value("shared_phone_number", Json(false)) == Json(true);
    const std::pair<const char*, std::string> derived[] = {{kEmailIdentity, email},
                                                           {kPhoneIdentity, shared ? "" : phone}};
    for (const auto& pair : derived) {
      const char* type = pair.first;
      const std::string& value = pair.second;
      if (value.empty() || book.Holds(id, type, value)) continue;
      const auto of_user = book.Of(id);
      const bool has_primary = std::any_of(of_user.begin(), of_user.end(), [&](const Json& held) {
        return TextField(held, "type") == type && held.value("primary", false);
      });
      book.Add(id, type, value, !has_primary, verified, created);
    }
  }
  return book;
}

std::vector<Json> UserIdentities::Of(long long user) const {
  std::vector<Json> held;
  const auto ids = ids_of_user_.find(user);
  if (ids == ids_of_user_.end()) return held;
  for (const long long id : ids->second) held.push_back(by_id_.at(id));
  return held;
}

Json* UserIdentities::Find(long long user, long long id) {
  const auto found = by_id_.find(id);
  if (found == by_id_.end() || found->second.at("user_id") != Json(user)) return nullptr;
  return &found->second;
}

std::vector<long long> UserIdentities::Holders(const std::string& type,
                                               const std::string& value) const {
  std::set<long long> holders;
  for (const auto& [id, identity] : by_id_) {
    if (TextField(identity, "type") == type &&
        SameIdentityValue(type, TextField(identity, "value"), value)) {
      holders.insert(identity.at("user_id").get<long long>());
    }
  }
  return {holders.begin(), holders.end()};
}

bool UserIdentities::Holds(long long user, const std::string& type,
                           const std::string& value) const {
  const auto held = Of(user);
  return std::any_of(held.begin(), held.end(), [&](const Json& identity) {
    return TextField(identity, "type") == type &&
           SameIdentityValue(type, TextField(identity, "value"), value);
  });
}

Json& UserIdentities::Add(long long user, const std::string& type, const std::string& value,
                          bool primary, bool verified, const std::string& now) {
  const long long id = next_id_++;
  ids_of_user_[user].insert(id);
  Json& added = by_id_[id];
  added = {{"id", id},          {"user_id", user},
           {"type", type},      {"value", type == kEmailIdentity ? Lower(value) : value},
           {"primary", false},  {"verified", verified},
           {"created_at", now}, {"updated_at", now}};
  if (primary) MakePrimary(user, id, now);
  return added;
}

void UserIdentities::MakePrimary(long long user, long long id, const std::string& now) {
  const Json* chosen = Find(user, id);
  if (chosen == nullptr) return;
  const std::string type = TextField(*chosen, "type");
  for (const long long other_id : ids_of_user_.at(user)) {
    Json& identity = by_id_.at(other_id);
    if (TextField(identity, "type") != type) continue;
    const bool primary = other_id == id;
    if (identity.value("primary", false) == primary) continue;
    identity["primary"] = primary;
    identity["updated_at"] = now;
  }
}

void UserIdentities::Erase(long long user, long long id) {
  if (Find(user, id) == nullptr) return;
  by_id_.erase(id);
  ids_of_user_.at(user).erase(id);
}

void UserIdentities::EraseUser(long long user) {
  const auto ids = ids_of_user_.find(user);
  if (ids == ids_of_user_.end()) return;
  for (const long long id : ids->second) by_id_.erase(id);
  ids_of_user_.erase(ids);
}

void UserIdentities::Mirror(Json& user) const {
  const long long id = user.at("id").get<long long>();
  for (const auto& identity : Of(id)) {
    if (!identity.value("primary", false)) continue;
    const std::string type = TextField(identity, "type");
    user[type == kEmailIdentity ? "email" : "phone"] = identity.at("value");
  }
}

Json UserIdentities::Dump() const {
  Json all = Json::array();
  for (const auto& [id, identity] : by_id_) all.push_back(identity);
  return all;
}

}  // namespace dsr::zendesk_standin
