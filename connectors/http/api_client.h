// ApiClient: JSON requests to one REST API origin over HTTP(S) (Poco), with
// basic auth, time-outs and bounded retries.
//
// A request is retried up to `max_retries` times after a 429 (waiting the
// Retry-After seconds it names, at most `max_retry_after_s`), a 5xx, a
// time-out or a lost connection (waiting `retry_backoff_ms`, doubled each
// time); then it fails kUnavailable with the server's scrubbed message. Other
// answers map to codes: 404 kNotFound, 409/422 kConflict (the server refused
// the change), 401/403 kUnavailable (fix the credentials and retry), any other
// 4xx kInternal. Messages name the operation ("search users"), never the
// target, whose query and ids may identify someone. Poco exceptions are
// caught here. Not thread-safe: one instance per connector.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "connectors/http/http_config.h"

namespace dsr::connectors::http {

class ApiClient {
 public:
  // Waits between retries; tests may pass one that records instead.
  using Sleeper = std::function<void(std::chrono::milliseconds)>;

  ApiClient(HttpConfig config, Sleeper sleeper);
  ~ApiClient();
  ApiClient(const ApiClient&) = delete;
  ApiClient& operator=(const ApiClient&) = delete;

  // `target` is a path with query ("/api/v2/users/1.json"). Returns the JSON
  // body of a 2xx answer (null for an empty one).
  Result<nlohmann::json> Get(const std::string& operation, const std::string& target);
  Result<nlohmann::json> Put(const std::string& operation, const std::string& target,
                             const nlohmann::json& body);
  // Retried like the others: a caller creating something must expect that a
  // retry after a lost answer finds it created (a 409/422, kConflict).
  Result<nlohmann::json> Post(const std::string& operation, const std::string& target,
                              const nlohmann::json& body);
  Result<nlohmann::json> Delete(const std::string& operation, const std::string& target);

  // The target of `url` (a page link from an answer) when it points at this
  // client's origin; credentials are never sent anywhere else.
  Result<std::string> TargetOf(const std::string& operation, const std::string& url) const;

  // Values to scrub from server messages besides e-mail addresses and long
  // numbers: the current subject's identities. Replaced per action.
  void set_known_values(std::vector<std::string> values) { known_values_ = std::move(values); }

 private:
  struct Answer;
  Result<nlohmann::json> Request(const std::string& method, const std::string& operation,
                                 const std::string& target, const std::string& body);
  Result<Answer> Exchange(const std::string& method, const std::string& target,
                          const std::string& body);
  Result<std::optional<std::chrono::milliseconds>> RetryWait(const std::string& operation,
                                                             const Result<Answer>& answer,
                                                             int attempt) const;
  Result<nlohmann::json> Interpret(const std::string& operation, const Answer& answer) const;
  std::chrono::milliseconds Backoff(int retry) const;

  struct Session;
  const HttpConfig config_;
  Sleeper sleeper_;
  std::string authorization_;
  std::unique_ptr<Session> session_;
  std::vector<std::string> known_values_;
};

}  // namespace dsr::connectors::http
