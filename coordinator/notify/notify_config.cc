#include "coordinator/notify/notify_config.h"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <algorithm>
#include <functional>
#include <nlohmann/json.hpp>

#include "common/secret_file.h"

namespace dsr::notify {
namespace {

std::optional<std::string> Secret(const nlohmann::json& section, const char* key,
                                  const std::string& name, std::vector<std::string>* problems) {
  if (!section.contains(key)) return std::nullopt;
  auto secret = ReadSecretFile(section.at(key).get<std::string>(), name);
  if (!secret.ok()) {
    problems->push_back(secret.status().message());
    return std::nullopt;
  }
  return *secret;
}

EmailSettings ParseEmail(const nlohmann::json& email, std::vector<std::string>* problems) {
  EmailSettings parsed;
  parsed.host = email.at("host").get<std::string>();
  parsed.starttls = email.value("tls", "starttls") == "starttls";
  parsed.port = email.value("port", parsed.starttls ? 587 : 25);
  parsed.from = email.at("from").get<std::string>();
  parsed.to = email.at("to").get<std::vector<std::string>>();
  parsed.timeout = std::chrono::seconds(email.value("timeout_seconds", 10));
  if (email.contains("username")) parsed.username = email.at("username").get<std::string>();
  parsed.password = Secret(email, "password_file", "notifications.email.password_file", problems);
  if (email.contains("username") != email.contains("password_file")) {
    problems->push_back("notifications.email: username and password_file go together");
  }
  // Reminders name requests and dates, and the login would cross in clear.
  if (!parsed.starttls && !IsLoopbackHost(parsed.host)) {
    problems->push_back(
        "notifications.email.tls: none is allowed only to a loopback host; use starttls");
  }
  return parsed;
}

WebhookSettings ParseWebhook(const nlohmann::json& webhook, std::vector<std::string>* problems) {
  WebhookSettings parsed;
  parsed.url = webhook.at("url").get<std::string>();
  parsed.timeout = std::chrono::seconds(webhook.value("timeout_seconds", 10));
  parsed.secret = Secret(webhook, "secret_file", "notifications.webhook.secret_file", problems);
  try {
    const Poco::URI uri(parsed.url);
    if (uri.getHost().empty()) {
      problems->push_back("notifications.webhook.url: has no host");
    } else if (uri.getScheme() != "https" && !IsLoopbackHost(uri.getHost())) {
      problems->push_back(
          "notifications.webhook.url: plain http is allowed only to a loopback host; use https");
    }
  } catch (const Poco::Exception&) {
    problems->push_back("notifications.webhook.url: is not a URL");
  }
  return parsed;
}

}  // namespace

Result<NotificationSettings> ParseNotificationSettings(const nlohmann::json& section,
                                                       const std::string& default_language) {
  NotificationSettings settings;
  std::vector<std::string> problems;
  if (section.contains("reminder_days")) {
    settings.reminder_days = section.at("reminder_days").get<std::vector<int>>();
  }
  std::sort(settings.reminder_days.begin(), settings.reminder_days.end(), std::greater<int>());
  settings.escalate_overdue = section.value("escalate_overdue", true);
  settings.escalate_failed_sources = section.value("escalate_failed_sources", true);
  settings.language = section.value("language", default_language);
  if (section.contains("public_url")) {
    settings.public_url = section.at("public_url").get<std::string>();
  }
  settings.check_interval = std::chrono::seconds(section.value("check_interval_seconds", 60));
  if (section.contains("email")) settings.email = ParseEmail(section.at("email"), &problems);
  if (section.contains("webhook")) {
    settings.webhook = ParseWebhook(section.at("webhook"), &problems);
  }
  if (!problems.empty()) return ValidationError("invalid notifications", problems);
  return settings;
}

}  // namespace dsr::notify
