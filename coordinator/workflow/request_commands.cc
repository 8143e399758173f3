#include "coordinator/workflow/request_commands.h"

#include <map>

#include "common/schema.h"
#include "coordinator/workflow/engine_client.h"

namespace dsr::workflow {
namespace {

std::optional<std::string> OptionalString(const nlohmann::json& body, const char* key) {
  const auto found = body.find(key);
  if (found == body.end() || !found->is_string()) return std::nullopt;
  return found->get<std::string>();
}

CommandOutcome Replied(const std::string& id, ActionEffects effects = {}) {
  return {{{"ok", true}, {"id", id}}, std::move(effects)};
}

CommandOutcome Failed(const Status& status) {
  return {ErrorReply(status), {}};
}

CommandOutcome FromEffects(const std::string& id, Result<ActionEffects> effects) {
  if (!effects.ok()) return Failed(effects.status());
  return Replied(id, std::move(effects.value()));
}

CommandOutcome FromStatus(const std::string& id, const Status& status) {
  if (!status.ok()) return Failed(status);
  return Replied(id);
}

Result<DecisionInput> ParseDecision(const nlohmann::json& body) {
  DecisionInput input;
  input.task_id = body.at("task_id").get<std::string>();
  input.collection = body.at("collection").get<std::string>();
  input.line = body.at("line").get<int64_t>();
  auto decision = store::ParseReviewDecision(body.at("decision").get<std::string>());
  if (!decision.ok()) return ValidationError(decision.status().message());
  input.decision = *decision;
  if (body.contains("fields")) input.fields = body.at("fields").get<std::vector<std::string>>();
  input.reason = body.at("reason").get<std::string>();
  return input;
}

}  // namespace

std::optional<CommandOutcome> RequestCommands::Handle(const nlohmann::json& command) {
  static const std::map<std::string, std::string> kBodySchemas = {
      {"identity", "api/identity-check"},
      {"pause", "api/pause"},
      {"decide", "api/review-decision"},
      {"approve", "api/approve"},
      {"reject", "api/reject"},
      {"cancel", "api/cancel"},
      {"resume", "api/resume"},
      {"extend", "api/extend"},
      {"retry", ""},
      {"submit", ""}};
  const std::string op = command.value("op", "");
  const auto schema = kBodySchemas.find(op);
  if (schema == kBodySchemas.end()) return std::nullopt;
  const std::string actor = command.value("actor", "api");
  const nlohmann::json body = command.value("body", nlohmann::json::object());
  if (!schema->second.empty()) {
    Status valid = SchemaRegistry::Embedded().Validate(schema->second, body);
    if (!valid.ok()) return Failed(ValidationError("invalid " + op + " body", valid.details()));
  }
  if (op == "submit") {
    auto input = ParseNewRequest(body, LocalDate(clock_.Now()), default_language_);
    if (!input.ok()) return Failed(input.status());
    auto submitted = actions_.Submit(*input, actor);
    if (!submitted.ok()) return Failed(submitted.status());
    return Replied(submitted->request_id, std::move(submitted->effects));
  }
  const std::string id = command.value("id", "");
  if (op == "identity") {
    IdentityCheckInput check{body.at("method").get<std::string>(),
                             body.at("outcome").get<std::string>(), OptionalString(body, "note")};
    return FromEffects(id, actions_.RecordIdentityCheck(id, check, actor));
  }
  if (op == "pause")
    return FromStatus(id, actions_.Pause(id, body.at("reason").get<std::string>(), actor));
  if (op == "resume") return FromStatus(id, actions_.Resume(id, actor));
  if (op == "extend")
    return FromEffects(id, actions_.Extend(id, body.at("reason").get<std::string>(), actor));
  if (op == "decide") {
    auto decision = ParseDecision(body);
    if (!decision.ok()) return Failed(decision.status());
    return FromStatus(id, actions_.Decide(id, *decision, actor));
  }
  if (op == "approve")
    return FromEffects(id, actions_.Approve(id, OptionalString(body, "note"), actor));
  if (op == "reject") {
    return FromEffects(id, actions_.Reject(id, body.at("ground").get<std::string>(),
                                           body.at("reason").get<std::string>(), actor));
  }
  if (op == "cancel")
    return FromEffects(id, actions_.Cancel(id, body.at("reason").get<std::string>(), actor));
  return FromEffects(id, actions_.RetryTask(id, command.value("task_id", ""), actor));
}

}  // namespace dsr::workflow
