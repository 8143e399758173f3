#include "coordinator/workflow/notification_flow.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "common/digest.h"
#include "common/log.h"
#include "coordinator/notify/planner.h"
#include "coordinator/workflow/request_changes.h"

namespace dsr::workflow {
namespace {

constexpr std::chrono::minutes kFirstRetry{1};
constexpr std::chrono::minutes kLongestRetry{60};
constexpr int kDeliveriesPerCheck = 100;

std::chrono::minutes RetryDelay(int attempts) {
  std::chrono::minutes delay = kFirstRetry;
  for (int i = 1; i < attempts && delay < kLongestRetry; ++i) delay *= 2;
  return std::min(delay, kLongestRetry);
}

}  // namespace

NotificationFlow::NotificationFlow(store::Store& store, const Clock& clock,
                                   const deadlines::HolidayCalendar& calendar,
                                   const notify::NotificationSettings& settings,
                                   deadlines::PauseMode pause_mode, zmq::context_t& context,
                                   std::string report_endpoint)
    : store_(store),
      clock_(clock),
      calendar_(calendar),
      settings_(settings),
      pause_mode_(pause_mode),
      delivery_(context, std::move(report_endpoint), notify::ChannelsFor(settings)) {}

void NotificationFlow::Start() {
  if (enabled()) delivery_.Start();
}

void NotificationFlow::Stop() {
  delivery_.Stop();
}

void NotificationFlow::Check() {
  if (!enabled()) return;
  Status queued = QueueEvents();
  if (!queued.ok()) LogWarn("notify", "planning notifications failed: " + queued.ToString());
  Status dispatched = Dispatch();
  if (!dispatched.ok()) LogWarn("notify", "reading the outbox failed: " + dispatched.ToString());
  ++checks_;
}

Status NotificationFlow::QueueEvents() {
  auto open = store_.OpenRequests();
  if (!open.ok()) return open.status();
  auto failed = store_.FailedTasksOfOpenRequests();
  if (!failed.ok()) return failed.status();
  const auto events = notify::PlanEvents(*open, *failed, LocalDate(clock_.Now()), settings_,
                                         calendar_, pause_mode_);
  if (events.empty()) return Status::Ok();
  const std::string now = FormatUtc(clock_.Now());
  return store_.Write([&](store::StoreWriter& writer) -> Status {
    for (const auto& event : events) {
      for (const auto& channel : settings_.channels()) {
        store::NotificationRecord record;
        record.id = NewUuid();
        record.event_key = event.key;
        record.channel = channel;
        record.kind = event.kind;
        record.request_id = event.request_id;
        record.payload = event.facts.dump();
        record.next_attempt_at = now;
        record.created_at = now;
        auto queued = writer.QueueNotification(record);
        if (!queued.ok()) return queued.status();
      }
    }
    return Status::Ok();
  });
}

Status NotificationFlow::Dispatch() {
  auto due = store_.NotificationsDue(FormatUtc(clock_.Now()), kDeliveriesPerCheck);
  if (!due.ok()) return due.status();
  for (auto& notification : *due) {
    if (!in_flight_.insert(notification.id).second) continue;
    delivery_.Enqueue(std::move(notification));
  }
  return Status::Ok();
}

void NotificationFlow::OnReport(const std::string& text) {
  const auto report = nlohmann::json::parse(text, nullptr, false);
  if (!report.is_object() || !report.contains("id")) return;
  const std::string id = report.value("id", "");
  in_flight_.erase(id);
  const bool ok = report.value("ok", false);
  const std::string error = report.value("error", "");
  if (!ok) ++delivery_failures_;
  const std::string now = FormatUtc(clock_.Now());
  Status recorded = store_.Write([&](store::StoreWriter& writer) -> Status {
    auto notification = writer.GetNotification(id);
    if (!notification.ok()) return notification.status();
    if (notification->status == store::NotificationStatus::kSent) return Status::Ok();
    ++notification->attempts;
    if (!ok) {
      notification->last_error = error;
      notification->next_attempt_at = FormatUtc(clock_.Now() + RetryDelay(notification->attempts));
      return writer.UpdateNotification(*notification);
    }
    notification->status = store::NotificationStatus::kSent;
    notification->sent_at = now;
    DSR_RETURN_IF_ERROR(writer.UpdateNotification(*notification));
    return writer.AppendEvent(MakeEvent(notification->request_id.value_or(""), now,
                                        "notification.sent", "system",
                                        {{"notification_id", notification->id},
                                         {"event", notification->event_key},
                                         {"kind", notification->kind},
                                         {"channel", notification->channel},
                                         {"attempts", notification->attempts}}));
  });
  if (!recorded.ok()) {
    LogWarn("notify",
            "recording delivery of notification " + id + " failed: " + recorded.ToString());
  } else if (!ok) {
    LogWarn("notify", "notification " + id + " not delivered (will retry): " + error);
  }
}

}  // namespace dsr::workflow
