// Commands that move a request on: identity check, pause and resume, the
// extension of the deadline, review decisions, approval, rejection,
// cancellation, task retry; and the holds list.
#include <cstdio>
#include <fstream>

#include "tools/dsrctl/command_support.h"
#include "tools/dsrctl/printing.h"

namespace dsr::ctl {
namespace {

// POSTs `body` to /api/v1/requests/ID/<action> and prints the updated request.
int PostAction(const Arguments& args, const char* help, const std::string& action,
               const nlohmann::json& body) {
  const std::string id = OnlyPositional(args);
  if (id.empty()) return UsageError(action + " needs one request id", help);
  auto updated = Api(args).Post("/api/v1/requests/" + id + "/" + action, body);
  if (!updated.ok()) return Report(updated.status());
  if (args.Has("--json")) return PrintJson(*updated), kOk;
  PrintRequest(*updated);
  return kOk;
}

// Puts --option values into `body` under their field names.
void CopyOptions(const Arguments& args,
                 std::initializer_list<std::pair<const char*, const char*>> options,
                 nlohmann::json* body) {
  for (const auto& [option, field] : options) {
    if (args.Has(option)) (*body)[field] = args.Value(option);
  }
}

int Identity(const Arguments& args, const char* help) {
  if (!args.Has("--method") || !args.Has("--outcome")) {
    return UsageError("identity needs --method and --outcome", help);
  }
  nlohmann::json body = nlohmann::json::object();
  CopyOptions(args, {{"--method", "method"}, {"--outcome", "outcome"}, {"--note", "note"}}, &body);
  return PostAction(args, help, "identity", body);
}

int Pause(const Arguments& args, const char* help) {
  if (!args.Has("--reason")) return UsageError("pause needs --reason", help);
  return PostAction(args, help, "pause", {{"reason", args.Value("--reason")}});
}

int Resume(const Arguments& args, const char* help) {
  return PostAction(args, help, "resume", nlohmann::json::object());
}

// Prints the new due date on stdout (for scripts), what changed on stderr.
int Extend(const Arguments& args, const char* help) {
  const std::string id = OnlyPositional(args);
  if (id.empty()) return UsageError("extend needs one request id", help);
  if (!args.Has("--reason")) return UsageError("extend needs --reason", help);
  auto updated =
      Api(args).Post("/api/v1/requests/" + id + "/extend", {{"reason", args.Value("--reason")}});
  if (!updated.ok()) return Report(updated.status());
  if (args.Has("--json")) return PrintJson(*updated), kOk;
  PrintExtended(*updated);
  return kOk;
}

// Prints the link on stdout, and the one-time code on the next line when
// asked for one: both are shown only now.
int Deliver(const Arguments& args, const char* help) {
  const std::string id = OnlyPositional(args);
  if (id.empty()) return UsageError("deliver needs one request id", help);
  nlohmann::json body = {{"one_time_code", args.Has("--code")}};
  if (args.Has("--days")) {
    const std::string days = args.Value("--days");
    if (days.empty() || days.size() > 2 ||
        days.find_first_not_of("0123456789") != std::string::npos)
      return UsageError("--days must be a whole number of days from 1 to 30", help);
    body["expires_in_days"] = std::stoi(days);
  }
  auto link = Api(args).Post("/api/v1/requests/" + id + "/delivery", body);
  if (!link.ok()) return Report(link.status());
  if (args.Has("--json")) return PrintJson(*link), kOk;
  std::printf("%s\n", link->at("url").get<std::string>().c_str());
  if (link->at("one_time_code").is_string())
    std::printf("%s\n", link->at("one_time_code").get<std::string>().c_str());
  std::fprintf(stderr, "delivery link for request %s, valid until %s%s\n", id.c_str(),
               link->at("expires_at").get<std::string>().c_str(),
               link->at("one_time_code").is_string()
                   ? "; send the code (second line) to the data subject by another channel"
                   : "");
  return kOk;
}

int Review(const Arguments& args, const char* help) {
  const int chosen = args.Has("--exclude") + args.Has("--include") + args.Has("--fields");
  if (chosen != 1) return UsageError("give exactly one of --exclude, --include, --fields", help);
  if (!args.Has("--task") || !args.Has("--collection") || !args.Has("--line") ||
      !args.Has("--reason")) {
    return UsageError("review needs --task, --collection, --line and --reason", help);
  }
  nlohmann::json body = {{"task_id", args.Value("--task")},
                         {"collection", args.Value("--collection")},
                         {"reason", args.Value("--reason")}};
  try {
    body["line"] = std::stoll(args.Value("--line"));
  } catch (const std::exception&) {
    return UsageError("--line must be a number", help);
  }
  if (args.Has("--exclude")) body["decision"] = "exclude";
  if (args.Has("--include")) body["decision"] = "include";
  if (args.Has("--fields")) {
    body["decision"] = "redact_fields";
    body["fields"] = nlohmann::json::array();
    std::string list = args.Value("--fields");
    for (size_t start = 0; start <= list.size();) {
      const size_t comma = list.find(',', start);
      const std::string field =
          list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (!field.empty()) body["fields"].push_back(field);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  return PostAction(args, help, "redactions", body);
}

int Approve(const Arguments& args, const char* help) {
  nlohmann::json body = nlohmann::json::object();
  CopyOptions(args, {{"--note", "note"}}, &body);
  return PostAction(args, help, "approve", body);
}

int Reject(const Arguments& args, const char* help) {
  if (!args.Has("--ground") || !args.Has("--reason"))
    return UsageError("reject needs --ground and --reason", help);
  return PostAction(args, help, "reject",
                    {{"ground", args.Value("--ground")}, {"reason", args.Value("--reason")}});
}

int Cancel(const Arguments& args, const char* help) {
  if (!args.Has("--reason")) return UsageError("cancel needs --reason", help);
  return PostAction(args, help, "cancel", {{"reason", args.Value("--reason")}});
}

int Retry(const Arguments& args, const char* help) {
  if (!args.Has("--task")) return UsageError("retry needs --task", help);
  return PostAction(args, help, "tasks/" + args.Value("--task") + "/retry",
                    nlohmann::json::object());
}

int Holds(const Arguments& args, const char*) {
  std::string path = "/api/v1/holds";
  if (args.Has("--status")) path += "?status=" + args.Value("--status");
  auto holds = Api(args).Get(path);
  if (!holds.ok()) return Report(holds.status());
  if (args.Has("--json")) return PrintJson(*holds), kOk;
  PrintHolds(holds->at("holds"));
  return kOk;
}

// Checks discovery reports (dsr-worker --discover) against the record of
// processing and prints the places it does not list.
int Discover(const Arguments& args, const char* help) {
  if (args.positional().empty()) return UsageError("discover needs at least one report file", help);
  const ApiClient client = Api(args);
  nlohmann::json results = nlohmann::json::array();
  for (const auto& path : args.positional()) {
    std::ifstream in(path);
    const auto report = nlohmann::json::parse(in, nullptr, false);
    if (!in || report.is_discarded())
      return Report(InvalidArgument(path + " is not a JSON discovery report"));
    auto checked = client.Post("/api/v1/record-of-processing/check", report);
    if (!checked.ok()) return Report(checked.status().WithContext(path));
    results.push_back(*checked);
  }
  if (args.Has("--json")) return PrintJson(results), kOk;
  for (const auto& result : results) {
    const auto& unlisted = result.at("unlisted");
    std::printf("%s: %s places hold personal data, %zu not listed in the record of processing\n",
                result.at("source").get<std::string>().c_str(), result.at("places").dump().c_str(),
                unlisted.size());
    for (const auto& place : unlisted) {
      std::string kinds;
      for (const auto& kind : place.at("kinds"))
        kinds += (kinds.empty() ? "" : ", ") + kind.get<std::string>();
      std::printf("  NOT LISTED  %-50s %s (%s found)\n",
                  place.at("place").get<std::string>().c_str(), kinds.c_str(),
                  place.at("occurrences").dump().c_str());
    }
  }
  return kOk;
}

}  // namespace

std::vector<Command> ReviewCommands() {
  return {
      {"identity", "record how the data subject's identity was checked",
       "Usage: dsrctl identity ID --method "
       "email_reply|customer_login|id_document|callback|in_person|other\n"
       "                          --outcome confirmed|failed [--note TEXT] [--url URL] [--json]\n"
       "A confirmed identity starts the tasks; a failed one rejects the request.\n",
       Remote({"--method", "--outcome", "--note"}), Identity},
      {"pause", "stop the deadline clock while the data subject is asked for more",
       "Usage: dsrctl pause ID --reason TEXT [--url URL] [--json]\n", Remote({"--reason"}), Pause},
      {"resume", "start the deadline clock again; the due date moves by the paused days",
       "Usage: dsrctl resume ID [--url URL] [--json]\n", Remote({}), Resume},
      {"extend", "extend the deadline once by two further months (Art. 12(3)), with the reasons",
       "Usage: dsrctl extend ID --reason TEXT [--url URL] [--json]\n"
       "Allowed once, before the first deadline has passed. The reasons go into the letter that\n"
       "tells the data subject (`dsrctl letter ID --extension`). Prints the new due date.\n",
       Remote({"--reason"}), Extend},
      {"deliver", "make a link by which the data subject downloads the sealed bundle",
       "Usage: dsrctl deliver ID [--days N (1-30, default 14)] [--code] [--url URL] [--json]\n"
       "Prints the link; with --code also an 8-digit code the link asks for, to be sent to\n"
       "the data subject by another channel (phone, SMS, letter). Both are shown only once.\n",
       Remote({"--days"}, {"--code"}), Deliver},
      {"review", "decide on one reported record during review",
       "Usage: dsrctl review ID --task TASK --collection C --line N --reason TEXT\n"
       "                        (--exclude | --include | --fields a,b) [--url URL] [--json]\n"
       "--exclude withholds a record (other people's data, Art. 15(4), or an ambiguous record\n"
       "that is not the subject's); --fields withholds only those fields; --include accepts an\n"
       "ambiguous record as the subject's. `dsrctl records ID` lists tasks, collections and "
       "lines.\n",
       Remote({"--task", "--collection", "--line", "--reason", "--fields"},
              {"--exclude", "--include"}),
       Review},
      {"approve", "approve the reviewed answer (seals the bundle or writes the letter)",
       "Usage: dsrctl approve ID [--note TEXT] [--url URL] [--json]\n", Remote({"--note"}),
       Approve},
      {"reject", "refuse a request, with the ground and a reason",
       "Usage: dsrctl reject ID --ground "
       "manifestly_unfounded|excessive|identity_not_established|other\n"
       "                        --reason TEXT [--url URL] [--json]\n",
       Remote({"--ground", "--reason"}), Reject},
      {"cancel", "close a request the data subject withdrew",
       "Usage: dsrctl cancel ID --reason TEXT [--url URL] [--json]\n", Remote({"--reason"}),
       Cancel},
      {"retry", "run a failed task again",
       "Usage: dsrctl retry ID --task TASK [--url URL] [--json]\n", Remote({"--task"}), Retry},
      {"discover", "show where sources hold personal data their record of processing does not list",
       "Usage: dsrctl discover REPORT.json [REPORT.json ...] [--url URL] [--json]\n"
       "Each report comes from `dsr-worker --config FILE --discover` run next to a source.\n",
       Remote({}), Discover},
      {"holds", "list records kept under a legal obligation, and until when",
       "Usage: dsrctl holds [--status active|ended] [--url URL] [--json]\n", Remote({"--status"}),
       Holds},
  };
}

}  // namespace dsr::ctl
