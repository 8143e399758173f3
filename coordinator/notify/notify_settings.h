// Settings of reminders and escalations to the DPO (coordinator config
// `notifications`). Without a channel nothing is sent.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "coordinator/deadlines/closing_days.h"

namespace dsr::notify {

// Delivery by e-mail over SMTP. Plain SMTP only to a loopback host; anything
// else must offer STARTTLS (checked when the config is loaded).
struct EmailSettings {
  std::string host;
  int port = 25;
  bool starttls = true;
  std::optional<std::string> username;
  std::optional<std::string> password;  // read from `password_file`
  std::string from;
  std::vector<std::string> to;
  std::chrono::seconds timeout{10};
};

// Delivery by HTTP POST of a JSON body; signed with HMAC-SHA256 when a secret is set.
struct WebhookSettings {
  std::string url;
  std::optional<std::string> secret;  // read from `secret_file`
  std::chrono::seconds timeout{10};
};

struct NotificationSettings {
  // Days before the due date on which the DPO is reminded, largest first.
  std::vector<int> reminder_days{7, 2};
  bool escalate_overdue = true;         // once when a request's due date has passed
  bool escalate_failed_sources = true;  // once per failed task attempt
  std::string language = "en";          // of the messages: "de" | "en"
  // Where people open a request, e.g. "https://dsr.example.org"; the messages
  // link to <public_url>/api/v1/requests/<id>.
  std::optional<std::string> public_url;
  std::optional<EmailSettings> email;
  std::optional<WebhookSettings> webhook;
  // The company's closing days (controller.calendar_dir): a reminder that
  // would fall on one comes on the last day before on which the team works.
  deadlines::ClosingDays closing_days;
  // How often the engine looks for due reminders and retries deliveries.
  std::chrono::seconds check_interval{60};

  bool enabled() const { return email.has_value() || webhook.has_value(); }
  // The channels in use: "email", "webhook".
  std::vector<std::string> channels() const;
};

}  // namespace dsr::notify
