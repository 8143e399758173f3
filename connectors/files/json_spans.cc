#include "connectors/files/json_spans.h"

#include <nlohmann/json.hpp>

namespace dsr::connectors::files {
namespace {

constexpr size_t kNone = std::string_view::npos;
constexpr int kMaxNesting = 256;

size_t SkipSpace(std::string_view text, size_t at) {
  while (at < text.size() &&
         (text[at] == ' ' || text[at] == '\t' || text[at] == '\r' || text[at] == '\n')) {
    ++at;
  }
  return at;
}

// The end of the string that starts at `at` (a '"'), or kNone.
size_t StringEnd(std::string_view text, size_t at) {
  for (size_t i = at + 1; i < text.size(); ++i) {
    if (text[i] == '\\') {
      ++i;
    } else if (text[i] == '"') {
      return i + 1;
    }
  }
  return kNone;
}

// The end of the value that starts at `at`, or kNone.
size_t ValueEnd(std::string_view text, size_t at, int depth) {
  if (at >= text.size() || depth > kMaxNesting) return kNone;
  const char first = text[at];
  if (first == '"') return StringEnd(text, at);
  if (first != '{' && first != '[') {
    size_t end = at;
    while (end < text.size() && std::string_view(",}] \t\r\n").find(text[end]) == kNone) {
      ++end;
    }
    return end > at ? end : kNone;
  }
  const char close = first == '{' ? '}' : ']';
  size_t i = SkipSpace(text, at + 1);
  if (i < text.size() && text[i] == close) return i + 1;
  for (;;) {
    if (first == '{') {
      i = StringEnd(text, i);
      if (i == kNone) return kNone;
      i = SkipSpace(text, i);
      if (i >= text.size() || text[i] != ':') return kNone;
      i = SkipSpace(text, i + 1);
    }
    i = ValueEnd(text, i, depth + 1);
    if (i == kNone) return kNone;
    i = SkipSpace(text, i);
    if (i < text.size() && text[i] == ',') {
      i = SkipSpace(text, i + 1);
      continue;
    }
    return i < text.size() && text[i] == close ? i + 1 : kNone;
  }
}

std::string DecodeKey(std::string_view quoted) {
  const auto parsed = nlohmann::json::parse(quoted, nullptr, /*allow_exceptions=*/false);
  return parsed.is_string() ? parsed.get<std::string>() : std::string();
}

void CollectMembers(std::string_view text, size_t at, const std::vector<std::string>& path,
                    size_t level, std::vector<Span>* spans) {
  at = SkipSpace(text, at);
  if (at >= text.size() || text[at] != '{' || ValueEnd(text, at, 0) == kNone) return;
  size_t i = SkipSpace(text, at + 1);
  while (i < text.size() && text[i] == '"') {
    const size_t key_end = StringEnd(text, i);
    const std::string key = DecodeKey(text.substr(i, key_end - i));
    const size_t value = SkipSpace(text, SkipSpace(text, key_end) + 1);
    const size_t value_end = ValueEnd(text, value, 0);
    if (key == path[level]) {
      if (level + 1 == path.size()) {
        spans->emplace_back(value, value_end);
      } else {
        CollectMembers(text, value, path, level + 1, spans);
      }
    }
    i = SkipSpace(text, value_end);
    if (i >= text.size() || text[i] != ',') break;
    i = SkipSpace(text, i + 1);
  }
}

}  // namespace

std::vector<std::string> SplitFieldPath(const std::string& dotted) {
  std::vector<std::string> parts;
  size_t begin = 0;
  for (size_t dot = dotted.find('.'); dot != std::string::npos; dot = dotted.find('.', begin)) {
    parts.push_back(dotted.substr(begin, dot - begin));
    begin = dot + 1;
  }
  parts.push_back(dotted.substr(begin));
  return parts;
}

std::vector<Span> FindMemberValues(std::string_view text, const std::vector<std::string>& path) {
  std::vector<Span> spans;
  if (!path.empty()) CollectMembers(text, 0, path, 0, &spans);
  return spans;
}

}  // namespace dsr::connectors::files
