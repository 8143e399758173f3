// ZendeskStore's users' identities (standin_store.h): the identity routes and
// how a user update changes the identities.
#include <algorithm>

#include "tools/zendesk-standin/standin_json.h"
#include "tools/zendesk-standin/standin_store.h"

namespace dsr::zendesk_standin {

using Json = nlohmann::json;

bool ZendeskStore::HeldByOther(long long user, const std::string& type,
                               const std::string& value) const {
  for (const long long holder : identities_.Holders(type, value)) {
    const Json* other = FindUser(holder);
    if (holder != user && other != nullptr && ActiveUser(*other)) return true;
  }
  return false;
}

std::optional<std::vector<Json>> ZendeskStore::Identities(long long user) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const Json* found = FindUser(user);
  if (found == nullptr || !ActiveUser(*found)) return std::nullopt;
  return identities_.Of(user);
}

// An address given as "email" is added as a secondary identity (the first
// one becomes primary); a number given as "phone" replaces the primary phone
// identity's, or becomes one unless the number is shared.
void ZendeskStore::UpdateIdentities(Json& user, const Json& changes, const std::string& now) {
  const long long id = user.at("id").get<long long>();
  const std::vector<Json> held = identities_.Of(id);
  const auto primary_of = [&](const char* type) -> const Json* {
    for (const auto& identity : held) {
      if (TextField(identity, "type") == type && identity.value("primary", false)) return &identity;
    }
    return nullptr;
  };
  const std::string email = TextField(changes, "email");
  if (!email.empty() && !identities_.Holds(id, kEmailIdentity, email)) {
    identities_.Add(id, kEmailIdentity, email, primary_of(kEmailIdentity) == nullptr, false, now);
  }
  if (changes.contains("phone")) {
    const std::string phone = TextField(changes, "phone");
    user["phone"] = phone.empty() ? Json() : Json(phone);
    const Json* primary = primary_of(kPhoneIdentity);
    if (primary != nullptr) {
      const long long primary_id = primary->at("id").get<long long>();
      if (phone.empty()) {
        identities_.Erase(id, primary_id);
      } else {
        Json& identity = *identities_.Find(id, primary_id);
        identity["value"] = phone;
        identity["updated_at"] = now;
      }
    } else if (!phone.empty() && user.value("shared_phone_number", Json(false)) != Json(true)) {
      identities_.Add(id, kPhoneIdentity, phone, true, false, now);
    }
  }
  identities_.Mirror(user);
}

ApiAnswer ZendeskStore::AddIdentity(long long user, const Json& request_body) {
  std::lock_guard<std::mutex> lock(mutex_);
  Json* found = FindActiveUser(user);
  if (found == nullptr) return NotFoundAnswer();
  const Json identity = request_body.is_object() ? request_body.value("identity", Json()) : Json();
  if (!identity.is_object()) {
    return {400,
            {{"error", "InvalidParameter"}, {"description", "expected {\"identity\": {...}}"}}};
  }
  const std::string type = TextField(identity, "type");
  const std::string value = TextField(identity, "value");
  if (type != kEmailIdentity && type != kPhoneIdentity) {
    return InvalidAnswer("type", "InvalidValue", "Type: only email and phone_number are served");
  }
  if (value.empty()) return InvalidAnswer("value", "BlankValue", "Value: cannot be blank");
  if (identities_.Holds(user, type, value) || HeldByOther(user, type, value)) {
    return InvalidAnswer(
        "value", "DuplicateValue",
        "Value: " + (type == kEmailIdentity ? Lower(value) : value) + " is already being used");
  }
  const auto held = identities_.Of(user);
  const bool first = std::none_of(held.begin(), held.end(), [&](const Json& other) {
    return TextField(other, "type") == type && other.value("primary", false);
  });
  const std::string now = NowUtc();
  const bool primary = first || identity.value("primary", Json()) == Json(true);
  const bool verified = identity.value("verified", Json()) == Json(true);
  const Json added = identities_.Add(user, type, value, primary, verified, now);
  identities_.Mirror(*found);
  if (added.at("primary") == Json(true)) (*found)["updated_at"] = now;
  return Saved({201, {{"identity", added}}});
}

ApiAnswer ZendeskStore::MakeIdentityPrimary(long long user, long long identity) {
  std::lock_guard<std::mutex> lock(mutex_);
  Json* found = FindActiveUser(user);
  if (found == nullptr || identities_.Find(user, identity) == nullptr) return NotFoundAnswer();
  const std::string now = NowUtc();
  identities_.MakePrimary(user, identity, now);
  identities_.Mirror(*found);
  (*found)["updated_at"] = now;
  return Saved({200, {{"identities", identities_.Of(user)}}});
}

ApiAnswer ZendeskStore::DeleteIdentity(long long user, long long identity) {
  std::lock_guard<std::mutex> lock(mutex_);
  Json* found = FindActiveUser(user);
  const Json* doomed = found == nullptr ? nullptr : identities_.Find(user, identity);
  if (doomed == nullptr) return NotFoundAnswer();
  if (TextField(*doomed, "type") == kEmailIdentity && doomed->value("primary", false)) {
    return InvalidAnswer(
        "primary", "PrimaryIdentity",
        "The primary email identity cannot be deleted; make another one primary first");
  }
  // As Zendesk notes, a deleted phone identity's number may stay on the user.
  identities_.Erase(user, identity);
  return Saved({204, nullptr});
}

}  // namespace dsr::zendesk_standin
