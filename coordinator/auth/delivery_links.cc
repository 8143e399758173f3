#include "coordinator/auth/delivery_links.h"

#include <nlohmann/json.hpp>

#include "coordinator/auth/credentials.h"

namespace dsr::auth {
namespace {

// The actor of what happens through a link: whoever holds it.
constexpr const char* kLinkActor = "delivery-link";

store::EventRecord LinkEvent(const store::DeliveryLinkRecord& link, const std::string& at,
                             const std::string& kind, const std::string& actor,
                             nlohmann::json details) {
  store::EventRecord event;
  event.request_id = link.request_id;
  event.at = at;
  event.kind = kind;
  event.actor = actor;
  event.details = details.dump();
  return event;
}

// Looks the token up by its digest; a malformed token is simply unknown.
Result<std::optional<store::DeliveryLinkRecord>> Find(const store::Store& store,
                                                      const std::string& token) {
  if (!IsWellFormedToken(token, kDeliveryTokenPrefix))
    return std::optional<store::DeliveryLinkRecord>();
  auto link = store.GetDeliveryLink(TokenDigest(token));
  if (link.status().code() == StatusCode::kNotFound)
    return std::optional<store::DeliveryLinkRecord>();
  if (!link.ok()) return link.status();
  return std::optional<store::DeliveryLinkRecord>(std::move(link.value()));
}

}  // namespace

Result<IssuedDeliveryLink> DeliveryLinks::Create(const std::string& request_id,
                                                 const std::string& actor, int expires_in_days,
                                                 bool with_code) {
  if (expires_in_days < kMinDeliveryDays || expires_in_days > kMaxDeliveryDays) {
    return ValidationError("a delivery link expires after " + std::to_string(kMinDeliveryDays) +
                           " to " + std::to_string(kMaxDeliveryDays) + " days");
  }
  const auto now = clock_.Now();
  IssuedDeliveryLink issued;
  issued.token = NewSecretToken(kDeliveryTokenPrefix);
  issued.expires_at = FormatUtc(now + std::chrono::hours(24) * expires_in_days);
  store::DeliveryLinkRecord link;
  link.token_sha256 = TokenDigest(issued.token);
  link.request_id = request_id;
  link.created_by = actor;
  link.created_at = FormatUtc(now);
  link.expires_at = issued.expires_at;
  if (with_code) {
    issued.code = NewDigitCode(kDeliveryCodeDigits);
    auto hash = HashSecret(*issued.code);
    if (!hash.ok()) return hash.status();
    link.code_hash = std::move(hash.value());
  }
  DSR_RETURN_IF_ERROR(store_.Write([&](store::StoreWriter& w) -> Status {
    DSR_RETURN_IF_ERROR(w.InsertDeliveryLink(link));
    return w.AppendEvent(LinkEvent(
        link, link.created_at, "delivery.link_created", actor,
        {{"expires_at", link.expires_at}, {"one_time_code", link.code_hash.has_value()}}));
  }));
  return issued;
}

LinkState DeliveryLinks::StateOf(const store::DeliveryLinkRecord& link) const {
  if (link.revoked_at) return LinkState::kRevoked;
  auto expires = ParseUtc(link.expires_at);
  if (!expires.ok() || clock_.Now() >= *expires) return LinkState::kExpired;
  return LinkState::kOpen;
}

Result<LinkVisit> DeliveryLinks::Look(const std::string& token) const {
  auto found = Find(store_, token);
  if (!found.ok()) return found.status();
  if (!*found) return LinkVisit{};
  return LinkVisit{StateOf(**found), std::move(*found)};
}

Result<LinkVisit> DeliveryLinks::Download(const std::string& token,
                                          const std::optional<std::string>& code) {
  auto looked = Look(token);
  if (!looked.ok() || looked->state != LinkState::kOpen) return looked;
  const bool needs_code = looked->link->code_hash.has_value();
  // No code at all is not a guess (a plain visit of the address): refused,
  // not counted.
  if (needs_code && (!code || code->empty())) {
    looked->state = LinkState::kWrongCode;
    return looked;
  }
  // The slow hash is checked outside the write lock; the count is then
  // updated on the row as it stands in the transaction.
  const bool code_right = !needs_code || VerifyPassword(*looked->link->code_hash, *code);
  LinkVisit visit;
  const std::string now = FormatUtc(clock_.Now());
  DSR_RETURN_IF_ERROR(store_.Write([&](store::StoreWriter& w) -> Status {
    auto current = w.GetDeliveryLink(looked->link->token_sha256);
    if (current.status().code() == StatusCode::kNotFound) {
      visit = LinkVisit{};  // purged meanwhile
      return Status::Ok();
    }
    if (!current.ok()) return current.status();
    store::DeliveryLinkRecord link = std::move(current.value());
    visit.state = StateOf(link);
    if (visit.state == LinkState::kOpen && !code_right) {
      link.failed_codes += 1;
      visit.state = LinkState::kWrongCode;
      if (link.failed_codes >= kMaxWrongCodes) {
        link.revoked_at = now;
        DSR_RETURN_IF_ERROR(w.AppendEvent(
            LinkEvent(link, now, "delivery.link_revoked", kLinkActor,
                      {{"reason", "too many wrong codes"}, {"wrong_codes", link.failed_codes}})));
      }
      DSR_RETURN_IF_ERROR(w.UpdateDeliveryLink(link));
    } else if (visit.state == LinkState::kOpen) {
      link.downloads += 1;
      DSR_RETURN_IF_ERROR(w.UpdateDeliveryLink(link));
      DSR_RETURN_IF_ERROR(w.AppendEvent(LinkEvent(link, now, "delivery.downloaded", kLinkActor,
                                                  {{"downloads", link.downloads}})));
    }
    visit.link = std::move(link);
    return Status::Ok();
  }));
  return visit;
}

}  // namespace dsr::auth
