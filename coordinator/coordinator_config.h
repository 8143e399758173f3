// The coordinator's typed configuration, read from one YAML file validated
// against schemas/config/coordinator.json plus the checks a schema cannot
// make (a real time zone, a known holiday region, unique source names).
// Every default is documented in deploy/examples/coordinator.yaml.
#pragma once

#include <cstddef>
#include <string>

#include "common/log.h"
#include "common/status.h"
#include "coordinator/deadlines/deadline.h"
#include "coordinator/workflow/engine.h"

namespace dsr {

struct HttpSettings {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0 picks a free port
  int threads = 8;
  int max_queued = 64;
  size_t max_body_bytes = 1024 * 1024;
};

struct CoordinatorConfig {
  std::string time_zone;
  std::string region;
  deadlines::ExtensionFrom extension_from = deadlines::ExtensionFrom::kFirstPeriodEnd;
  std::string store_url;
  int read_connections = 4;
  HttpSettings http;
  workflow::EngineSettings engine;  // broker, data_dir, controller, sources
  LogLevel log_level = LogLevel::kInfo;
};

Result<CoordinatorConfig> LoadCoordinatorConfig(const std::string& path);

}  // namespace dsr
