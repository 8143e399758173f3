// RequestCommands: the engine's side of the commands HTTP handlers send
// through EngineClient. Each command names a request action; its body has
// already been checked against its schema in schemas/api/ by the handler and
// is checked again here, since the engine trusts no one.
//   {"op": "submit",   "body": {…}}            → {"ok": true, "id": …}
//   {"op": "identity" | "pause" | "resume" | "extend" | "decide" | "approve" |
//          "reject" | "cancel", "id": …, "body": {…}}   → {"ok": true, "id": …}
//   {"op": "retry",    "id": …, "task_id": …}  → {"ok": true, "id": …}
// Every command may carry "actor" (who asked). Not thread-safe: engine thread.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>

#include "common/clock.h"
#include "coordinator/workflow/request_actions.h"

namespace dsr::workflow {

struct CommandOutcome {
  nlohmann::json reply;
  ActionEffects effects;
};

class RequestCommands {
 public:
  RequestCommands(RequestActions& actions, const Clock& clock, std::string default_language)
      : actions_(actions), clock_(clock), default_language_(std::move(default_language)) {}

  // The outcome of a request command; nullopt when `op` is none of them.
  std::optional<CommandOutcome> Handle(const nlohmann::json& command);

 private:
  RequestActions& actions_;
  const Clock& clock_;
  std::string default_language_;
};

}  // namespace dsr::workflow
