#include "connectors/faulty/fault_command.h"

#include <sstream>
#include <vector>

namespace dsr::connectors {
namespace {

constexpr int64_t kMaxStallMs = 24LL * 3600 * 1000;

// The first line that is neither blank nor a comment, split into words.
std::vector<std::string> CommandWords(std::string_view text) {
  std::istringstream lines{std::string(text)};
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    std::vector<std::string> found;
    for (std::string word; words >> word;) found.push_back(word);
    if (!found.empty() && found.front()[0] != '#') return found;
  }
  return {};
}

Result<int64_t> Count(const std::string& word, const char* what, int64_t max) {
  if (word.empty() || word.size() > 12 ||
      word.find_first_not_of("0123456789") != std::string::npos) {
    return InvalidArgument(std::string(what) + " must be a whole number, not '" + word + "'");
  }
  const int64_t value = std::stoll(word);
  if (value > max) return InvalidArgument(std::string(what) + " is over " + std::to_string(max));
  return value;
}

// Reads the optional `when` from words[at...].
Status ParseWhen(const std::vector<std::string>& words, size_t at, FaultCommand* command) {
  if (at == words.size()) return Status::Ok();
  if (words[at] == "at-end" && at + 1 == words.size()) {
    command->when = FaultCommand::When::kAtEnd;
    return Status::Ok();
  }
  if (words[at] == "after-records" && at + 2 == words.size()) {
    auto count = Count(words[at + 1], "after-records", 1'000'000'000);
    if (!count.ok()) return count.status();
    command->when = FaultCommand::When::kAfterRecords;
    command->after_records = *count;
    return Status::Ok();
  }
  return InvalidArgument("expected 'after-records N' or 'at-end' after the command, not '" +
                         words[at] + "'");
}

}  // namespace

bool FaultCommand::operator==(const FaultCommand& other) const {
  return kind == other.kind && fail_code == other.fail_code && stall == other.stall &&
         when == other.when && after_records == other.after_records;
}

Result<FaultCommand> ParseFaultCommand(std::string_view text) {
  const auto words = CommandWords(text);
  FaultCommand command;
  if (words.empty()) return command;
  if (words[0] == "none") {
    if (words.size() > 1) return InvalidArgument("'none' takes nothing after it");
    return command;
  }
  size_t when_at = 1;
  if (words[0] == "fail") {
    command.kind = FaultCommand::Kind::kFail;
    if (words.size() < 2 || (words[1] != "unavailable" && words[1] != "internal")) {
      return InvalidArgument("'fail' needs 'unavailable' or 'internal'");
    }
    command.fail_code = words[1] == "internal" ? StatusCode::kInternal : StatusCode::kUnavailable;
    when_at = 2;
  } else if (words[0] == "stall") {
    command.kind = FaultCommand::Kind::kStall;
    if (words.size() < 2) return InvalidArgument("'stall' needs the milliseconds");
    auto ms = Count(words[1], "stall milliseconds", kMaxStallMs);
    if (!ms.ok()) return ms.status();
    command.stall = std::chrono::milliseconds(*ms);
    when_at = 2;
  } else if (words[0] == "die") {
    command.kind = FaultCommand::Kind::kDie;
  } else {
    return InvalidArgument("unknown fault command '" + words[0] +
                           "' (known: none, fail, stall, die)");
  }
  DSR_RETURN_IF_ERROR(ParseWhen(words, when_at, &command));
  return command;
}

bool AppliesAt(const FaultCommand& command, const CheckPoint& point) {
  if (command.kind == FaultCommand::Kind::kNone) return false;
  switch (command.when) {
    case FaultCommand::When::kAnyCheckPoint:
      return true;
    case FaultCommand::When::kAfterRecords:
      return point.records >= command.after_records;
    case FaultCommand::When::kAtEnd:
      return point.at_end;
  }
  return false;
}

std::string Describe(const FaultCommand& command) {
  std::string text;
  switch (command.kind) {
    case FaultCommand::Kind::kNone:
      return "none";
    case FaultCommand::Kind::kFail:
      text = std::string("fail ") + StatusCodeName(command.fail_code);
      break;
    case FaultCommand::Kind::kStall:
      text = "stall " + std::to_string(command.stall.count());
      break;
    case FaultCommand::Kind::kDie:
      text = "die";
      break;
  }
  if (command.when == FaultCommand::When::kAfterRecords) {
    text += " after-records " + std::to_string(command.after_records);
  } else if (command.when == FaultCommand::When::kAtEnd) {
    text += " at-end";
  }
  return text;
}

}  // namespace dsr::connectors
