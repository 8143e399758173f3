// FaultInjector: makes dsr-zendesk-standin misbehave on purpose, so that
// tests see what a client does when the real service does: answer 429 with
// Retry-After (rate limits), fail with an HTTP status and a message, stall
// before answering, or answer a delete as done without doing it (so that a
// client's check that data is gone can be seen to work). It also counts the
// API requests, per route, so that a test can tell how often a client asked.
// Thread-safe.
#pragma once

#include <condition_variable>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

namespace dsr::zendesk_standin {

struct FaultSettings {
  int rate_limited = 0;   // the next N requests get 429
  int retry_after_s = 1;  // their Retry-After
  int fail_status = 500;  // status of failed requests
  int fail_count = 0;     // the next N requests (after the rate-limited ones) fail
  std::string fail_message = "Injected failure (stand-in)";
  int delay_ms = 0;        // stall this long before answering
  int delay_count = 0;     // ... the next N requests
  int ignore_deletes = 0;  // the next N DELETE requests answer 204 and change nothing
};

// What to do with one request.
struct FaultDecision {
  int delay_ms = 0;
  int status = 0;  // 0: answer normally
  int retry_after_s = 0;
  std::string message;
  bool ignore = false;  // answer 204 without doing anything
};

class FaultInjector {
 public:
  explicit FaultInjector(FaultSettings settings) : settings_(std::move(settings)) {}

  // Replaces the settings named in `changes` ({"rate_limited": 2, ...}, the
  // field names of FaultSettings); false with `problem` set for a bad value.
  bool Apply(const nlohmann::json& changes, std::string* problem);
  // Counts one API request of `route` (`deletes`: a DELETE) and decides its fault.
  FaultDecision Next(const std::string& route, bool deletes);
  // Waits `ms` unless Shutdown() comes first.
  void Stall(int ms);
  void Shutdown();
  // {"requests", "rate_limited", "failed", "delayed", "ignored", "routes": {route: n}}
  nlohmann::json Stats() const;

 private:
  mutable std::mutex mutex_;
  std::condition_variable stop_;
  bool stopping_ = false;
  FaultSettings settings_;
  long long requests_ = 0, rate_limited_ = 0, failed_ = 0, delayed_ = 0, ignored_ = 0;
  std::map<std::string, long long> routes_;
};

}  // namespace dsr::zendesk_standin
