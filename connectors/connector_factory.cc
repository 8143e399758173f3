#include <algorithm>
#include <functional>
#include <nlohmann/json.hpp>

#include "common/schema.h"
#include "connectors/connector.h"
#include "connectors/faulty/faulty_connector.h"
#include "connectors/files/files_connector.h"
#include "connectors/http/http_connector.h"
#include "connectors/mail/mail_connector.h"
#include "connectors/sql/sql_connector.h"

namespace dsr::connectors {
namespace {

using Factory = std::function<Result<std::unique_ptr<Connector>>(const nlohmann::json&)>;

// kind: faulty, for tests and fault drills: the connector of `inner`, wrapped.
Result<std::unique_ptr<Connector>> NewFaultInjectingConnector(const nlohmann::json& config) {
  auto settings = FaultSettingsFrom(config);
  if (!settings.ok()) return settings.status();
  auto inner = NewConnector(config.at("inner"), "connector.inner");
  if (!inner.ok()) return inner.status();
  return NewFaultyConnector(std::move(*inner), std::move(*settings));
}

// The one table of connector kinds.
const std::vector<std::pair<std::string, Factory>>& Kinds() {
  static const std::vector<std::pair<std::string, Factory>> kinds = {
      {"sql", NewSqlConnector},
      {"mail", NewMailConnector},
      {"http", NewHttpConnector},
      {"files", NewFilesConnector},
      {"faulty", NewFaultInjectingConnector},
  };
  return kinds;
}

std::string KnownKinds() {
  std::string names;
  for (const auto& [name, factory] : Kinds()) names += (names.empty() ? "" : ", ") + name;
  return names;
}

}  // namespace

Result<std::unique_ptr<Connector>> NewConnector(const nlohmann::json& config,
                                                const std::string& config_origin) {
  const auto kind = config.find("kind");
  if (!config.is_object() || kind == config.end() || !kind->is_string()) {
    return ValidationError(config_origin + ": connector.kind is missing");
  }
  const std::string name = kind->get<std::string>();
  const auto entry = std::find_if(Kinds().begin(), Kinds().end(),
                                  [&](const auto& known) { return known.first == name; });
  if (entry == Kinds().end()) {
    return ValidationError(config_origin + ": unknown connector kind '" + name +
                           "' (known: " + KnownKinds() + ")");
  }
  Status valid = SchemaRegistry::Embedded().Validate("config/connector-" + name, config);
  if (!valid.ok()) {
    std::vector<std::string> details;
    for (const auto& detail : valid.details()) details.push_back("connector." + detail);
    return ValidationError(config_origin + ": invalid connector configuration", details);
  }
  auto connector = entry->second(config);
  if (!connector.ok()) return connector.status().WithContext(config_origin);
  return connector;
}

}  // namespace dsr::connectors
