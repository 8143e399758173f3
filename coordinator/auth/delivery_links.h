// Delivery links: how the data subject downloads the answer to an access
// request without an account.
//
// An agent makes a link for a request whose bundle is sealed. The link's
// token (256 random bits, base64url, prefix "dsrd_") is the credential; the
// store keeps only its SHA-256. On request the link also needs a one-time
// code of kDeliveryCodeDigits digits that the agent sends by another channel;
// the store keeps it only as an Argon2id hash. A link ends when it expires
// (by the injected clock), after kMaxWrongCodes wrong codes (it is revoked),
// or when the request is purged (its links are deleted with it).
//
// Like Accounts, it writes from the HTTP threads: it touches only the links
// and appends to the audit chain, which Store::Write serialises with the
// engine's writes. Events never hold the token or the code.
#pragma once

#include <optional>
#include <string>

#include "common/clock.h"
#include "coordinator/store/store.h"

namespace dsr::auth {

inline constexpr const char* kDeliveryTokenPrefix = "dsrd_";
inline constexpr int kDeliveryCodeDigits = 8;
inline constexpr int kMaxWrongCodes = 5;
inline constexpr int kMinDeliveryDays = 1;
inline constexpr int kMaxDeliveryDays = 30;
inline constexpr int kDefaultDeliveryDays = 14;

struct IssuedDeliveryLink {
  std::string token;                // shown once
  std::optional<std::string> code;  // shown once; only when asked for
  std::string expires_at;
};

// Where a link stands for one visit.
enum class LinkState {
  kOpen,     // valid (and, for a download, the code was right or not needed)
  kUnknown,  // no such link (never made, or purged)
  kExpired,
  kRevoked,    // after kMaxWrongCodes wrong codes
  kWrongCode,  // a code is needed and the one given is missing or wrong
};

struct LinkVisit {
  LinkState state = LinkState::kUnknown;
  std::optional<store::DeliveryLinkRecord> link;  // set unless kUnknown
};

class DeliveryLinks {
 public:
  DeliveryLinks(store::Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  // For a request whose bundle the caller checked is sealed. kValidation for
  // days outside [kMinDeliveryDays, kMaxDeliveryDays]. Appends
  // "delivery.link_created" by `actor`.
  Result<IssuedDeliveryLink> Create(const std::string& request_id, const std::string& actor,
                                    int expires_in_days, bool with_code);
  // The link of `token` as it stands now, for showing its page.
  Result<LinkVisit> Look(const std::string& token) const;
  // A download: checks the code when the link needs one (a missing one is
  // refused; a wrong one counts, and the kMaxWrongCodes-th revokes the link
  // with "delivery.link_revoked"),
  // and counts a granted download with "delivery.downloaded".
  Result<LinkVisit> Download(const std::string& token, const std::optional<std::string>& code);

 private:
  LinkState StateOf(const store::DeliveryLinkRecord& link) const;

  store::Store& store_;
  const Clock& clock_;
};

}  // namespace dsr::auth
