// The `zendesk` profile: TicketApi over the Zendesk Support API v2.
//
//   search users        GET    /api/v2/users/search.json?query=email:<address>
//   show user           GET    /api/v2/users/{id}.json
//   requested tickets   GET    /api/v2/users/{id}/tickets/requested.json
//   copied tickets      GET    /api/v2/users/{id}/tickets/ccd.json
//   show ticket         GET    /api/v2/tickets/{id}.json
//   comments            GET    /api/v2/tickets/{id}/comments.json
//   update user         PUT    /api/v2/users/{id}.json  {"user": {...}}
//   list identities     GET    /api/v2/users/{id}/identities.json
//   create identity     POST   /api/v2/users/{id}/identities.json  {"identity": {...}}
//   make primary        PUT    /api/v2/users/{id}/identities/{identity}/make_primary.json
//   delete identity     DELETE /api/v2/users/{id}/identities/{identity}.json
//   delete user         DELETE /api/v2/users/{id}.json            (soft delete)
//   permanently delete  DELETE /api/v2/deleted_users/{id}.json    (scrubs the user)
//   delete ticket       DELETE /api/v2/tickets/{id}.json          (soft delete)
//   permanently delete  DELETE /api/v2/deleted_tickets/{id}.json  (with its comments)
//   sample              GET    /api/v2/users.json, /api/v2/tickets.json
//
// Lists are read with cursor pagination (page[size], meta.has_more,
// links.next); search answers with offset pagination (next_page). Both are
// followed, but only to links on the configured origin.
//
// What Zendesk documents for erasure: a deleted user is soft-deleted and
// queued for permanent deletion; permanently deleting scrubs the user's
// profile. A user's tickets are not deleted with the user: they stay, with
// the requester shown as a deleted user, and their subject, description and
// comments keep the text people wrote. So the connector deletes the tickets
// itself: a deleted ticket leaves every list and view (soft delete, answered
// 204), and permanently deleting it removes it with its comments (Zendesk
// runs that as a background job and answers 200 with its job_status).
// Zendesk refuses to delete a user who is the requester of a ticket that is
// not closed (HTTP 422), which the connector reports as kConflict with
// Zendesk's message; since the connector deletes the user's requested tickets
// first, that happens only when a user is erased by id alone while tickets it
// requests remain (see ticket_actions.h).
//
// What Zendesk documents for a user's e-mail addresses: they are the user's
// identities, of which one is primary and shown as the user's `email`; that
// field is writeable on create only, and updating it adds a secondary
// address while the old one stays. So the connector replaces an address
// through the identities: it adds the new one (unless the user has it), makes
// it primary, deletes the corrected ones, and the caller checks the list
// again. A phone number is corrected in the user's `phone`, which Zendesk
// documents as writable (a shared number is no identity of anyone).
#pragma once

#include <memory>

#include "connectors/http/api_client.h"
#include "connectors/http/ticket_api.h"

namespace dsr::connectors::http {

std::unique_ptr<TicketApi> NewZendeskApi(const HttpConfig& config, ApiClient::Sleeper sleeper);

}  // namespace dsr::connectors::http
