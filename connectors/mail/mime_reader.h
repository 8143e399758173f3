// Reading a whole message's MIME structure (RFC 2045–2047, 2183, 2231): the
// export summary of a message and the decoded text of its text parts.
// Lenient: a broken structure yields what could be read. Nesting deeper than
// a fixed limit is not followed. Pure functions; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "common/base64.h"

namespace dsr::connectors::mail {

// The export record of a message: {date, from, to, cc, subject, message_id,
// attachments: [{filename, content_type, bytes}]}. Addresses and the subject
// are decoded to UTF-8; `date` is RFC 3339 when the Date header can be read,
// else the header as written (or null); `bytes` is the decoded size.
nlohmann::json SummarizeMessage(std::string_view message);

// The text of the message's text parts that are not attachments (text/plain,
// text/html, also inside forwarded messages, with their headers), transfer
// encodings undone, charsets not converted. At most `limit` bytes.
std::string BodyText(std::string_view message, size_t limit = 4 * 1024 * 1024);

// `text` with every byte sequence that is not UTF-8 replaced by U+FFFD, so
// that it can go into JSON (undeclared 8-bit headers are common).
std::string ValidUtf8(std::string_view text);

std::string DecodeQuotedPrintable(std::string_view text);

}  // namespace dsr::connectors::mail
