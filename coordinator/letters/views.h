// Views (view.h) of the letter and record-of-processing data: everything
// formatted for one language, empty values left out so that templates can
// test them with {{#key}}. templates/README.md documents the keys.
// Internal to dsr_letters. Pure and thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "coordinator/letters/letter.h"
#include "coordinator/letters/record_of_processing.h"

namespace dsr::letters {

// One record of processing (activity, purposes, categories, recipients …).
nlohmann::json RecordView(const RecordOfProcessing& record, std::string_view language);

// Adds controller_*, dpo_*, has_dpo, authority_* and has_authority to `view`.
void AddControllerView(const ControllerInfo& controller, nlohmann::json* view);

// The whole view of a letter of input.request.kind. `input` must have passed
// the checks of LetterTemplates::Render.
nlohmann::json LetterView(const LetterInput& input);

}  // namespace dsr::letters
