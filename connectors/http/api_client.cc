#include "connectors/http/api_client.h"

#include <Poco/Base64Encoder.h>
#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLManager.h>

#include <algorithm>
#include <mutex>
#include <optional>
#include <sstream>

#include "common/log.h"
#include "common/version.h"
#include "connectors/http/server_message.h"

namespace dsr::connectors::http {
namespace {

constexpr char kLogComponent[] = "http-connector";
// Ticketing APIs answer in pages of at most a few hundred kilobytes; anything
// far larger is not an answer we asked for.
constexpr size_t kMaxAnswerBytes = 64 * 1024 * 1024;
constexpr std::chrono::milliseconds kMaxBackoff{60000};

std::string BasicAuthorization(const std::string& email, const std::string& token) {
  std::ostringstream encoded;
  Poco::Base64Encoder encoder(encoded);
  encoder.rdbuf()->setLineLength(0);
  encoder << email << "/token:" << token;
  encoder.close();
  return "Basic " + encoded.str();
}

void InitializeTlsOnce() {
  static std::once_flag once;
  std::call_once(once, [] { Poco::Net::initializeSSL(); });
}

// The system CA store, plus ca_file; host names are checked too (Poco's
// extended verification).
Poco::Net::Context::Ptr NewTlsContext(const HttpConfig& config) {
  InitializeTlsOnce();
  Poco::Net::Context::Params params;
  params.verificationMode =
      config.tls_verify ? Poco::Net::Context::VERIFY_RELAXED : Poco::Net::Context::VERIFY_NONE;
  params.loadDefaultCAs = config.tls_verify;
  params.caLocation = config.ca_file.value_or("");
  Poco::Net::Context::Ptr context =
      new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
  context->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
  context->enableExtendedCertificateVerification(config.tls_verify);
  return context;
}

std::string Attempts(int count) {
  return std::to_string(count) + (count == 1 ? " attempt" : " attempts");
}

}  // namespace

struct ApiClient::Answer {
  int status = 0;
  std::string reason;
  std::string body;
  std::string retry_after;
};

struct ApiClient::Session {
  std::unique_ptr<Poco::Net::HTTPClientSession> http;
};

ApiClient::ApiClient(HttpConfig config, Sleeper sleeper)
    : config_(std::move(config)),
      sleeper_(std::move(sleeper)),
      authorization_(BasicAuthorization(config_.auth_email, config_.token)),
      session_(std::make_unique<Session>()) {}

ApiClient::~ApiClient() = default;

Result<nlohmann::json> ApiClient::Get(const std::string& operation, const std::string& target) {
  return Request(Poco::Net::HTTPRequest::HTTP_GET, operation, target, "");
}

Result<nlohmann::json> ApiClient::Put(const std::string& operation, const std::string& target,
                                      const nlohmann::json& body) {
  return Request(Poco::Net::HTTPRequest::HTTP_PUT, operation, target, body.dump());
}

Result<nlohmann::json> ApiClient::Post(const std::string& operation, const std::string& target,
                                       const nlohmann::json& body) {
  return Request(Poco::Net::HTTPRequest::HTTP_POST, operation, target, body.dump());
}

Result<nlohmann::json> ApiClient::Delete(const std::string& operation, const std::string& target) {
  return Request(Poco::Net::HTTPRequest::HTTP_DELETE, operation, target, "");
}

Result<std::string> ApiClient::TargetOf(const std::string& operation,
                                        const std::string& url) const {
  if (url.compare(0, config_.origin.size(), config_.origin) != 0 ||
      url.size() <= config_.origin.size() || url[config_.origin.size()] != '/') {
    return Internal(operation + ": the next page's link points away from connector.base_url");
  }
  return url.substr(config_.origin.size());
}

std::chrono::milliseconds ApiClient::Backoff(int retry) const {
  const auto first = std::chrono::milliseconds(config_.retry_backoff_ms);
  return std::min(kMaxBackoff, first * (int64_t{1} << std::min(retry, 16)));
}

// Retries what may pass (429, 5xx, time-outs, lost connections) within the
// budget, and interprets the first answer that is final.
Result<nlohmann::json> ApiClient::Request(const std::string& method, const std::string& operation,
                                          const std::string& target, const std::string& body) {
  for (int attempt = 0;; ++attempt) {
    auto answer = Exchange(method, target, body);
    auto wait = RetryWait(operation, answer, attempt);
    if (!wait.ok()) return wait.status();
    if (!wait->has_value()) return Interpret(operation, *answer);
    sleeper_(**wait);
  }
}

// How long to wait before retrying `answer`, nothing when it is final, or the
// error that ends the request.
Result<std::optional<std::chrono::milliseconds>> ApiClient::RetryWait(const std::string& operation,
                                                                      const Result<Answer>& answer,
                                                                      int attempt) const {
  const bool last = attempt >= config_.max_retries;
  const std::string attempts = " after " + Attempts(attempt + 1);
  if (!answer.ok()) {
    if (answer.status().code() != StatusCode::kUnavailable) {
      return answer.status().WithContext(operation);
    }
    if (last) return Unavailable(operation + ": " + answer.status().message() + attempts);
    LogWarn(kLogComponent, operation + ": " + answer.status().message() + "; retrying");
    return std::optional(Backoff(attempt));
  }
  if (answer->status == 429) {
    char* end = nullptr;
    const long seconds = std::strtol(answer->retry_after.c_str(), &end, 10);
    const bool given = !answer->retry_after.empty() && *end == '\0' && seconds >= 0;
    if (given && seconds > config_.max_retry_after_s) {
      return Unavailable(operation + ": rate limited; the server asks to wait " +
                         std::to_string(seconds) + " s, more than max_retry_after_s (" +
                         std::to_string(config_.max_retry_after_s) + ")");
    }
    if (last) return Unavailable(operation + ": still rate limited" + attempts);
    LogWarn(kLogComponent, operation + ": rate limited (HTTP 429); waiting as told");
    return std::optional(given ? std::chrono::milliseconds(seconds * 1000) : Backoff(attempt));
  }
  if (answer->status < 500) return std::optional<std::chrono::milliseconds>();
  const std::string code = "HTTP " + std::to_string(answer->status);
  if (last) {
    const std::string text = ServerErrorText(answer->body, known_values_);
    return Unavailable(operation + ": " + code + attempts + ": " +
                       (text.empty() ? answer->reason : text));
  }
  LogWarn(kLogComponent, operation + ": " + code + "; retrying");
  return std::optional(Backoff(attempt));
}

Result<ApiClient::Answer> ApiClient::Exchange(const std::string& method, const std::string& target,
                                              const std::string& body) {
  try {
    if (!session_->http) {
      session_->http = config_.https ? std::make_unique<Poco::Net::HTTPSClientSession>(
                                           config_.host, static_cast<Poco::UInt16>(config_.port),
                                           NewTlsContext(config_))
                                     : std::make_unique<Poco::Net::HTTPClientSession>(
                                           config_.host, static_cast<Poco::UInt16>(config_.port));
      session_->http->setTimeout(
          Poco::Timespan(Poco::Timespan::TimeDiff{config_.timeout_ms} * 1000));
      session_->http->setKeepAlive(true);
    }
    Poco::Net::HTTPRequest request(method, target, Poco::Net::HTTPMessage::HTTP_1_1);
    request.set("Authorization", authorization_);
    request.set("Accept", "application/json");
    request.set("User-Agent", std::string("dsr-worker/") + kDsrVersion);
    if (!body.empty()) request.setContentType("application/json; charset=utf-8");
    if (!body.empty() || method != Poco::Net::HTTPRequest::HTTP_GET) {
      request.setContentLength64(static_cast<Poco::Int64>(body.size()));
    }
    session_->http->sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    std::istream& in = session_->http->receiveResponse(response);
    Answer answer;
    answer.status = static_cast<int>(response.getStatus());
    answer.reason = response.getReason();
    answer.retry_after = response.get("Retry-After", "");
    char buffer[16384];
    while (in) {
      in.read(buffer, sizeof buffer);
      answer.body.append(buffer, static_cast<size_t>(in.gcount()));
      if (answer.body.size() > kMaxAnswerBytes) {
        session_->http.reset();
        return Internal("the answer is larger than " + std::to_string(kMaxAnswerBytes) + " bytes");
      }
    }
    return answer;
  } catch (const Poco::TimeoutException&) {
    session_->http.reset();
    return Unavailable("no answer within timeout_ms (" + std::to_string(config_.timeout_ms) + ")");
  } catch (const Poco::Exception& error) {
    session_->http.reset();
    return Unavailable("cannot reach the server: " + error.displayText());
  } catch (const std::exception& error) {
    session_->http.reset();
    return Unavailable(std::string("cannot reach the server: ") + error.what());
  }
}

Result<nlohmann::json> ApiClient::Interpret(const std::string& operation,
                                            const Answer& answer) const {
  const std::string code = "HTTP " + std::to_string(answer.status);
  std::string text = ServerErrorText(answer.body, known_values_);
  if (text.empty()) text = answer.reason;
  if (answer.status >= 200 && answer.status < 300) {
    if (answer.body.empty()) return nlohmann::json();
    nlohmann::json parsed = nlohmann::json::parse(answer.body, nullptr, false);
    if (parsed.is_discarded())
      return Internal(operation + ": the answer is not JSON (" + code + ")");
    return parsed;
  }
  if (answer.status == 404) return NotFound(operation + ": not found (" + code + ")");
  if (answer.status == 401 || answer.status == 403) {
    return Unavailable(operation + ": the server refused the credentials (" + code + ": " + text +
                       "); check connector.auth");
  }
  if (answer.status == 409 || answer.status == 422) {
    return Conflict(operation + ": the server refused the change (" + code + ": " + text + ")");
  }
  return Internal(operation + ": unexpected answer (" + code + ": " + text + ")");
}

}  // namespace dsr::connectors::http
