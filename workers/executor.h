// Executor: runs tasks one after another on a thread of its own and sends
// every message they produce, already encoded, over an inproc PAIR socket to
// the thread that owns the network socket. Internal to the worker runtime.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>
#include <zmq.hpp>

#include "common/wire.h"
#include "connectors/connector.h"

namespace dsr::workers {

class Executor {
 public:
  // `endpoint` is the inproc address the caller has already bound a PAIR to.
  Executor(zmq::context_t& context, std::string endpoint, connectors::Connector& connector);
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

 private:
  void Run();
  Status Emit(zmq::socket_t& out, const wire::Message& message);

  zmq::context_t& context_;
  std::string endpoint_;
  connectors::Connector& connector_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<nlohmann::json> tasks_;
  bool running_ = false;  // a task is being run (guarded by mutex_)
  std::atomic<bool> stopping_{false};
  std::atomic<bool> finished_{false};  // Run() has returned
  std::thread thread_;
};

}  // namespace dsr::workers
