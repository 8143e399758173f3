// The `zendesk` profile: TicketApi over the Zendesk Support API v2.
//
//   search users        GET    /api/v2/users/search.json?query=email:<address>
//   show user           GET    /api/v2/users/{id}.json
//   requested tickets   GET    /api/v2/users/{id}/tickets/requested.json
//   copied tickets      GET    /api/v2/users/{id}/tickets/ccd.json
//   comments            GET    /api/v2/tickets/{id}/comments.json
//   update user         PUT    /api/v2/users/{id}.json  {"user": {...}}
//   delete user         DELETE /api/v2/users/{id}.json          (soft delete)
//   permanently delete  DELETE /api/v2/deleted_users/{id}.json  (scrubs the user)
//   sample              GET    /api/v2/users.json, /api/v2/tickets.json
//
// Lists are read with cursor pagination (page[size], meta.has_more,
// links.next); search answers with offset pagination (next_page). Both are
// followed, but only to links on the configured origin.
//
// What Zendesk documents for erasure: a deleted user is soft-deleted and
// queued for permanent deletion; permanently deleting scrubs the user's
// profile. Tickets are not deleted: they stay, with the requester shown as a
// deleted user, and their subject, description and comments keep the text
// people wrote. Zendesk refuses to delete a user who is the requester of a
// ticket that is not closed (HTTP 422), which the connector reports as
// kConflict with Zendesk's message.
#pragma once

#include <memory>

#include "connectors/http/api_client.h"
#include "connectors/http/ticket_api.h"

namespace dsr::connectors::http {

std::unique_ptr<TicketApi> NewZendeskApi(const HttpConfig& config, ApiClient::Sleeper sleeper);

}  // namespace dsr::connectors::http
