// Intake: checking an agent's new request body for what a schema cannot say:
// a real calendar date, not in the future, corrections only and always with
// rectification, no control characters in identity values or corrections. Pure function;
// thread-safe.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>

#include "common/civil_date.h"
#include "common/status.h"
#include "coordinator/store/model.h"

namespace dsr::workflow {

struct NewRequest {
  store::RequestType type = store::RequestType::kAccess;
  store::SubjectIdentities subject;
  CivilDate received_on;
  std::string language;
  std::optional<std::string> channel;
  std::optional<std::string> note;
  std::optional<std::string> corrections;  // JSON object, rectification only
};

// `body` is checked against schemas/api/request-create.json first. `today` is
// the local date in the controller's time zone: the default receipt date and
// the latest one allowed.
Result<NewRequest> ParseNewRequest(const nlohmann::json& body, CivilDate today,
                                   const std::string& default_language);

}  // namespace dsr::workflow
