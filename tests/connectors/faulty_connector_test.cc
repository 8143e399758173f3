// The fault-injecting wrapper: its command grammar, each fault at its check
// point, seeded random faults, the factory's checks, and a real death.
#include "connectors/faulty/faulty_connector.h"

#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "common/config_file.h"
#include "common/schema.h"
#include "connectors/faulty/fault_command.h"
#include "tests/support/temp_dir.h"
#include "tests/workers/memory_connector.h"

namespace dsr::connectors {
namespace {

using dsr::testing::TempDir;
using dsr::workers::testing::MemoryConnector;
using dsr::workers::testing::SampleRecords;

class ListSink final : public RecordSink {
 public:
  Status Add(const FoundRecord& found) override {
    records.push_back(found.record);
    return Status::Ok();
  }
  std::vector<nlohmann::json> records;
};

std::string ExampleConfig(const std::string& name) {
  const char* source = std::getenv("DSR_SOURCE_DIR");
  std::ifstream in(std::string(source ? source : ".") + "/deploy/examples/" + name);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void Command(const TempDir& dir, const std::string& text) {
  std::ofstream(dir.File("faults"), std::ios::trunc) << text;
}

// A wrapped MemoryConnector whose sleeps and death are only recorded.
struct Wrapped {
  TempDir dir;
  MemoryConnector* memory = nullptr;
  std::vector<int64_t> sleeps;
  int deaths = 0;
  std::function<void()> on_sleep;
  std::unique_ptr<Connector> connector;

  explicit Wrapped(int64_t check_every = 1, std::optional<RandomFaults> random = std::nullopt) {
    auto inner = std::make_unique<MemoryConnector>(SampleRecords());
    memory = inner.get();
    FaultSettings settings{dir.File("faults"), check_every, random};
    FaultEffects effects{[this](std::chrono::milliseconds time) {
                           sleeps.push_back(time.count());
                           if (on_sleep) on_sleep();
                         },
                         [this] { ++deaths; }};
    connector = NewFaultyConnector(std::move(inner), settings, effects);
  }

  Status Export(ListSink& sink) { return connector->Export({{"email", "a@example.org"}}, sink); }
};

}  // namespace

TEST_SUITE("FaultyConnector") {
  TEST_CASE("parses every command of the grammar and spells it back the same way") {
    for (const char* text : {"none", "fail unavailable", "fail internal", "stall 250", "die",
                             "fail internal after-records 3", "stall 60000 after-records 12",
                             "die at-end", "die after-records 0"}) {
      CAPTURE(text);
      auto command = ParseFaultCommand(text);
      REQUIRE(command.ok());
      CHECK(Describe(*command) == text);
    }
    auto commented = ParseFaultCommand("# drill of Tuesday\n\n  stall 5   \nfail internal\n");
    REQUIRE(commented.ok());
    CHECK(Describe(*commented) == "stall 5");
    CHECK(ParseFaultCommand("").value().kind == FaultCommand::Kind::kNone);
  }

  TEST_CASE("refuses a command outside the grammar with the reason") {
    for (const char* text :
         {"explode", "fail", "fail gently", "stall", "stall soon", "stall -5", "die now",
          "die after-records", "die after-records x", "none at-end", "stall 99999999999999"}) {
      CAPTURE(text);
      auto command = ParseFaultCommand(text);
      REQUIRE_FALSE(command.ok());
      CHECK(command.status().code() == StatusCode::kInvalidArgument);
    }
  }

  TEST_CASE(
      "without a control file the wrapper passes everything through and reports the inner "
      "kind") {
    Wrapped wrapped;
    ListSink sink;
    CHECK(wrapped.connector->kind() == "memory");
    REQUIRE(wrapped.Export(sink).ok());
    CHECK(sink.records.size() == SampleRecords().size());
    Command(wrapped.dir, "none\n");
    ListSink again;
    REQUIRE(wrapped.Export(again).ok());
    CHECK(again.records.size() == SampleRecords().size());
    CHECK(wrapped.sleeps.empty());
  }

  TEST_CASE("fail stops the action at the first check point it applies to, with its code") {
    Wrapped wrapped;
    Command(wrapped.dir, "fail unavailable");
    ListSink nothing;
    const Status at_start = wrapped.Export(nothing);
    CHECK(at_start.code() == StatusCode::kUnavailable);
    CHECK(at_start.message().find("fault drill") != std::string::npos);
    CHECK(nothing.records.empty());
    CHECK(wrapped.memory->subjects().empty());  // the inner action never started

    Command(wrapped.dir, "fail internal after-records 3");
    ListSink three;
    CHECK(wrapped.Export(three).code() == StatusCode::kInternal);
    CHECK(three.records.size() == 3);
  }

  TEST_CASE("after-records is checked every check_every_records records") {
    Wrapped wrapped(/*check_every=*/2);
    Command(wrapped.dir, "fail unavailable after-records 3");
    ListSink sink;
    CHECK(wrapped.Export(sink).code() == StatusCode::kUnavailable);
    CHECK(sink.records.size() == 4);  // check points at 2 and 4 records
  }

  TEST_CASE("stall sleeps in slices at every check point it applies to, then goes on") {
    Wrapped wrapped;
    Command(wrapped.dir, "stall 250 after-records 4");
    ListSink sink;
    REQUIRE(wrapped.Export(sink).ok());
    CHECK(sink.records.size() == 5);
    // After record 4, after record 5, and at the end.
    CHECK(wrapped.sleeps == std::vector<int64_t>{100, 100, 50, 100, 100, 50, 100, 100, 50});
  }

  TEST_CASE("a stall ends early when the control file is changed") {
    Wrapped wrapped;
    Command(wrapped.dir, "stall 600000");
    wrapped.on_sleep = [&] { Command(wrapped.dir, "none"); };
    ListSink sink;
    REQUIRE(wrapped.Export(sink).ok());
    CHECK(wrapped.sleeps == std::vector<int64_t>{100});
    CHECK(sink.records.size() == SampleRecords().size());
  }

  TEST_CASE("die at-end ends the process after the erasure took effect") {
    Wrapped wrapped;
    Command(wrapped.dir, "die at-end");
    ListSink untouched;
    auto erased = wrapped.connector->Erase({{"email", "a@example.org"}}, {}, untouched);
    CHECK(wrapped.deaths == 1);
    REQUIRE_FALSE(erased.ok());  // only the test's die comes back
    // The inner erasure ran: its records are gone.
    ListSink after;
    Command(wrapped.dir, "none");
    REQUIRE(wrapped.Export(after).ok());
    CHECK(after.records.empty());
  }

  TEST_CASE("a control file that cannot be parsed fails the action, naming the file") {
    Wrapped wrapped;
    Command(wrapped.dir, "stall forever");
    ListSink sink;
    const Status status = wrapped.Export(sink);
    CHECK(status.code() == StatusCode::kInvalidArgument);
    CHECK(status.message().find(wrapped.dir.File("faults")) != std::string::npos);
    CHECK(sink.records.empty());
  }

  TEST_CASE("random faults follow the seed: the same seed, the same faults") {
    const RandomFaults rates{/*seed=*/42, /*fail_rate=*/0.2, /*stall_rate=*/0.2,
                             /*die_rate=*/0.05, std::chrono::milliseconds(30)};
    auto run = [&] {
      Wrapped wrapped(1, rates);
      std::vector<std::string> outcomes;
      for (int i = 0; i < 40; ++i) {
        ListSink sink;
        const Status status = wrapped.Export(sink);
        outcomes.push_back(std::string(StatusCodeName(status.code())) + "/" +
                           std::to_string(sink.records.size()));
      }
      outcomes.push_back("sleeps " + std::to_string(wrapped.sleeps.size()) + " deaths " +
                         std::to_string(wrapped.deaths));
      return outcomes;
    };
    const auto first = run();
    CHECK(first == run());
    // With these rates some of each kind happen in 40 exports of 5 records.
    CHECK(std::count(first.begin(), first.end(), "ok/5") > 0);
    CHECK(std::count_if(first.begin(), first.end(), [](const std::string& outcome) {
            return outcome.rfind("unavailable/", 0) == 0;
          }) > 0);
    CHECK(first.back().find("sleeps 0 ") == std::string::npos);
    CHECK(first.back().find("deaths 0") == std::string::npos);

    Wrapped always_failing(1, RandomFaults{7, 1.0, 0, 0, std::chrono::milliseconds(1)});
    ListSink sink;
    CHECK(always_failing.Export(sink).code() == StatusCode::kUnavailable);
  }

  TEST_CASE("the factory builds the wrapper around a checked inner config, and refuses bad ones") {
    TempDir dir;
    auto files = YamlToJson(ExampleConfig("worker-files.yaml"));
    REQUIRE(files.ok());
    nlohmann::json inner = files->at("connector");
    inner["root"] = dir.path();
    const nlohmann::json config = {
        {"kind", "faulty"}, {"control_file", dir.File("faults")}, {"inner", inner}};
    auto built = NewConnector(config, "worker.yaml");
    REQUIRE(built.ok());
    CHECK((*built)->kind() == "files");

    auto without_trigger = config;
    without_trigger.erase("control_file");
    CHECK(NewConnector(without_trigger, "worker.yaml").status().code() == StatusCode::kValidation);
    auto nested = config;
    nested["inner"] = config;
    CHECK(NewConnector(nested, "worker.yaml").status().code() == StatusCode::kValidation);
    auto bad_inner = config;
    bad_inner["inner"].erase("root");
    CHECK_FALSE(NewConnector(bad_inner, "worker.yaml").ok());
    auto too_likely = config;
    too_likely["random"] = {{"seed", 1}, {"fail_rate", 0.6}, {"die_rate", 0.6}};
    const auto refused = NewConnector(too_likely, "worker.yaml");
    CHECK(refused.status().code() == StatusCode::kValidation);
    CHECK(refused.status().message().find("add up to more than 1") != std::string::npos);
  }

  TEST_CASE("the annotated drill example is a valid worker config whose connector is built") {
    auto example = YamlToJson(ExampleConfig("worker-files-drill.yaml"));
    REQUIRE(example.ok());
    CHECK(SchemaRegistry::Embedded().Validate("config/worker", *example).ok());
    auto built = NewConnector(example->at("connector"), "worker-files-drill.yaml");
    REQUIRE_MESSAGE(built.ok(), built.status().ToString());
    CHECK((*built)->kind() == "files");
  }

  TEST_CASE("die ends the real process at once with its exit code") {
    TempDir dir;
    std::ofstream(dir.File("faults")) << "die after-records 2";
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      auto connector = NewFaultyConnector(std::make_unique<MemoryConnector>(SampleRecords()),
                                          FaultSettings{dir.File("faults"), 1, std::nullopt});
      ListSink sink;
      (void)connector->Export({{"email", "a@example.org"}}, sink);
      _exit(0);  // not reached when the wrapper dies as told
    }
    int status = 0;
    REQUIRE(waitpid(child, &status, 0) == child);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == kFaultDeathExitCode);
  }
}

}  // namespace dsr::connectors
