// Reading the coordinator's HTTP answers in the end-to-end tests.
#pragma once

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "tests/support/http_call.h"

namespace dsr::testing {

// The answer's body as a JSON object; fails the test (showing the body) for
// anything else.
inline nlohmann::json Json(const HttpAnswer& answer) {
  auto body = nlohmann::json::parse(answer.body, nullptr, false);
  REQUIRE_MESSAGE(body.is_object(), answer.body);
  return body;
}

// The value of header `name`, or "" when the answer has none.
inline std::string Header(const HttpAnswer& answer, const std::string& name) {
  const auto found = answer.headers.find(name);
  return found == answer.headers.end() ? "" : found->second;
}

}  // namespace dsr::testing
