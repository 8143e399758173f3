// The sample ticket system: a Zendesk-like support account for the customers
// of the sample CRM, written as the data file of dsr-zendesk-standin
// (tools/zendesk-standin/README.md): {"users": [...], "tickets": [...],
// "comments": [...]}, each object shaped as the Zendesk API v2 returns it;
// comments carry the stand-in's "ticket_id".
//
// Who has a user there: the first customer of every SAMPLE line (and the
// customers those share a phone or an address with), plus about a quarter of
// the others, and five agents. E-mail addresses are stored in lower case, as
// Zendesk does. Customers request tickets (in German or English, by
// country), some are copied on other people's tickets, and comments mention
// names, order numbers and now and then a phone number or an e-mail address.
//
// On purpose: the "typical" sample customer's phone number in the ticket
// system is an old one that differs from the CRM's, so that the coordinator
// shows where sources disagree (and the user is ambiguous when the agent
// gives the CRM's number). That customer's tickets are all closed, and the
// customer is copied on a ticket of someone else, so that erasure succeeds
// (Zendesk refuses to delete the requester of a ticket that is not closed).
// Other customers may have open tickets.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "common/status.h"
#include "tools/sample-crm/sample_crm_data.h"

namespace dsr::sample_crm {

// The same `data` and `seed` give the same account on every machine.
nlohmann::json GenerateSampleTickets(const SampleCrmData& data, uint64_t seed);

// Writes GenerateSampleTickets(data, seed) to `json_path` (replacing it whole).
Status WriteSampleTickets(const SampleCrmData& data, const std::string& json_path, uint64_t seed);

}  // namespace dsr::sample_crm
