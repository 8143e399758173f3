// The coordinator ⇄ worker wire protocol, version 1 (schemas/README.md).
//
// A message is a list of ZeroMQ frames:
//   [signature "DSRW/1"] [command] [JSON header] [payload frames ...]
// (the coordinator's ROUTER socket adds the peer's routing id in front).
// Encode and Decode work on plain frames so that they are testable and
// fuzzable without sockets; both validate the header against
// schemas/wire/<command>.json, so neither side sends or trusts a bad message.
// Pure functions; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace dsr::wire {

inline constexpr std::string_view kSignature = "DSRW/1";
// A RESULT lists the keys of retained records, so headers may be large.
inline constexpr size_t kMaxHeaderBytes = 1024 * 1024;
inline constexpr size_t kMaxPayloadBytes = 8 * 1024 * 1024;

enum class Command { kReady, kHeartbeat, kTask, kProgress, kChunk, kCredit, kResult, kDisconnect };

// Which side sent a message; each side accepts only the commands of the other.
enum class Sender { kWorker, kCoordinator };

struct Message {
  Command command = Command::kHeartbeat;
  nlohmann::json header = nlohmann::json::object();
  std::vector<std::string> payload;
};

std::string_view CommandName(Command command);

// Frames for `message`, or kInternal if the message breaks its own schema
// (a bug in the sender, never sent).
Result<std::vector<std::string>> Encode(const Message& message);

// Parses frames received from `from`. Fails with kInvalidArgument (wrong
// signature, unknown command, command not allowed from that side, header not
// JSON, wrong number of payload frames, size limits) or kValidation (header
// breaks its schema). The message is then to be dropped and counted.
Result<Message> Decode(const std::vector<std::string>& frames, Sender from);

// Convenience constructors for the messages both sides send.
Message Heartbeat();
Message Disconnect(std::string reason);
// A DISCONNECT that refuses a worker for good ("refused": true): it is not
// allowed to serve what it announced.
Message Refusal(std::string reason);
// Lets the worker send `credit` more CHUNKs for the attempt.
Message Credit(const std::string& task_id, int attempt, int credit);

}  // namespace dsr::wire
