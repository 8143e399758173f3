// Where a member's value sits in the text of one JSON object, so that a
// correction can replace exactly those bytes and leave the rest of a log
// line (key order, spacing, escapes, number formats) as it was. Pure
// functions; tolerant: malformed text yields no spans.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dsr::connectors::files {

using Span = std::pair<size_t, size_t>;  // [begin, end) in the text

// "visitor.ip" → {"visitor", "ip"}.
std::vector<std::string> SplitFieldPath(const std::string& dotted);

// The raw value of every member at `path` (each level an object; a key that
// occurs twice yields both) in the object `text`.
std::vector<Span> FindMemberValues(std::string_view text, const std::vector<std::string>& path);

}  // namespace dsr::connectors::files
