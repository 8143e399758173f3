// BrokerSocket: the coordinator's ROUTER socket that workers connect to.
//
// Receive() decodes and validates every message against schemas/wire; a
// malformed or unknown message is dropped and counted, never trusted.
// Send() never blocks and never silently loses a message: ROUTER_MANDATORY
// turns an unroutable send into an error the caller handles.
// Owned and used by one thread (the engine).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <zmq.hpp>

#include "common/status.h"
#include "common/wire.h"

namespace dsr::broker {

class BrokerSocket {
 public:
  explicit BrokerSocket(zmq::context_t& context);

  // Makes the socket a CurveZMQ server with this Z85 secret key; call before
  // Bind and only with a ZAP handler bound in the same context (zap_handler.h).
  Status UseCurve(const std::string& secret_key);

  // Binds to `endpoint` ("tcp://127.0.0.1:5555"; port "*" picks a free one) and
  // returns the endpoint actually bound.
  Result<std::string> Bind(const std::string& endpoint);

  struct Incoming {
    std::string routing_id;
    // The name of the worker key the connection authenticated with (ZAP user
    // id, "User-Id"); empty without CurveZMQ.
    std::string user_id;
    wire::Message message;
  };
  // The next valid message, if one is waiting. Invalid ones are dropped,
  // counted and logged (without their content) on the way.
  std::optional<Incoming> Receive();

  Status Send(const std::string& routing_id, const wire::Message& message);

  zmq::socket_t& socket() { return socket_; }
  uint64_t dropped_messages() const { return dropped_; }

 private:
  zmq::socket_t socket_;
  uint64_t dropped_ = 0;
};

}  // namespace dsr::broker
