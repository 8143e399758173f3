// The text of a notification for people (e-mail) and its JSON for machines
// (webhook), made from the facts stored with it. Neither holds personal data:
// requests are named by id, type and dates.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "coordinator/store/model.h"

namespace dsr::notify {

struct MessageText {
  std::string subject;
  std::string body;  // plain text, lines separated by "\n"
};

// `language` "de" or "en" (anything else: English).
MessageText RenderMessage(const store::NotificationRecord& notification,
                          const std::string& language,
                          const std::optional<std::string>& public_url);

// {"id", "event", "kind", "created_at", "facts": {...}, "url"?}
nlohmann::json WebhookBody(const store::NotificationRecord& notification,
                           const std::optional<std::string>& public_url);

}  // namespace dsr::notify
