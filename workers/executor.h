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
  void Submit(nlohmann::json task);

 private:
  void Run();
  Status Emit(zmq::socket_t& out, const wire::Message& message);

  zmq::context_t& context_;
  std::string endpoint_;
  connectors::Connector& connector_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<nlohmann::json> tasks_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace dsr::workers
