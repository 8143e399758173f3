// The fault-injecting connector (kind: faulty): a wrapper around another
// connector that makes its actions fail, stall or kill the worker process on
// command, so that tests and fault drills can show what dsr does when a
// source or a worker misbehaves. FOR TESTS AND DRILLS ONLY: never the default,
// never configured in production (docs/OPERATIONS.md, "Fault drills").
//
// Check points: the start of every action, every `check_every_records`
// records the action reports (exported records, or the records an erasure
// or rectification left alone), and the end, after the wrapped action has
// returned. At each one the wrapper reads the control file
// (fault_command.h) and, when it has `random`, draws once; then it
//   - fails the action with the command's Status (kUnavailable or kInternal),
//   - stalls: sleeps, in slices of 100 ms, until the time is up or the
//     control file says something else,
//   - dies: ends the process at once with _exit(kFaultDeathExitCode), as a
//     crash would (no goodbye to the coordinator, nothing flushed).
// A control file that cannot be parsed fails the action with kInvalidArgument
// naming the file; a missing one means "none". Every fault is logged once per
// action, naming the action, the command and the record count, never a value.
//
// The wrapper reports the wrapped connector's kind, so that the coordinator
// sees the source's own connector. Not thread-safe (as every connector).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>

#include "connectors/connector.h"

namespace dsr::connectors {

// The exit code of a worker that died on command.
constexpr int kFaultDeathExitCode = 86;

struct RandomFaults {
  uint64_t seed = 0;
  double fail_rate = 0;   // fail with kUnavailable
  double stall_rate = 0;  // stall for `stall`
  double die_rate = 0;
  std::chrono::milliseconds stall{1000};
};

struct FaultSettings {
  std::string control_file;  // empty: no commands
  int64_t check_every_records = 10;
  std::optional<RandomFaults> random;
};

// How faults reach the world; tests replace them so that nothing waits or dies.
struct FaultEffects {
  std::function<void(std::chrono::milliseconds)> sleep;  // default: std::this_thread::sleep_for
  std::function<void()> die;                             // default: _exit(kFaultDeathExitCode)
};

// Reads the settings from a validated `connector:` section of kind faulty
// (schemas/config/connector-faulty.json); kValidation when the random rates
// add up to more than 1.
Result<FaultSettings> FaultSettingsFrom(const nlohmann::json& config);

// Wraps `inner`. Empty `effects` members take their defaults.
std::unique_ptr<Connector> NewFaultyConnector(std::unique_ptr<Connector> inner,
                                              FaultSettings settings, FaultEffects effects = {});

}  // namespace dsr::connectors
