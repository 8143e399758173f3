#include "connectors/http/ticket_discovery.h"

#include <map>
#include <nlohmann/json.hpp>

#include "connectors/discovery.h"
#include "connectors/http/subject_records.h"

namespace dsr::connectors::http {
namespace {

using Places = std::map<std::string, PersonalDataPlace>;

void Scan(const std::string& place, const nlohmann::json& value, Places* places) {
  if (value.is_string()) {
    const Detection detection = DetectPersonalData(value.get<std::string>());
    if (detection.kinds.empty()) return;
    PersonalDataPlace& found = (*places)[place];
    found.place = place;
    found.kinds.insert(detection.kinds.begin(), detection.kinds.end());
    found.occurrences += detection.occurrences;
  } else if (value.is_object()) {
    for (const auto& [field, inner] : value.items()) Scan(place + "." + field, inner, places);
  } else if (value.is_array()) {
    for (const auto& element : value) Scan(place, element, places);
  }
}

RecordVisitor Scanner(const char* collection, Places* places) {
  return [collection, places](const nlohmann::json& record) {
    Scan(collection, record, places);
    return Status::Ok();
  };
}

}  // namespace

Result<std::vector<PersonalDataPlace>> DiscoverPersonalData(TicketApi& api, int64_t sample) {
  Places places;
  DSR_RETURN_IF_ERROR(api.SampleUsers(sample, Scanner(kUsers, &places)));
  std::vector<std::string> tickets;
  const RecordVisitor scan_ticket = Scanner(kTickets, &places);
  DSR_RETURN_IF_ERROR(api.SampleTickets(sample, [&](const nlohmann::json& ticket) {
    tickets.push_back(IdOf(ticket));
    return scan_ticket(ticket);
  }));
  const size_t with_comments = std::max<size_t>(1, tickets.size() / 10);
  for (size_t i = 0; i < tickets.size() && i < with_comments; ++i) {
    DSR_RETURN_IF_ERROR(api.ListComments(tickets[i], Scanner(kComments, &places)));
  }
  std::vector<PersonalDataPlace> found;
  for (auto& [place, data] : places) found.push_back(std::move(data));
  return found;
}

}  // namespace dsr::connectors::http
