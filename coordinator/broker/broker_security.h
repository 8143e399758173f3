// What the broker needs to authenticate workers with CurveZMQ: the
// coordinator's secret key and the allow-list of worker keys, each with the
// name messages are attributed to and the sources it may serve.
#pragma once

#include <string>
#include <vector>

namespace dsr::broker {

struct AllowedWorker {
  std::string name;        // attributed to every message of this key (ZAP user id)
  std::string public_key;  // Z85, 40 characters
  std::vector<std::string> sources;

  bool MayServe(const std::string& source) const {
    for (const auto& allowed : sources) {
      if (allowed == source) return true;
    }
    return false;
  }
};

struct BrokerSecurity {
  std::string secret_key;  // the coordinator's, Z85
  std::vector<AllowedWorker> workers;

  const AllowedWorker* FindByName(const std::string& name) const {
    for (const auto& worker : workers) {
      if (worker.name == name) return &worker;
    }
    return nullptr;
  }
};

}  // namespace dsr::broker
