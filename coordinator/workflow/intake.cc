#include "coordinator/workflow/intake.h"

#include <nlohmann/json.hpp>
#include <vector>

#include "common/schema.h"

namespace dsr::workflow {
namespace {

std::optional<std::string> OptionalString(const nlohmann::json& body, const char* key) {
  const auto found = body.find(key);
  if (found == body.end() || found->is_null()) return std::nullopt;
  return found->get<std::string>();
}

bool HasControlCharacter(const std::string& text) {
  for (const char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == '\x7f') return true;
  }
  return false;
}

// Identity values and corrections end up in SQL parameters, IMAP SEARCH
// commands, ticket searches, file contents and letters: a line break or
// other control character there is never a real value, only a way to break
// out of a quoted string or a header line. Each offender is named by its
// path, never by its value.
void CollectControlCharacters(const nlohmann::json& value, const std::string& path,
                              std::vector<std::string>* problems) {
  if (value.is_string()) {
    if (HasControlCharacter(value.get<std::string>())) {
      problems->push_back(path + ": control characters (line breaks, tabs, NUL) are not allowed");
    }
    return;
  }
  if (value.is_object()) {
    for (const auto& [key, item] : value.items()) {
      CollectControlCharacters(item, path + "." + key, problems);
    }
  }
}

}  // namespace

Result<NewRequest> ParseNewRequest(const nlohmann::json& body, CivilDate today,
                                   const std::string& default_language) {
  Status valid = SchemaRegistry::Embedded().Validate("api/request-create", body);
  if (!valid.ok()) return ValidationError("invalid request", valid.details());
  std::vector<std::string> problems;
  CollectControlCharacters(body.at("subject"), "subject", &problems);
  if (const auto corrections = body.find("corrections"); corrections != body.end()) {
    CollectControlCharacters(*corrections, "corrections", &problems);
  }
  if (!problems.empty()) return ValidationError("invalid request", problems);
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
