// Arguments: the command line of one dsrctl command, checked against the
// options that command accepts ("--name value" options and "--flag" flags).
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/status.h"

namespace dsr::ctl {

struct OptionSpec {
  std::set<std::string> with_value;  // "--email"
  std::set<std::string> flags;       // "--json"
};

class Arguments {
 public:
  static Result<Arguments> Parse(const std::vector<std::string>& args, const OptionSpec& spec);

  bool Has(const std::string& name) const {
    return values_.count(name) > 0 || flags_.count(name) > 0;
  }
  std::string Value(const std::string& name, const std::string& fallback = "") const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::map<std::string, std::string> values_;
  std::set<std::string> flags_;
  std::vector<std::string> positional_;
};

}  // namespace dsr::ctl
