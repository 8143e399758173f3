#include "connectors/files/vcard_text.h"

#include <algorithm>

namespace dsr::connectors::files {
namespace {

constexpr size_t kFoldBytes = 75;

std::string Upper(std::string text) {
  for (char& c : text) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return text;
}

std::string Trim(std::string_view text) {
  const size_t begin = text.find_first_not_of(" \t");
  if (begin == std::string_view::npos) return "";
  return std::string(text.substr(begin, text.find_last_not_of(" \t") - begin + 1));
}

struct Physical {
  size_t begin, end, next;
};

Physical NextPhysical(std::string_view content, size_t at) {
  size_t end = content.find_first_of("\r\n", at);
  if (end == std::string_view::npos) return {at, content.size(), content.size()};
  size_t next = end + 1;
  if (content[end] == '\r' && next < content.size() && content[next] == '\n') ++next;
  return {at, end, next};
}

// Splits "group.NAME;params:value" (a ':' inside a quoted parameter value
// does not end the parameters).
void SplitContentLine(const std::string& text, VcardLine* line) {
  size_t colon = std::string::npos;
  bool quoted = false;
  for (size_t i = 0; i < text.size() && colon == std::string::npos; ++i) {
    if (text[i] == '"') quoted = !quoted;
    if (text[i] == ':' && !quoted) colon = i;
  }
  const std::string prefix = text.substr(0, colon);
  line->value = colon == std::string::npos ? "" : text.substr(colon + 1);
  const size_t semicolon = prefix.find(';');
  std::string name = prefix.substr(0, semicolon);
  if (semicolon != std::string::npos) line->parameters = prefix.substr(semicolon + 1);
  const size_t dot = name.find('.');
  if (dot != std::string::npos) {
    line->group = name.substr(0, dot);
    name = name.substr(dot + 1);
  }
  line->name = Upper(Trim(name));
}

// One content line from `at`: folded continuations and quoted-printable
// soft breaks joined.
VcardLine ReadContentLine(std::string_view content, size_t at) {
  Physical physical = NextPhysical(content, at);
  std::string text(content.substr(physical.begin, physical.end - physical.begin));
  VcardLine line;
  line.begin = physical.begin;
  for (;;) {
    line.end = physical.end;
    line.next = physical.next;
    if (line.next >= content.size()) break;
    const Physical following = NextPhysical(content, line.next);
    const char first = content[following.begin];
    VcardLine probe;
    SplitContentLine(text, &probe);
    const bool soft_break = IsQuotedPrintable(probe) && !text.empty() && text.back() == '=';
    if (soft_break) {
      text.pop_back();
      text.append(content.substr(following.begin, following.end - following.begin));
    } else if (first == ' ' || first == '\t') {
      text.append(content.substr(following.begin + 1, following.end - following.begin - 1));
    } else {
      break;
    }
    physical = following;
  }
  SplitContentLine(text, &line);
  return line;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::string DecodeQuotedPrintable(std::string_view text) {
  std::string decoded;
  for (size_t i = 0; i < text.size(); ++i) {
    const int high = i + 2 < text.size() && text[i] == '=' ? HexDigit(text[i + 1]) : -1;
    const int low = high >= 0 ? HexDigit(text[i + 2]) : -1;
    if (low < 0) {
      decoded.push_back(text[i]);
      continue;
    }
    decoded.push_back(static_cast<char>(high * 16 + low));
    i += 2;
  }
  return decoded;
}

std::string Unescape(std::string_view text) {
  std::string plain;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\' || i + 1 == text.size()) {
      plain.push_back(text[i]);
      continue;
    }
    const char escaped = text[++i];
    plain.push_back(escaped == 'n' || escaped == 'N' ? '\n' : escaped);
  }
  return plain;
}

std::string RawValue(const VcardLine& line) {
  return IsQuotedPrintable(line) ? DecodeQuotedPrintable(line.value) : line.value;
}

}  // namespace

bool IsQuotedPrintable(const VcardLine& line) {
  const std::string parameters = Upper(line.parameters);
  return parameters.find("QUOTED-PRINTABLE") != std::string::npos ||
         parameters.find("ENCODING=Q") != std::string::npos;
}

Result<std::vector<VcardCard>> ParseVcards(std::string_view content, int64_t max_line_bytes,
                                           const std::string& name) {
  std::vector<VcardCard> cards;
  VcardCard card;
  int depth = 0;
  for (size_t at = 0; at < content.size();) {
    VcardLine line = ReadContentLine(content, at);
    at = line.next;
    if (static_cast<int64_t>(line.end - line.begin) > max_line_bytes) {
      return TooLarge(name + ": a line of card " + std::to_string(cards.size() + 1) +
                      " is longer than connector.max_line_bytes (" +
                      std::to_string(max_line_bytes) + ")");
    }
    const bool begins = line.name == "BEGIN" && Upper(Trim(line.value)) == "VCARD";
    const bool ends = line.name == "END" && Upper(Trim(line.value)) == "VCARD";
    if (depth == 0 && !begins) continue;  // text between cards stays as it is
    if (depth == 0) {
      card = VcardCard{};
      card.begin = line.begin;
      card.line_ending = std::string(content.substr(line.end, line.next - line.end));
      if (card.line_ending.empty()) card.line_ending = "\r\n";
    }
    depth += begins ? 1 : 0;
    depth -= ends ? 1 : 0;
    if (depth == 1 && line.name == "VERSION") card.version = Trim(line.value);
    card.lines.push_back(std::move(line));
    if (depth == 0) {
      card.next = card.lines.back().next;
      cards.push_back(std::move(card));
    }
  }
  if (depth != 0) {
    return InvalidArgument(name + ": card " + std::to_string(cards.size() + 1) +
                           " has no END:VCARD");
  }
  return cards;
}

std::string VcardText(const VcardLine& line) {
  return Unescape(RawValue(line));
}

std::vector<std::string> VcardComponents(const VcardLine& line) {
  const std::string raw = RawValue(line);
  std::vector<std::string> components;
  std::string current;
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\\' && i + 1 < raw.size()) {
      current += raw.substr(i, 2);
      ++i;
    } else if (raw[i] == ';') {
      components.push_back(Unescape(current));
      current.clear();
    } else {
      current.push_back(raw[i]);
    }
  }
  components.push_back(Unescape(current));
  return components;
}

std::string EscapeVcardText(std::string_view text) {
  std::string escaped;
  for (const char c : text) {
    if (c == '\\' || c == ',' || c == ';') escaped.push_back('\\');
    if (c == '\n') {
      escaped += "\\n";
    } else if (c != '\r') {
      escaped.push_back(c);
    }
  }
  return escaped;
}

std::string FoldVcardLine(std::string_view line, const std::string& line_ending) {
  std::string folded;
  size_t limit = kFoldBytes;
  while (line.size() > limit) {
    size_t cut = limit;
    while (cut > 1 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
    folded.append(line.substr(0, cut));
    folded += line_ending + " ";
    line.remove_prefix(cut);
    limit = kFoldBytes - 1;  // the leading space counts
  }
  folded.append(line);
  return folded + line_ending;
}

}  // namespace dsr::connectors::files
