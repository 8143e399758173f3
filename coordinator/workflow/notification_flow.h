// NotificationFlow: the engine's side of reminders and escalations. On each
// Check() it plans the events due today (notify/planner.h), queues each once
// per channel in the store's outbox, and hands the deliveries that are due to
// the delivery thread; OnReport() records the outcome: sent (with an audit
// event), or failed, to be tried again after a back-off that doubles from one
// minute up to an hour.
//
// Because both the events and their deliveries live in the store, a restart
// neither repeats a sent notification nor forgets a pending one.
// Not thread-safe: engine thread (writes to the store).
#pragma once

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <zmq.hpp>

#include "common/clock.h"
#include "coordinator/deadlines/deadline.h"
#include "coordinator/notify/delivery_service.h"
#include "coordinator/notify/notify_settings.h"
#include "coordinator/store/store.h"

namespace dsr::workflow {

class NotificationFlow {
 public:
  NotificationFlow(store::Store& store, const Clock& clock,
                   const deadlines::HolidayCalendar& calendar,
                   const notify::NotificationSettings& settings, deadlines::PauseMode pause_mode,
                   zmq::context_t& context, std::string report_endpoint);

  bool enabled() const { return settings_.enabled(); }
  void Start();
  void Stop();
  void Check();
  void OnReport(const std::string& report);
  uint64_t checks() const { return checks_; }
  // Deliveries the other side refused or that could not reach it, since start.
  uint64_t delivery_failures() const { return delivery_failures_; }

 private:
  Status QueueEvents();
  Status Dispatch();

  store::Store& store_;
  const Clock& clock_;
  const deadlines::HolidayCalendar& calendar_;
  const notify::NotificationSettings& settings_;
  deadlines::PauseMode pause_mode_;
  notify::DeliveryService delivery_;
  std::set<std::string> in_flight_;  // handed to the delivery thread, no report yet
  uint64_t checks_ = 0;
  uint64_t delivery_failures_ = 0;
};

}  // namespace dsr::workflow
