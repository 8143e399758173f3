// The settings of an engine a test runs in its own process: one source "crm"
// (an sql connector), no identity check, a broker on a free loopback port,
// the built-in letters and the sample controller.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "coordinator/letters/letter.h"
#include "coordinator/workflow/engine.h"

namespace dsr::testing {

inline workflow::EngineSettings TestEngineSettings(const std::string& data_dir) {
  workflow::EngineSettings settings;
  settings.broker_bind = "tcp://127.0.0.1:*";
  settings.data_dir = data_dir;
  settings.controller = {"Beispiel Versand GmbH", "datenschutz@example.org", "de"};
  settings.policy.identity_required = false;
  settings.sources = {{"crm", "Kundendatenbank", "sql"}};
  settings.controller_info.name = "Beispiel Versand GmbH";
  settings.controller_info.contact = "datenschutz@example.org";
  settings.records_of_processing = {{"crm", "Kundendatenbank", std::nullopt}};
  settings.letter_templates = std::make_shared<letters::LetterTemplates>(
      std::move(letters::LetterTemplates::Load(std::nullopt).value()));
  return settings;
}

}  // namespace dsr::testing
