// Discover for ticketing systems: reads a sample of the account's users and
// tickets, and the comments of some of those tickets, and reports each field
// path that holds personal data ("users.phone", "tickets.description",
// "comments.metadata.system.ip_address") with the kinds found there
// (connectors/discovery.h). Array elements share their array's place.
// Reads only; never returns values.
#pragma once

#include <vector>

#include "common/status.h"
#include "connectors/connector.h"
#include "connectors/http/ticket_api.h"

namespace dsr::connectors::http {

// `sample`: users and tickets read at most, each; comments are read for the
// first tenth of the sampled tickets (at least one).
Result<std::vector<PersonalDataPlace>> DiscoverPersonalData(TicketApi& api, int64_t sample);

}  // namespace dsr::connectors::http
