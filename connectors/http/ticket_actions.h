// Erasure and rectification in a ticketing system (the HTTP connector's
// Erase and Rectify), above the product seam TicketApi.
//
// Scope (connectors/connector.h ActionScope) is by user: kSubject takes the
// confirmed users plus the users the selection names; kOnly takes the users
// the selection names, by id alone. Tickets and comments follow their users;
// keys of them in a selection are accepted and change nothing by themselves.
//
// Erase deletes each user in scope for good (TicketApi::EraseUser). The
// product keeps the tickets and their comments and anonymizes their link to
// the person (zendesk_api.h); the outcomes say so: users kErased, tickets and
// comments of those users kAnonymized. Then it verifies: a user in scope that
// is still found (by search or by id) fails the action with kInternal
// ("verification failed: ..."). Rectify writes the mapped attributes (config
// `rectify`) of each user in scope: users kUpdated, tickets and comments
// kNotApplicable. Ambiguous users outside the scope (and, for Erase, the
// tickets and comments reached only from them) go to `untouched`.
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
