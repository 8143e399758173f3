// Moving whole multipart messages between ZeroMQ sockets and std::string
// frames, so that the wire codec never sees a socket.
// Same thread rules as the socket itself: one thread per socket.
#pragma once

#include <optional>
#include <string>
#include <vector>
#include <zmq.hpp>

#include "common/status.h"

namespace dsr {

// Receives every frame of the next message. Without `wait`, returns nullopt
// when no message is waiting. With `user_id`, also the "User-Id" property
// that the ZAP handler gave the sender's connection (empty when none).
std::optional<std::vector<std::string>> ReceiveFrames(zmq::socket_t& socket, bool wait = false,
                                                      std::string* user_id = nullptr);

// Sends the frames as one message without blocking. kUnavailable when the peer
// is unknown (ROUTER_MANDATORY) or at its high-water mark; nothing is sent then.
Status SendFrames(zmq::socket_t& socket, const std::vector<std::string>& frames);

// Socket options every dsr socket gets: no linger on close (shutdown never
// hangs on unsent messages).
void ApplyCommonOptions(zmq::socket_t& socket);

}  // namespace dsr
