// Reading the header of an Internet message (RFC 5322): the header block,
// unfolded fields, address lists with display names, encoded words
// (RFC 2047) and the Date. Lenient, as mail in the wild is: anything that
// cannot be read is skipped, never an error. Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/civil_date.h"

namespace dsr::connectors::mail {

// The offset just past the empty line that ends the header block (CRLF or
// LF line ends), or npos when `message` holds no empty line yet.
size_t HeaderEnd(std::string_view message);

// One header field, its value unfolded (line breaks removed) and not decoded.
struct HeaderField {
  std::string name;
  std::string value;
};
std::vector<HeaderField> ParseHeaderFields(std::string_view header);

// Values of every field named `name` (without case), in order.
std::vector<std::string> FieldValues(const std::vector<HeaderField>& fields, std::string_view name);
// The first such value, or "".
std::string FirstValue(const std::vector<HeaderField>& fields, std::string_view name);

// Encoded words ("=?UTF-8?Q?Gr=C3=BC=C3=9Fe?=") decoded to UTF-8; other
// text stays as it is. Unknown charsets and broken words are kept as written.
std::string DecodeWords(std::string_view value);

struct MailAddress {
  std::string display_name;  // decoded; "" when there is none
  std::string address;       // as written ("Anna.Muster@Example.org")
};
// The mailboxes of an address list ("Anna <a@x.de>, b@y.com (Bob), team: c@z;").
std::vector<MailAddress> ParseAddressList(std::string_view value);

// The header fields that name the parties of a message, in the order a match
// is reported by: From, Reply-To, To, Cc.
inline constexpr const char* kPartyFields[] = {"From", "Reply-To", "To", "Cc"};

struct MessageDate {
  CivilDate date;   // the calendar date as the sender wrote it (its own zone)
  std::string iso;  // RFC 3339: "2024-03-05T10:00:00+01:00"
};
// "Tue, 5 Mar 2024 10:00:00 +0100" (day name, seconds and zone optional;
// two-digit years as RFC 5322 says), or nullopt.
std::optional<MessageDate> ParseMessageDate(std::string_view value);

// `bytes` in `charset` (any that iconv knows) as UTF-8; unchanged when the
// charset is unknown or the bytes are not valid in it.
std::string CharsetToUtf8(const std::string& bytes, const std::string& charset);

bool EqualsIgnoreCase(std::string_view a, std::string_view b);
std::string AsciiLower(std::string_view text);

}  // namespace dsr::connectors::mail
