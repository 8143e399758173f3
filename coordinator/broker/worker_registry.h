// WorkerRegistry: the coordinator's view of connected workers, which source
// each serves, what it is running, and when it was last heard from.
//
// Pure state, no sockets: the engine feeds it READY, traffic and clock ticks,
// and asks it which worker gets the next task of a source (round-robin among
// live workers with free capacity). Not thread-safe: owned by the engine thread.
//
// A slot is one task attempt a worker is busy with. It stays taken until the
// worker says the attempt ended (RESULT, also a stale one for an attempt the
// coordinator gave up on) or the worker goes away: a worker's executor runs
// one task after another, so one stuck on an abandoned attempt cannot take
// another. Release frees a slot at most once.
#pragma once

#include <chrono>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/clock.h"

namespace dsr::broker {

// One task attempt that occupies a slot of a worker.
struct Slot {
  std::string task_id;
  int attempt = 0;
  bool operator<(const Slot& other) const {
    return task_id != other.task_id ? task_id < other.task_id : attempt < other.attempt;
  }
  bool operator==(const Slot& other) const {
    return task_id == other.task_id && attempt == other.attempt;
  }
};

struct WorkerInfo {
  std::string routing_id;  // the ROUTER's opaque peer id
  std::string name;        // as the worker announced itself
  std::string key_name;    // its CurveZMQ key's name in broker.workers; empty in plaintext
  std::string source;
  std::string connector;
  std::string version;
  int capacity = 1;
  std::set<Slot> tasks;   // attempts this worker is busy with, current or abandoned
  bool draining = false;  // stopping: finishes what it runs, takes nothing new
  Clock::MonotonicTime last_seen{};
  Clock::WallTime connected_at{};
};

class WorkerRegistry {
 public:
  // A worker not heard from for `expiry` is considered dead.
  explicit WorkerRegistry(std::chrono::milliseconds expiry) : expiry_(expiry) {}

  // Registers the worker behind info.routing_id. If that peer was registered
  // already, the old registration is replaced and returned (its tasks must be
  // requeued).
  std::optional<WorkerInfo> Register(WorkerInfo info);
  // Records traffic from a peer. False for an unknown peer.
  bool Touch(const std::string& routing_id, Clock::MonotonicTime now);
  const WorkerInfo* Find(const std::string& routing_id) const;
  std::optional<WorkerInfo> Remove(const std::string& routing_id);
  // Removes and returns every worker silent for longer than the expiry.
  std::vector<WorkerInfo> Expire(Clock::MonotonicTime now);

  // The next worker of `source` with free capacity, round-robin (Assign moves
  // a worker to the end of the line); none if all are busy, draining or none
  // is connected.
  std::optional<std::string> PickWorker(const std::string& source) const;
  void Assign(const std::string& routing_id, const Slot& slot);
  // Frees the slot; false when the worker did not hold it (already freed,
  // never assigned, or the worker is gone).
  bool Release(const std::string& routing_id, const Slot& slot);
  // The worker stops taking tasks (it announced it is shutting down).
  void MarkDraining(const std::string& routing_id);

  std::vector<const WorkerInfo*> WorkersOf(const std::string& source) const;
  std::vector<const WorkerInfo*> All() const;

 private:
  std::chrono::milliseconds expiry_;
  std::map<std::string, WorkerInfo> workers_;  // by routing id
  // Per source, routing ids in round-robin order: the front is asked first.
  std::map<std::string, std::deque<std::string>> rotation_;
};

}  // namespace dsr::broker
