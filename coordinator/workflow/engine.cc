#include "coordinator/workflow/engine.h"

#include <algorithm>
#include <cstdlib>
#include <future>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "common/durable_file.h"
#include "common/log.h"
#include "common/zmq_frames.h"
#include "coordinator/broker/broker_socket.h"
#include "coordinator/broker/worker_registry.h"
#include "coordinator/broker/zap_handler.h"
#include "coordinator/workflow/bundle_service.h"
#include "coordinator/workflow/completion.h"
#include "coordinator/workflow/engine_client.h"
#include "coordinator/workflow/intake.h"
#include "coordinator/workflow/letter_writer.h"
#include "coordinator/workflow/notification_flow.h"
#include "coordinator/workflow/purge.h"
#include "coordinator/workflow/request_actions.h"
#include "coordinator/workflow/request_commands.h"
#include "coordinator/workflow/result_spool.h"
#include "coordinator/workflow/task_flow.h"

namespace dsr::workflow {
namespace {

constexpr const char* kBundleEndpoint = "inproc://dsr-bundles";
constexpr const char* kNotificationEndpoint = "inproc://dsr-notifications";
constexpr std::chrono::seconds kBundleRetryDelay{30};

}  // namespace

// Everything the engine thread owns. Constructed, run and destroyed on that thread.
class Engine::Loop {
 public:
  Loop(const EngineSettings& settings, store::Store& store, const Clock& clock,
       const deadlines::HolidayCalendar& calendar, const KeyedHasher& hasher,
       zmq::context_t& context)
      : settings_(settings),
        store_(store),
        clock_(clock),
        calendar_(calendar),
        broker_(context),
        commands_(context, zmq::socket_type::router),
        bundle_reports_(context, zmq::socket_type::pull),
        notification_reports_(context, zmq::socket_type::pull),
        registry_(settings.heartbeat_interval * settings.heartbeat_liveness),
        spool_(settings.data_dir + "/results", store.data_keys()),
        tasks_(store, clock, spool_, settings.retry),
        bundles_(context, kBundleEndpoint),
        actions_(ActionContext{store, clock, calendar, settings.policy, settings.sources, hasher}),
        request_commands_(actions_, clock, settings.controller.default_language),
        letters_(store, clock, settings),
        purger_(store, clock, spool_, settings.purge_after_days),
        notifications_(store, clock, calendar, settings.notifications, settings.policy.pause_mode,
                       context, kNotificationEndpoint) {
    ApplyCommonOptions(commands_);
    ApplyCommonOptions(bundle_reports_);
    ApplyCommonOptions(notification_reports_);
    if (settings.security) zap_.emplace(context, *settings.security, clock);
  }

  // Closing a socket releases its inproc name only later, on ZeroMQ's reaper
  // thread; an engine started again in this process (tests, a restart after
  // a failed start) must find the names free, so they are unbound here.
  ~Loop() {
    for (auto [socket, endpoint] :
         {std::pair{&commands_, kEngineEndpoint}, std::pair{&bundle_reports_, kBundleEndpoint},
          std::pair{&notification_reports_, kNotificationEndpoint}}) {
      try {
        socket->unbind(endpoint);
      } catch (const zmq::error_t&) {
        // Never bound (the start failed before): nothing to release.
      }
    }
  }

  Result<std::string> Open() {
    DSR_RETURN_IF_ERROR(MakePrivateDirectories(settings_.data_dir + "/results"));
    DSR_RETURN_IF_ERROR(MakePrivateDirectories(settings_.data_dir + "/bundles"));
    DSR_RETURN_IF_ERROR(tasks_.Recover());
    auto settled = store_.RequestsWithSettledTasks();
    if (!settled.ok()) return settled.status();
    for (const auto& request_id : *settled) SettleRequest(request_id);
    if (zap_) {
      // The handler first: a CURVE socket bound without one lets in every
      // client that knows the coordinator's public key.
      DSR_RETURN_IF_ERROR(zap_->Bind());
      DSR_RETURN_IF_ERROR(broker_.UseCurve(settings_.security->secret_key));
    }
    auto endpoint = broker_.Bind(settings_.broker_bind);
    if (!endpoint.ok()) return endpoint;
    commands_.bind(kEngineEndpoint);
    bundle_reports_.bind(kBundleEndpoint);
    bundles_.Start();
    notification_reports_.bind(kNotificationEndpoint);
    notifications_.Start();
    auto awaiting = store_.RequestsAwaitingBundle();
    if (!awaiting.ok()) return awaiting.status();
    for (const auto& request_id : *awaiting) StartBundle(request_id);
    DSR_RETURN_IF_ERROR(WriteOwedLetters());
    LogInfo("engine",
            "broker listening on " + *endpoint +
                (zap_ ? " (CurveZMQ, " + std::to_string(settings_.security->workers.size()) +
                            " worker keys allowed)"
                      : " (plaintext)") +
                "; " + std::to_string(tasks_.pending_count()) + " tasks pending");
    return endpoint;
  }

  // Letters whose request changed but whose file is not written: the
  // coordinator stopped in between (the change and the letter are not one
  // transaction), or writing failed. At start and with every hold check.
  Status WriteOwedLetters() {
    auto closing = store_.RequestsAwaitingLetter();
    if (!closing.ok()) return closing.status();
    for (const auto& request_id : *closing) Report(letters_.Write(request_id));
    auto extended = store_.RequestsAwaitingExtensionLetter();
    if (!extended.ok()) return extended.status();
    for (const auto& request_id : *extended) Report(letters_.WriteExtension(request_id));
    return Status::Ok();
  }

  void Run(const std::atomic<bool>& stopping, const std::atomic<int64_t>& drain_grace_ms,
           std::atomic<int>& drained) {
    next_heartbeat_ = clock_.Monotonic();
    next_hold_check_ = clock_.Monotonic();
    next_notification_check_ = clock_.Monotonic();
    next_purge_check_ = clock_.Monotonic();
    while (!stopping.load()) {
      if (!draining_ && drain_grace_ms.load() >= 0) {
        draining_ = true;
        drain_deadline_ = clock_.Monotonic() + std::chrono::milliseconds(drain_grace_ms.load());
        LogInfo("engine", "draining: no new tasks; waiting for " +
                              std::to_string(tasks_.in_flight_count()) + " running tasks and " +
                              std::to_string(bundling_.size()) + " bundles");
      }
      zmq::pollitem_t items[] = {{broker_.socket().handle(), 0, ZMQ_POLLIN, 0},
                                 {commands_.handle(), 0, ZMQ_POLLIN, 0},
                                 {bundle_reports_.handle(), 0, ZMQ_POLLIN, 0},
                                 {notification_reports_.handle(), 0, ZMQ_POLLIN, 0},
                                 {zap_ ? zap_->socket().handle() : nullptr, 0, ZMQ_POLLIN, 0}};
      try {
        zmq::poll(items, zap_ ? 5 : 4, PollTimeout());
      } catch (const zmq::error_t& error) {
        if (error.num() != EINTR) throw;
      }
      if (items[0].revents & ZMQ_POLLIN) DrainBroker();
      if (items[1].revents & ZMQ_POLLIN) DrainCommands();
      if (items[2].revents & ZMQ_POLLIN) DrainBundleReports();
      if (items[3].revents & ZMQ_POLLIN) DrainNotificationReports();
      if (zap_ && (items[4].revents & ZMQ_POLLIN)) zap_->HandleWaiting();
      if (clock_.Monotonic() >= next_heartbeat_) Tick();
      for (const auto& request_id : tasks_.CommitReceivedResults()) SettleRequest(request_id);
      ExpireAttempts();
      if (draining_) {
        if (drained.load() == 0) drained = DrainState();
      } else {
        DispatchPending();
      }
    }
    for (const auto* worker : registry_.All()) {
      (void)broker_.Send(worker->routing_id, wire::Disconnect("coordinator is shutting down"));
    }
    bundles_.Stop();
    notifications_.Stop();
  }

 private:
  std::chrono::milliseconds PollTimeout() const {
    auto wake = next_heartbeat_;
    if (auto deadline = tasks_.NextDeadline()) wake = std::min(wake, *deadline);
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(wake - clock_.Monotonic());
    return std::clamp(left, std::chrono::milliseconds(0), std::chrono::milliseconds(100));
  }

  void Tick() {
    for (const auto* worker : registry_.All()) {
      (void)broker_.Send(worker->routing_id, wire::Heartbeat());
    }
    RetryFailedBundles();
    if (clock_.Monotonic() >= next_hold_check_) {
      FileFollowUpsForEndedHolds();
      // A letter that could not be written (full disk, broken template) is
      // tried again: the data subject must get it in time.
      Report(WriteOwedLetters());
      next_hold_check_ = clock_.Monotonic() + settings_.hold_check_interval;
    }
    if (clock_.Monotonic() >= next_purge_check_) {
      // After the hold check: a hold that ended has filed its follow-up, so
      // the identities its request kept may go now.
      auto purged = purger_.PurgeDue();
      if (!purged.ok()) Report(purged.status());
      next_purge_check_ = clock_.Monotonic() + settings_.purge_check_interval;
    }
    if (clock_.Monotonic() >= next_notification_check_) {
      notifications_.Check();
      next_notification_check_ = clock_.Monotonic() + settings_.notifications.check_interval;
    }
    for (const auto& gone : registry_.Expire(clock_.Monotonic())) {
      LogWarn("engine", "worker " + gone.name + " of source " + gone.source +
                            " missed its heartbeats; requeueing its tasks");
      RequeueAll(gone, "worker " + gone.name + " stopped answering");
    }
    next_heartbeat_ = clock_.Monotonic() + settings_.heartbeat_interval;
  }

  // 0 while running tasks or bundles are left and the grace lasts; 1 when
  // all finished; 2 when the grace ran out first.
  int DrainState() const {
    if (tasks_.in_flight_count() == 0 && bundling_.empty()) {
      LogInfo("engine", "drained: every running task and bundle finished");
      return 1;
    }
    if (clock_.Monotonic() < drain_deadline_) return 0;
    LogWarn("engine", "shutdown grace over with " + std::to_string(tasks_.in_flight_count()) +
                          " tasks running; they are requeued at the next start");
    return 2;
  }

  // Attempts that went silent for their time-out are given up. Their workers
  // keep the slot until they send the stale RESULT or go away, since they
  // cannot take another task before they are done with this one.
  void ExpireAttempts() {
    for (const auto& timed_out : tasks_.ExpireAttempts()) {
      ++attempts_timed_out_;
      LogWarn("engine", "gave up attempt " + std::to_string(timed_out.attempt) + " of task " +
                            timed_out.task_id + " on worker " + timed_out.worker.name);
    }
  }

  void RequeueAll(const broker::WorkerInfo& worker, const std::string& reason) {
    for (const auto& slot : worker.tasks) {
      Report(tasks_.Requeue(slot.task_id, slot.attempt, reason));
    }
  }

  void DrainBroker() {
    while (auto incoming = broker_.Receive())
      OnWorkerMessage(incoming->routing_id, incoming->user_id, incoming->message);
  }

  // A message whose connection authenticated with another key than the one
  // the worker registered with (or with none while keys are required).
  void DropWrongKey(const std::string& user_id) {
    ++wire_messages_wrong_key_;
    LogWarn("engine", "dropped a message attributed to key '" + user_id +
                          "' that does not match its worker; dropped so far: " +
                          std::to_string(wire_messages_wrong_key_));
  }

  void OnWorkerMessage(const std::string& routing_id, const std::string& user_id,
                       const wire::Message& message) {
    if (message.command == wire::Command::kReady) {
      return OnReady(routing_id, user_id, message.header);
    }
    const broker::WorkerInfo* worker = registry_.Find(routing_id);
    if (worker == nullptr) {
      // Typically a worker from before a coordinator restart: it must announce itself again.
      (void)broker_.Send(routing_id, wire::Disconnect("unknown worker: send READY first"));
      return;
    }
    if (worker->key_name != user_id) return DropWrongKey(user_id);
    registry_.Touch(routing_id, clock_.Monotonic());
    const WorkerRef ref{routing_id, worker->name};
    switch (message.command) {
      case wire::Command::kProgress:
        return Report(tasks_.Started(ref, message.header));
      case wire::Command::kChunk: {
        Status written = tasks_.Chunk(ref, message.header, message.payload.at(0));
        // Flow control: each chunk on disk lets the worker send one more.
        if (written.ok()) {
          (void)broker_.Send(routing_id, wire::Credit(message.header.at("task_id"),
                                                      message.header.at("attempt"), 1));
        }
        return Report(written);
      }
      case wire::Command::kResult:
        return OnResult(ref, message.header);
      case wire::Command::kDisconnect: {
        LogInfo("engine", "worker " + worker->name + " disconnected");
        auto removed = registry_.Remove(routing_id);
        if (removed) RequeueAll(*removed, "worker " + removed->name + " disconnected");
        return;
      }
      case wire::Command::kHeartbeat:
        // A worker that is shutting down finishes what it runs, takes nothing new.
        if (message.header.value("draining", false) && !worker->draining) {
          LogInfo("engine", "worker " + worker->name + " is shutting down; no new tasks for it");
          registry_.MarkDraining(routing_id);
        }
        return;
      default:
        return;
    }
  }

  void OnReady(const std::string& routing_id, const std::string& user_id,
               const nlohmann::json& ready) {
    const std::string source = ready.at("source").get<std::string>();
    const std::string connector = ready.at("connector").get<std::string>();
    if (settings_.security) {
      const broker::AllowedWorker* key = settings_.security->FindByName(user_id);
      if (key == nullptr) return DropWrongKey(user_id);
      if (!key->MayServe(source)) {
        ++workers_refused_source_;
        LogWarn("engine", "refused worker key '" + user_id + "': it may not serve source '" +
                              source + "' (broker.workers); refused so far: " +
                              std::to_string(workers_refused_source_));
        (void)broker_.Send(routing_id,
                           wire::Refusal("the coordinator does not allow key '" + user_id +
                                         "' to serve source '" + source + "'"));
        return;
      }
    }
    const SourceSettings* configured = nullptr;
    for (const auto& candidate : settings_.sources) {
      if (candidate.name == source) configured = &candidate;
    }
    std::string refusal;
    if (configured == nullptr)
      refusal = "source '" + source + "' is not configured";
    else if (configured->connector != connector) {
      refusal = "source '" + source + "' expects connector '" + configured->connector + "'";
    }
    if (!refusal.empty()) {
      LogWarn("engine", "refused worker: " + refusal);
      (void)broker_.Send(routing_id, wire::Refusal(refusal));
      return;
    }
    broker::WorkerInfo info;
    info.routing_id = routing_id;
    info.key_name = user_id;
    info.name = ready.at("worker").get<std::string>();
    info.source = source;
    info.connector = connector;
    info.version = ready.at("version").get<std::string>();
    info.capacity = ready.at("capacity").get<int>();
    info.last_seen = clock_.Monotonic();
    info.connected_at = clock_.Now();
    const std::string name = info.name;
    if (auto replaced = registry_.Register(std::move(info))) {
      RequeueAll(*replaced, "worker " + replaced->name + " announced itself again");
    }
    LogInfo("engine", "worker " + name + " serves source " + source +
                          (user_id.empty() ? "" : " (key " + user_id + ")"));
    (void)broker_.Send(routing_id, wire::Heartbeat());
  }

  void OnResult(const WorkerRef& worker, const nlohmann::json& result) {
    // The worker is done with this attempt, current or abandoned: its slot is
    // free again (once; a slot of another attempt stays taken).
    registry_.Release(worker.routing_id, broker::Slot{result.at("task_id").get<std::string>(),
                                                      result.at("attempt").get<int>()});
    auto finished = tasks_.Finished(worker, result);
    if (!finished.ok()) return Report(finished.status());
    if (finished->has_value()) SettleRequest(**finished);
  }

  void DispatchPending() {
    for (const auto& source : tasks_.SourcesWithPendingTasks()) {
      while (auto routing_id = registry_.PickWorker(source)) {
        const WorkerRef worker{*routing_id, registry_.Find(*routing_id)->name};
        auto dispatch = tasks_.DispatchNext(source, worker);
        if (!dispatch.ok()) {
          if (dispatch.status().code() != StatusCode::kNotFound) Report(dispatch.status());
          break;
        }
        const broker::Slot slot{dispatch->task_id, dispatch->attempt};
        registry_.Assign(*routing_id, slot);
        Status sent = broker_.Send(*routing_id, dispatch->message);
        if (!sent.ok()) {
          registry_.Release(*routing_id, slot);
          Report(tasks_.Requeue(dispatch->task_id, dispatch->attempt,
                                "could not send the task: " + sent.message()));
          break;
        }
      }
    }
  }

  void RetryFailedBundles() {
    const auto now = clock_.Monotonic();
    for (auto it = bundle_retries_.begin(); it != bundle_retries_.end();) {
      if (it->second > now) {
        ++it;
        continue;
      }
      const std::string request_id = it->first;
      it = bundle_retries_.erase(it);
      StartBundle(request_id);
    }
  }

  // The bundle input of an approved access request, with its cover letter.
  Result<bundle::BundleInput> PrepareAccessAnswer(const std::string& request_id) {
    auto request = store_.GetRequest(request_id);
    if (!request.ok()) return request.status();
    auto answer = BuildAccessAnswer(store_, settings_.sources, request_id, LocalDate(clock_.Now()));
    if (!answer.ok()) return answer.status();
    auto letter = letters_.RenderAccess(*request, *answer);
    if (!letter.ok()) return letter.status();
    answer->bundle.letter_html = std::move(letter.value());
    return std::move(answer->bundle);
  }

  void StartBundle(const std::string& request_id) {
    if (!bundling_.insert(request_id).second) return;
    auto answer = PrepareAccessAnswer(request_id);
    if (!answer.ok()) {
      bundling_.erase(request_id);
      return Report(answer.status());
    }
    bundles_.Enqueue({request_id, std::move(answer.value()),
                      settings_.data_dir + "/bundles/" + request_id + ".zip"});
  }

  void DrainBundleReports() {
    while (auto frames = ReceiveFrames(bundle_reports_)) {
      const auto report = nlohmann::json::parse(frames->at(0));
      const std::string request_id = report.at("request_id").get<std::string>();
      bundling_.erase(request_id);
      if (!report.at("ok").get<bool>()) {
        // Logged by the service; a full disk or the like may pass, so try again later.
        bundle_retries_[request_id] = clock_.Monotonic() + kBundleRetryDelay;
        continue;
      }
      const auto& summary = report.at("summary");
      bundle::BundleSummary built;
      built.path = summary.at("path").get<std::string>();
      built.sha256 = summary.at("sha256").get<std::string>();
      built.bytes = summary.at("bytes").get<int64_t>();
      built.files = summary.at("files").get<int64_t>();
      built.records = summary.at("records").get<int64_t>();
      Report(CompleteRequest(store_, clock_, request_id, built));
    }
  }

  void DrainNotificationReports() {
    while (auto frames = ReceiveFrames(notification_reports_)) {
      for (const auto& frame : *frames) notifications_.OnReport(frame);
    }
  }

  void DrainCommands() {
    while (auto frames = ReceiveFrames(commands_)) {
      if (frames->size() != 2) continue;
      const nlohmann::json reply = HandleCommand(frames->at(1));
      (void)SendFrames(commands_, {frames->at(0), reply.dump()});
    }
  }

  nlohmann::json HandleCommand(const std::string& text) {
    const auto command = nlohmann::json::parse(text, nullptr, false);
    const std::string op = command.is_object() ? command.value("op", "") : "";
    if (op == "workers") return Workers();
    if (op == "stats") return Stats();
    if (draining_) {
      return ErrorReply(
          Unavailable("the coordinator is shutting down and accepts no changes; "
                      "try again once it has restarted"));
    }
    if (auto outcome = request_commands_.Handle(command)) {
      if (outcome->reply.value("ok", false)) {
        ApplyEffects(outcome->reply.at("id").get<std::string>(), outcome->effects);
      }
      return outcome->reply;
    }
    return ErrorReply(Internal("unknown engine command"));
  }

  // What follows an action: tasks to queue or forget, a bundle to seal, letters.
  void ApplyEffects(const std::string& request_id, const ActionEffects& effects) {
    tasks_.Enqueue(effects.enqueue);
    tasks_.Forget(effects.cancelled_tasks);
    if (effects.seal_bundle) StartBundle(request_id);
    if (effects.write_letter) Report(letters_.Write(request_id));
    if (effects.write_extension_letter) Report(letters_.WriteExtension(request_id));
  }

  void SettleRequest(const std::string& request_id) {
    auto effects = actions_.Settle(request_id);
    if (!effects.ok()) return Report(effects.status());
    ApplyEffects(request_id, *effects);
  }

  void FileFollowUpsForEndedHolds() {
    auto ended = store_.HoldsEndedBefore(LocalDate(clock_.Now()));
    if (!ended.ok()) return Report(ended.status());
    for (const auto& hold : *ended) {
      auto filed = actions_.FileFollowUp(hold);
      if (!filed.ok()) {
        Report(filed.status());
        continue;
      }
      LogInfo("engine", "retention of hold " + hold.id + " ended; filed erasure request " +
                            filed->request_id);
      ApplyEffects(filed->request_id, filed->effects);
    }
  }

  nlohmann::json Workers() const {
    nlohmann::json workers = nlohmann::json::array();
    const auto now = clock_.Monotonic();
    for (const auto* worker : registry_.All()) {
      workers.push_back({{"name", worker->name},
                         // The allow-list name of the key it authenticated with; null in plaintext.
                         {"key", worker->key_name.empty() ? nlohmann::json(nullptr)
                                                          : nlohmann::json(worker->key_name)},
                         {"source", worker->source},
                         {"connector", worker->connector},
                         {"version", worker->version},
                         {"capacity", worker->capacity},
                         {"tasks_in_flight", worker->tasks.size()},
                         {"draining", worker->draining},
                         {"connected_at", FormatUtc(worker->connected_at)},
                         {"last_seen_ms_ago", std::chrono::duration_cast<std::chrono::milliseconds>(
                                                  now - worker->last_seen)
                                                  .count()}});
    }
    return {{"ok", true}, {"workers", workers}};
  }

  nlohmann::json Stats() const {
    return {{"ok", true},
            {"wire_messages_dropped", broker_.dropped_messages()},
            {"wire_messages_wrong_key", wire_messages_wrong_key_},
            {"workers_refused_unknown_key", zap_ ? zap_->refused_unknown_key() : 0},
            {"workers_refused_source", workers_refused_source_},
            {"broker_security", zap_ ? "curve" : "plaintext"},
            {"stale_messages_ignored", stale_messages_},
            {"workers", registry_.All().size()},
            {"tasks_pending", tasks_.pending_count()},
            {"tasks_backing_off", tasks_.backing_off_count()},
            {"attempts_timed_out", attempts_timed_out_},
            {"draining", draining_},
            {"notification_checks", notifications_.checks()},
            {"notification_delivery_failures", notifications_.delivery_failures()}};
  }

  // Logs a non-ok status from handling a message or a timer; the engine keeps running.
  void Report(const Status& status) {
    if (status.ok()) return;
    if (status.code() == StatusCode::kConflict) {
      ++stale_messages_;
      LogDebug("engine", status.message());
      return;
    }
    LogWarn("engine", status.ToString());
  }

  const EngineSettings& settings_;
  store::Store& store_;
  const Clock& clock_;
  const deadlines::HolidayCalendar& calendar_;
  // Declared before the broker: it must outlive the CURVE socket it serves.
  std::optional<broker::ZapHandler> zap_;
  broker::BrokerSocket broker_;
  zmq::socket_t commands_;
  zmq::socket_t bundle_reports_;
  zmq::socket_t notification_reports_;
  broker::WorkerRegistry registry_;
  ResultSpool spool_;
  TaskFlow tasks_;
  BundleService bundles_;
  RequestActions actions_;
  RequestCommands request_commands_;
  LetterWriter letters_;
  Purger purger_;
  NotificationFlow notifications_;
  std::set<std::string> bundling_;
  std::map<std::string, Clock::MonotonicTime> bundle_retries_;  // failed builds, by request
  Clock::MonotonicTime next_heartbeat_{};
  Clock::MonotonicTime next_hold_check_{};
  Clock::MonotonicTime next_notification_check_{};
  Clock::MonotonicTime next_purge_check_{};
  uint64_t stale_messages_ = 0;
  uint64_t wire_messages_wrong_key_ = 0;
  uint64_t workers_refused_source_ = 0;
  uint64_t attempts_timed_out_ = 0;
  bool draining_ = false;
  Clock::MonotonicTime drain_deadline_{};
};

Engine::Engine(EngineSettings settings, store::Store& store, const Clock& clock,
               const deadlines::HolidayCalendar& calendar, const KeyedHasher& hasher,
               zmq::context_t& context)
    : settings_(std::move(settings)),
      store_(store),
      clock_(clock),
      calendar_(calendar),
      hasher_(hasher),
      context_(context) {}

Engine::~Engine() {
  Stop();
}

Result<std::string> Engine::Start() {
  std::promise<Result<std::string>> opened;
  auto opened_future = opened.get_future();
  stopping_ = false;
  drain_grace_ms_ = -1;
  drained_ = 0;
  loop_ended_ = false;
  thread_ = std::thread([this, &opened] {
    bool announced = false;
    try {
      Loop loop(settings_, store_, clock_, calendar_, hasher_, context_);
      auto endpoint = loop.Open();
      const bool ok = endpoint.ok();
      opened.set_value(std::move(endpoint));
      announced = true;
      if (ok) loop.Run(stopping_, drain_grace_ms_, drained_);
      loop_ended_ = true;
    } catch (const std::exception& error) {
      if (!announced) {
        opened.set_value(Internal(std::string("engine failed to start: ") + error.what()));
        return;
      }
      // A bug: end the process so that a supervisor restarts it from the store.
      LogError("engine", std::string("engine thread failed: ") + error.what());
      std::abort();
    }
  });
  auto endpoint = opened_future.get();
  if (!endpoint.ok()) thread_.join();
  return endpoint;
}

bool Engine::Drain(std::chrono::milliseconds grace) {
  if (!thread_.joinable()) return true;
  drain_grace_ms_ = std::max<int64_t>(0, grace.count());
  // The loop judges the grace on the engine's clock; this only waits for its verdict.
  while (drained_.load() == 0 && !loop_ended_.load()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return drained_.load() == 1;
}

void Engine::Stop() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
}

}  // namespace dsr::workflow
