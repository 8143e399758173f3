// Building the HTTP connector with a chosen way of waiting between retries,
// so that tests can see how long it waited. Production code uses
// NewHttpConnector (connectors/http/http_connector.h), which sleeps.
#pragma once

#include <memory>
#include <nlohmann/json_fwd.hpp>

#include "connectors/connector.h"
#include "connectors/http/api_client.h"

namespace dsr::connectors::http {

Result<std::unique_ptr<Connector>> NewHttpConnectorWithSleeper(const nlohmann::json& config,
                                                               ApiClient::Sleeper sleeper);

}  // namespace dsr::connectors::http
