// dsrctl keygen: a CurveZMQ key pair for the coordinator's broker or a worker.
#include <cstdio>
#include <sstream>

#include "common/curve_keys.h"
#include "tools/dsrctl/command_support.h"

namespace dsr::ctl {
namespace {

constexpr const char* kKeygenHelp =
    "Usage: dsrctl keygen --name NAME [--dir DIR (default .)] [--sources S1,S2,...]\n"
    "Writes a CurveZMQ key pair for the coordinator's broker or a worker:\n"
    "DIR/NAME.key (the secret key, mode 0600) and DIR/NAME.pub (the public key,\n"
    "mode 0644); an existing file is never overwritten. Prints the public key and,\n"
    "for a worker, the entry to paste into the coordinator's broker.workers\n"
    "(--sources: the sources the key may serve). Format: docs/OPERATIONS.md.\n";

bool IsPlainName(const std::string& name) {
  if (name.empty() || name.size() > 128) return false;
  for (char c : name) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '.' || c == '_' || c == '-';
    if (!plain) return false;
  }
  return name[0] != '.';
}

std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> items;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (!item.empty()) items.push_back(item);
  }
  return items;
}

int Keygen(const Arguments& args, const char* help) {
  const std::string name = args.Value("--name");
  if (!IsPlainName(name)) {
    return UsageError("keygen needs --name NAME (letters, digits, '.', '_', '-')", help);
  }
  const std::vector<std::string> sources = SplitList(args.Value("--sources"));
  for (const auto& source : sources) {
    if (!IsPlainName(source))
      return UsageError("--sources: '" + source + "' is no source name", help);
  }
  const std::string dir = args.Value("--dir", ".");
  const std::string secret_path = dir + "/" + name + ".key";
  const std::string public_path = dir + "/" + name + ".pub";
  auto pair = GenerateCurveKeyPair();
  if (!pair.ok()) return Report(pair.status());
  Status written =
      WriteCurveKeyPair(*pair, secret_path, public_path, "dsr CurveZMQ key '" + name + "'");
  if (!written.ok()) return Report(written);
  std::printf("secret key: %s (mode 0600; keep it on this host only)\n", secret_path.c_str());
  std::printf("public key: %s\n%s\n\n", public_path.c_str(), pair->public_key.c_str());
  std::printf("For a worker, in the coordinator's config under broker.workers:\n");
  std::printf("  - name: %s\n    public_key: \"%s\"\n    sources: [", name.c_str(),
              pair->public_key.c_str());
  for (size_t i = 0; i < sources.size(); ++i) {
    std::printf("%s%s", i == 0 ? "" : ", ", sources[i].c_str());
  }
  std::fputs(sources.empty() ? "SOURCE]    # the sources this key may serve (--sources)\n" : "]\n",
             stdout);
  return kOk;
}

}  // namespace

std::vector<Command> KeyCommands() {
  return {{"keygen", "write a CurveZMQ key pair for the broker or a worker", kKeygenHelp,
           OptionSpec{{"--name", "--dir", "--sources"}, {}}, Keygen}};
}

}  // namespace dsr::ctl
