#include "tools/dsrctl/arguments.h"

namespace dsr::ctl {

Result<Arguments> Arguments::Parse(const std::vector<std::string>& args, const OptionSpec& spec) {
  Arguments parsed;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg.rfind("--", 0) != 0 || arg == "--") {
      parsed.positional_.push_back(arg);
      continue;
    }
    std::string name = arg;
    std::string value;
    const size_t equals = arg.find('=');
    const bool inline_value = equals != std::string::npos;
    if (inline_value) {
      name = arg.substr(0, equals);
      value = arg.substr(equals + 1);
    }
    if (spec.flags.count(name) > 0) {
      if (inline_value) return InvalidArgument(name + " takes no value");
      parsed.flags_.insert(name);
    } else if (spec.with_value.count(name) > 0) {
      if (!inline_value) {
        // "--note --json" forgot the note; it is not a note reading "--json".
        if (i + 1 >= args.size() || args[i + 1].rfind("--", 0) == 0) {
          return InvalidArgument(name + " needs a value");
        }
        value = args[++i];
      }
      parsed.values_[name] = value;
    } else {
      return InvalidArgument("unknown option " + name);
    }
  }
  return parsed;
}

std::string Arguments::Value(const std::string& name, const std::string& fallback) const {
  const auto found = values_.find(name);
  return found == values_.end() ? fallback : found->second;
}

}  // namespace dsr::ctl
