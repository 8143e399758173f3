#include "connectors/files/xml_scan.h"

#include <Poco/Exception.h>
#include <Poco/SAX/DefaultHandler.h>
#include <Poco/SAX/SAXParser.h>

#include <cstdint>

namespace dsr::connectors::files {
namespace {

constexpr size_t kNone = std::string_view::npos;

bool IsNameEnd(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '/' || c == '>';
}

// Skips markup that is no element; returns npos when it does not end.
size_t SkipSpecial(std::string_view text, size_t at) {
  const auto after = [&](std::string_view close) {
    const size_t found = text.find(close, at);
    return found == kNone ? kNone : found + close.size();
  };
  if (text.compare(at, 4, "<!--") == 0) return after("-->");
  if (text.compare(at, 9, "<![CDATA[") == 0) return after("]]>");
  if (text.compare(at, 2, "<?") == 0) return after("?>");
  return after(">");  // <!DOCTYPE ...>
}

void AppendUtf8(uint32_t code, std::string* out) {
  if (code < 0x80) {
    out->push_back(static_cast<char>(code));
  } else if (code < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (code >> 6)));
    out->push_back(static_cast<char>(0x80 | (code & 0x3F)));
  } else if (code < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (code >> 12)));
    out->push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (code & 0x3F)));
  } else if (code < 0x110000) {
    out->push_back(static_cast<char>(0xF0 | (code >> 18)));
    out->push_back(static_cast<char>(0x80 | ((code >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (code & 0x3F)));
  }
}

// Decodes the entity at `text[at]` ('&'); returns its length, 0 if unknown.
size_t DecodeEntity(std::string_view text, size_t at, std::string* out) {
  const size_t semicolon = text.find(';', at);
  if (semicolon == kNone || semicolon - at > 10) return 0;
  const std::string_view entity = text.substr(at + 1, semicolon - at - 1);
  static const std::pair<std::string_view, char> kNamed[] = {
      {"lt", '<'}, {"gt", '>'}, {"amp", '&'}, {"quot", '"'}, {"apos", '\''}};
  for (const auto& [name, c] : kNamed) {
    if (entity == name) {
      out->push_back(c);
      return semicolon - at + 1;
    }
  }
  if (entity.size() < 2 || entity[0] != '#') return 0;
  const bool hex = entity[1] == 'x' || entity[1] == 'X';
  uint32_t code = 0;
  for (const char c : entity.substr(hex ? 2 : 1)) {
    const int digit = (c >= '0' && c <= '9')          ? c - '0'
                      : (hex && c >= 'a' && c <= 'f') ? c - 'a' + 10
                      : (hex && c >= 'A' && c <= 'F') ? c - 'A' + 10
                                                      : -1;
    if (digit < 0 || code > 0x10FFFF) return 0;
    code = code * (hex ? 16 : 10) + static_cast<uint32_t>(digit);
  }
  AppendUtf8(code, out);
  return semicolon - at + 1;
}

}  // namespace

bool XmlScanner::Next(XmlTag* tag) {
  for (;;) {
    const size_t open = text_.find('<', at_);
    if (open == kNone || open + 1 >= text_.size()) return false;
    if (text_[open + 1] == '!' || text_[open + 1] == '?') {
      at_ = SkipSpecial(text_, open);
      if (at_ == kNone) return false;
      continue;
    }
    size_t close = open + 1;
    char quote = 0;
    for (; close < text_.size(); ++close) {
      const char c = text_[close];
      if (quote != 0) {
        if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '>') {
        break;
      }
    }
    if (close >= text_.size()) return false;
    *tag = XmlTag{};
    tag->begin = open;
    tag->end = close + 1;
    tag->closing = text_[open + 1] == '/';
    tag->self_closing = text_[close - 1] == '/';
    size_t name_begin = open + (tag->closing ? 2 : 1);
    size_t name_end = name_begin;
    while (name_end < close && !IsNameEnd(text_[name_end])) ++name_end;
    std::string_view qualified = text_.substr(name_begin, name_end - name_begin);
    const size_t colon = qualified.find(':');
    if (colon != kNone) {
      tag->prefix = qualified.substr(0, colon);
      qualified.remove_prefix(colon + 1);
    }
    tag->name = qualified;
    const size_t attributes_end = tag->self_closing ? close - 1 : close;
    tag->attributes = text_.substr(name_end, attributes_end - name_end);
    at_ = close + 1;
    return true;
  }
}

std::optional<std::string> XmlAttribute(std::string_view attributes, std::string_view local_name) {
  size_t at = 0;
  while (at < attributes.size()) {
    const size_t equals = attributes.find('=', at);
    if (equals == kNone) return std::nullopt;
    const size_t name_begin = attributes.find_first_not_of(" \t\r\n", at);
    std::string_view name = attributes.substr(name_begin, equals - name_begin);
    while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.remove_suffix(1);
    const size_t quote_at = attributes.find_first_of("\"'", equals);
    if (quote_at == kNone) return std::nullopt;
    const size_t value_end = attributes.find(attributes[quote_at], quote_at + 1);
    if (value_end == kNone) return std::nullopt;
    const size_t colon = name.find(':');
    if ((colon == kNone ? name : name.substr(colon + 1)) == local_name) {
      return XmlUnescape(attributes.substr(quote_at + 1, value_end - quote_at - 1));
    }
    at = value_end + 1;
  }
  return std::nullopt;
}

std::string XmlUnescape(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    const size_t length = text[i] == '&' ? DecodeEntity(text, i, &out) : 0;
    if (length == 0) {
      out.push_back(text[i]);
    } else {
      i += length - 1;
    }
  }
  return out;
}

std::string XmlEscape(std::string_view text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string RunText(std::string_view element) {
  std::string text;
  XmlScanner scanner(element);
  XmlTag tag;
  int phonetic = 0;
  size_t text_begin = kNone;
  while (scanner.Next(&tag)) {
    if (tag.name == "rPh" && !tag.self_closing) phonetic += tag.closing ? -1 : 1;
    if (tag.name != "t" || tag.self_closing) continue;
    if (!tag.closing) {
      text_begin = tag.end;
      continue;
    }
    if (text_begin != kNone && phonetic == 0) {
      const std::string_view raw = element.substr(text_begin, tag.begin - text_begin);
      const size_t cdata = raw.find("<![CDATA[");
      text += cdata == kNone ? XmlUnescape(raw)
                             : std::string(raw.substr(cdata + 9, raw.rfind("]]>") - cdata - 9));
    }
    text_begin = kNone;
  }
  return text;
}

size_t ElementEnd(std::string_view text, const XmlTag& start) {
  if (start.self_closing) return start.end;
  XmlScanner scanner(text, start.end);
  XmlTag tag;
  int depth = 1;
  while (scanner.Next(&tag)) {
    if (tag.name != start.name || tag.prefix != start.prefix || tag.self_closing) continue;
    depth += tag.closing ? -1 : 1;
    if (depth == 0) return tag.end;
  }
  return kNone;
}

Status CheckXmlWithPoco(const std::string& xml, const std::string& part) {
  try {
    Poco::XML::SAXParser parser;
    Poco::XML::DefaultHandler handler;
    parser.setContentHandler(&handler);
    parser.setFeature(Poco::XML::XMLReader::FEATURE_NAMESPACES, true);
    // Never fetch anything a hostile part refers to.
    parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_GENERAL_ENTITIES, false);
    parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_PARAMETER_ENTITIES, false);
    parser.parseString(xml);
  } catch (const Poco::Exception& error) {
    return InvalidArgument(part + " is not well-formed XML after the edit: " + error.displayText());
  }
  return Status::Ok();
}

}  // namespace dsr::connectors::files
