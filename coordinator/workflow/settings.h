// Settings of the workflow that come from the coordinator's config.
#pragma once

#include <string>
#include <vector>

#include "coordinator/deadlines/deadline.h"

namespace dsr::workflow {

// A data source as the coordinator knows it: one task per request goes to it.
struct SourceSettings {
  std::string name;       // "crm"
  std::string title;      // for letters: "Kundendatenbank (CRM)"
  std::string connector;  // the connector kind its workers must announce: "sql"
};

// Who answers the requests (the controller in GDPR terms), for letters.
struct ControllerSettings {
  std::string name;
  std::string contact;
  std::string default_language = "en";
};

// How requests are handled (coordinator config `controller`).
struct WorkflowPolicy {
  // Whether a request waits in awaiting_identity until an agent records the check.
  bool identity_required = true;
  // How asking the data subject for more information affects the deadline.
  deadlines::PauseMode pause_mode = deadlines::PauseMode::kPause;
  // International calling code of the controller's country ("49"), to compare
  // phone numbers written nationally and internationally.
  std::string country_code = "49";
  // Where the two further months of an extension (Art. 12(3)) are counted from.
  deadlines::ExtensionFrom extension_from = deadlines::ExtensionFrom::kFirstPeriodEnd;
};

}  // namespace dsr::workflow
