#include "coordinator/broker/worker_registry.h"

#include <algorithm>

namespace dsr::broker {

std::optional<WorkerInfo> WorkerRegistry::Register(WorkerInfo info) {
  std::optional<WorkerInfo> replaced = Remove(info.routing_id);
  rotation_[info.source].push_back(info.routing_id);
  const std::string id = info.routing_id;
  workers_.emplace(id, std::move(info));
  return replaced;
}

bool WorkerRegistry::Touch(const std::string& routing_id, Clock::MonotonicTime now) {
  auto found = workers_.find(routing_id);
  if (found == workers_.end()) return false;
  found->second.last_seen = now;
  return true;
}

const WorkerInfo* WorkerRegistry::Find(const std::string& routing_id) const {
  auto found = workers_.find(routing_id);
  return found == workers_.end() ? nullptr : &found->second;
}

std::optional<WorkerInfo> WorkerRegistry::Remove(const std::string& routing_id) {
  auto found = workers_.find(routing_id);
  if (found == workers_.end()) return std::nullopt;
  WorkerInfo removed = std::move(found->second);
  workers_.erase(found);
  auto& order = rotation_[removed.source];
  order.erase(std::remove(order.begin(), order.end(), routing_id), order.end());
  if (order.empty()) rotation_.erase(removed.source);
  return removed;
}

std::vector<WorkerInfo> WorkerRegistry::Expire(Clock::MonotonicTime now) {
  std::vector<std::string> silent;
  for (const auto& [id, worker] : workers_) {
    if (now - worker.last_seen > expiry_) silent.push_back(id);
  }
  std::vector<WorkerInfo> expired;
  for (const auto& id : silent) expired.push_back(*Remove(id));
  return expired;
}

std::optional<std::string> WorkerRegistry::PickWorker(const std::string& source) const {
  auto found = rotation_.find(source);
  if (found == rotation_.end()) return std::nullopt;
  for (const auto& id : found->second) {
    const WorkerInfo& worker = workers_.at(id);
    if (!worker.draining && static_cast<int>(worker.tasks.size()) < worker.capacity) return id;
  }
  return std::nullopt;
}

void WorkerRegistry::Assign(const std::string& routing_id, const Slot& slot) {
  auto found = workers_.find(routing_id);
  if (found == workers_.end()) return;
  found->second.tasks.insert(slot);
  // The worker that just got a task is asked last next time. Rotating here,
  // not when picking, keeps a pick that finds no task from skipping a worker.
  auto& order = rotation_[found->second.source];
  order.erase(std::remove(order.begin(), order.end(), routing_id), order.end());
  order.push_back(routing_id);
}

bool WorkerRegistry::Release(const std::string& routing_id, const Slot& slot) {
  auto found = workers_.find(routing_id);
  if (found == workers_.end()) return false;
  return found->second.tasks.erase(slot) == 1;
}

void WorkerRegistry::MarkDraining(const std::string& routing_id) {
  auto found = workers_.find(routing_id);
  if (found != workers_.end()) found->second.draining = true;
}

std::vector<const WorkerInfo*> WorkerRegistry::WorkersOf(const std::string& source) const {
  std::vector<const WorkerInfo*> result;
  for (const auto& [id, worker] : workers_) {
    if (worker.source == source) result.push_back(&worker);
  }
  return result;
}

std::vector<const WorkerInfo*> WorkerRegistry::All() const {
  std::vector<const WorkerInfo*> result;
  for (const auto& [id, worker] : workers_) result.push_back(&worker);
  return result;
}

}  // namespace dsr::broker
