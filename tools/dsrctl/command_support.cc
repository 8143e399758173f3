#include "tools/dsrctl/command_support.h"

#include <cstdio>
#include <cstdlib>

#include "common/secret_file.h"

namespace dsr::ctl {

std::string BaseUrl(const Arguments& args) {
  const char* env = std::getenv("DSR_URL");
  return args.Value("--url", env != nullptr ? env : "https://127.0.0.1:8080");
}

std::string CaFile(const Arguments& args) {
  const char* env = std::getenv("DSR_CA_FILE");
  return args.Value("--ca-file", env != nullptr ? env : "");
}


Result<std::string> TokenOf(const Arguments& args) {
  if (args.Has("--token-file")) return ReadSecretFile(args.Value("--token-file"), "--token-file");
  const char* env = std::getenv("DSR_TOKEN");
  return std::string(env != nullptr ? env : "");
}

ApiClient Api(const Arguments& args) {
  return ApiClient(BaseUrl(args), CaFile(args), TokenOf(args));
}

int Report(const Status& status) {
  std::fprintf(stderr, "dsrctl: %s\n", status.ToString().c_str());
  return kFailed;
}

int UsageError(const std::string& message, const char* help) {
  std::fprintf(stderr, "dsrctl: %s\n\n%s", message.c_str(), help);
  return kUsage;
}

std::string OnlyPositional(const Arguments& args) {
  return args.positional().size() == 1 ? args.positional()[0] : std::string();
}

OptionSpec Remote(std::set<std::string> with_value, std::set<std::string> flags) {
  with_value.insert("--url");
  with_value.insert("--ca-file");
  with_value.insert("--token-file");
  flags.insert("--json");
  return {with_value, flags};
}

}  // namespace dsr::ctl
