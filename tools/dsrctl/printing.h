// How dsrctl prints API answers for people (tables) and for scripts (--json).
#pragma once

#include <nlohmann/json.hpp>

namespace dsr::ctl {

void PrintJson(const nlohmann::json& value);
void PrintSubmitted(const nlohmann::json& request);
// The new due date on stdout; the old one and where the letter is on stderr.
void PrintExtended(const nlohmann::json& request);
void PrintRequest(const nlohmann::json& request);
void PrintRequestList(const nlohmann::json& requests);
void PrintRecords(const nlohmann::json& page);
void PrintEvents(const nlohmann::json& events);
void PrintHolds(const nlohmann::json& holds);
void PrintDashboard(const nlohmann::json& dashboard);

}  // namespace dsr::ctl
