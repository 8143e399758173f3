#include "coordinator/broker/broker_socket.h"

#include "common/log.h"
#include "common/zmq_frames.h"

namespace dsr::broker {
namespace {

// A frame larger than this is refused by libzmq before it reaches us; it is
// above the largest valid message (header + one chunk payload).
constexpr int64_t kMaxMessageBytes = static_cast<int64_t>(wire::kMaxPayloadBytes) + 2 * 1024 * 1024;

}  // namespace

BrokerSocket::BrokerSocket(zmq::context_t& context) : socket_(context, zmq::socket_type::router) {
  ApplyCommonOptions(socket_);
  socket_.set(zmq::sockopt::router_mandatory, 1);
  socket_.set(zmq::sockopt::maxmsgsize, kMaxMessageBytes);
}

Status BrokerSocket::UseCurve(const std::string& secret_key) {
  try {
    socket_.set(zmq::sockopt::curve_server, 1);
    socket_.set(zmq::sockopt::curve_secretkey, secret_key);
    socket_.set(zmq::sockopt::zap_domain, "dsr");
  } catch (const zmq::error_t& error) {
    return Internal(std::string("cannot make the broker a CurveZMQ server: ") + error.what());
  }
  return Status::Ok();
}

Result<std::string> BrokerSocket::Bind(const std::string& endpoint) {
  try {
    socket_.bind(endpoint);
    return socket_.get(zmq::sockopt::last_endpoint);
  } catch (const zmq::error_t& error) {
    return Unavailable("cannot bind the broker to " + endpoint + ": " + error.what());
  }
}

std::optional<BrokerSocket::Incoming> BrokerSocket::Receive() {
  while (true) {
    std::string user_id;
    auto frames = ReceiveFrames(socket_, false, &user_id);
    if (!frames) return std::nullopt;
    std::string routing_id = std::move(frames->front());
    frames->erase(frames->begin());
    auto decoded = wire::Decode(*frames, wire::Sender::kWorker);
    if (decoded.ok()) {
      return Incoming{std::move(routing_id), std::move(user_id), std::move(decoded.value())};
    }
    ++dropped_;
    LogWarn("broker", "dropped a malformed message (" + decoded.status().message() +
                          "); dropped so far: " + std::to_string(dropped_));
  }
}

Status BrokerSocket::Send(const std::string& routing_id, const wire::Message& message) {
  auto frames = wire::Encode(message);
  if (!frames.ok()) return frames.status();
  frames->insert(frames->begin(), routing_id);
  return SendFrames(socket_, *frames);
}

}  // namespace dsr::broker
