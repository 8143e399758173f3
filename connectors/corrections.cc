#include <nlohmann/json.hpp>

#include "connectors/connector.h"

namespace dsr::connectors {

Status CheckCorrections(const Corrections& corrections) {
  if (!corrections.is_object()) return InvalidArgument("corrections must be an object");
  for (const auto& [attribute, value] : corrections.items()) {
    const bool simple = attribute == "email" || attribute == "phone";
    const bool composite = attribute == "name" || attribute == "postal_address";
    if (!simple && !composite) {
      return InvalidArgument("corrections: unknown attribute '" + attribute + "'");
    }
    bool text = simple ? value.is_string() : value.is_object();
    if (composite) {
      for (const auto& part : value) text = text && part.is_string();
    }
    if (!text) return InvalidArgument("corrections." + attribute + ": not text");
  }
  return Status::Ok();
}

}  // namespace dsr::connectors
