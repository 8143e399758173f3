// Users and API tokens, on the store itself: they need no running
// coordinator, so that the first admin can be made before anyone can sign in
// (and so that an admin locked out can get back in). Passwords come from a
// file or stdin, never from the command line, where other users of the
// machine could read them.
#include <cstdio>
#include <iostream>
#include <memory>

#include "common/clock.h"
#include "common/secret_file.h"
#include "coordinator/auth/accounts.h"
#include "tools/dsrctl/command_support.h"

namespace dsr::ctl {
namespace {

// The actor of the audit events of changes made with dsrctl on the store.
constexpr const char* kCommandLineActor = "dsrctl";

// The subcommand: the one positional argument, when it is one of `known`.
std::string Subcommand(const Arguments& args, std::initializer_list<const char*> known) {
  if (args.positional().size() != 1) return "";
  for (const char* name : known) {
    if (args.positional()[0] == name) return name;
  }
  return "";
}

// Opens the store of --store and runs `body` on its accounts.
template <typename Body>
int WithAccounts(const Arguments& args, const char* help, Body&& body) {
  if (!args.Has("--store")) return UsageError("--store URL is needed", help);
  auto store = store::Store::Open(args.Value("--store"), 1);
  if (!store.ok()) return Report(store.status());
  const auto clock = NewSystemClock();
  auth::Accounts accounts(**store, *clock);
  return body(accounts);
}

// The password: the file --password-file names, else the first line of stdin.
Result<std::string> PasswordOf(const Arguments& args) {
  if (args.Has("--password-file"))
    return ReadSecretFile(args.Value("--password-file"), "--password-file");
  std::string line;
  if (!std::getline(std::cin, line) || line.empty())
    return InvalidArgument("no password: give --password-file FILE or the password on stdin");
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

int User(const Arguments& args, const char* help) {
  const std::string sub = Subcommand(args, {"add", "list", "disable"});
  if (sub.empty()) return UsageError("the user command is: user add|list|disable", help);
  return WithAccounts(args, help, [&](auth::Accounts& accounts) {
    if (sub == "list") {
      auto users = accounts.ListUsers();
      if (!users.ok()) return Report(users.status());
      for (const auto& user : *users) {
        std::printf("%-24s %-8s created %s%s\n", user.name.c_str(), user.role.c_str(),
                    user.created_at.c_str(),
                    user.disabled_at ? (", disabled " + *user.disabled_at).c_str() : "");
      }
      return kOk;
    }
    if (!args.Has("--name")) return UsageError("user " + sub + " needs --name", help);
    const std::string name = args.Value("--name");
    if (sub == "disable") {
      Status disabled = accounts.DisableUser(name, kCommandLineActor);
      if (!disabled.ok()) return Report(disabled);
      std::printf("disabled %s; its tokens and sessions no longer work\n", name.c_str());
      return kOk;
    }
    if (!args.Has("--role")) return UsageError("user add needs --role", help);
    auto role = auth::ParseRole(args.Value("--role"));
    if (!role.ok()) return UsageError(role.status().message(), help);
    auto password = PasswordOf(args);
    if (!password.ok()) return Report(password.status());
    auto user = accounts.CreateUser(name, *role, *password, kCommandLineActor);
    if (!user.ok()) return Report(user.status());
    std::printf("added %s (%s)\n", user->name.c_str(), user->role.c_str());
    return kOk;
  });
}

int Token(const Arguments& args, const char* help) {
  const std::string sub = Subcommand(args, {"create", "list", "revoke"});
  if (sub.empty()) return UsageError("the token command is: token create|list|revoke", help);
  return WithAccounts(args, help, [&](auth::Accounts& accounts) {
    if (sub == "revoke") {
      if (!args.Has("--id")) return UsageError("token revoke needs --id", help);
      Status revoked = accounts.RevokeToken(args.Value("--id"), kCommandLineActor);
      if (!revoked.ok()) return Report(revoked);
      std::printf("revoked %s\n", args.Value("--id").c_str());
      return kOk;
    }
    if (!args.Has("--user")) return UsageError("token " + sub + " needs --user", help);
    const std::string user = args.Value("--user");
    if (sub == "list") {
      auto tokens = accounts.TokensOf(user);
      if (!tokens.ok()) return Report(tokens.status());
      for (const auto& token : *tokens) {
        std::printf("%s  %s  created %s  expires %s%s\n", token.id.c_str(),
                    token.label.value_or("-").c_str(), token.created_at.c_str(),
                    token.expires_at.value_or("never").c_str(),
                    token.revoked_at ? ("  revoked " + *token.revoked_at).c_str() : "");
      }
      return kOk;
    }
    std::optional<std::string> label;
    if (args.Has("--label")) label = args.Value("--label");
    std::optional<int> days;
    if (args.Has("--expires-days")) {
      const std::string text = args.Value("--expires-days");
      if (text.empty() || text.size() > 4 ||
          text.find_first_not_of("0123456789") != std::string::npos)
        return UsageError("--expires-days must be a whole number of days", help);
      days = std::stoi(text);
    }
    auto issued = accounts.IssueToken(user, label, days, kCommandLineActor);
    if (!issued.ok()) return Report(issued.status());
    // The token alone on stdout, so that a script can capture it; what it is
    // on stderr. It is not shown again: the store keeps only its SHA-256.
    std::printf("%s\n", issued->token.c_str());
    std::fprintf(stderr, "token %s for %s, expires %s; it is shown only this once\n",
                 issued->record.id.c_str(), user.c_str(),
                 issued->record.expires_at.value_or("never").c_str());
    return kOk;
  });
}

}  // namespace

std::vector<Command> AccountCommands() {
  return {
      {"user",
       "add, list or disable users of the API (on the store)",
       "Usage: dsrctl user add --store URL --name NAME --role agent|dpo|admin|auditor\n"
       "                      [--password-file FILE]\n"
       "       dsrctl user list --store URL\n"
       "       dsrctl user disable --store URL --name NAME\n"
       "Works on the store directly (e.g. --store \"sqlite3://db=/var/lib/dsr/dsr.db\"), so\n"
       "the first admin can be made before the coordinator runs. The password (at\n"
       "least 12 characters) comes from --password-file or the first line of stdin,\n"
       "never from the command line. A disabled user's tokens and sessions stop working.\n",
       {{"--store", "--name", "--role", "--password-file"}, {}},
       User},
      {"token",
       "create, list or revoke API tokens (on the store)",
       "Usage: dsrctl token create --store URL --user NAME [--label TEXT] [--expires-days D]\n"
       "       dsrctl token list --store URL --user NAME\n"
       "       dsrctl token revoke --store URL --id TOKEN_ID\n"
       "create prints the new token (dsr_…) alone on stdout, once: the store keeps\n"
       "only its SHA-256. dsrctl's API commands send it from --token-file FILE or\n"
       "$DSR_TOKEN; other clients as the header Authorization: Bearer <token>.\n",
       {{"--store", "--user", "--label", "--expires-days", "--id"}, {}},
       Token},
  };
}

}  // namespace dsr::ctl
