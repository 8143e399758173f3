// WorkerRuntime: the dsr-worker process's connection to the coordinator.
//
// The calling thread owns the DEALER socket: it announces the source (READY),
// heartbeats, watches the coordinator's heartbeats and reconnects with
// back-off when they stop or the coordinator says DISCONNECT. Tasks run on an
// executor thread that streams its messages back over an inproc PAIR socket.
// The executor sends CHUNKs only as far as the coordinator's credit reaches
// (CREDIT), and the queues in between are bounded, so memory stays flat
// however large the export.
//
// Stopping is graceful: once `stopping` turns true the worker heartbeats
// with "draining" (the coordinator sends it no new task; a TASK that crossed
// that message is answered failed/unavailable, which the coordinator
// retries elsewhere), lets the running task finish and send its RESULT for
// at most `shutdown_grace`, then says DISCONNECT. When the grace runs out,
// the task is given up (the coordinator requeues it on the DISCONNECT) and
// the connector is asked to stop at its next record.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <zmq.hpp>

#include "common/clock.h"
#include "common/status.h"
#include "connectors/connector.h"
#include "workers/outcome_journal.h"

namespace dsr::workers {

// The worker's CurveZMQ keys (Z85): its own pair and the coordinator's
// public key, which the worker checks the coordinator against.
struct WorkerCurveKeys {
  std::string secret_key;
  std::string public_key;
  std::string server_key;
};

struct WorkerSettings {
  std::string coordinator;  // "tcp://host:port"
  // None: plaintext (the config allows that only on loopback, and tests).
  std::optional<WorkerCurveKeys> curve;
  std::string source;
  std::string worker_name;
  std::chrono::milliseconds heartbeat_interval{1000};
  int heartbeat_liveness = 3;
  std::chrono::milliseconds reconnect_min{500};
  std::chrono::milliseconds reconnect_max{30000};
  std::chrono::milliseconds shutdown_grace{30000};
  // How long a task waits for CREDIT before it gives up (fails): the
  // coordinator answers every CHUNK, so a long silence means it has lost
  // track of the attempt.
  std::chrono::milliseconds credit_wait{std::chrono::minutes(5)};
  // Where erase and rectify outcomes are kept until surely delivered (see
  // outcome_journal.h); not owned. Null: not kept (tests of other things).
  OutcomeJournal* journal = nullptr;
};

struct WorkerCounters {
  uint64_t tasks_received = 0;
  uint64_t messages_dropped = 0;
  uint64_t reconnects = 0;
  uint64_t tasks_refused = 0;       // arrived while stopping
  uint64_t refusals = 0;            // the coordinator refused the worker (source not allowed)
  uint64_t handshake_failures = 0;  // CurveZMQ handshakes that failed (key not allowed …)
};

class WorkerRuntime {
 public:
  WorkerRuntime(WorkerSettings settings, connectors::Connector& connector, const Clock& clock,
                zmq::context_t& context);
  ~WorkerRuntime();
  WorkerRuntime(const WorkerRuntime&) = delete;
  WorkerRuntime& operator=(const WorkerRuntime&) = delete;

  // Serves until `stopping` turns true, drains (see above), says DISCONNECT
  // and returns.
  Status Run(const std::atomic<bool>& stopping);
  WorkerCounters counters() const { return counters_; }
  // True when Run returned with the connector still stuck in a task after
  // the grace: its thread still runs, so the process must end now
  // (std::_Exit), without destroying what that thread uses. (Destroying the
  // runtime instead waits until the connector returns.)
  bool left_task_running() const { return left_task_running_; }

 private:
  class Session;
  WorkerSettings settings_;
  connectors::Connector& connector_;
  const Clock& clock_;
  zmq::context_t& context_;
  WorkerCounters counters_;
  bool left_task_running_ = false;
  // The session whose task was still running when Run returned; declared
  // last, so it goes first, while everything it uses is still there.
  std::unique_ptr<Session> abandoned_;
};

}  // namespace dsr::workers
