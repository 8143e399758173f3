#include "coordinator/coordinator_config.h"

#include <nlohmann/json.hpp>
#include <set>

#include "common/config_file.h"
#include "coordinator/deadlines/calendar_folder.h"
#include "coordinator/notify/notify_config.h"
#include "coordinator/transport_config.h"
#include "coordinator/workflow/consistency.h"

namespace dsr {
namespace {

Status ParseListen(const std::string& listen, HttpSettings* http) {
  const size_t colon = listen.rfind(':');
  const int port = std::stoi(listen.substr(colon + 1));
  if (port > 65535)
    return ValidationError("http.listen: port " + std::to_string(port) + " is out of range");
  http->host = listen.substr(0, colon);
  http->port = port;
  return Status::Ok();
}

// The region's calendar and the closing days, from calendar_dir when set:
// every file there is checked now, so that a broken one stops the start.
Status LoadCalendar(const std::string& path, CoordinatorConfig* config) {
  deadlines::CalendarFolder folder;
  if (config->calendar_dir) {
    auto loaded = deadlines::CalendarFolder::Load(*config->calendar_dir);
    if (!loaded.ok()) return loaded.status().WithContext(path + ": controller.calendar_dir");
    folder = std::move(*loaded);
  }
  auto calendar = folder.Calendar(config->region);
  if (!calendar.ok()) return calendar.status().WithContext(path + ": controller.region");
  config->calendar = std::move(*calendar);
  config->closing_days = folder.closing_days();
  return Status::Ok();
}

}  // namespace

Result<CoordinatorConfig> LoadCoordinatorConfig(const std::string& path) {
  auto loaded = LoadConfigFile(path, "config/coordinator");
  if (!loaded.ok()) return loaded.status();
  const nlohmann::json& json = *loaded;
  CoordinatorConfig config;

  const auto& controller = json.at("controller");
  config.engine.controller.name = controller.at("name").get<std::string>();
  config.engine.controller.contact = controller.at("contact").get<std::string>();
  config.engine.controller.default_language = controller.value("default_language", "en");
  config.time_zone = controller.at("time_zone").get<std::string>();
  config.region = controller.at("region").get<std::string>();
  if (controller.contains("calendar_dir")) {
    config.calendar_dir = controller.at("calendar_dir").get<std::string>();
  }
  DSR_RETURN_IF_ERROR(LoadCalendar(path, &config));
  auto extension =
      deadlines::ParseExtensionFrom(controller.value("extension_from", "first_period_end"));
  if (!extension.ok()) return extension.status().WithContext(path);
  config.engine.policy.extension_from = *extension;
  config.controller_info = letters::ParseControllerInfo(controller);
  config.engine.policy.identity_required =
      controller.value("identity_check", "required") == "required";
  auto pause_mode = deadlines::ParsePauseMode(controller.value("identity_pause", "pause"));
  if (!pause_mode.ok()) return pause_mode.status().WithContext(path);
  config.engine.policy.pause_mode = *pause_mode;
  config.due_soon_days = controller.value("due_soon_days", 7);
  config.engine.policy.country_code = workflow::CountryCallingCode(config.region);

  config.store_url = json.at("store").at("url").get<std::string>();
  config.read_connections = json.at("store").value("read_connections", 4);
  config.engine.data_dir = json.at("data_dir").get<std::string>();
  config.audit_key_file = json.value("audit_key_file", config.engine.data_dir + "/audit.key");
  const nlohmann::json protection = json.value("data_protection", nlohmann::json::object());
  config.data_key_file_configured = protection.contains("key_file");
  config.data_key_file = protection.value("key_file", config.engine.data_dir + "/data.key");
  config.previous_data_key_files =
      protection.value("previous_key_files", std::vector<std::string>{});
  config.engine.purge_after_days = protection.value("purge_after_days", 30);
  config.engine.purge_check_interval =
      std::chrono::seconds(protection.value("purge_check_seconds", 3600));

  const nlohmann::json http = json.value("http", nlohmann::json::object());
  if (http.contains("listen")) {
    Status listen = ParseListen(http.at("listen").get<std::string>(), &config.http);
    if (!listen.ok()) return listen.WithContext(path);
  }
  config.http.threads = http.value("threads", config.http.threads);
  config.http.max_queued = http.value("max_queued", config.http.max_queued);
  config.http.max_body_bytes = http.value("max_body_bytes", config.http.max_body_bytes);
  config.http.public_url = http.value("public_url", std::string());
  auto tls = LoadHttpTls(http);
  if (!tls.ok()) return tls.status().WithContext(path);
  config.http.tls = std::move(*tls);

  const nlohmann::json auth = json.value("auth", nlohmann::json::object());
  config.auth.session_lifetime = std::chrono::minutes(auth.value("session_minutes", 480));
  config.auth.idle_timeout = std::chrono::minutes(auth.value("idle_minutes", 30));
  if (config.auth.idle_timeout > config.auth.session_lifetime) {
    return ValidationError(path + ": invalid configuration",
                           {"auth: idle_minutes is more than session_minutes"});
  }

  const nlohmann::json broker = json.value("broker", nlohmann::json::object());
  config.engine.broker_bind = broker.value("bind", config.engine.broker_bind);
  config.engine.heartbeat_interval =
      std::chrono::milliseconds(broker.value("heartbeat_interval_ms", 1000));
  config.engine.heartbeat_liveness = broker.value("heartbeat_liveness", 3);
  config.engine.retry.max_attempts = broker.value("max_attempts", 3);
  config.engine.retry.task_timeout =
      std::chrono::seconds(broker.value("task_timeout_seconds", 900));
  config.engine.retry.backoff_base =
      std::chrono::milliseconds(broker.value("retry_backoff_ms", 2000));
  config.engine.retry.backoff_max =
      std::chrono::milliseconds(broker.value("retry_backoff_max_ms", 300000));
  if (config.engine.retry.backoff_max < config.engine.retry.backoff_base) {
    return ValidationError(path + ": invalid configuration",
                           {"broker: retry_backoff_max_ms is less than retry_backoff_ms"});
  }
  config.shutdown_grace = std::chrono::seconds(json.value("shutdown_grace_seconds", 30));

  const nlohmann::json letters = json.value("letters", nlohmann::json::object());
  if (letters.contains("template_dir")) {
    config.letter_template_dir = letters.at("template_dir").get<std::string>();
  }

  auto notifications =
      notify::ParseNotificationSettings(json.value("notifications", nlohmann::json::object()),
                                        config.engine.controller.default_language);
  if (!notifications.ok()) return notifications.status().WithContext(path);
  config.engine.notifications = std::move(*notifications);
  config.engine.notifications.closing_days = config.closing_days;

  std::set<std::string> names;
  const nlohmann::json& sources = json.at("sources");
  for (size_t i = 0; i < sources.size(); ++i) {
    const auto& source = sources[i];
    workflow::SourceSettings settings{source.at("name").get<std::string>(),
                                      source.at("title").get<std::string>(),
                                      source.at("connector").get<std::string>()};
    if (!names.insert(settings.name).second) {
      return ValidationError(path + ": invalid configuration",
                             {"sources: the name '" + settings.name + "' appears twice"});
    }
    letters::SourceRecord record{settings.name, settings.title, std::nullopt};
    if (source.contains("record_of_processing")) {
      auto parsed = letters::ParseRecordOfProcessing(source.at("record_of_processing"),
                                                     "sources[" + std::to_string(i) + "]");
      if (!parsed.ok()) {
        return ValidationError(path + ": invalid configuration", {parsed.status().message()});
      }
      record.record = std::move(*parsed);
    }
    if (source.contains("task_timeout_seconds")) {
      config.engine.retry.source_timeouts[settings.name] =
          std::chrono::seconds(source.at("task_timeout_seconds").get<int>());
    }
    config.records_of_processing.push_back(std::move(record));
    config.engine.sources.push_back(std::move(settings));
  }
  auto security = LoadBrokerSecurity(broker, config.engine.broker_bind, names);
  if (!security.ok()) return security.status().WithContext(path);
  config.engine.security = std::move(*security);
  if (json.contains("log_level")) {
    ParseLogLevel(json.at("log_level").get<std::string>(), &config.log_level);
  }
  return config;
}

}  // namespace dsr
