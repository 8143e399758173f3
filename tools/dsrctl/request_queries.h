// How `dsrctl list` and `dsrctl requests` turn their options into the query
// of GET /api/v1/requests. Pure; internal to dsrctl.
#pragma once

#include <string>

#include "common/status.h"
#include "tools/dsrctl/arguments.h"

namespace dsr::ctl {

// "--due-within" as days: "7d" or "7", from 0 to 366. kInvalidArgument otherwise.
Result<int> ParseDueWithin(const std::string& text);

// "/api/v1/requests?limit=…" with status=, deadline=overdue and due_within=
// from --limit, --status, --overdue and --due-within (those given).
Result<std::string> RequestListPath(const Arguments& args);

}  // namespace dsr::ctl
