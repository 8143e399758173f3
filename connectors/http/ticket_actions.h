// Erasure and rectification in a ticketing system (the HTTP connector's
// Erase and Rectify), above the product seam TicketApi.
//
// Scope (connectors/connector.h ActionScope) is by user: kSubject takes the
// confirmed users plus the users the selection names; kOnly takes the users
// the selection names, by id alone. The tickets those users requested, and
// the comments of those tickets, follow them; keys of tickets and comments
// in a selection change nothing by themselves, except after retention
// (below). Ambiguous users outside the scope, and the tickets and comments
// reached only from them, go to `untouched`.
//
// Erase with config erasure.strategy delete (the default): deletes for good
// each ticket a user in scope requested, its comments with it, then the user
// (TicketApi::EraseTicket, EraseUser); outcomes users, tickets and comments
// kErased. Then it verifies: a user in scope that is still found (by search
// or by id), or a deleted ticket that its id still shows, fails the action
// with kInternal ("verification failed: ...").
//
// Tickets a user in scope is only copied on belong to their requesters: they
// stay as they are, with their comments (the subject's entry on them then
// names a deleted user). They are not the subject's to erase, so they are in
// no outcome; they go to `untouched`, confirmed, so that the review shows
// where the subject still appears in other people's tickets.
//
// strategy retain: nothing changes. The users in scope, their requested
// tickets and those tickets' comments are reported kRetained under
// erasure.retain's legal basis until the end of the period that starts with
// the ticket's creation (a comment's with its ticket's, a user's with the
// latest of its tickets', or its own creation's when it requested none): one
// outcome per collection and end date, with the keys. Copied-on tickets go to
// `untouched` as above. A record in scope without a readable creation date
// fails the action (kInternal) instead of being kept for a guessed period.
//
// After retention (kOnly with retention_ended, whatever the strategy):
// exactly the tickets and users the selection names are deleted by key (the
// keys of a retention hold) and verified gone; comments are counted with
// their tickets. A comment cannot be deleted on its own: it went with its
// ticket, named by the hold of the same end date, so a selection of comments
// alone is reported kNotApplicable. A user named alone whose requested
// tickets still exist may be refused by the product (kConflict).
//
// Rectify writes the mapped attributes (config `rectify`) of each user in
// scope: users kUpdated, tickets and comments kNotApplicable. Ambiguous users
// outside the scope go to `untouched`. An e-mail correction replaces the
// address the subject gave and the one the user's record shows
// (TicketApi::ReplaceEmail); further addresses the user holds stay. Then it
// verifies: a user that still holds a corrected address, or whose primary
// address is not the new one, fails the action with kInternal
// ("verification failed: ...").
#pragma once

#include <vector>

#include "common/status.h"
#include "connectors/connector.h"
#include "connectors/http/http_config.h"
#include "connectors/http/ticket_api.h"

namespace dsr::connectors::http {

Result<std::vector<CollectionOutcome>> EraseSubject(TicketApi& api, const HttpConfig& config,
                                                    const Subject& subject,
                                                    const ActionScope& scope,
                                                    RecordSink& untouched);

Result<std::vector<CollectionOutcome>> RectifySubject(TicketApi& api, const HttpConfig& config,
                                                      const Subject& subject,
                                                      const Corrections& corrections,
                                                      const ActionScope& scope,
                                                      RecordSink& untouched);

}  // namespace dsr::connectors::http
