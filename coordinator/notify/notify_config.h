// Reads the coordinator config's `notifications` section (already checked
// against schemas/config/coordinator.json) into NotificationSettings, with the
// checks a schema cannot make: secrets readable, no plain SMTP or HTTP to
// another machine.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

#include "common/status.h"
#include "coordinator/notify/notify_settings.h"

namespace dsr::notify {

// `default_language` is the controller's, used when the section names none.
// kValidation listing every problem.
Result<NotificationSettings> ParseNotificationSettings(const nlohmann::json& section,
                                                       const std::string& default_language);

}  // namespace dsr::notify
