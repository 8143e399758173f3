// The HTTP API's request bodies: JSON parsing with its depth limit, every
// POST body's schema, and the intake of a new request (the create body).
// A request that intake accepts must hold only identity values within their
// limits and free of control characters.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string_view>

#include "common/json_text.h"
#include "common/schema.h"
#include "coordinator/workflow/intake.h"
#include "fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto body = dsr::ParseJsonText(text, "the request body");
  if (!body.ok()) return 0;
  const auto& schemas = dsr::SchemaRegistry::Embedded();
  for (const char* schema :
       {"api/approve", "api/cancel", "api/discovery-report", "api/extend", "api/identity-check",
        "api/pause", "api/reject", "api/resume", "api/review-decision"}) {
    (void)schemas.Validate(schema, *body);
  }
  auto request = dsr::workflow::ParseNewRequest(*body, dsr::CivilDate(2026, 3, 1), "en");
  if (!request.ok()) return 0;
  DSR_FUZZ_CHECK(!request->subject.empty());
  for (const auto& [attribute, value] : request->subject) {
    DSR_FUZZ_CHECK(!value.empty() && value.size() <= 254);
    for (const char c : value) {
      DSR_FUZZ_CHECK(static_cast<unsigned char>(c) >= 0x20 && c != '\x7f');
    }
  }
  DSR_FUZZ_CHECK(!(request->received_on > dsr::CivilDate(2026, 3, 1)));
  return 0;
}
