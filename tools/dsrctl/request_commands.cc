#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "tools/dsrctl/command_support.h"
#include "tools/dsrctl/printing.h"
#include "tools/dsrctl/request_queries.h"

namespace dsr::ctl {
namespace {

// --new-email, --new-street … → the "corrections" object of a rectification.
nlohmann::json Corrections(const Arguments& args) {
  nlohmann::json corrections = nlohmann::json::object();
  if (args.Has("--new-email")) corrections["email"] = args.Value("--new-email");
  if (args.Has("--new-phone")) corrections["phone"] = args.Value("--new-phone");
  const std::pair<const char*, const char*> name_parts[] = {{"--new-given-name", "given"},
                                                            {"--new-family-name", "family"}};
  for (const auto& [option, part] : name_parts) {
    if (args.Has(option)) corrections["name"][part] = args.Value(option);
  }
  const std::pair<const char*, const char*> address_parts[] = {{"--new-street", "street"},
                                                               {"--new-postal-code", "postal_code"},
                                                               {"--new-city", "city"},
                                                               {"--new-country", "country"}};
  for (const auto& [option, part] : address_parts) {
    if (args.Has(option)) corrections["postal_address"][part] = args.Value(option);
  }
  return corrections;
}

int Submit(const Arguments& args, const char* help) {
  nlohmann::json body = {{"type", args.Value("--type", "access")},
                         {"subject", nlohmann::json::object()}};
  const std::pair<const char*, const char*> identities[] = {{"--email", "email"},
                                                            {"--phone", "phone"},
                                                            {"--name", "name"},
                                                            {"--customer-id", "customer_id"},
                                                            {"--ip-address", "ip_address"}};
  for (const auto& [option, attribute] : identities) {
    if (args.Has(option)) body["subject"][attribute] = args.Value(option);
  }
  if (body["subject"].empty()) {
    return UsageError(
        "give at least one identity (--email, --phone, --name, --customer-id, --ip-address)", help);
  }
  const std::pair<const char*, const char*> fields[] = {{"--received", "received_on"},
                                                        {"--language", "language"},
                                                        {"--channel", "channel"},
                                                        {"--note", "note"}};
  for (const auto& [option, field] : fields) {
    if (args.Has(option)) body[field] = args.Value(option);
  }
  const nlohmann::json corrections = Corrections(args);
  if (!corrections.empty()) body["corrections"] = corrections;
  auto created = ClientFor(args).Post("/api/v1/requests", body);
  if (!created.ok()) return Report(created.status());
  if (args.Has("--json")) return PrintJson(*created), kOk;
  PrintSubmitted(*created);
  return kOk;
}

int Show(const Arguments& args, const char* help) {
  const std::string id = OnlyPositional(args);
  if (id.empty()) return UsageError("show needs one request id", help);
  auto request = ClientFor(args).Get("/api/v1/requests/" + id);
  if (!request.ok()) return Report(request.status());
  if (args.Has("--json")) return PrintJson(*request), kOk;
  PrintRequest(*request);
  return kOk;
}

// `list` and `requests`: the same listing, `requests` with deadline filters.
int List(const Arguments& args, const char* help) {
  auto path = RequestListPath(args);
  if (!path.ok()) return UsageError(path.status().message(), help);
  auto list = ClientFor(args).Get(*path);
  if (!list.ok()) return Report(list.status());
  if (args.Has("--json")) return PrintJson(*list), kOk;
  PrintRequestList(list->at("requests"));
  return kOk;
}

int Dashboard(const Arguments& args, const char* help) {
  if (!args.positional().empty()) return UsageError("dashboard takes no arguments", help);
  std::string path = "/api/v1/dashboard";
  const char* separator = "?";
  for (const char* option : {"--from", "--to"}) {
    if (!args.Has(option)) continue;
    path += separator + std::string(option + 2) + "=" + args.Value(option);
    separator = "&";
  }
  auto dashboard = ClientFor(args).Get(path);
  if (!dashboard.ok()) return Report(dashboard.status());
  if (args.Has("--json")) return PrintJson(*dashboard), kOk;
  PrintDashboard(*dashboard);
  return kOk;
}

int Wait(const Arguments& args, const char* help) {
  if (args.positional().size() != 1) return UsageError("wait needs one request id", help);
  const int timeout_seconds = std::atoi(args.Value("--timeout", "120").c_str());
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
  const ApiClient client = ClientFor(args);
  while (true) {
    auto request = client.Get("/api/v1/requests/" + args.positional()[0]);
    if (!request.ok()) return Report(request.status());
    const std::string status = request->at("status").get<std::string>();
    const std::string until = args.Value("--until", "completed");
    if (status == until ||
        (until == "completed" && (status == "rejected" || status == "cancelled"))) {
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
  Status downloaded = ClientFor(args).Download("/api/v1/requests/" + id + "/bundle", out);
  if (!downloaded.ok()) return Report(downloaded);
  if (args.Has("--json")) return PrintJson({{"path", out}}), kOk;
  std::printf("%s\n", out.c_str());
  return kOk;
}

int Letter(const Arguments& args, const char* help) {
  const std::string id = OnlyPositional(args);
  if (id.empty()) return UsageError("letter needs one request id", help);
  const bool extension = args.Has("--extension");
  const std::string out =
      args.Value("--out", (extension ? "dsr-extension-" : "dsr-letter-") + id + ".html");
  Status downloaded = ClientFor(args).Download(
      "/api/v1/requests/" + id + (extension ? "/extension-letter" : "/letter"), out);
  if (!downloaded.ok()) return Report(downloaded);
  if (args.Has("--json")) return PrintJson({{"path", out}}), kOk;
  std::printf("%s\n", out.c_str());
  return kOk;
}

int Records(const Arguments& args, const char* help) {
  const std::string id = OnlyPositional(args);
  if (id.empty()) return UsageError("records needs one request id", help);
  std::string path = "/api/v1/requests/" + id + "/records?offset=" + args.Value("--offset", "0") +
                     "&limit=" + args.Value("--limit", "100");
  if (args.Has("--ambiguous")) path += "&match=ambiguous";
  if (args.Has("--source")) path += "&source=" + args.Value("--source");
  if (args.Has("--collection")) path += "&collection=" + args.Value("--collection");
  auto records = ClientFor(args).Get(path);
  if (!records.ok()) return Report(records.status());
  if (args.Has("--json")) return PrintJson(*records), kOk;
  PrintRecords(*records);
  return kOk;
}

int Events(const Arguments& args, const char* help) {
  const std::string id = OnlyPositional(args);
  if (id.empty()) return UsageError("events needs one request id", help);
  auto events = ClientFor(args).Get("/api/v1/requests/" + id + "/events");
  if (!events.ok()) return Report(events.status());
  if (args.Has("--json")) return PrintJson(*events), kOk;
  PrintEvents(events->at("events"));
  return kOk;
}

}  // namespace

std::vector<Command> RequestCommands() {
  return {
      {"submit", "file a new data-subject request",
       "Usage: dsrctl submit [--type access|erasure|rectification] --email ADDRESS [--phone "
       "NUMBER]\n"
       "                     [--name NAME] [--customer-id ID] [--ip-address IP]\n"
       "                     [--received YYYY-MM-DD]\n"
       "                     [--language de|en] [--channel "
       "email|web_form|letter|phone|chat|in_person|other]\n"
       "                     [--note TEXT] [--url URL] [--json]\n"
       "  rectification:     [--new-email A] [--new-phone N] [--new-given-name G] "
       "[--new-family-name F]\n"
       "                     [--new-street S] [--new-postal-code P] [--new-city C] [--new-country "
       "CC]\n"
       "Files a request; at least one identity is required. Prints its id; the due date goes to "
       "stderr.\n",
       Remote({"--type", "--email", "--phone", "--name", "--customer-id", "--ip-address",
               "--received", "--language", "--channel", "--note", "--new-email", "--new-phone",
               "--new-given-name", "--new-family-name", "--new-street", "--new-postal-code",
               "--new-city", "--new-country"}),
       Submit},
      {"show", "show one request with its tasks, outcomes, holds and events",
       "Usage: dsrctl show ID [--url URL] [--json]\n", Remote({}), Show},
      {"list", "list requests",
       "Usage: dsrctl list [--status received|awaiting_identity|in_progress|in_review|completed|\n"
       "                            rejected|cancelled] [--limit N] [--url URL] [--json]\n",
       Remote({"--status", "--limit"}), List},
      {"requests", "list requests by deadline; --overdue, --due-within: open ones only",
       "Usage: dsrctl requests [--overdue] [--due-within Nd] [--status STATUS] [--limit N]\n"
       "                       [--url URL] [--json]\n"
       "Lists like 'list'. --overdue keeps the overdue requests; --due-within 7d (or 7) those\n"
       "due in 7 days or fewer, overdue ones included. With either, only open requests are\n"
       "listed, most urgent first.\n",
       Remote({"--status", "--limit", "--due-within"}, {"--overdue"}), List},
      {"dashboard", "the DPO's figures: open requests, deadlines, failing sources, timeliness",
       "Usage: dsrctl dashboard [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--url URL] [--json]\n"
       "The period (default: the 90 days up to today) is for the figures of closed requests.\n",
       Remote({"--from", "--to"}), Dashboard},
      {"wait", "wait until a request reaches a status",
       "Usage: dsrctl wait ID [--until STATUS (default completed)] [--timeout SECONDS (default "
       "120)]\n"
       "                      [--url URL] [--json]\n"
       "Exits 0 once the request has the status (for completed: or is rejected or cancelled),\n"
       "1 when the time-out passes first.\n",
       Remote({"--timeout", "--until"}), Wait},
      {"bundle", "download the response bundle (ZIP) of a completed access request",
       "Usage: dsrctl bundle ID [--out FILE (default dsr-ID.zip)] [--url URL] [--json]\n",
       Remote({"--out"}), Bundle},
      {"letter", "download the letter of a closed request, or of an extension (HTML)",
       "Usage: dsrctl letter ID [--extension] [--out FILE (default dsr-letter-ID.html)] [--url "
       "URL] [--json]\n"
       "--extension fetches the notice that the deadline was extended "
       "(dsr-extension-ID.html).\n",
       Remote({"--out"}, {"--extension"}), Letter},
      {"records", "list the records the sources reported, for review",
       "Usage: dsrctl records ID [--ambiguous] [--source S] [--collection C] [--offset N] [--limit "
       "N]\n"
       "                         [--url URL] [--json]\n",
       Remote({"--source", "--collection", "--offset", "--limit"}, {"--ambiguous"}), Records},
      {"events", "show a request's audit events", "Usage: dsrctl events ID [--url URL] [--json]\n",
       Remote({}), Events},
  };
}

}  // namespace dsr::ctl
