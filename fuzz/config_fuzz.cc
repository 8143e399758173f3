// The config loaders: YAML text → JSON (depth, alias and size limits) →
// the coordinator's and the worker's schemas → the files and mail
// connectors' typed settings, as dsr-coordinator and dsr-worker read them.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "common/config_file.h"
#include "common/schema.h"
#include "connectors/files/files_config.h"
#include "connectors/mail/mail_config.h"
#include "fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > dsr::kMaxConfigBytes) return 0;
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto json = dsr::YamlToJson(text);
  if (!json.ok()) return 0;
  // Whatever YAML became must be plain JSON again (no invalid UTF-8 thrown later).
  (void)json->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  const auto& schemas = dsr::SchemaRegistry::Embedded();
  (void)schemas.Validate("config/coordinator", *json);
  if (!schemas.Validate("config/worker", *json).ok()) return 0;
  const nlohmann::json& connector = json->at("connector");
  const std::string kind = connector.value("kind", "");
  if (!schemas.Validate("config/connector-" + kind, connector).ok()) return 0;
  if (kind == "files") (void)dsr::connectors::files::ParseFilesConfig(connector);
  if (kind == "mail") (void)dsr::connectors::mail::ParseMailConfig(connector);
  return 0;
}
