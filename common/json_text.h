// Parsing JSON that came from outside (HTTP bodies, wire headers) with a
// bound on nesting: deep nesting is refused before the parser sees it, so no
// recursion (in validation, dumping or destruction) is driven by hostile
// input. Pure functions; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "common/status.h"

namespace dsr {

// Deepest nesting of arrays and objects any outside JSON may have.
inline constexpr int kMaxJsonDepth = 64;

// kInvalidArgument when `text` nests arrays/objects deeper than `max_depth`
// (brackets inside strings do not count). Does not check the rest of the syntax.
Status CheckJsonDepth(std::string_view text, int max_depth = kMaxJsonDepth);

// The JSON value in `text`; kInvalidArgument ("... is not valid JSON",
// "... nesting deeper than N levels") naming `what`.
Result<nlohmann::json> ParseJsonText(std::string_view text, std::string_view what,
                                     int max_depth = kMaxJsonDepth);

// Whether `text` is well-formed UTF-8 (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF).
bool IsValidUtf8(std::string_view text);

// `text` with each byte that does not start a well-formed sequence, and each
// NUL, replaced by U+FFFD.
std::string ToValidUtf8WithoutNul(std::string_view text);

}  // namespace dsr
