// dsrctl's commands: one table of name, summary, help text and handler.
#pragma once

#include <string>
#include <vector>

namespace dsr::ctl {

// Runs dsrctl with its arguments (without argv[0]); returns the exit code:
// 0 success, 1 failure reported by the coordinator or the network, 2 usage error.
int RunDsrctl(const std::vector<std::string>& args);

}  // namespace dsr::ctl
