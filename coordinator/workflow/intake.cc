#include "coordinator/workflow/intake.h"

#include <nlohmann/json.hpp>

#include "common/schema.h"

namespace dsr::workflow {
namespace {

std::optional<std::string> OptionalString(const nlohmann::json& body, const char* key) {
  const auto found = body.find(key);
  if (found == body.end() || found->is_null()) return std::nullopt;
  return found->get<std::string>();
}

}  // namespace

Result<NewRequest> ParseNewRequest(const nlohmann::json& body, CivilDate today,
                                   const std::string& default_language) {
  Status valid = SchemaRegistry::Embedded().Validate("api/request-create", body);
  if (!valid.ok()) return ValidationError("invalid request", valid.details());
  NewRequest request;
  auto type = store::ParseRequestType(body.at("type").get<std::string>());
  if (!type.ok()) return ValidationError(type.status().message());
  request.type = *type;
  for (const auto& [attribute, value] : body.at("subject").items()) {
    request.subject[attribute] = value.get<std::string>();
  }
  request.received_on = today;
  if (auto received = OptionalString(body, "received_on")) {
    auto parsed = CivilDate::Parse(*received);
    if (!parsed.ok()) {
      return ValidationError("invalid request", {"received_on: " + parsed.status().message()});
    }
    if (*parsed > today) {
      return ValidationError("invalid request",
                             {"received_on: " + *received + " lies in the future (today is " +
                              today.ToString() + ")"});
    }
    request.received_on = *parsed;
  }
  request.language = OptionalString(body, "language").value_or(default_language);
  request.channel = OptionalString(body, "channel");
  request.note = OptionalString(body, "note");
  const auto corrections = body.find("corrections");
  const bool rectification = request.type == store::RequestType::kRectification;
  if (rectification && corrections == body.end()) {
    return ValidationError("invalid request",
                           {"corrections: a rectification request says what to correct"});
  }
  if (!rectification && corrections != body.end()) {
    return ValidationError("invalid request",
                           {"corrections: only a rectification request carries corrections"});
  }
  if (rectification) request.corrections = corrections->dump();
  return request;
}

}  // namespace dsr::workflow
