// Recognising personal data in free text, for Connector::Discover: e-mail
// addresses, phone numbers, IP addresses (v4 and v6) and IBANs (checked with
// their ISO 13616 check digits, so that random numbers do not count).
// Pure functions; thread-safe.
#pragma once

#include <set>
#include <string>
#include <string_view>

namespace dsr::connectors {

inline constexpr const char* kKindEmail = "email";
inline constexpr const char* kKindPhone = "phone";
inline constexpr const char* kKindIpAddress = "ip_address";
inline constexpr const char* kKindIban = "iban";

// The kinds of personal data that occur in `text`, with how many values.
struct Detection {
  std::set<std::string> kinds;
  int64_t occurrences = 0;
};
Detection DetectPersonalData(std::string_view text);

bool LooksLikeEmail(std::string_view token);
bool LooksLikePhone(std::string_view token);
bool IsIpAddress(std::string_view token);
bool IsIban(std::string_view token);
bool StartsIban(std::string_view text);

}  // namespace dsr::connectors
