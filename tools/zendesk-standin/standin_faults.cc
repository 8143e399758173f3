#include "tools/zendesk-standin/standin_faults.h"

#include <chrono>

namespace dsr::zendesk_standin {
namespace {

bool ReadCount(const nlohmann::json& changes, const char* name, int low, int high, int* target,
               std::string* problem) {
  if (!changes.contains(name)) return true;
  const auto& value = changes.at(name);
  if (!value.is_number_integer() || value.get<long long>() < low || value.get<long long>() > high) {
    *problem = std::string(name) + ": an integer from " + std::to_string(low) + " to " +
               std::to_string(high) + " is expected";
    return false;
  }
  *target = value.get<int>();
  return true;
}

}  // namespace

bool FaultInjector::Apply(const nlohmann::json& changes, std::string* problem) {
  if (!changes.is_object()) {
    *problem = "a JSON object of settings is expected";
    return false;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  FaultSettings next = settings_;
  const bool valid =
      ReadCount(changes, "rate_limited", 0, 1000000, &next.rate_limited, problem) &&
      ReadCount(changes, "retry_after_s", 0, 86400, &next.retry_after_s, problem) &&
      ReadCount(changes, "fail_status", 400, 599, &next.fail_status, problem) &&
      ReadCount(changes, "fail_count", 0, 1000000, &next.fail_count, problem) &&
      ReadCount(changes, "delay_ms", 0, 600000, &next.delay_ms, problem) &&
      ReadCount(changes, "delay_count", 0, 1000000, &next.delay_count, problem) &&
      ReadCount(changes, "ignore_deletes", 0, 1000000, &next.ignore_deletes, problem);
  if (!valid) return false;
  if (changes.contains("fail_message")) {
    if (!changes.at("fail_message").is_string()) {
      *problem = "fail_message: text is expected";
      return false;
    }
    next.fail_message = changes.at("fail_message").get<std::string>();
  }
  settings_ = next;
  return true;
}

FaultDecision FaultInjector::Next(const std::string& route, bool deletes) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++requests_;
  ++routes_[route];
  FaultDecision decision;
  if (settings_.delay_count > 0) {
    --settings_.delay_count;
    ++delayed_;
    decision.delay_ms = settings_.delay_ms;
  }
  if (settings_.rate_limited > 0) {
    --settings_.rate_limited;
    ++rate_limited_;
    decision.status = 429;
    decision.retry_after_s = settings_.retry_after_s;
  } else if (settings_.fail_count > 0) {
    --settings_.fail_count;
    ++failed_;
    decision.status = settings_.fail_status;
    decision.message = settings_.fail_message;
  } else if (deletes && settings_.ignore_deletes > 0) {
    --settings_.ignore_deletes;
    ++ignored_;
    decision.ignore = true;
  }
  return decision;
}

void FaultInjector::Stall(int ms) {
  std::unique_lock<std::mutex> lock(mutex_);
  stop_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return stopping_; });
}

void FaultInjector::Shutdown() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  stop_.notify_all();
}

nlohmann::json FaultInjector::Stats() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return {{"requests", requests_}, {"rate_limited", rate_limited_}, {"failed", failed_},
          {"delayed", delayed_},   {"ignored", ignored_},           {"routes", routes_}};
}

}  // namespace dsr::zendesk_standin
