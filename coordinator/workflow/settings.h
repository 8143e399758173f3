// Settings of the workflow that come from the coordinator's config.
#pragma once

#include <chrono>
#include <functional>
#include <map>
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

// How long a task attempt may stay silent and how failed attempts are retried
// (coordinator config `broker`, `sources[].task_timeout_seconds`).
struct RetryPolicy {
  int max_attempts = 3;  // dispatches per task before it fails
  // An attempt from which nothing (PROGRESS, CHUNK, RESULT) arrived for this
  // long is given up; per source when `source_timeouts` names it.
  std::chrono::milliseconds task_timeout = std::chrono::minutes(15);
  std::map<std::string, std::chrono::milliseconds> source_timeouts;
  // Before retry n (n = 1, 2 …) a task waits between half and all of
  // min(backoff_max, backoff_base · 2^(n-1)) ("equal jitter").
  std::chrono::milliseconds backoff_base{2000};
  std::chrono::milliseconds backoff_max = std::chrono::minutes(5);
  // Uniform numbers in [0, 1) for the jitter; empty: a generator seeded
  // from the system. Tests pass a fixed sequence.
  std::function<double()> random;

  std::chrono::milliseconds TimeoutOf(const std::string& source) const {
    auto found = source_timeouts.find(source);
    return found == source_timeouts.end() ? task_timeout : found->second;
  }
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
