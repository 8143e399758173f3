// Base64 (RFC 4648, standard alphabet): for binary content inside JSON, such
// as an e-mail's original bytes on the wire, and for MIME and IMAP.
#pragma once

#include <string>
#include <string_view>

namespace dsr {

// One line, with padding.
std::string EncodeBase64(std::string_view bytes);
// Skips anything outside the alphabet (line breaks in MIME bodies, padding).
std::string DecodeBase64(std::string_view text);
// Whether `text` is exactly one line of padded base64, as EncodeBase64 writes it.
bool IsCanonicalBase64(std::string_view text);

}  // namespace dsr
