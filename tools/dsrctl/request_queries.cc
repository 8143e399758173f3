#include "tools/dsrctl/request_queries.h"

namespace dsr::ctl {

Result<int> ParseDueWithin(const std::string& text) {
  std::string digits = text;
  if (!digits.empty() && digits.back() == 'd') digits.pop_back();
  const bool ok = !digits.empty() && digits.size() <= 3 &&
                  digits.find_first_not_of("0123456789") == std::string::npos;
  const int days = ok ? std::stoi(digits) : -1;
  if (!ok || days > 366) {
    return InvalidArgument("--due-within takes days from 0 to 366, as 7d or 7, not '" + text + "'");
  }
  return days;
}

Result<std::string> RequestListPath(const Arguments& args) {
  std::string path = "/api/v1/requests?limit=" + args.Value("--limit", "100");
  if (args.Has("--status")) path += "&status=" + args.Value("--status");
  if (args.Has("--overdue")) path += "&deadline=overdue";
  if (args.Has("--due-within")) {
    auto days = ParseDueWithin(args.Value("--due-within"));
    if (!days.ok()) return days.status();
    path += "&due_within=" + std::to_string(*days);
  }
  return path;
}

}  // namespace dsr::ctl
