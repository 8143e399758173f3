// EngineClient: how HTTP handler threads ask the engine to change something.
//
// Each Call opens its own inproc socket (sockets never cross threads), sends
// one JSON command and waits for the engine's answer. Thread-safe.
// Commands: {"op":"submit","body":{…},"actor":"…"} → {"ok":true,"id":"…"};
// {"op":"workers"}; {"op":"stats"}. A failure comes back as a Status.
#pragma once

#include <chrono>
#include <nlohmann/json_fwd.hpp>
#include <zmq.hpp>

#include "common/status.h"

namespace dsr::workflow {

class EngineClient {
 public:
  EngineClient(zmq::context_t& context, std::chrono::milliseconds timeout)
      : context_(context), timeout_(timeout) {}

  Result<nlohmann::json> Call(const nlohmann::json& command) const;

 private:
  zmq::context_t& context_;
  std::chrono::milliseconds timeout_;
};

// The engine's reply for a failed command, and its inverse.
nlohmann::json ErrorReply(const Status& status);
Status StatusFromReply(const nlohmann::json& reply);

}  // namespace dsr::workflow
