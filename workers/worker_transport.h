// The worker's transport security settings from its config: its CurveZMQ
// key pair and the coordinator's public key (`curve`), or plaintext when the
// config says `allow_plaintext: true` and the coordinator is on loopback.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>

#include "common/status.h"
#include "workers/worker_runtime.h"

namespace dsr::workers {

// nullopt: plaintext, explicitly allowed. Errors name the config key.
Result<std::optional<WorkerCurveKeys>> LoadWorkerCurve(const nlohmann::json& config);

}  // namespace dsr::workers
