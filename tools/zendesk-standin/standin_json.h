// Small helpers the files of dsr-zendesk-standin's store share: text in
// records, and the time stamps Zendesk writes. Pure functions; thread-safe.
#pragma once

#include <algorithm>
#include <cctype>
#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

#include "common/clock.h"

namespace dsr::zendesk_standin {

inline std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

inline std::string Digits(const std::string& text) {
  std::string digits;
  for (const char c : text) {
    if (c >= '0' && c <= '9') digits.push_back(c);
  }
  return digits;
}

// The text of `field`, "" when it is absent or not text.
inline std::string TextField(const nlohmann::json& object, const char* field) {
  const auto found = object.find(field);
  return found != object.end() && found->is_string() ? found->get<std::string>() : "";
}

// Whether a user is active (not soft-deleted).
inline bool ActiveUser(const nlohmann::json& user) {
  return user.value("active", true);
}

// Now, as Zendesk writes times: "2024-03-05T09:30:00Z".
inline std::string NowUtc() {
  return FormatUtc(std::chrono::system_clock::now());
}

}  // namespace dsr::zendesk_standin
