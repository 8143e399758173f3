#include "common/wire.h"

#include "common/json_text.h"
#include "common/schema.h"

namespace dsr::wire {
namespace {

struct CommandRow {
  Command command;
  std::string_view name;
  const char* schema;
  bool from_worker;
  bool from_coordinator;
  size_t payload_frames;
};

constexpr CommandRow kCommands[] = {
    {Command::kReady, "READY", "wire/ready", true, false, 0},
    {Command::kHeartbeat, "HEARTBEAT", "wire/heartbeat", true, true, 0},
    {Command::kTask, "TASK", "wire/task", false, true, 0},
    {Command::kProgress, "PROGRESS", "wire/progress", true, false, 0},
    {Command::kChunk, "CHUNK", "wire/chunk", true, false, 1},
    {Command::kCredit, "CREDIT", "wire/credit", false, true, 0},
    {Command::kResult, "RESULT", "wire/result", true, false, 0},
    {Command::kDisconnect, "DISCONNECT", "wire/disconnect", true, true, 0},
};

const CommandRow& RowFor(Command command) {
  for (const auto& row : kCommands) {
    if (row.command == command) return row;
  }
  return kCommands[0];
}

const CommandRow* RowNamed(std::string_view name) {
  for (const auto& row : kCommands) {
    if (row.name == name) return &row;
  }
  return nullptr;
}

}  // namespace

std::string_view CommandName(Command command) {
  return RowFor(command).name;
}

Result<std::vector<std::string>> Encode(const Message& message) {
  const CommandRow& row = RowFor(message.command);
  Status valid = SchemaRegistry::Embedded().Validate(row.schema, message.header);
  if (!valid.ok())
    return Internal("refusing to send an invalid " + std::string(row.name))
        .WithContext(valid.ToString());
  if (message.payload.size() != row.payload_frames) {
    return Internal("refusing to send " + std::string(row.name) + " with " +
                    std::to_string(message.payload.size()) + " payload frames");
  }
  std::vector<std::string> frames;
  frames.reserve(3 + message.payload.size());
  frames.emplace_back(kSignature);
  frames.emplace_back(row.name);
  // Invalid UTF-8 (from a source system) is replaced, never a reason to throw.
  frames.push_back(message.header.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  for (const auto& part : message.payload) frames.push_back(part);
  return frames;
}

Result<Message> Decode(const std::vector<std::string>& frames, Sender from) {
  if (frames.size() < 3) {
    return InvalidArgument("expected at least 3 frames, got " + std::to_string(frames.size()));
  }
  if (frames[0] != kSignature) return InvalidArgument("wrong protocol signature");
  const CommandRow* row = RowNamed(frames[1]);
  if (row == nullptr) return InvalidArgument("unknown command");
  const bool allowed = from == Sender::kWorker ? row->from_worker : row->from_coordinator;
  if (!allowed) {
    return InvalidArgument(std::string(row->name) + " is not accepted from this side");
  }
  if (frames.size() - 3 != row->payload_frames) {
    return InvalidArgument(std::string(row->name) + " expects " +
                           std::to_string(row->payload_frames) + " payload frames");
  }
  if (frames[2].size() > kMaxHeaderBytes) return InvalidArgument("header over size limit");
  for (size_t i = 3; i < frames.size(); ++i) {
    if (frames[i].size() > kMaxPayloadBytes) return InvalidArgument("payload over size limit");
  }
  Message message;
  message.command = row->command;
  auto header = ParseJsonText(frames[2], "header");
  if (!header.ok()) return header.status();
  message.header = std::move(header.value());
  DSR_RETURN_IF_ERROR(SchemaRegistry::Embedded().Validate(row->schema, message.header));
  message.payload.assign(frames.begin() + 3, frames.end());
  return message;
}

Message Heartbeat() {
  return Message{Command::kHeartbeat, nlohmann::json::object(), {}};
}

Message Disconnect(std::string reason) {
  return Message{Command::kDisconnect, nlohmann::json{{"reason", std::move(reason)}}, {}};
}

Message Refusal(std::string reason) {
  return Message{
      Command::kDisconnect, nlohmann::json{{"reason", std::move(reason)}, {"refused", true}}, {}};
}

Message Credit(const std::string& task_id, int attempt, int credit) {
  return Message{Command::kCredit,
                 nlohmann::json{{"task_id", task_id}, {"attempt", attempt}, {"credit", credit}},
                 {}};
}

}  // namespace dsr::wire
