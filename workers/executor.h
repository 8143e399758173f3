// Executor: runs tasks one after another on a thread of its own and sends
// every message they produce, already encoded, over an inproc PAIR socket to
// the thread that owns the network socket. Internal to the worker runtime.
//
// Flow control (schemas/README.md, CREDIT): a task may send as many CHUNKs as
// the coordinator has granted for its attempt — `credit` in the TASK, plus
// every CREDIT since. Without credit the task waits, and gives up when the
// worker stops, when the attempt is lost (the connection was dropped, so the
// coordinator has handed the task out again), or when no credit came for
// `credit_wait` after it last sent a chunk or got credit.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>
#include <zmq.hpp>

#include "common/clock.h"
#include "common/wire.h"
#include "connectors/connector.h"
#include "workers/outcome_journal.h"

namespace dsr::workers {

class Executor {
 public:
  // `endpoint` is the inproc address the caller has already bound a PAIR to.
  Executor(zmq::context_t& context, std::string endpoint, connectors::Connector& connector,
           const Clock& clock, std::chrono::milliseconds credit_wait,
           OutcomeJournal* journal = nullptr);
  ~Executor();

  void Start();
  // Asks the running task to stop at its next record and ends the thread.
  void Stop();
  // The same, waiting at most `wait` for a connector that does not come back
  // (stuck in a call to its source). False then: the thread still runs and
  // this executor must not be destroyed; the process is about to exit.
  bool Stop(std::chrono::milliseconds wait);
  void Submit(nlohmann::json task);
  // Takes back the tasks not yet started (the worker is shutting down).
  std::vector<nlohmann::json> Withdraw();
  // No task running or waiting. Everything a finished task emitted has been
  // handed to the PAIR socket by then.
  bool Idle();
  // Adds `credit` chunks to the running attempt; ignored for any other
  // (a stale CREDIT of an earlier attempt).
  void Grant(const std::string& task_id, int attempt, int credit);
  // The connection was dropped: the coordinator no longer waits for the
  // running attempt or the queued tasks. The running one ends at its next
  // message, sending nothing more; the queued ones are dropped.
  void LoseAttempts();

 private:
  // The attempt being run and its flow-control state; guarded by mutex_.
  struct Running {
    std::string task_id;
    int attempt = 0;
    int64_t credit = 0;
    bool lost = false;
    // When the attempt last moved: started, sent a chunk or got credit. The
    // credit wait counts from here, so it does not matter when the task
    // notices that it has to wait.
    Clock::MonotonicTime last_moved{};
  };

  void Run();
  Status Emit(zmq::socket_t& out, const wire::Message& message);
  // Takes one credit for a CHUNK, waiting for it when there is none.
  Status TakeCredit();

  zmq::context_t& context_;
  std::string endpoint_;
  connectors::Connector& connector_;
  const Clock& clock_;
  const std::chrono::milliseconds credit_wait_;
  OutcomeJournal* const journal_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<nlohmann::json> tasks_;
  Running running_;  // task_id empty: no task is being run
  std::atomic<bool> stopping_{false};
  std::atomic<bool> finished_{false};  // Run() has returned
  std::thread thread_;
};

}  // namespace dsr::workers
