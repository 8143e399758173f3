#include "workers/worker_runtime.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <deque>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "common/curve_keys.h"
#include "common/log.h"
#include "common/version.h"
#include "common/wire.h"
#include "common/zmq_frames.h"
#include "workers/executor.h"

namespace dsr::workers {
namespace {

std::string UniqueInprocEndpoint(const std::string& kind) {
  static std::atomic<int> counter{0};
  return "inproc://dsr-worker-" + kind + "-" + std::to_string(counter++);
}

// Socket monitor events that say the coordinator would not complete the
// CurveZMQ handshake.
constexpr int kHandshakeFailures = ZMQ_EVENT_HANDSHAKE_FAILED_AUTH |
                                   ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL |
                                   ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL;

// Messages from the executor waiting for the network; beyond this the
// executor is not read from, so it blocks instead of filling memory.
constexpr size_t kMaxPendingOut = 16;

// After the shutdown grace: how long the farewell may take to leave and the
// connector to notice it should stop, before the process exits regardless.
constexpr std::chrono::milliseconds kFarewellLinger{1000};
constexpr std::chrono::milliseconds kConnectorStopWait{2000};

wire::Message RefusedResult(const nlohmann::json& task) {
  wire::Message result;
  result.command = wire::Command::kResult;
  result.header = {
      {"task_id", task.at("task_id")},
      {"attempt", task.at("attempt")},
      {"status", "failed"},
      {"chunks", 0},
      {"collections", nlohmann::json::array()},
      {"error", {{"code", "unavailable"}, {"message", "the worker is shutting down"}}}};
  return result;
}

}  // namespace

// One run of the worker: the DEALER socket and the connection state machine
//   connecting → announced (READY sent) → serving (coordinator answered)
//   → back to connecting after silence or DISCONNECT, with back-off.
class WorkerRuntime::Session {
 public:
  Session(const WorkerSettings& settings, connectors::Connector& connector, const Clock& clock,
          zmq::context_t& context, WorkerCounters& counters)
      : settings_(settings),
        connector_kind_(connector.kind()),
        clock_(clock),
        context_(context),
        counters_(counters),
        from_executor_(context, zmq::socket_type::pair),
        executor_endpoint_(UniqueInprocEndpoint("out")),
        executor_(context, executor_endpoint_, connector, clock, settings.credit_wait,
                  settings.journal),
        reconnect_delay_(settings.reconnect_min) {
    ApplyCommonOptions(from_executor_);
    from_executor_.bind(executor_endpoint_);
  }

  // Returns false when the connector was still stuck in a task at the end.
  bool Run(const std::atomic<bool>& stopping) {
    executor_.Start();
    Connect();
    while (true) {
      if (stopping.load() && !draining_) BeginDraining();
      if (draining_ && Drained()) break;
      PollOnce();
      const auto now = clock_.Monotonic();
      if (!socket_ && now >= reconnect_at_) Connect();
      if (socket_ && now >= next_heartbeat_) SendHeartbeat();
      if (socket_ &&
          now - last_heard_ > settings_.heartbeat_interval * settings_.heartbeat_liveness) {
        LogWarn("worker", "no word from the coordinator; reconnecting");
        Drop();
      }
    }
    if (socket_) {
      // Give the farewell a moment to leave, so the coordinator requeues at
      // once instead of after the heartbeat expiry. Messages of a given-up
      // task that did not leave yet are dropped with the socket.
      socket_->set(zmq::sockopt::linger, static_cast<int>(kFarewellLinger.count()));
      (void)Send(wire::Disconnect("worker " + settings_.worker_name + " is stopping"));
    }
    const bool stopped = executor_.Stop(kConnectorStopWait);
    StopWatchingHandshakes();
    if (socket_) socket_->close();
    from_executor_.close();
    return stopped;
  }

 private:
  void BeginDraining() {
    draining_ = true;
    drain_deadline_ = clock_.Monotonic() + settings_.shutdown_grace;
    for (const auto& task : executor_.Withdraw()) Refuse(task);
    LogInfo("worker", "stopping: taking no new tasks; the running one has " +
                          std::to_string(settings_.shutdown_grace.count()) + " ms to finish");
    if (socket_) SendHeartbeat();
  }

  // True when the worker may say goodbye: the running task finished and its
  // messages left, or the grace is over.
  bool Drained() {
    if (clock_.Monotonic() >= drain_deadline_) {
      if (!executor_.Idle()) {
        LogWarn("worker", "shutdown grace over: giving up the running task");
      }
      return true;
    }
    // Idle first, then read the pipe: what a finished task emitted is in it.
    if (!executor_.Idle()) return false;
    while (auto frames = ReceiveFrames(from_executor_)) pending_out_.push_back(std::move(*frames));
    FlushPending();
    return pending_out_.empty();
  }

  // Answers a task the worker will not run, so the coordinator retries it
  // elsewhere at once instead of after its time-out.
  void Refuse(const nlohmann::json& task) {
    ++counters_.tasks_refused;
    auto frames = wire::Encode(RefusedResult(task));
    if (frames.ok()) pending_out_.push_back(std::move(*frames));
  }

  void Connect() {
    socket_.emplace(context_, zmq::socket_type::dealer);
    ApplyCommonOptions(*socket_);
    socket_->set(zmq::sockopt::sndhwm, 64);
    // libzmq's own reconnects (after a lost TCP connection) back off too.
    socket_->set(zmq::sockopt::reconnect_ivl, static_cast<int>(settings_.reconnect_min.count()));
    socket_->set(zmq::sockopt::reconnect_ivl_max,
                 static_cast<int>(settings_.reconnect_max.count()));
    if (settings_.curve) {
      socket_->set(zmq::sockopt::curve_serverkey, settings_.curve->server_key);
      socket_->set(zmq::sockopt::curve_publickey, settings_.curve->public_key);
      socket_->set(zmq::sockopt::curve_secretkey, settings_.curve->secret_key);
      WatchHandshakes();
    }
    socket_->connect(settings_.coordinator);
    wire::Message ready;
    ready.command = wire::Command::kReady;
    ready.header = {{"source", settings_.source},
                    {"connector", connector_kind_},
                    {"worker", settings_.worker_name},
                    {"version", kDsrVersion},
                    {"capacity", 1},
                    {"actions", {"export", "erase", "rectify"}}};
    (void)Send(ready);
    if (draining_) SendHeartbeat();
    last_heard_ = clock_.Monotonic();
    next_heartbeat_ = last_heard_ + settings_.heartbeat_interval;
    LogInfo("worker", "announced source " + settings_.source + " to " + settings_.coordinator +
                          (settings_.curve ? " (CurveZMQ, key " +
                                                 KeyFingerprint(settings_.curve->public_key) + "…)"
                                           : " (plaintext)"));
  }

  // Closes the connection and schedules the next attempt with doubling back-off.
  // The coordinator requeues the tasks of a connection that is gone, so the
  // running attempt ends and its unsent messages are dropped.
  void Drop() {
    StopWatchingHandshakes();
    socket_.reset();
    executor_.LoseAttempts();
    pending_out_.clear();
    ++counters_.reconnects;
    reconnect_at_ = clock_.Monotonic() + reconnect_delay_;
    reconnect_delay_ = std::min(reconnect_delay_ * 2, settings_.reconnect_max);
  }

  // Listens to the DEALER's handshake events, so that a worker whose key
  // the coordinator does not allow says so and backs off, instead of
  // looking merely unanswered.
  void WatchHandshakes() {
    const std::string endpoint = UniqueInprocEndpoint("monitor");
    if (zmq_socket_monitor(socket_->handle(), endpoint.c_str(), kHandshakeFailures) != 0) return;
    monitor_.emplace(context_, zmq::socket_type::pair);
    ApplyCommonOptions(*monitor_);
    monitor_->connect(endpoint);
  }

  void StopWatchingHandshakes() {
    if (!monitor_) return;
    if (socket_) (void)zmq_socket_monitor(socket_->handle(), nullptr, 0);
    monitor_.reset();
  }

  void ReadHandshakeEvents() {
    bool failed = false;
    while (monitor_) {
      auto frames = ReceiveFrames(*monitor_);
      if (!frames) break;
      if (frames->empty() || frames->front().size() < 6) continue;
      uint16_t event = 0;
      uint32_t value = 0;
      std::memcpy(&event, frames->front().data(), sizeof event);
      std::memcpy(&value, frames->front().data() + 2, sizeof value);
      if ((event & kHandshakeFailures) == 0) continue;
      failed = true;
      ++counters_.handshake_failures;
      if (event == ZMQ_EVENT_HANDSHAKE_FAILED_AUTH) {
        LogError("worker", "the coordinator refused this worker's key " +
                               KeyFingerprint(settings_.curve->public_key) + "… (status " +
                               std::to_string(value) +
                               "): it is not on the coordinator's allow-list (broker.workers); "
                               "trying again with growing delays");
      } else {
        LogError("worker",
                 "the CurveZMQ handshake with the coordinator failed: check curve."
                 "coordinator_public_key and that the coordinator uses CurveZMQ; "
                 "trying again with growing delays");
      }
    }
    // Drop with back-off rather than let libzmq retry at once.
    if (failed) Drop();
  }

  void PollOnce() {
    zmq::pollitem_t items[3] = {
        {from_executor_.handle(), 0,
         static_cast<short>(pending_out_.size() < kMaxPendingOut ? ZMQ_POLLIN : 0), 0},
        {nullptr, 0, 0, 0},
        {nullptr, 0, 0, 0}};
    int count = 1;
    if (socket_) {
      items[1] = {socket_->handle(), 0,
                  static_cast<short>(ZMQ_POLLIN | (pending_out_.empty() ? 0 : ZMQ_POLLOUT)), 0};
      count = 2;
      if (monitor_) {
        items[2] = {monitor_->handle(), 0, ZMQ_POLLIN, 0};
        count = 3;
      }
    }
    try {
      zmq::poll(items, count, std::chrono::milliseconds(100));
    } catch (const zmq::error_t& error) {
      if (error.num() != EINTR) throw;
      return;
    }
    if (items[0].revents & ZMQ_POLLIN) {
      while (pending_out_.size() < kMaxPendingOut) {
        auto frames = ReceiveFrames(from_executor_);
        if (!frames) break;
        pending_out_.push_back(std::move(*frames));
      }
    }
    if (count >= 2 && (items[1].revents & ZMQ_POLLIN)) ReceiveFromCoordinator();
    if (count == 3 && (items[2].revents & ZMQ_POLLIN)) ReadHandshakeEvents();
    FlushPending();
  }

  void FlushPending() {
    while (socket_ && !pending_out_.empty()) {
      if (!SendFrames(*socket_, pending_out_.front()).ok()) return;  // high-water mark: later
      pending_out_.pop_front();
    }
  }

  void ReceiveFromCoordinator() {
    while (socket_) {
      auto frames = ReceiveFrames(*socket_);
      if (!frames) return;
      auto message = wire::Decode(*frames, wire::Sender::kCoordinator);
      if (!message.ok()) {
        ++counters_.messages_dropped;
        LogWarn("worker", "dropped a malformed message: " + message.status().message());
        continue;
      }
      last_heard_ = clock_.Monotonic();
      reconnect_delay_ = settings_.reconnect_min;
      switch (message->command) {
        case wire::Command::kTask:
          ++counters_.tasks_received;
          if (draining_) {
            Refuse(message->header);
          } else {
            executor_.Submit(message->header);
          }
          break;
        case wire::Command::kCredit:
          executor_.Grant(message->header.at("task_id").get<std::string>(),
                          message->header.at("attempt").get<int>(),
                          message->header.at("credit").get<int>());
          break;
        case wire::Command::kDisconnect:
          if (message->header.value("refused", false)) {
            // Announcing the same again at once would only be refused again:
            // wait the longest back-off, in case an operator fixes the config.
            ++counters_.refusals;
            LogError("worker", "the coordinator refused this worker: " +
                                   message->header.at("reason").get<std::string>() +
                                   "; trying again in " +
                                   std::to_string(settings_.reconnect_max.count() / 1000) + " s");
            reconnect_delay_ = settings_.reconnect_max;
          } else {
            LogWarn("worker",
                    "coordinator said: " + message->header.at("reason").get<std::string>());
          }
          Drop();
          return;
        default:
          break;  // HEARTBEAT
      }
    }
  }

  void SendHeartbeat() {
    wire::Message heartbeat = wire::Heartbeat();
    if (draining_) heartbeat.header["draining"] = true;
    (void)Send(heartbeat);
    next_heartbeat_ = clock_.Monotonic() + settings_.heartbeat_interval;
  }

  Status Send(const wire::Message& message) {
    auto frames = wire::Encode(message);
    if (!frames.ok()) return frames.status();
    return SendFrames(*socket_, *frames);
  }

 private:
  const WorkerSettings& settings_;
  const std::string connector_kind_;
  const Clock& clock_;
  zmq::context_t& context_;
  WorkerCounters& counters_;
  zmq::socket_t from_executor_;
  std::string executor_endpoint_;
  Executor executor_;
  std::optional<zmq::socket_t> socket_;
  std::optional<zmq::socket_t> monitor_;  // handshake events of socket_ (CurveZMQ only)
  std::deque<std::vector<std::string>> pending_out_;
  std::chrono::milliseconds reconnect_delay_;
  Clock::MonotonicTime reconnect_at_{};
  Clock::MonotonicTime last_heard_{};
  Clock::MonotonicTime next_heartbeat_{};
  bool draining_ = false;
  Clock::MonotonicTime drain_deadline_{};
};

WorkerRuntime::WorkerRuntime(WorkerSettings settings, connectors::Connector& connector,
                             const Clock& clock, zmq::context_t& context)
    : settings_(std::move(settings)), connector_(connector), clock_(clock), context_(context) {}

WorkerRuntime::~WorkerRuntime() = default;

Status WorkerRuntime::Run(const std::atomic<bool>& stopping) {
  try {
    auto session = std::make_unique<Session>(settings_, connector_, clock_, context_, counters_);
    if (!session->Run(stopping)) {
      // The executor thread still uses the session: it must outlive this call.
      left_task_running_ = true;
      abandoned_ = std::move(session);
    }
    return Status::Ok();
  } catch (const zmq::error_t& error) {
    return Unavailable(std::string("worker socket failed: ") + error.what());
  }
}

}  // namespace dsr::workers
