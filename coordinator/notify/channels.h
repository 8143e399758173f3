// Where notifications go: the DPO's mailbox over SMTP, and a webhook for
// chat or ticketing tools. A channel delivers one notification per call and
// says whether the other side accepted it; retrying is the caller's business.
//
// Delivery is at least once: were the engine to stop between the other side's
// acceptance and the store's record of it, the notification goes out again
// after the restart. Receivers can tell: the e-mail's Message-ID and the
// webhook's X-Dsr-Delivery header are the notification's id.
//
// Thread-compatible: one caller at a time (the delivery thread).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "common/status.h"
#include "coordinator/notify/notify_settings.h"
#include "coordinator/store/model.h"

namespace dsr::notify {

class Channel {
 public:
  virtual ~Channel() = default;
  // kUnavailable when the other side cannot be reached or refused for now;
  // kInvalidArgument when it rejected the message for good.
  virtual Status Deliver(const store::NotificationRecord& notification) = 0;
};

std::unique_ptr<Channel> NewEmailChannel(EmailSettings settings, std::string language,
                                         std::optional<std::string> public_url);
std::unique_ptr<Channel> NewWebhookChannel(WebhookSettings settings,
                                           std::optional<std::string> public_url);

}  // namespace dsr::notify
