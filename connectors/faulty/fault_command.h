// FaultCommand: one command of the fault-injecting connector's control file
// (faulty_connector.h), for tests and fault drills only.
//
//   command = "none"
//           / "fail" SP ("unavailable" / "internal") [when]
//           / "stall" SP milliseconds [when]
//           / "die" [when]
//   when    = SP "after-records" SP count      ; once the action reported ≥ count records
//           / SP "at-end"                      ; only after the wrapped action has finished
//
// Without `when` a command applies at every check point of an action. Blank
// lines and lines starting with '#' are ignored; the first other line is the
// command; an empty file means "none".
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace dsr::connectors {

struct FaultCommand {
  enum class Kind { kNone, kFail, kStall, kDie };
  enum class When { kAnyCheckPoint, kAfterRecords, kAtEnd };

  Kind kind = Kind::kNone;
  StatusCode fail_code = StatusCode::kUnavailable;  // kFail: kUnavailable or kInternal
  std::chrono::milliseconds stall{0};               // kStall
  When when = When::kAnyCheckPoint;
  int64_t after_records = 0;  // kAfterRecords

  bool operator==(const FaultCommand& other) const;
  bool operator!=(const FaultCommand& other) const { return !(*this == other); }
};

// Where an action stands when the wrapper looks for a fault.
struct CheckPoint {
  int64_t records = 0;  // records the action reported so far
  bool at_end = false;  // the wrapped action has returned
};

// Parses the text of a control file (see the grammar above). kInvalidArgument
// naming the problem for anything else.
Result<FaultCommand> ParseFaultCommand(std::string_view text);

// Whether `command` applies at `point`.
bool AppliesAt(const FaultCommand& command, const CheckPoint& point);

// The command as the control file would spell it ("stall 500 after-records 3").
std::string Describe(const FaultCommand& command);

}  // namespace dsr::connectors
