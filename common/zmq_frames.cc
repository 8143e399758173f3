#include "common/zmq_frames.h"

#include <cerrno>

namespace dsr {

std::optional<std::vector<std::string>> ReceiveFrames(zmq::socket_t& socket, bool wait,
                                                      std::string* user_id) {
  std::vector<std::string> frames;
  zmq::message_t part;
  const auto first_flags = wait ? zmq::recv_flags::none : zmq::recv_flags::dontwait;
  if (!socket.recv(part, first_flags)) return std::nullopt;
  if (user_id != nullptr) user_id->clear();
  while (true) {
    // A ROUTER's routing-id frame carries no properties; the sender's frames do.
    if (user_id != nullptr && user_id->empty()) {
      const char* property = zmq_msg_gets(part.handle(), "User-Id");
      if (property != nullptr) *user_id = property;
    }
    frames.emplace_back(part.to_string());
    if (!part.more()) break;
    // The rest of a multipart message is already there: ZeroMQ delivers atomically.
    (void)socket.recv(part, zmq::recv_flags::none);
  }
  return frames;
}

Status SendFrames(zmq::socket_t& socket, const std::vector<std::string>& frames) {
  try {
    for (size_t i = 0; i < frames.size(); ++i) {
      const bool last = i + 1 == frames.size();
      const auto flags =
          last ? zmq::send_flags::dontwait : (zmq::send_flags::sndmore | zmq::send_flags::dontwait);
      if (!socket.send(zmq::buffer(frames[i]), flags)) {
        // Only the first frame can hit EAGAIN: ZeroMQ queues a started message whole.
        return Unavailable("peer is not accepting messages (high-water mark)");
      }
    }
  } catch (const zmq::error_t& error) {
    if (error.num() == EHOSTUNREACH) return Unavailable("peer is not connected");
    return Internal(std::string("send failed: ") + error.what());
  }
  return Status::Ok();
}

void ApplyCommonOptions(zmq::socket_t& socket) {
  socket.set(zmq::sockopt::linger, 0);
}

}  // namespace dsr
