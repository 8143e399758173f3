#include "connectors/mail/message_header.h"

#include <iconv.h>

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "connectors/mail/mime_reader.h"

namespace dsr::connectors::mail {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::string Trim(std::string_view text) {
  while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
  return std::string(text);
}

// `bytes` in `charset` as UTF-8; nullopt when iconv does not know the charset
// or the bytes are not valid in it.
std::optional<std::string> ToUtf8(const std::string& bytes, const std::string& charset) {
  const std::string name = AsciiLower(charset);
  if (name == "utf-8" || name == "utf8" || name == "us-ascii") return bytes;
  iconv_t converter = iconv_open("UTF-8", charset.c_str());
  if (converter == reinterpret_cast<iconv_t>(-1)) return std::nullopt;
  std::string input = bytes, output(bytes.size() * 4 + 16, '\0');
  char* in = input.data();
  char* out = output.data();
  size_t in_left = input.size(), out_left = output.size();
  const size_t done = iconv(converter, &in, &in_left, &out, &out_left);
  iconv_close(converter);
  if (done == static_cast<size_t>(-1)) return std::nullopt;
  output.resize(output.size() - out_left);
  return output;
}

// Decodes one "=?charset?enc?text?=" that starts at `begin`; sets `*end` past it.
std::optional<std::string> DecodeWordAt(std::string_view value, size_t begin, size_t* end) {
  const size_t charset_end = value.find('?', begin + 2);
  if (charset_end == std::string_view::npos || charset_end + 2 >= value.size() ||
      value[charset_end + 2] != '?') {
    return std::nullopt;
  }
  const size_t text_end = value.find("?=", charset_end + 3);
  if (text_end == std::string_view::npos) return std::nullopt;
  std::string charset(value.substr(begin + 2, charset_end - begin - 2));
  charset = charset.substr(0, charset.find('*'));  // RFC 2231 language suffix
  const char encoding =
      static_cast<char>(std::toupper(static_cast<unsigned char>(value[charset_end + 1])));
  const std::string_view text = value.substr(charset_end + 3, text_end - charset_end - 3);
  std::string bytes;
  if (encoding == 'B') {
    bytes = DecodeBase64(text);
  } else if (encoding == 'Q') {
    std::string underscores(text);
    for (char& c : underscores) c = c == '_' ? ' ' : c;
    bytes = DecodeQuotedPrintable(underscores);
  } else {
    return std::nullopt;
  }
  *end = text_end + 2;
  return ToUtf8(bytes, charset);
}

int MonthOf(std::string_view name) {
  static const char* const kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                        "jul", "aug", "sep", "oct", "nov", "dec"};
  for (int i = 0; i < 12; ++i) {
    if (EqualsIgnoreCase(name.substr(0, 3), kMonths[i])) return i + 1;
  }
  return 0;
}

// "+0100" → "+01:00"; obsolete zone names (GMT, UT, Z, EST ...) → "Z" or
// their offset; anything else "-00:00" (RFC 3339: offset unknown).
std::string ZoneOf(std::string_view zone) {
  if (zone.size() == 5 && (zone[0] == '+' || zone[0] == '-') &&
      std::all_of(zone.begin() + 1, zone.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::string(zone.substr(0, 3)) + ":" + std::string(zone.substr(3));
  }
  const std::string name = AsciiLower(zone);
  if (name == "gmt" || name == "ut" || name == "utc" || name == "z") return "Z";
  if (name == "edt") return "-04:00";
  if (name == "est" || name == "cdt") return "-05:00";
  if (name == "cst" || name == "mdt") return "-06:00";
  if (name == "mst" || name == "pdt") return "-07:00";
  if (name == "pst") return "-08:00";
  return "-00:00";
}

}  // namespace

std::string CharsetToUtf8(const std::string& bytes, const std::string& charset) {
  return ToUtf8(bytes, charset).value_or(bytes);
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

std::string AsciiLower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

size_t HeaderEnd(std::string_view message) {
  if (message.rfind("\r\n", 0) == 0) return 2;  // no header at all
  if (message.rfind("\n", 0) == 0) return 1;
  for (size_t newline = message.find('\n'); newline != std::string_view::npos;
       newline = message.find('\n', newline + 1)) {
    size_t next = newline + 1;
    if (next < message.size() && message[next] == '\r') ++next;
    if (next < message.size() && message[next] == '\n') return next + 1;
  }
  return std::string_view::npos;
}

std::vector<HeaderField> ParseHeaderFields(std::string_view header) {
  std::vector<HeaderField> fields;
  size_t position = 0;
  while (position < header.size()) {
    size_t end = header.find('\n', position);
    if (end == std::string_view::npos) end = header.size();
    std::string_view line = header.substr(position, end - position);
    position = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) break;  // the end of the header block
    if ((line[0] == ' ' || line[0] == '\t') && !fields.empty()) {
      fields.back().value += std::string(line);  // folding: the line break goes, the space stays
      continue;
    }
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) continue;  // not a field: skipped
    fields.push_back({Trim(line.substr(0, colon)), Trim(line.substr(colon + 1))});
  }
  for (auto& field : fields) field.value = Trim(field.value);
  return fields;
}

std::vector<std::string> FieldValues(const std::vector<HeaderField>& fields,
                                     std::string_view name) {
  std::vector<std::string> values;
  for (const auto& field : fields) {
    if (EqualsIgnoreCase(field.name, name)) values.push_back(field.value);
  }
  return values;
}

std::string FirstValue(const std::vector<HeaderField>& fields, std::string_view name) {
  for (const auto& field : fields) {
    if (EqualsIgnoreCase(field.name, name)) return field.value;
  }
  return "";
}

std::string DecodeWords(std::string_view value) {
  std::string decoded;
  size_t position = 0;
  bool after_word = false;  // whitespace between two encoded words is dropped
  std::string pending_space;
  while (position < value.size()) {
    size_t end = 0;
    std::optional<std::string> word;
    if (value.compare(position, 2, "=?") == 0) word = DecodeWordAt(value, position, &end);
    if (word) {
      if (!after_word) decoded += pending_space;
      pending_space.clear();
      decoded += *word;
      position = end;
      after_word = true;
    } else if (IsSpace(value[position])) {
      pending_space.push_back(value[position++]);
    } else {
      decoded += pending_space;
      pending_space.clear();
      decoded.push_back(value[position++]);
      after_word = false;
    }
  }
  return decoded + pending_space;
}

std::vector<MailAddress> ParseAddressList(std::string_view value) {
  std::vector<MailAddress> addresses;
  std::string phrase, angle, comment;
  bool in_angle = false, had_angle = false;
  auto finish = [&]() {
    std::string address = Trim(had_angle ? angle : phrase);
    if (had_angle && address.find(':') != std::string::npos) {
      address = address.substr(address.find(':') + 1);  // obsolete source route "@a,@b:"
    }
    std::string name = had_angle ? Trim(phrase) : Trim(comment);
    if (!address.empty()) addresses.push_back({DecodeWords(name), address});
    phrase.clear(), angle.clear(), comment.clear();
    in_angle = had_angle = false;
  };
  for (size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    std::string& target = in_angle ? angle : phrase;
    if (c == '"') {  // quoted string: copied without its quotes and escapes
      for (++i; i < value.size() && value[i] != '"'; ++i) {
        if (value[i] == '\\' && i + 1 < value.size()) ++i;
        target.push_back(value[i]);
      }
    } else if (c == '(') {  // comment, maybe nested; kept as the name of a bare address
      int depth = 1;
      std::string text;
      for (++i; i < value.size() && depth > 0; ++i) {
        if (value[i] == '\\' && i + 1 < value.size()) ++i;
        depth += value[i] == '(' ? 1 : value[i] == ')' ? -1 : 0;
        if (depth > 0) text.push_back(value[i]);
      }
      --i;
      comment = text;
    } else if (c == '<' && !in_angle) {
      in_angle = had_angle = true;
    } else if (c == '>' && in_angle) {
      in_angle = false;
    } else if ((c == ',' || c == ';') && !in_angle) {
      finish();
    } else if (c == ':' && !in_angle) {
      phrase.clear();  // a group's name: its members follow
    } else {
      target.push_back(c);
    }
  }
  finish();
  return addresses;
}

std::optional<MessageDate> ParseMessageDate(std::string_view value) {
  std::string text(value.substr(0, value.find('(')));  // a trailing "(CET)" comment
  if (const size_t comma = text.find(','); comma != std::string::npos)
    text = text.substr(comma + 1);
  int day = 0, year = 0, hour = 0, minute = 0, second = 0;
  char month_name[16] = {0}, zone[16] = {0};
  int consumed = 0;
  if (std::sscanf(text.c_str(), " %d %15s %d %d:%d%n", &day, month_name, &year, &hour, &minute,
                  &consumed) != 5) {
    return std::nullopt;
  }
  const char* rest = text.c_str() + consumed;
  if (*rest == ':') {
    int more = 0;
    if (std::sscanf(rest, ":%d%n", &second, &more) != 1) return std::nullopt;
    rest += more;
  }
  if (std::sscanf(rest, " %15s", zone) != 1) zone[0] = '\0';
  if (year < 50) year += 2000;
  if (year < 1000) year += 1900;
  const int month = MonthOf(month_name);
  if (month == 0 || !CivilDate::IsValid(year, month, day) || hour > 23 || minute > 59 ||
      second > 60) {
    return std::nullopt;
  }
  const CivilDate date(year, month, day);
  char time[16];
  std::snprintf(time, sizeof time, "T%02d:%02d:%02d", hour, minute, second);
  return MessageDate{date, date.ToString() + time + ZoneOf(zone)};
}

}  // namespace dsr::connectors::mail
