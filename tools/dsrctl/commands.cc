#include "tools/dsrctl/commands.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <thread>

#include "common/civil_date.h"
#include "common/version.h"
#include "coordinator/deadlines/deadline.h"
#include "coordinator/deadlines/holiday_calendar.h"
#include "tools/dsrctl/api_client.h"
#include "tools/dsrctl/arguments.h"
#include "tools/dsrctl/printing.h"

namespace dsr::ctl {
namespace {

constexpr int kOk = 0;
constexpr int kFailed = 1;
constexpr int kUsage = 2;

struct Command {
  const char* name;
  const char* summary;
  const char* help;
  OptionSpec options;
  int (*run)(const Arguments& args, const char* help);
};

std::string BaseUrl(const Arguments& args) {
  const char* env = std::getenv("DSR_URL");
  return args.Value("--url", env != nullptr ? env : "http://127.0.0.1:8080");
}

int Report(const Status& status) {
  std::fprintf(stderr, "dsrctl: %s\n", status.ToString().c_str());
  return kFailed;
}

int UsageError(const std::string& message, const char* help) {
  std::fprintf(stderr, "dsrctl: %s\n\n%s", message.c_str(), help);
  return kUsage;
}

int Submit(const Arguments& args, const char* help) {
  nlohmann::json body = {{"type", args.Value("--type", "access")},
                         {"subject", nlohmann::json::object()}};
  const std::pair<const char*, const char*> identities[] = {{"--email", "email"},
                                                            {"--phone", "phone"},
                                                            {"--name", "name"},
                                                            {"--customer-id", "customer_id"}};
  for (const auto& [option, attribute] : identities) {
    if (args.Has(option)) body["subject"][attribute] = args.Value(option);
  }
  if (body["subject"].empty()) {
    return UsageError("give at least one identity (--email, --phone, --name, --customer-id)", help);
  }
  const std::pair<const char*, const char*> fields[] = {{"--received", "received_on"},
                                                        {"--language", "language"},
                                                        {"--channel", "channel"},
                                                        {"--note", "note"}};
  for (const auto& [option, field] : fields) {
    if (args.Has(option)) body[field] = args.Value(option);
  }
  auto created = ApiClient(BaseUrl(args)).Post("/api/v1/requests", body);
  if (!created.ok()) return Report(created.status());
  if (args.Has("--json")) return PrintJson(*created), kOk;
  PrintSubmitted(*created);
  return kOk;
}

int Show(const Arguments& args, const char* help) {
  if (args.positional().size() != 1) return UsageError("show needs one request id", help);
  auto request = ApiClient(BaseUrl(args)).Get("/api/v1/requests/" + args.positional()[0]);
  if (!request.ok()) return Report(request.status());
  if (args.Has("--json")) return PrintJson(*request), kOk;
  PrintRequest(*request);
  return kOk;
}

int List(const Arguments& args, const char*) {
  std::string path = "/api/v1/requests?limit=" + args.Value("--limit", "100");
  if (args.Has("--status")) path += "&status=" + args.Value("--status");
  auto list = ApiClient(BaseUrl(args)).Get(path);
  if (!list.ok()) return Report(list.status());
  if (args.Has("--json")) return PrintJson(*list), kOk;
  PrintRequestList(list->at("requests"));
  return kOk;
}

int Wait(const Arguments& args, const char* help) {
  if (args.positional().size() != 1) return UsageError("wait needs one request id", help);
  const int timeout_seconds = std::atoi(args.Value("--timeout", "120").c_str());
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
  const ApiClient client(BaseUrl(args));
  while (true) {
    auto request = client.Get("/api/v1/requests/" + args.positional()[0]);
    if (!request.ok()) return Report(request.status());
    const std::string status = request->at("status").get<std::string>();
    if (status == "completed") {
      if (args.Has("--json")) return PrintJson(*request), kOk;
      std::printf("%s\n", status.c_str());
      return kOk;
    }
    if (std::chrono::steady_clock::now() >= give_up) {
      std::fprintf(stderr, "dsrctl: request is still %s after %d s\n", status.c_str(),
                   timeout_seconds);
      return kFailed;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
}

int Bundle(const Arguments& args, const char* help) {
  if (args.positional().size() != 1) return UsageError("bundle needs one request id", help);
  const std::string id = args.positional()[0];
  const std::string out = args.Value("--out", "dsr-" + id + ".zip");
  Status downloaded = ApiClient(BaseUrl(args)).Download("/api/v1/requests/" + id + "/bundle", out);
  if (!downloaded.ok()) return Report(downloaded);
  if (args.Has("--json")) return PrintJson({{"path", out}}), kOk;
  std::printf("%s\n", out.c_str());
  return kOk;
}

int Deadline(const Arguments& args, const char* help) {
  if (!args.Has("--received")) return UsageError("deadline needs --received YYYY-MM-DD", help);
  auto received = CivilDate::Parse(args.Value("--received"));
  if (!received.ok()) return UsageError(received.status().message(), help);
  auto calendar = deadlines::NewHolidayCalendar(args.Value("--region", "DE"));
  if (!calendar.ok()) return UsageError(calendar.status().message(), help);
  auto from = deadlines::ParseExtensionFrom(args.Value("--extension-from", "first_period_end"));
  if (!from.ok()) return UsageError(from.status().message(), help);
  const CivilDate due = args.Has("--extended")
                            ? deadlines::ExtendedDueDate(*received, **calendar, *from)
                            : deadlines::DueDate(*received, **calendar);
  std::printf("%s\n", due.ToString().c_str());
  return kOk;
}

const OptionSpec kRemote{{"--url"}, {"--json"}};

OptionSpec Remote(std::set<std::string> with_value, std::set<std::string> flags = {}) {
  with_value.insert("--url");
  flags.insert("--json");
  return {with_value, flags};
}

const std::vector<Command>& Commands() {
  static const std::vector<Command> commands = {
      {"submit", "file a new data-subject request",
       "Usage: dsrctl submit [--type access] --email ADDRESS [--phone NUMBER] [--name NAME]\n"
       "                     [--customer-id ID] [--received YYYY-MM-DD] [--language de|en]\n"
       "                     [--channel email|web_form|letter|phone|chat|in_person|other]\n"
       "                     [--note TEXT] [--url URL] [--json]\n"
       "Files a request; at least one identity is required. Prints its id and due date.\n",
       Remote({"--type", "--email", "--phone", "--name", "--customer-id", "--received",
               "--language", "--channel", "--note"}),
       Submit},
      {"show", "show one request with its tasks and events",
       "Usage: dsrctl show ID [--url URL] [--json]\n", kRemote, Show},
      {"list", "list requests",
       "Usage: dsrctl list [--status received|in_progress|completed] [--limit N] [--url URL] "
       "[--json]\n",
       Remote({"--status", "--limit"}), List},
      {"wait", "wait until a request is completed",
       "Usage: dsrctl wait ID [--timeout SECONDS (default 120)] [--url URL] [--json]\n"
       "Exits 0 once the request is completed, 1 when the time-out passes first.\n",
       Remote({"--timeout"}), Wait},
      {"bundle", "download the response bundle (ZIP) of a completed request",
       "Usage: dsrctl bundle ID [--out FILE (default dsr-ID.zip)] [--url URL] [--json]\n",
       Remote({"--out"}), Bundle},
      {"deadline",
       "compute a due date offline (Art. 12(3) GDPR, Regulation 1182/71)",
       "Usage: dsrctl deadline --received YYYY-MM-DD [--extended] [--region DE]\n"
       "                       [--extension-from first_period_end|receipt]\n"
       "Prints the due date (with --extended the extended due date) as YYYY-MM-DD.\n"
       "Needs no running coordinator.\n",
       {{"--received", "--region", "--extension-from"}, {"--extended"}},
       Deadline},
  };
  return commands;
}

void PrintOverview(std::FILE* out) {
  std::fprintf(
      out,
      "Usage: dsrctl COMMAND [OPTIONS]\n\n"
      "Command-line client of the dsr coordinator (data-subject requests under the GDPR).\n"
      "The coordinator's URL comes from --url or $DSR_URL (default http://127.0.0.1:8080).\n\n"
      "Commands:\n");
  for (const auto& command : Commands()) {
    std::fprintf(out, "  %-10s %s\n", command.name, command.summary);
  }
  std::fprintf(out, "\nRun 'dsrctl COMMAND --help' for a command's options.\n");
}

}  // namespace

int RunDsrctl(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    // Asked for help: stdout and success; called wrongly: stderr and a usage error.
    PrintOverview(args.empty() ? stderr : stdout);
    return args.empty() ? kUsage : kOk;
  }
  if (args[0] == "--version") return std::printf("dsrctl %s\n", kDsrVersion), kOk;
  for (const auto& command : Commands()) {
    if (args[0] != command.name) continue;
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    for (const auto& arg : rest) {
      if (arg == "--help" || arg == "-h") return std::fputs(command.help, stdout), kOk;
    }
    auto parsed = Arguments::Parse(rest, command.options);
    if (!parsed.ok()) return UsageError(parsed.status().message(), command.help);
    return command.run(*parsed, command.help);
  }
  std::fprintf(stderr, "dsrctl: unknown command '%s'\n\n", args[0].c_str());
  PrintOverview(stderr);
  return kUsage;
}

}  // namespace dsr::ctl
