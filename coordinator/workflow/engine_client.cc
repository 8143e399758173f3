#include "coordinator/workflow/engine_client.h"

#include <nlohmann/json.hpp>

#include "common/zmq_frames.h"
#include "coordinator/workflow/engine.h"

namespace dsr::workflow {

Result<nlohmann::json> EngineClient::Call(const nlohmann::json& command) const {
  zmq::socket_t socket(context_, zmq::socket_type::dealer);
  ApplyCommonOptions(socket);
  socket.connect(kEngineEndpoint);
  if (!socket.send(zmq::buffer(command.dump()), zmq::send_flags::none)) {
    return Unavailable("the engine is not accepting commands");
  }
  zmq::pollitem_t item{socket.handle(), 0, ZMQ_POLLIN, 0};
  zmq::poll(&item, 1, timeout_);
  if (!(item.revents & ZMQ_POLLIN)) return Unavailable("the engine did not answer in time");
  auto frames = ReceiveFrames(socket);
  if (!frames || frames->size() != 1) return Internal("malformed engine reply");
  auto reply = nlohmann::json::parse(frames->front(), nullptr, false);
  if (!reply.is_object()) return Internal("malformed engine reply");
  DSR_RETURN_IF_ERROR(StatusFromReply(reply));
  return reply;
}

nlohmann::json ErrorReply(const Status& status) {
  return {{"ok", false},
          {"error",
           {{"code", StatusCodeName(status.code())},
            {"message", status.message()},
            {"details", status.details()}}}};
}

Status StatusFromReply(const nlohmann::json& reply) {
  if (reply.value("ok", false)) return Status::Ok();
  const auto& error = reply.at("error");
  return Status(StatusCodeFromName(error.value("code", "internal")), error.value("message", ""),
                error.value("details", std::vector<std::string>{}));
}

}  // namespace dsr::workflow
