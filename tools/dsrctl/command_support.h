// What dsrctl's command files share: exit codes, the command table entry, and
// small helpers for reporting. Internal to dsrctl.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "tools/dsrctl/api_client.h"
#include "tools/dsrctl/arguments.h"

namespace dsr::ctl {

inline constexpr int kOk = 0;
inline constexpr int kFailed = 1;  // the coordinator or the network said no
inline constexpr int kUsage = 2;

struct Command {
  const char* name;
  const char* summary;
  const char* help;
  OptionSpec options;
  int (*run)(const Arguments& args, const char* help);
};

// The coordinator's URL: --url, else $DSR_URL, else https://127.0.0.1:8080.
std::string BaseUrl(const Arguments& args);
// The file that the coordinator's certificate is verified against: --ca-file,
// else $DSR_CA_FILE, else none (the system's trusted CAs).
std::string CaFile(const Arguments& args);
// The API token: the file --token-file names, else $DSR_TOKEN; empty when
// neither is given (the coordinator then answers 401).
Result<std::string> TokenOf(const Arguments& args);
// The API client for BaseUrl, CaFile and TokenOf.
ApiClient Api(const Arguments& args);
int Report(const Status& status);
int UsageError(const std::string& message, const char* help);
// The one positional argument (a request id); empty when there is not exactly one.
std::string OnlyPositional(const Arguments& args);
// Options every remote command takes: --url, --ca-file, --token-file and --json.
OptionSpec Remote(std::set<std::string> with_value, std::set<std::string> flags = {});

// The command groups, each in its own file.
std::vector<Command> RequestCommands();  // submit, show, list, requests, dashboard, wait, bundle,
                                         // letter, records, events
std::vector<Command> ReviewCommands();   // identity, pause, resume, deliver, review, approve,
                                         // reject, cancel, retry, holds
std::vector<Command> OfflineCommands();  // deadline, audit
std::vector<Command> KeyCommands();      // keygen
std::vector<Command> AccountCommands();  // user, token (on the store)

}  // namespace dsr::ctl
