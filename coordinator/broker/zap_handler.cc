#include "coordinator/broker/zap_handler.h"

#include <zmq.h>

#include "common/curve_keys.h"
#include "common/log.h"
#include "common/zmq_frames.h"

namespace dsr::broker {
namespace {

// A refused key is logged at its first refusal and then at most this often.
constexpr std::chrono::seconds kRefusalLogInterval{60};
constexpr size_t kMaxRefusalLogKeys = 1000;

std::vector<std::string> Reply(const std::string& request_id, const std::string& code,
                               const std::string& text, const std::string& user_id) {
  return {"1.0", request_id, code, text, user_id, ""};
}

}  // namespace

ZapHandler::ZapHandler(zmq::context_t& context, const BrokerSecurity& security, const Clock& clock)
    : socket_(context, zmq::socket_type::rep), security_(security), clock_(clock) {
  ApplyCommonOptions(socket_);
}

ZapHandler::~ZapHandler() {
  // Releases the inproc name at once (see Engine::Loop's destructor).
  if (bound_) {
    try {
      socket_.unbind(kZapEndpoint);
    } catch (const zmq::error_t&) {
    }
  }
}

Status ZapHandler::Bind() {
  try {
    socket_.bind(kZapEndpoint);
  } catch (const zmq::error_t& error) {
    return Internal(std::string("cannot start the worker authentication handler at ") +
                    kZapEndpoint + ": " + error.what() + "; refusing to run the broker without it");
  }
  bound_ = true;
  return Status::Ok();
}

void ZapHandler::HandleWaiting() {
  while (auto request = ReceiveFrames(socket_)) {
    // REP must answer every request it took, also a malformed one.
    (void)SendFrames(socket_, Answer(*request));
  }
}

std::vector<std::string> ZapHandler::Answer(const std::vector<std::string>& request) {
  // version, request id, domain, address, identity, mechanism, credentials…
  if (request.size() < 6 || request[0] != "1.0") {
    LogWarn("broker", "malformed authentication request from libzmq; refused");
    return Reply(request.size() > 1 ? request[1] : "", "500", "malformed request", "");
  }
  const std::string& request_id = request[1];
  if (request[5] != "CURVE" || request.size() != 7 || request[6].size() != 32) {
    LogWarn("broker", "refused a worker that does not use CurveZMQ (" + request[5] + ")");
    return Reply(request_id, "400", "CURVE required", "");
  }
  char z85[kZ85KeyLength + 1] = {};
  zmq_z85_encode(z85, reinterpret_cast<const uint8_t*>(request[6].data()), 32);
  const std::string public_key(z85);
  for (const auto& worker : security_.workers) {
    if (worker.public_key == public_key) return Reply(request_id, "200", "OK", worker.name);
  }
  ++refused_unknown_key_;
  LogRefusal(KeyFingerprint(public_key));
  return Reply(request_id, "400", "unknown key", "");
}

void ZapHandler::LogRefusal(const std::string& fingerprint) {
  const auto now = clock_.Monotonic();
  // Bounded: a client that makes a new key for every attempt must not grow it without end.
  if (refusal_log_.size() >= kMaxRefusalLogKeys && refusal_log_.count(fingerprint) == 0) {
    refusal_log_.clear();
  }
  auto [entry, first] = refusal_log_.try_emplace(fingerprint);
  ++entry->second.unlogged;
  if (!first && now - entry->second.last_logged < kRefusalLogInterval) return;
  LogWarn("broker", "refused a worker whose key " + fingerprint +
                        "… is not on the allow-list (broker.workers); refused " +
                        std::to_string(entry->second.unlogged) +
                        (entry->second.unlogged == 1 ? " time" : " times") +
                        (first ? "" : " since the last report"));
  entry->second.unlogged = 0;
  entry->second.last_logged = now;
}

}  // namespace dsr::broker
