#include "connectors/mail/mime_reader.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>

#include "connectors/mail/message_header.h"

namespace dsr::connectors::mail {
namespace {

constexpr int kMaxDepth = 20;  // deeper nesting is a mail bomb, not a letter

struct Entity {
  std::vector<HeaderField> fields;
  std::string_view body;
};

Entity SplitEntity(std::string_view text) {
  const size_t end = HeaderEnd(text);
  if (end == std::string_view::npos) return {ParseHeaderFields(text), {}};
  return {ParseHeaderFields(text.substr(0, end)), text.substr(end)};
}

std::string Trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return std::string(text);
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::string PercentDecode(std::string_view text) {
  std::string decoded;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 &&
        HexValue(text[i + 2]) >= 0) {
      decoded.push_back(static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2])));
      i += 2;
    } else {
      decoded.push_back(text[i]);
    }
  }
  return decoded;
}

// A structured field like Content-Type: its lower-case value before the first
// ';' and its parameters, with RFC 2231 continuations and charsets resolved.
struct Structured {
  std::string value;
  std::map<std::string, std::string> params;
};

Structured ParseStructured(std::string_view field) {
  std::vector<std::string> pieces(1);
  bool quoted = false;
  for (size_t i = 0; i < field.size(); ++i) {
    if (field[i] == '"') quoted = !quoted;
    if (field[i] == '\\' && quoted && i + 1 < field.size()) {
      pieces.back().push_back(field[++i]);
    } else if (field[i] == ';' && !quoted) {
      pieces.emplace_back();
    } else if (field[i] != '"') {
      pieces.back().push_back(field[i]);
    }
  }
  Structured parsed{AsciiLower(Trimmed(pieces[0])), {}};
  // name*N[*] segments, kept in order; a trailing '*' marks percent-encoding.
  std::map<std::string, std::map<int, std::pair<bool, std::string>>> segments;
  for (size_t i = 1; i < pieces.size(); ++i) {
    const size_t equals = pieces[i].find('=');
    if (equals == std::string::npos) continue;
    std::string name = AsciiLower(Trimmed(pieces[i].substr(0, equals)));
    const std::string value = Trimmed(pieces[i].substr(equals + 1));
    const bool extended = !name.empty() && name.back() == '*';
    if (extended) name.pop_back();
    int index = 0;
    if (const size_t star = name.find('*'); star != std::string::npos) {
      index = std::atoi(name.c_str() + star + 1);
      name.resize(star);
    }
    segments[name][index] = {extended, value};
  }
  for (const auto& [name, parts] : segments) {
    std::string value, charset;
    for (const auto& [index, part] : parts) {
      std::string text = part.second;
      if (part.first && index == 0 && std::count(text.begin(), text.end(), '\'') >= 2) {
        charset = text.substr(0, text.find('\''));
        text = text.substr(text.find('\'', text.find('\'') + 1) + 1);
      }
      value += part.first ? PercentDecode(text) : text;
    }
    parsed.params[name] = charset.empty() ? DecodeWords(value) : CharsetToUtf8(value, charset);
  }
  return parsed;
}

// The parts of a multipart body: between "--boundary" lines, up to "--boundary--".
std::vector<std::string_view> SplitMultipart(std::string_view body, const std::string& boundary) {
  const std::string delimiter = "--" + boundary;
  std::vector<std::string_view> parts;
  size_t part_begin = std::string_view::npos;
  for (size_t line = 0; line < body.size();) {
    size_t end = body.find('\n', line);
    if (end == std::string_view::npos) end = body.size();
    if (body.compare(line, delimiter.size(), delimiter) == 0) {
      if (part_begin != std::string_view::npos) {
        size_t part_end = line > 0 ? line - 1 : 0;  // the line break belongs to the delimiter
        if (part_end > part_begin && body[part_end - 1] == '\r') --part_end;
        parts.push_back(body.substr(part_begin, part_end - part_begin));
      }
      if (body.compare(line + delimiter.size(), 2, "--") == 0) return parts;
      part_begin = std::min(end + 1, body.size());
    }
    line = end + 1;
  }
  if (part_begin != std::string_view::npos) parts.push_back(body.substr(part_begin));  // truncated
  return parts;
}

struct Leaf {
  std::string content_type;
  std::string filename;
  bool attachment = false;
  std::string_view body;
  std::string transfer_encoding;
};

// Calls `on_leaf` for every part that is not a multipart (an attached
// message/rfc822 is one leaf; BodyText opens it itself).
void Walk(std::string_view text, int depth, const std::function<void(const Leaf&)>& on_leaf) {
  if (depth > kMaxDepth) return;
  const Entity entity = SplitEntity(text);
  Structured type = ParseStructured(FirstValue(entity.fields, "Content-Type"));
  if (type.value.empty() || type.value.find('/') == std::string::npos) type.value = "text/plain";
  if (type.value.rfind("multipart/", 0) == 0 && !type.params["boundary"].empty()) {
    for (const auto part : SplitMultipart(entity.body, type.params["boundary"])) {
      Walk(part, depth + 1, on_leaf);
    }
    return;
  }
  const Structured disposition = ParseStructured(FirstValue(entity.fields, "Content-Disposition"));
  Leaf leaf;
  leaf.content_type = type.value;
  leaf.filename = disposition.params.count("filename") ? disposition.params.at("filename")
                                                       : type.params["name"];
  leaf.attachment = disposition.value == "attachment" || !leaf.filename.empty() ||
                    leaf.content_type.rfind("text/", 0) != 0;
  leaf.body = entity.body;
  leaf.transfer_encoding =
      AsciiLower(Trimmed(FirstValue(entity.fields, "Content-Transfer-Encoding")));
  on_leaf(leaf);
}

std::string DecodedContent(const Leaf& leaf) {
  if (leaf.transfer_encoding == "base64") return DecodeBase64(leaf.body);
  if (leaf.transfer_encoding == "quoted-printable") return DecodeQuotedPrintable(leaf.body);
  return std::string(leaf.body);
}

int64_t DecodedSize(const Leaf& leaf) {
  if (leaf.transfer_encoding == "base64") {
    const auto symbols = std::count_if(leaf.body.begin(), leaf.body.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/';
    });
    return static_cast<int64_t>(symbols) * 6 / 8;
  }
  return static_cast<int64_t>(DecodedContent(leaf).size());
}

nlohmann::json DecodedOrNull(const std::string& value) {
  if (value.empty()) return nullptr;
  return ValidUtf8(DecodeWords(value));
}

// The length of the UTF-8 sequence at the front of `text`, or 0 if invalid.
size_t Utf8SequenceLength(std::string_view text) {
  const auto lead = static_cast<unsigned char>(text[0]);
  size_t length = 0;
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) length = 2;
  if (lead >= 0xE0 && lead <= 0xEF) length = 3;
  if (lead >= 0xF0 && lead <= 0xF4) length = 4;
  if (length == 0 || text.size() < length) return 0;
  for (size_t i = 1; i < length; ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) return 0;
  }
  const auto second = static_cast<unsigned char>(text[1]);
  // Overlong forms, surrogates and code points past U+10FFFF.
  if ((lead == 0xE0 && second < 0xA0) || (lead == 0xED && second > 0x9F) ||
      (lead == 0xF0 && second < 0x90) || (lead == 0xF4 && second > 0x8F)) {
    return 0;
  }
  return length;
}

std::string JoinedValues(const std::vector<HeaderField>& fields, std::string_view name) {
  std::string joined;
  for (const auto& value : FieldValues(fields, name))
    joined += (joined.empty() ? "" : ", ") + value;
  return joined;
}

}  // namespace

nlohmann::json SummarizeMessage(std::string_view message) {
  const Entity entity = SplitEntity(message);
  nlohmann::json summary = nlohmann::json::object();
  const std::string date = FirstValue(entity.fields, "Date");
  const auto parsed_date = ParseMessageDate(date);
  summary["date"] = parsed_date ? nlohmann::json(parsed_date->iso) : DecodedOrNull(date);
  summary["from"] = DecodedOrNull(JoinedValues(entity.fields, "From"));
  summary["to"] = DecodedOrNull(JoinedValues(entity.fields, "To"));
  summary["cc"] = DecodedOrNull(JoinedValues(entity.fields, "Cc"));
  summary["subject"] = DecodedOrNull(FirstValue(entity.fields, "Subject"));
  const std::string message_id = FirstValue(entity.fields, "Message-ID");
  summary["message_id"] =
      message_id.empty() ? nlohmann::json(nullptr) : nlohmann::json(ValidUtf8(message_id));
  nlohmann::json attachments = nlohmann::json::array();
  Walk(message, 0, [&](const Leaf& leaf) {
    if (!leaf.attachment) return;
    attachments.push_back({{"filename", DecodedOrNull(leaf.filename)},
                           {"content_type", ValidUtf8(leaf.content_type)},
                           {"bytes", DecodedSize(leaf)}});
  });
  summary["attachments"] = std::move(attachments);
  return summary;
}

std::string BodyText(std::string_view message, size_t limit) {
  std::string text;
  std::function<void(const Leaf&, int)> add = [&](const Leaf& leaf, int depth) {
    if (text.size() >= limit) return;
    if (leaf.content_type == "message/rfc822") {
      // A forwarded message: its header and text are part of what was written.
      const std::string inner = DecodedContent(leaf);
      text += inner.substr(0, std::min(HeaderEnd(inner), inner.size()));
      Walk(inner, depth + 1, [&](const Leaf& part) { add(part, depth + 1); });
      return;
    }
    if (leaf.attachment || leaf.content_type.rfind("text/", 0) != 0) return;
    text += DecodedContent(leaf);
    text.push_back('\n');
  };
  Walk(message, 0, [&](const Leaf& leaf) { add(leaf, 0); });
  if (text.size() > limit) text.resize(limit);
  return text;
}

std::string ValidUtf8(std::string_view text) {
  std::string valid;
  valid.reserve(text.size());
  while (!text.empty()) {
    const size_t length = Utf8SequenceLength(text);
    if (length == 0) {
      valid += "\xEF\xBF\xBD";
      text.remove_prefix(1);
    } else {
      valid.append(text.substr(0, length));
      text.remove_prefix(length);
    }
  }
  return valid;
}

std::string DecodeQuotedPrintable(std::string_view text) {
  std::string decoded;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '=') {
      decoded.push_back(text[i]);
    } else if (i + 2 < text.size() && HexValue(text[i + 1]) >= 0 && HexValue(text[i + 2]) >= 0) {
      decoded.push_back(static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2])));
      i += 2;
    } else if (text.compare(i + 1, 2, "\r\n") == 0) {
      i += 2;  // soft line break
    } else if (text.compare(i + 1, 1, "\n") == 0) {
      i += 1;
    } else {
      decoded.push_back('=');
    }
  }
  return decoded;
}

}  // namespace dsr::connectors::mail
