// The documented fields of Zendesk's user, ticket, comment and user identity
// objects (Support API v2). Records are trimmed to them, so that an export
// holds what Zendesk documents and nothing an account's add-ons happen to
// return.
#pragma once

#include <nlohmann/json.hpp>
#include <set>
#include <string>

namespace dsr::connectors::http {

const std::set<std::string>& ZendeskUserFields();
const std::set<std::string>& ZendeskTicketFields();
const std::set<std::string>& ZendeskCommentFields();
const std::set<std::string>& ZendeskIdentityFields();

// A copy of `record` with only the `fields` it has.
nlohmann::json TrimToFields(const nlohmann::json& record, const std::set<std::string>& fields);

}  // namespace dsr::connectors::http
