#include "connectors/faulty/faulty_connector.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <thread>

#include "common/log.h"
#include "connectors/faulty/fault_command.h"

namespace dsr::connectors {
namespace {

constexpr auto kStallSlice = std::chrono::milliseconds(100);
constexpr size_t kMaxControlFileBytes = 4096;

// One action on its way: its name, the records it reported, and which faults
// were logged already (a stall at every record is logged once).
struct ActionRun {
  std::string name;
  int64_t records = 0;
  std::set<std::string> logged;
};

class FaultyConnector final : public Connector {
 public:
  FaultyConnector(std::unique_ptr<Connector> inner, FaultSettings settings, FaultEffects effects)
      : inner_(std::move(inner)), settings_(std::move(settings)), effects_(std::move(effects)) {
    if (!effects_.sleep) {
      effects_.sleep = [](std::chrono::milliseconds time) { std::this_thread::sleep_for(time); };
    }
    if (!effects_.die) effects_.die = [] { _exit(kFaultDeathExitCode); };
    if (settings_.random) random_.seed(settings_.random->seed);
  }

  std::string_view kind() const override { return inner_->kind(); }

  Result<LocateReport> Locate(const Subject& subject) override {
    ActionRun run{"locate", 0, {}};
    DSR_RETURN_IF_ERROR(Check(run, false));
    auto report = inner_->Locate(subject);
    if (!report.ok()) return report;
    DSR_RETURN_IF_ERROR(Check(run, true));
    return report;
  }

  Status Export(const Subject& subject, RecordSink& sink) override {
    ActionRun run{"export", 0, {}};
    DSR_RETURN_IF_ERROR(Check(run, false));
    CheckingSink checking(*this, run, sink);
    DSR_RETURN_IF_ERROR(inner_->Export(subject, checking));
    return Check(run, true);
  }

  Result<std::vector<CollectionOutcome>> Erase(const Subject& subject, const ActionScope& scope,
                                               RecordSink& untouched) override {
    ActionRun run{"erase", 0, {}};
    DSR_RETURN_IF_ERROR(Check(run, false));
    CheckingSink checking(*this, run, untouched);
    auto outcomes = inner_->Erase(subject, scope, checking);
    if (!outcomes.ok()) return outcomes;
    DSR_RETURN_IF_ERROR(Check(run, true));
    return outcomes;
  }

  Result<std::vector<CollectionOutcome>> Rectify(const Subject& subject,
                                                 const Corrections& corrections,
                                                 const ActionScope& scope,
                                                 RecordSink& untouched) override {
    ActionRun run{"rectify", 0, {}};
    DSR_RETURN_IF_ERROR(Check(run, false));
    CheckingSink checking(*this, run, untouched);
    auto outcomes = inner_->Rectify(subject, corrections, scope, checking);
    if (!outcomes.ok()) return outcomes;
    DSR_RETURN_IF_ERROR(Check(run, true));
    return outcomes;
  }

  Result<std::vector<PersonalDataPlace>> Discover() override {
    ActionRun run{"discover", 0, {}};
    DSR_RETURN_IF_ERROR(Check(run, false));
    auto places = inner_->Discover();
    if (!places.ok()) return places;
    DSR_RETURN_IF_ERROR(Check(run, true));
    return places;
  }

 private:
  // Passes records on and makes a check point of every n-th.
  class CheckingSink final : public RecordSink {
   public:
    CheckingSink(FaultyConnector& owner, ActionRun& run, RecordSink& next)
        : owner_(owner), run_(run), next_(next) {}
    Status Add(const FoundRecord& found) override {
      DSR_RETURN_IF_ERROR(next_.Add(found));
      ++run_.records;
      if (run_.records % owner_.settings_.check_every_records != 0) return Status::Ok();
      return owner_.Check(run_, false);
    }

   private:
    FaultyConnector& owner_;
    ActionRun& run_;
    RecordSink& next_;
  };

  // The control file's command; "none" when there is no file.
  Result<FaultCommand> ReadCommand() const {
    if (settings_.control_file.empty()) return FaultCommand{};
    std::error_code error;
    if (!std::filesystem::exists(settings_.control_file, error)) return FaultCommand{};
    std::ifstream in(settings_.control_file, std::ios::binary);
    if (!in) return InvalidArgument("cannot read the fault control file " + settings_.control_file);
    std::string text(kMaxControlFileBytes, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<size_t>(in.gcount()));
    auto command = ParseFaultCommand(text);
    if (!command.ok()) {
      return command.status().WithContext("fault control file " + settings_.control_file);
    }
    return command;
  }

  // The random fault of this check point, "none" mostly.
  FaultCommand Draw() {
    FaultCommand command;
    if (!settings_.random) return command;
    const RandomFaults& rates = *settings_.random;
    const double draw = std::uniform_real_distribution<double>(0.0, 1.0)(random_);
    if (draw < rates.die_rate) {
      command.kind = FaultCommand::Kind::kDie;
    } else if (draw < rates.die_rate + rates.fail_rate) {
      command.kind = FaultCommand::Kind::kFail;
      command.fail_code = StatusCode::kUnavailable;
    } else if (draw < rates.die_rate + rates.fail_rate + rates.stall_rate) {
      command.kind = FaultCommand::Kind::kStall;
      command.stall = rates.stall;
    }
    return command;
  }

  Status Check(ActionRun& run, bool at_end) {
    const CheckPoint point{run.records, at_end};
    auto commanded = ReadCommand();
    if (!commanded.ok()) return commanded.status();
    if (AppliesAt(*commanded, point)) DSR_RETURN_IF_ERROR(Apply(*commanded, run, true));
    const FaultCommand drawn = Draw();
    if (AppliesAt(drawn, point)) DSR_RETURN_IF_ERROR(Apply(drawn, run, false));
    return Status::Ok();
  }

  Status Apply(const FaultCommand& command, ActionRun& run, bool from_control_file) {
    const std::string what =
        Describe(command) + (from_control_file ? " (control file)" : " (random)");
    const std::string where = run.name + " after " + std::to_string(run.records) + " records";
    if (run.logged.insert(what).second || command.kind == FaultCommand::Kind::kDie) {
      Log(command.kind == FaultCommand::Kind::kDie ? LogLevel::kError : LogLevel::kWarn, "faulty",
          "fault drill: " + what + " at " + where);
    }
    switch (command.kind) {
      case FaultCommand::Kind::kNone:
        return Status::Ok();
      case FaultCommand::Kind::kFail:
        return Status(command.fail_code, "fault drill: injected failure (" + what + ")");
      case FaultCommand::Kind::kStall:
        Stall(command, from_control_file);
        return Status::Ok();
      case FaultCommand::Kind::kDie:
        effects_.die();
        // Only a test's `die` comes back.
        return Internal("fault drill: the process was told to die (" + what + ")");
    }
    return Status::Ok();
  }

  // Sleeps for the command's time; a stall from the control file ends early
  // when the file says something else (an operator releasing it).
  void Stall(const FaultCommand& command, bool from_control_file) {
    auto left = command.stall;
    while (left.count() > 0) {
      const auto slice = std::min(left, std::chrono::milliseconds(kStallSlice));
      effects_.sleep(slice);
      left -= slice;
      if (!from_control_file) continue;
      auto now = ReadCommand();
      if (!now.ok() || *now != command) return;
    }
  }

  std::unique_ptr<Connector> inner_;
  FaultSettings settings_;
  FaultEffects effects_;
  std::mt19937_64 random_;
};

}  // namespace

Result<FaultSettings> FaultSettingsFrom(const nlohmann::json& config) {
  FaultSettings settings;
  settings.control_file = config.value("control_file", "");
  settings.check_every_records = config.value("check_every_records", int64_t{10});
  if (const auto random = config.find("random"); random != config.end()) {
    RandomFaults rates;
    rates.seed = random->at("seed").get<uint64_t>();
    rates.fail_rate = random->value("fail_rate", 0.0);
    rates.stall_rate = random->value("stall_rate", 0.0);
    rates.die_rate = random->value("die_rate", 0.0);
    rates.stall = std::chrono::milliseconds(random->value("stall_ms", int64_t{1000}));
    if (rates.fail_rate + rates.stall_rate + rates.die_rate > 1.0) {
      return ValidationError(
          "connector.random: fail_rate, stall_rate and die_rate add up to more "
          "than 1");
    }
    settings.random = rates;
  }
  return settings;
}

std::unique_ptr<Connector> NewFaultyConnector(std::unique_ptr<Connector> inner,
                                              FaultSettings settings, FaultEffects effects) {
  LogWarn("faulty",
          "fault injection is on: this worker fails, stalls or dies on purpose (tests and drills "
          "only)");
  return std::make_unique<FaultyConnector>(std::move(inner), std::move(settings),
                                           std::move(effects));
}

}  // namespace dsr::connectors
