#include "tools/dsrctl/commands.h"

#include <cstdio>

#include "common/version.h"
#include "tools/dsrctl/command_support.h"

namespace dsr::ctl {
namespace {

const std::vector<Command>& Commands() {
  static const std::vector<Command> commands = [] {
    std::vector<Command> all;
    for (auto group : {RequestCommands(), ReviewCommands(), OfflineCommands(), KeyCommands(),
                       AccountCommands()}) {
      for (auto& command : group) all.push_back(std::move(command));
    }
    return all;
  }();
  return commands;
}

void PrintOverview(std::FILE* out) {
  std::fprintf(
      out,
      "Usage: dsrctl COMMAND [OPTIONS]\n\n"
      "Command-line client of the dsr coordinator (data-subject requests under the GDPR).\n"
      "The coordinator's URL comes from --url or $DSR_URL (default https://127.0.0.1:8080);\n"
      "its certificate is checked against --ca-file or $DSR_CA_FILE (its own certificate or\n"
      "the CA that signed it), else against the system's trusted CAs. The API token comes\n"
      "from --token-file or $DSR_TOKEN (see 'dsrctl token --help').\n\n"
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
