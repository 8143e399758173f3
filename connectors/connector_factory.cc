#include <nlohmann/json.hpp>

#include "common/schema.h"
#include "connectors/connector.h"
#include "connectors/sql/sql_connector.h"

namespace dsr::connectors {

Result<std::unique_ptr<Connector>> NewConnector(const nlohmann::json& config,
                                                const std::string& config_origin) {
  const auto kind = config.find("kind");
  if (!config.is_object() || kind == config.end() || !kind->is_string()) {
    return ValidationError(config_origin + ": connector.kind is missing");
  }
  const std::string schema = "config/connector-" + kind->get<std::string>();
  Status valid = SchemaRegistry::Embedded().Validate(schema, config);
  if (valid.code() == StatusCode::kInternal) {
    return ValidationError(config_origin + ": unknown connector kind '" +
                           kind->get<std::string>() + "' (known: sql)");
  }
  if (!valid.ok()) {
    std::vector<std::string> details;
    for (const auto& detail : valid.details()) details.push_back("connector." + detail);
    return ValidationError(config_origin + ": invalid connector configuration", details);
  }
  if (*kind == "sql") {
    auto connector = NewSqlConnector(config);
    if (!connector.ok()) return connector.status().WithContext(config_origin);
    return connector;
  }
  return ValidationError(config_origin + ": unknown connector kind");
}

}  // namespace dsr::connectors
