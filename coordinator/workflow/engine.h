// Engine: the coordinator's single thread of control. It owns the broker's
// ROUTER socket, the timers and every write to the store (one writer), and
// runs the workflow: requests in, tasks out to workers, results and bundles
// back. Other threads talk to it only through EngineClient (inproc socket).
//
// Start() recovers from the store (interrupted tasks are requeued, finished
// requests without a bundle get one), binds the broker and starts the thread.
// Drain() is the first half of a graceful stop: no new tasks go out and
// request changes are refused as unavailable (HTTP 503), while results of
// running tasks are still taken and committed and a bundle being built is
// finished, for at most the grace time. Stop() then says DISCONNECT to the
// workers and ends the thread; work not finished is redone after the next
// start.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>
#include <zmq.hpp>

#include "common/clock.h"
#include "common/keyed_hash.h"
#include "common/status.h"
#include "coordinator/broker/broker_security.h"
#include "coordinator/deadlines/holiday_calendar.h"
#include "coordinator/letters/letter.h"
#include "coordinator/notify/notify_settings.h"
#include "coordinator/store/store.h"
#include "coordinator/workflow/settings.h"

namespace dsr::workflow {

// Where EngineClient reaches the engine (same ZeroMQ context).
inline constexpr const char* kEngineEndpoint = "inproc://dsr-engine";

struct EngineSettings {
  std::string broker_bind = "tcp://127.0.0.1:5555";
  // CurveZMQ with its allow-list of worker keys; without it the broker is
  // plaintext (the config allows that only on loopback, and tests).
  std::optional<broker::BrokerSecurity> security;
  std::chrono::milliseconds heartbeat_interval{1000};
  int heartbeat_liveness = 3;  // missed heartbeats before a worker counts as gone
  RetryPolicy retry;           // time-outs, back-off and max attempts of tasks
  std::string data_dir;        // results/ and bundles/ live below it
  ControllerSettings controller;
  WorkflowPolicy policy;
  std::vector<SourceSettings> sources;
  // For letters: the controller's full details, each source's record of
  // processing (same order as `sources`), and the loaded templates.
  letters::ControllerInfo controller_info;
  std::vector<letters::SourceRecord> records_of_processing;
  std::shared_ptr<const letters::LetterTemplates> letter_templates;
  // How often ended holds and letters still to write are looked for.
  std::chrono::seconds hold_check_interval{60};
  // Reminders and escalations to the DPO; notifications.check_interval says
  // how often the engine looks for them.
  notify::NotificationSettings notifications;
  // A closed request's personal data is purged this long after it closed;
  // the engine looks every purge_check_interval.
  int purge_after_days = 30;
  std::chrono::seconds purge_check_interval{3600};
};

class Engine {
 public:
  // `hasher` makes the keyed hashes of identities in audit events.
  Engine(EngineSettings settings, store::Store& store, const Clock& clock,
         const deadlines::HolidayCalendar& calendar, const KeyedHasher& hasher,
         zmq::context_t& context);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Returns the broker endpoint actually bound (the port may have been "*").
  Result<std::string> Start();
  // Stops handing out tasks and refuses request changes, then returns once no
  // task attempt is in flight and no bundle is being built, or `grace` (on
  // the engine's clock) has passed. Returns true when everything finished.
  bool Drain(std::chrono::milliseconds grace);
  void Stop();

 private:
  class Loop;
  std::atomic<bool> stopping_{false};
  std::atomic<int64_t> drain_grace_ms_{-1};  // ≥ 0 once Drain was asked for
  std::atomic<int> drained_{0};              // 0 not yet, 1 all finished, 2 grace over
  std::atomic<bool> loop_ended_{false};
  EngineSettings settings_;
  store::Store& store_;
  const Clock& clock_;
  const deadlines::HolidayCalendar& calendar_;
  const KeyedHasher& hasher_;
  zmq::context_t& context_;
  std::thread thread_;
};

}  // namespace dsr::workflow
