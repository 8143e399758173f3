// Which users an erasure or rectification in a ticketing system applies to
// (connectors/connector.h ActionScope), and small pieces both actions share.
// See ticket_actions.h for the rules.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "common/status.h"
#include "connectors/connector.h"
#include "connectors/http/http_config.h"
#include "connectors/http/subject_records.h"
#include "connectors/http/ticket_api.h"

namespace dsr::connectors::http {

// kInvalidArgument when the scope names a collection this connector does not have.
Status CheckSelection(const ActionScope& scope);

// Whether the scope's selection names `key` in `collection`.
bool Selected(const ActionScope& scope, const char* collection, const std::string& key);

// Fills located->users and returns the keys of those in scope: with kSubject
// the confirmed users plus those the selection names; with kOnly the named
// users, looked up by id. One that is gone keeps an empty record, so that an
// erasure cut short can still be finished.
Result<std::set<std::string>> ResolveUsers(TicketApi& api, const HttpConfig& config,
                                           const Subject& subject, const ActionScope& scope,
                                           LocatedRecords* located);

Status SendAll(const std::vector<FoundRecord>& records, RecordSink& sink);

// An outcome of `kind` for `records` records, or kNotFound when there are none.
CollectionOutcome Counted(const char* collection, OutcomeKind kind, int64_t records);

}  // namespace dsr::connectors::http
