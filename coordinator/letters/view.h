// Mustache rendering for dsr_letters, the one place that knows the mustache
// library. A template is rendered with a *view*: a JSON object of strings,
// booleans, objects and arrays (numbers are printed, null keys are absent).
// Internal to dsr_letters and the DPO's report (dsr_reporting). Thread-safe:
// nothing is shared between calls.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "common/status.h"

namespace dsr::letters {

// Ok when `text` parses as a mustache template and has no unescaped tags
// ({{{x}}}, {{&x}}): every value in a letter comes from outside, so none may
// reach the HTML unescaped. kValidation with the parser's message otherwise.
Status CheckTemplate(std::string_view text);

// Renders `text`, which must have passed CheckTemplate. Every string of the
// view is HTML-escaped once, whatever tag the template uses for it.
std::string RenderView(std::string_view text, const nlohmann::json& view);

}  // namespace dsr::letters
