#include "connectors/http/server_message.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

namespace dsr::connectors::http {
namespace {

constexpr size_t kMaxMessageChars = 300;
constexpr int kMinRedactedDigits = 5;
constexpr char kRedacted[] = "[redacted]";

bool IsEmailChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '%' ||
         c == '+' || c == '-' || (c & 0x80) != 0;
}
bool IsNumberChar(char c) {
  return std::isdigit(static_cast<unsigned char>(c)) || c == ' ' || c == '+' || c == '-' ||
         c == '/' || c == '(' || c == ')' || c == '.';
}

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

void RedactEmails(std::string* text) {
  for (size_t at = text->find('@'); at != std::string::npos; at = text->find('@', at)) {
    size_t begin = at, end = at + 1;
    while (begin > 0 && IsEmailChar((*text)[begin - 1])) --begin;
    while (end < text->size() && IsEmailChar((*text)[end])) ++end;
    text->replace(begin, end - begin, kRedacted);
    at = begin + sizeof kRedacted - 1;
  }
}

// A run of digits and separators with enough digits is a number someone could
// be found by; shorter runs (counts, HTTP codes, years) stay readable.
void RedactNumbers(std::string* text) {
  size_t i = 0;
  while (i < text->size()) {
    if (!std::isdigit(static_cast<unsigned char>((*text)[i])) && (*text)[i] != '+') {
      ++i;
      continue;
    }
    size_t end = i;
    int digits = 0;
    while (end < text->size() && IsNumberChar((*text)[end])) {
      digits += std::isdigit(static_cast<unsigned char>((*text)[end])) ? 1 : 0;
      ++end;
    }
    while (end > i && !std::isdigit(static_cast<unsigned char>((*text)[end - 1]))) --end;
    if (digits >= kMinRedactedDigits) {
      text->replace(i, end - i, kRedacted);
      i += sizeof kRedacted - 1;
    } else {
      i = std::max(end, i + 1);
    }
  }
}

void RedactKnown(std::string* text, const std::vector<std::string>& known_values) {
  for (const auto& value : known_values) {
    if (value.size() < 3) continue;  // too short to tell from ordinary words
    const std::string needle = Lower(value);
    for (size_t at = Lower(*text).find(needle); at != std::string::npos;
         at = Lower(*text).find(needle, at + sizeof kRedacted - 1)) {
      text->replace(at, value.size(), kRedacted);
    }
  }
}

void Append(std::string* text, const nlohmann::json& part) {
  if (!part.is_string() || part.get<std::string>().empty()) return;
  if (!text->empty()) *text += "; ";
  *text += part.get<std::string>();
}

// Zendesk's validation details: {"email": [{"description": ..., "error": ...}]}.
void AppendDetails(std::string* text, const nlohmann::json& details) {
  if (!details.is_object()) return;
  for (const auto& [field, problems] : details.items()) {
    if (!problems.is_array()) continue;
    for (const auto& problem : problems) {
      if (!problem.is_object()) continue;
      const auto error = problem.find("error");
      const bool named = error != problem.end() && error->is_string();
      Append(text, nlohmann::json(field + ": " +
                                  (named ? error->get<std::string>() : std::string("invalid"))));
      Append(text, problem.value("description", nlohmann::json()));
    }
  }
}

}  // namespace

std::string ScrubPersonalData(std::string text, const std::vector<std::string>& known_values) {
  RedactKnown(&text, known_values);
  RedactEmails(&text);
  RedactNumbers(&text);
  return text;
}

std::string ServerErrorText(std::string_view body, const std::vector<std::string>& known_values) {
  const nlohmann::json parsed = nlohmann::json::parse(body, nullptr, false);
  if (!parsed.is_object()) return "";
  std::string text;
  const nlohmann::json& error = parsed.contains("error") ? parsed.at("error") : nlohmann::json();
  if (error.is_object()) {
    Append(&text, error.value("title", nlohmann::json()));
    Append(&text, error.value("message", nlohmann::json()));
  } else {
    Append(&text, error);
  }
  Append(&text, parsed.value("description", nlohmann::json()));
  Append(&text, parsed.value("message", nlohmann::json()));
  AppendDetails(&text, parsed.value("details", nlohmann::json()));
  text = ScrubPersonalData(std::move(text), known_values);
  if (text.size() > kMaxMessageChars) {
    size_t cut = kMaxMessageChars;
    // Never cut inside a UTF-8 sequence: the message ends up in JSON.
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    text = text.substr(0, cut) + "...";
  }
  return text;
}

}  // namespace dsr::connectors::http
