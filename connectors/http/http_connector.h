// The HTTP connector: a ticketing system over its REST API, one `profile`
// per product; the first is `zendesk` (Zendesk Support API v2,
// connectors/http/zendesk_api.h). Config: schemas/config/connector-http.json,
// explained key by key in deploy/examples/worker-tickets.yaml.
//
// Collections and keys: `users`, `tickets`, `comments`, keyed by the
// product's ids. Records are the API's JSON objects trimmed to the documented
// fields; comments carry the `ticket_id` they belong to. User records carry
// the attributes email, phone and name as the ticket system stores them.
// Matching, scopes and what erasure and rectification do (the subject's
// requested tickets with their comments, then the user, deleted for good; or
// all of them retained under a legal obligation, per config `erasure`):
// connectors/http/subject_records.h and ticket_actions.h.
//
// Requests time out (timeout_ms), are retried within bounds after 429 (as
// long as Retry-After says), 5xx, time-outs and lost connections, and then
// fail with kUnavailable and the server's message, scrubbed of personal data.
// TLS uses the system's CA store and checks the host name (tls_verify).
#pragma once

#include <memory>
#include <nlohmann/json_fwd.hpp>

#include "connectors/connector.h"

namespace dsr::connectors {

// Builds the connector from its validated config (the worker config's
// `connector:` section). Fails with kValidation naming the key for what the
// schema cannot check; reads the API token file, sends no request.
Result<std::unique_ptr<Connector>> NewHttpConnector(const nlohmann::json& config);

}  // namespace dsr::connectors
