// ZapHandler: the ZeroMQ authentication handler (ZAP, RFC 27) of the
// broker. libzmq asks it, for every CurveZMQ handshake on a socket of the
// same context, whether the client's public key may in; it answers yes only
// for keys on the allow-list, with the key's configured name as the user id
// that libzmq then attaches to every message of that connection
// ("User-Id"). A client with any other key never gets a connection, so none
// of its messages reaches the broker.
//
// Bind() must succeed before the broker binds: without a handler libzmq lets
// every client that knows the server's key in. Owned and polled by the
// engine thread; HandleWaiting answers every request waiting.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <zmq.hpp>

#include "common/clock.h"
#include "common/status.h"
#include "coordinator/broker/broker_security.h"

namespace dsr::broker {

inline constexpr const char* kZapEndpoint = "inproc://zeromq.zap.01";

class ZapHandler {
 public:
  ZapHandler(zmq::context_t& context, const BrokerSecurity& security, const Clock& clock);
  ~ZapHandler();
  ZapHandler(const ZapHandler&) = delete;
  ZapHandler& operator=(const ZapHandler&) = delete;

  // Binds inproc://zeromq.zap.01; kInternal when another handler holds it.
  Status Bind();
  zmq::socket_t& socket() { return socket_; }
  // Answers every request waiting, without blocking.
  void HandleWaiting();
  // Handshakes refused because the key is not on the allow-list.
  uint64_t refused_unknown_key() const { return refused_unknown_key_; }

 private:
  // The frames of the reply after REP's delimiter: version, request id,
  // status code, status text, user id, metadata (7 frames on the wire).
  std::vector<std::string> Answer(const std::vector<std::string>& request);
  void LogRefusal(const std::string& fingerprint);

  zmq::socket_t socket_;
  const BrokerSecurity& security_;
  const Clock& clock_;
  bool bound_ = false;
  uint64_t refused_unknown_key_ = 0;
  // Per refused key fingerprint: refusals not yet logged and when it was last
  // logged, so a client retrying all the time does not flood the log.
  struct RefusalLog {
    uint64_t unlogged = 0;
    Clock::MonotonicTime last_logged{};
  };
  std::map<std::string, RefusalLog> refusal_log_;
};

}  // namespace dsr::broker
