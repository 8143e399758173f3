// The coordinator's transport security settings, read from its config:
// CurveZMQ for the broker (broker.curve, broker.workers, broker.allow_plaintext)
// and TLS for the HTTP API (http.tls, http.allow_plain_http). Plaintext on
// either is refused unless the config asks for it explicitly, and on the
// broker only on a loopback endpoint.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>

#include "common/status.h"
#include "coordinator/api/http_server.h"
#include "coordinator/broker/broker_security.h"

namespace dsr {

// `broker` is the config's broker section (may be empty), `bind` the broker
// endpoint, `sources` the configured source names. Returns the security to
// use, or nullopt when plaintext is explicitly allowed. Errors name the key.
Result<std::optional<broker::BrokerSecurity>> LoadBrokerSecurity(
    const nlohmann::json& broker, const std::string& bind, const std::set<std::string>& sources);

// `http` is the config's http section (may be empty). nullopt when plain
// HTTP is explicitly allowed.
Result<std::optional<api::TlsSettings>> LoadHttpTls(const nlohmann::json& http);

}  // namespace dsr
