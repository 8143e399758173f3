// Config files: YAML read into JSON and validated against a schema in
// schemas/config/, so that every config error names the file, the key and the
// problem ("worker.yaml: connector.tables[2].name: ...").
//
// YAML scalars become JSON values by their plain YAML 1.2 meaning: unquoted
// true/false are booleans, unquoted numbers are numbers, unquoted null/~ are
// null; quoted scalars always stay strings. Thread-safe.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "common/status.h"

namespace dsr {

// Largest config file accepted; anything bigger is a mistake or an attack.
inline constexpr size_t kMaxConfigBytes = 1024 * 1024;

Result<nlohmann::json> YamlToJson(const std::string& yaml_text);

// Reads `path`, converts it and validates it against `schema_name`. Errors
// carry the path in their message and one detail per violation.
Result<nlohmann::json> LoadConfigFile(const std::string& path, std::string_view schema_name);

}  // namespace dsr
