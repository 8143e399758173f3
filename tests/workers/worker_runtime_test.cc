// WorkerRuntime against a coordinator played by the test: a ROUTER socket on
// loopback. Real sockets and the system clock, so every wait is bounded polling.
#include "workers/worker_runtime.h"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <zmq.hpp>

#include "common/wire.h"
#include "common/zmq_frames.h"
#include "tests/workers/memory_connector.h"

namespace dsr::workers {
namespace {

using std::chrono::milliseconds;
using Steady = std::chrono::steady_clock;

constexpr milliseconds kPatience(5000);

struct FakeCoordinator {
  struct Received {
    std::string routing_id;
    wire::Message message;
  };

  explicit FakeCoordinator(zmq::context_t& context) : router(context, zmq::socket_type::router) {
    ApplyCommonOptions(router);
    router.set(zmq::sockopt::router_mandatory, 1);
    router.bind("tcp://127.0.0.1:*");
    endpoint = router.get(zmq::sockopt::last_endpoint);
  }

  // The next message other than HEARTBEAT (or any, with heartbeats = true),
  // within the patience.
  std::optional<Received> Next(milliseconds patience = kPatience, bool heartbeats = false) {
    const auto give_up = Steady::now() + patience;
    while (Steady::now() < give_up) {
      zmq::pollitem_t item{router.handle(), 0, ZMQ_POLLIN, 0};
      zmq::poll(&item, 1, milliseconds(20));
      while (auto frames = ReceiveFrames(router)) {
        REQUIRE(frames->size() >= 2);
        const std::string routing_id = frames->front();
        frames->erase(frames->begin());
        auto decoded = wire::Decode(*frames, wire::Sender::kWorker);
        REQUIRE(decoded.ok());
        if (decoded->command == wire::Command::kHeartbeat && !heartbeats) continue;
        return Received{routing_id, std::move(decoded.value())};
      }
    }
    return std::nullopt;
  }

  void Send(const std::string& routing_id, const wire::Message& message) {
    auto frames = wire::Encode(message);
    REQUIRE(frames.ok());
    frames->insert(frames->begin(), routing_id);
    REQUIRE(SendFrames(router, *frames).ok());
  }

  zmq::socket_t router;
  std::string endpoint;
};

WorkerSettings FastSettings(const std::string& endpoint, int liveness = 100) {
  WorkerSettings settings;
  settings.coordinator = endpoint;
  settings.source = "crm";
  settings.worker_name = "crm-test";
  settings.heartbeat_interval = milliseconds(50);
  settings.heartbeat_liveness = liveness;
  settings.reconnect_min = milliseconds(10);
  settings.reconnect_max = milliseconds(100);
  return settings;
}

// Runs a WorkerRuntime on a thread of its own; stops it when destroyed.
class RunningWorker {
 public:
  RunningWorker(WorkerSettings settings, connectors::Connector& connector, zmq::context_t& context,
                std::unique_ptr<Clock> clock = NewSystemClock())
      : clock_(std::move(clock)), runtime_(std::move(settings), connector, *clock_, context) {
    thread_ = std::thread([this] {
      status_ = runtime_.Run(stopping_);
      returned_ = true;
    });
  }
  ~RunningWorker() {
    Stop();
    if (thread_.joinable()) thread_.join();  // a hang here is a failed test (ctest time-out)
  }

  // Sets the stop flag without waiting.
  void RequestStop() { stopping_ = true; }
  bool returned() const { return returned_; }
  bool left_task_running() const { return runtime_.left_task_running(); }  // only after Stop()

  // Asks Run() to return and waits for it (bounded); true when it did.
  bool Stop() {
    stopping_ = true;
    const auto give_up = Steady::now() + kPatience;
    while (!returned_ && Steady::now() < give_up) std::this_thread::sleep_for(milliseconds(5));
    if (thread_.joinable() && returned_) thread_.join();
    return returned_;
  }
  const Status& status() const { return status_; }
  WorkerCounters counters() const { return runtime_.counters(); }  // only after Stop()

 private:
  std::unique_ptr<Clock> clock_;
  WorkerRuntime runtime_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> returned_{false};
  Status status_;
  std::thread thread_;
};

// A connector whose export waits until the test opens its gate: a task that
// runs as long as the test wants.
class GatedConnector final : public connectors::Connector {
 public:
  void Open() {
    std::lock_guard<std::mutex> lock(mutex_);
    open_ = true;
    changed_.notify_all();
  }
  // Waits (bounded) until an export has returned.
  bool WaitUntilReturned() {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_for(lock, kPatience, [this] { return returned_; });
  }

  std::string_view kind() const override { return "memory"; }
  Result<connectors::LocateReport> Locate(const connectors::Subject&) override {
    return connectors::LocateReport{};
  }
  Status Export(const connectors::Subject&, connectors::RecordSink& sink) override {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      changed_.wait(lock, [this] { return open_; });
    }
    connectors::FoundRecord found;
    found.collection = "orders";
    found.key = "1";
    found.record = {{"id", 1}};
    Status added = sink.Add(found);
    std::lock_guard<std::mutex> lock(mutex_);
    returned_ = true;
    changed_.notify_all();
    return added;
  }
  Result<std::vector<connectors::CollectionOutcome>> Erase(const connectors::Subject&,
                                                           const connectors::ActionScope&,
                                                           connectors::RecordSink&) override {
    return NotImplemented("not in this test");
  }
  Result<std::vector<connectors::CollectionOutcome>> Rectify(const connectors::Subject&,
                                                             const nlohmann::json&,
                                                             const connectors::ActionScope&,
                                                             connectors::RecordSink&) override {
    return NotImplemented("not in this test");
  }
  Result<std::vector<connectors::PersonalDataPlace>> Discover() override {
    return std::vector<connectors::PersonalDataPlace>{};
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool open_ = false;
  bool returned_ = false;
};

// Waits for a HEARTBEAT that says the worker is draining.
bool SawDrainingHeartbeat(FakeCoordinator& coordinator) {
  const auto give_up = Steady::now() + kPatience;
  while (Steady::now() < give_up) {
    auto next = coordinator.Next(milliseconds(100), true);
    if (next && next->message.command == wire::Command::kHeartbeat &&
        next->message.header.value("draining", false)) {
      return true;
    }
  }
  return false;
}

// Records of about 200 KB: each fills a CHUNK of its own (256 KiB budget).
std::vector<testing::MemoryConnector::Record> LargeRecords(int count) {
  std::vector<testing::MemoryConnector::Record> records;
  for (int i = 0; i < count; ++i) {
    records.push_back({"notes", {{"id", i}, {"text", std::string(200 * 1000, 'n')}}});
  }
  return records;
}

nlohmann::json TaskWithCredit(int attempt, int credit) {
  nlohmann::json task = testing::SampleTask(attempt);
  task["credit"] = credit;
  return task;
}

wire::Message CreditFor(const nlohmann::json& task, int credit) {
  return wire::Credit(task.at("task_id").get<std::string>(), task.at("attempt").get<int>(), credit);
}

// Nothing but HEARTBEATs for a while: a negative check, so it can only
// pass wrongly, never fail wrongly.
constexpr milliseconds kQuietSpell(300);

void CheckReady(const FakeCoordinator::Received& received) {
  CHECK(received.message.command == wire::Command::kReady);
  CHECK(received.message.header.at("source") == "crm");
  CHECK(received.message.header.at("connector") == "memory");
  CHECK(received.message.header.at("worker") == "crm-test");
}

}  // namespace

TEST_SUITE("WorkerRuntime") {
  TEST_CASE("announces its source with READY") {
    zmq::context_t context;
    FakeCoordinator coordinator(context);
    testing::MemoryConnector connector;
    RunningWorker worker(FastSettings(coordinator.endpoint), connector, context);
    auto ready = coordinator.Next();
    REQUIRE(ready.has_value());
    CheckReady(*ready);
    REQUIRE(worker.Stop());
    CHECK(worker.status().ok());
  }

  TEST_CASE("runs a TASK and answers with PROGRESS, CHUNKs and RESULT") {
    zmq::context_t context;
    FakeCoordinator coordinator(context);
    testing::MemoryConnector connector(testing::SampleRecords());
    RunningWorker worker(FastSettings(coordinator.endpoint), connector, context);
    auto ready = coordinator.Next();
    REQUIRE(ready.has_value());
    coordinator.Send(ready->routing_id, {wire::Command::kTask, testing::SampleTask(3), {}});

    auto progress = coordinator.Next();
    REQUIRE(progress.has_value());
    CHECK(progress->routing_id == ready->routing_id);
    CHECK(progress->message.command == wire::Command::kProgress);
    CHECK(progress->message.header.at("attempt") == 3);
    int64_t chunks = 0;
    int64_t records = 0;
    std::optional<FakeCoordinator::Received> next;
    while ((next = coordinator.Next()) && next->message.command == wire::Command::kChunk) {
      CHECK(next->message.header.at("seq") == chunks);
      records += next->message.header.at("records").get<int64_t>();
      ++chunks;
    }
    REQUIRE(next.has_value());
    REQUIRE(next->message.command == wire::Command::kResult);
    const auto& result = next->message.header;
    CHECK(result.at("status") == "succeeded");
    CHECK(result.at("attempt") == 3);
    CHECK(result.at("chunks") == chunks);
    CHECK(records == 5);
    CHECK(chunks >= 1);
    REQUIRE(worker.Stop());
    CHECK(worker.counters().tasks_received == 1);
  }

  TEST_CASE("sends no more CHUNKs than its credit and resumes on CREDIT") {
    zmq::context_t context;
    FakeCoordinator coordinator(context);
    testing::MemoryConnector connector(LargeRecords(5));
    RunningWorker worker(FastSettings(coordinator.endpoint), connector, context);
    auto ready = coordinator.Next();
    REQUIRE(ready.has_value());
    const nlohmann::json task = TaskWithCredit(2, 2);
    coordinator.Send(ready->routing_id, {wire::Command::kTask, task, {}});
    auto progress = coordinator.Next();
    REQUIRE(progress.has_value());
    CHECK(progress->message.command == wire::Command::kProgress);
    for (int seq = 0; seq < 2; ++seq) {
      auto chunk = coordinator.Next();
      REQUIRE(chunk.has_value());
      REQUIRE(chunk->message.command == wire::Command::kChunk);
      CHECK(chunk->message.header.at("seq") == seq);
    }
    // The credit is used up: the worker waits.
    CHECK_FALSE(coordinator.Next(kQuietSpell).has_value());
    // A CREDIT of an earlier attempt, or of another task, changes nothing.
    coordinator.Send(ready->routing_id, CreditFor(TaskWithCredit(1, 1), 5));
    nlohmann::json other = task;
    other["task_id"] = "11111111-2222-4333-8444-555555555555";
    coordinator.Send(ready->routing_id, CreditFor(other, 5));
    CHECK_FALSE(coordinator.Next(kQuietSpell).has_value());
    // One credit, one chunk.
    coordinator.Send(ready->routing_id, CreditFor(task, 1));
    auto third = coordinator.Next();
    REQUIRE(third.has_value());
    REQUIRE(third->message.command == wire::Command::kChunk);
    CHECK(third->message.header.at("seq") == 2);
    CHECK_FALSE(coordinator.Next(kQuietSpell).has_value());
    // Enough for the rest: the last chunks, then the RESULT, which needs no credit.
    coordinator.Send(ready->routing_id, CreditFor(task, 2));
    for (int seq = 3; seq < 5; ++seq) {
      auto chunk = coordinator.Next();
      REQUIRE(chunk.has_value());
      REQUIRE(chunk->message.command == wire::Command::kChunk);
      CHECK(chunk->message.header.at("seq") == seq);
    }
    auto result = coordinator.Next();
    REQUIRE(result.has_value());
    REQUIRE(result->message.command == wire::Command::kResult);
    CHECK(result->message.header.at("status") == "succeeded");
    CHECK(result->message.header.at("chunks") == 5);
    REQUIRE(worker.Stop());
  }

  TEST_CASE("a task waiting for credit gives up when the connection is dropped") {
    zmq::context_t context;
    FakeCoordinator coordinator(context);
    testing::MemoryConnector connector(LargeRecords(3));
    RunningWorker worker(FastSettings(coordinator.endpoint), connector, context);
    auto ready = coordinator.Next();
    REQUIRE(ready.has_value());
    coordinator.Send(ready->routing_id, {wire::Command::kTask, TaskWithCredit(1, 1), {}});
    auto progress = coordinator.Next();
    REQUIRE(progress.has_value());
    auto chunk = coordinator.Next();
    REQUIRE(chunk.has_value());
    REQUIRE(chunk->message.command == wire::Command::kChunk);
    // The coordinator forgets the worker (as after its restart): the attempt is gone.
    coordinator.Send(ready->routing_id, wire::Disconnect("unknown worker: send READY first"));
    auto again = coordinator.Next();
    REQUIRE(again.has_value());
    CheckReady(*again);
    // The executor is free for the next attempt, and the lost one sends nothing more.
    const nlohmann::json retry = TaskWithCredit(2, 8);
    coordinator.Send(again->routing_id, {wire::Command::kTask, retry, {}});
    std::vector<wire::Message> answered;
    std::optional<FakeCoordinator::Received> next;
    while ((next = coordinator.Next()) && next->message.command != wire::Command::kResult) {
      answered.push_back(next->message);
    }
    REQUIRE(next.has_value());
    CHECK(next->message.header.at("attempt") == 2);
    CHECK(next->message.header.at("status") == "succeeded");
    for (const auto& message : answered) CHECK(message.header.at("attempt") == 2);
    CHECK(answered.size() == 4);  // PROGRESS and three CHUNKs
    REQUIRE(worker.Stop());
  }

  TEST_CASE("a task that gets no credit for credit_wait fails instead of hanging") {
    zmq::context_t context;
    FakeCoordinator coordinator(context);
    testing::MemoryConnector connector(LargeRecords(3));
    auto clock = std::make_unique<ManualClock>(Clock::WallTime{});
    ManualClock& time = *clock;
    // Liveness far beyond the clock's steps: only the credit wait may end anything.
    WorkerSettings settings = FastSettings(coordinator.endpoint, 1000 * 1000);
    settings.credit_wait = std::chrono::minutes(5);
    RunningWorker worker(settings, connector, context, std::move(clock));
    auto ready = coordinator.Next();
    REQUIRE(ready.has_value());
    coordinator.Send(ready->routing_id, {wire::Command::kTask, TaskWithCredit(1, 1), {}});
    auto progress = coordinator.Next();
    REQUIRE(progress.has_value());
    auto chunk = coordinator.Next();
    REQUIRE(chunk.has_value());
    REQUIRE(chunk->message.command == wire::Command::kChunk);
    time.Advance(std::chrono::minutes(4));
    CHECK_FALSE(coordinator.Next(kQuietSpell).has_value());
    time.Advance(std::chrono::minutes(1));
    auto result = coordinator.Next();
    REQUIRE(result.has_value());
    REQUIRE(result->message.command == wire::Command::kResult);
    CHECK(result->message.header.at("status") == "failed");
    CHECK(result->message.header.at("error").at("code") == "unavailable");
    CHECK(result->message.header.at("chunks") == 1);
    REQUIRE(worker.Stop());
  }

  TEST_CASE("after DISCONNECT the worker reconnects and announces itself again") {
    zmq::context_t context;
    FakeCoordinator coordinator(context);
    testing::MemoryConnector connector;
    RunningWorker worker(FastSettings(coordinator.endpoint), connector, context);
    auto ready = coordinator.Next();
    REQUIRE(ready.has_value());
    coordinator.Send(ready->routing_id, wire::Disconnect("coordinator is restarting"));
    auto again = coordinator.Next();
    REQUIRE(again.has_value());
    CheckReady(*again);
    CHECK(again->routing_id != ready->routing_id);  // a new connection
    REQUIRE(worker.Stop());
    CHECK(worker.counters().reconnects == 1);
  }

  TEST_CASE("when the coordinator falls silent the worker reconnects") {
    zmq::context_t context;
    FakeCoordinator coordinator(context);
    testing::MemoryConnector connector;
    RunningWorker worker(FastSettings(coordinator.endpoint, 3), connector, context);
    auto ready = coordinator.Next();
    REQUIRE(ready.has_value());
    // No heartbeat from us: after 3 × 50 ms the worker gives up on the connection.
    auto again = coordinator.Next();
    REQUIRE(again.has_value());
    CheckReady(*again);
    REQUIRE(worker.Stop());
    CHECK(worker.counters().reconnects >= 1);
  }

  TEST_CASE("malformed messages from the coordinator are dropped and counted") {
    zmq::context_t context;
    FakeCoordinator coordinator(context);
    testing::MemoryConnector connector;
    RunningWorker worker(FastSettings(coordinator.endpoint), connector, context);
    auto ready = coordinator.Next();
    REQUIRE(ready.has_value());
    REQUIRE(SendFrames(coordinator.router, {ready->routing_id, "DSRW/1", "TASK", "{}"}).ok());
    REQUIRE(SendFrames(coordinator.router, {ready->routing_id, "DSRW/1", "RESULT", "{}"}).ok());
    // A valid TASK after the garbage still runs.
    coordinator.Send(ready->routing_id, {wire::Command::kTask, testing::SampleTask(), {}});
    auto progress = coordinator.Next();
    REQUIRE(progress.has_value());
    CHECK(progress->message.command == wire::Command::kProgress);
    REQUIRE(worker.Stop());
    CHECK(worker.counters().messages_dropped == 2);
    CHECK(worker.counters().tasks_received == 1);
  }

  TEST_CASE("setting the stop flag makes Run return and says DISCONNECT") {
    zmq::context_t context;
    FakeCoordinator coordinator(context);
    testing::MemoryConnector connector;
    RunningWorker worker(FastSettings(coordinator.endpoint), connector, context);
    auto ready = coordinator.Next();
    REQUIRE(ready.has_value());
    REQUIRE(worker.Stop());
    CHECK(worker.status().ok());
    auto goodbye = coordinator.Next();
    REQUIRE(goodbye.has_value());
    CHECK(goodbye->routing_id == ready->routing_id);
    CHECK(goodbye->message.command == wire::Command::kDisconnect);
    CHECK(goodbye->message.header.at("reason").get<std::string>().find("crm-test") !=
          std::string::npos);
  }

  TEST_CASE("on stop a worker takes no new task, finishes the running one, then says DISCONNECT") {
    zmq::context_t context;
    FakeCoordinator coordinator(context);
    GatedConnector connector;
    WorkerSettings settings = FastSettings(coordinator.endpoint);
    settings.shutdown_grace = std::chrono::seconds(60);
    RunningWorker worker(settings, connector, context);
    auto ready = coordinator.Next();
    REQUIRE(ready.has_value());
    coordinator.Send(ready->routing_id, {wire::Command::kTask, testing::SampleTask(1), {}});
    auto progress = coordinator.Next();
    REQUIRE(progress.has_value());
    REQUIRE(progress->message.command == wire::Command::kProgress);

    worker.RequestStop();
    REQUIRE(SawDrainingHeartbeat(coordinator));
    // A TASK that crossed the news is refused, for the coordinator to retry elsewhere.
    nlohmann::json late = testing::SampleTask(1);
    late["task_id"] = "5b1e8c1e-3a6f-4d43-9f0e-2c7c1b0a9d11";
    coordinator.Send(ready->routing_id, {wire::Command::kTask, late, {}});
    auto refused = coordinator.Next();
    REQUIRE(refused.has_value());
    REQUIRE(refused->message.command == wire::Command::kResult);
    CHECK(refused->message.header.at("task_id") == late.at("task_id"));
    CHECK(refused->message.header.at("status") == "failed");
    CHECK(refused->message.header.at("error").at("code") == "unavailable");
    CHECK_FALSE(worker.returned());  // still waiting for the running task

    connector.Open();
    std::optional<FakeCoordinator::Received> next;
    while ((next = coordinator.Next()) && next->message.command == wire::Command::kChunk) {
    }
    REQUIRE(next.has_value());
    REQUIRE(next->message.command == wire::Command::kResult);
    CHECK(next->message.header.at("task_id") == testing::SampleTask(1).at("task_id"));
    CHECK(next->message.header.at("status") == "succeeded");
    auto goodbye = coordinator.Next();
    REQUIRE(goodbye.has_value());
    CHECK(goodbye->message.command == wire::Command::kDisconnect);
    REQUIRE(worker.Stop());
    CHECK_FALSE(worker.left_task_running());
    CHECK(worker.counters().tasks_refused == 1);
  }

  TEST_CASE("when the grace runs out the worker gives up the task, says DISCONNECT and returns") {
    zmq::context_t context;
    FakeCoordinator coordinator(context);
    GatedConnector connector;
    WorkerSettings settings = FastSettings(coordinator.endpoint);
    settings.shutdown_grace = milliseconds(200);
    RunningWorker worker(settings, connector, context);
    auto ready = coordinator.Next();
    REQUIRE(ready.has_value());
    coordinator.Send(ready->routing_id, {wire::Command::kTask, testing::SampleTask(1), {}});
    auto progress = coordinator.Next();
    REQUIRE(progress.has_value());

    const auto asked = Steady::now();
    worker.RequestStop();
    auto goodbye = coordinator.Next();  // heartbeats skipped; no RESULT comes first
    REQUIRE(goodbye.has_value());
    CHECK(goodbye->message.command == wire::Command::kDisconnect);
    CHECK(Steady::now() - asked >= milliseconds(200));
    // The connector is stuck in its call: Run returns after a bounded wait
    // and says so, for the process to exit.
    REQUIRE(worker.Stop());
    CHECK(worker.left_task_running());
    // Let the stuck export end so that the test's context can close.
    connector.Open();
    REQUIRE(connector.WaitUntilReturned());
  }
}

}  // namespace dsr::workers
