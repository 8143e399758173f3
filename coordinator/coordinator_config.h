// The coordinator's typed configuration, read from one YAML file validated
// against schemas/config/coordinator.json plus the checks a schema cannot
// make (a known holiday region, a sound calendar folder, unique source
// names; the time zone is checked when the coordinator starts).
// Every default is documented in deploy/examples/coordinator.yaml.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/log.h"
#include "common/status.h"
#include "coordinator/api/http_server.h"
#include "coordinator/auth/accounts.h"
#include "coordinator/deadlines/closing_days.h"
#include "coordinator/deadlines/deadline.h"
#include "coordinator/letters/record_of_processing.h"
#include "coordinator/workflow/engine.h"

namespace dsr {

struct HttpSettings {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0 picks a free port
  int threads = 8;
  int max_queued = 64;
  size_t max_body_bytes = 1024 * 1024;
  // http.public_url: the base of delivery links; empty for the listening address.
  std::string public_url;
  // http.tls; none only when http.allow_plain_http says so.
  std::optional<api::TlsSettings> tls;
};

struct CoordinatorConfig {
  std::string time_zone;
  std::string region;
  // controller.calendar_dir: further regions and closing days, if set.
  std::optional<std::string> calendar_dir;
  // The public holidays of `region`, built in or from calendar_dir.
  std::shared_ptr<const deadlines::HolidayCalendar> calendar;
  // closing_days.yaml in calendar_dir; none without it. Never moves a
  // legal deadline (closing_days.h).
  deadlines::ClosingDays closing_days;
  int due_soon_days = 7;  // controller.due_soon_days
  std::string store_url;
  int read_connections = 4;
  HttpSettings http;
  auth::AuthSettings auth;          // auth.session_minutes, auth.idle_minutes
  workflow::EngineSettings engine;  // broker, data_dir, controller, sources
  LogLevel log_level = LogLevel::kInfo;
  // The controller as letters and the record of processing present it: name
  // and contact as in engine.controller, plus address, DPO and supervisory
  // authority.
  letters::ControllerInfo controller_info;
  // One per source, in config order; `record` is empty where the config has
  // no record_of_processing (letters::CheckRecordsOfProcessing warns).
  std::vector<letters::SourceRecord> records_of_processing;
  // letters.template_dir: operator templates that replace built-in letters.
  std::optional<std::string> letter_template_dir;
  // data_protection: the current data key and older ones (rotation); the
  // default key file is created when missing, a configured one must exist.
  std::string data_key_file;
  bool data_key_file_configured = false;
  std::vector<std::string> previous_data_key_files;
  // The secret behind the keyed hashes of identities in audit events.
  std::string audit_key_file;
  // After SIGTERM, how long running tasks and bundles may take to finish.
  std::chrono::milliseconds shutdown_grace{std::chrono::seconds(30)};
};

Result<CoordinatorConfig> LoadCoordinatorConfig(const std::string& path);

}  // namespace dsr
