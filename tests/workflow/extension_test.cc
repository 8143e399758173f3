// The one extension of the deadline by two further months (Art. 12(3)):
// RequestActions::Extend, how a later pause moves it, and its letter.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/digest.h"
#include "coordinator/workflow/letter_writer.h"
#include "tests/workflow/workflow_fixture.h"

namespace dsr::workflow {
namespace {

using store::RequestStatus;

constexpr const char* kReason = "Ihre Daten liegen in sieben Systemen; Frau Müller fragte nach.";

// The workflow fixture with its own "today" for the actions, starting on `start`.
struct ExtensionFixture : testing::WorkflowFixture {
  explicit ExtensionFixture(CivilDate start) : today(testing::WallTimeAt(start, 10)) {}

  ManualClock today;

  RequestActions ActionsToday() {
    return RequestActions(ActionContext{*store, today, *calendar, policy, sources, hasher});
  }
  void AdvanceDays(int days) { today.Advance(std::chrono::hours(24 * days)); }

  std::string File(CivilDate received) {
    NewRequest input = AccessRequest();
    input.received_on = received;
    auto submitted = ActionsToday().Submit(input, "agent-7");
    REQUIRE(submitted.ok());
    return submitted->request_id;
  }

  Status Extend(const std::string& id, const std::string& reason = kReason) {
    return ActionsToday().Extend(id, reason, "dpo-1").status();
  }

  store::RequestRecord Request(const std::string& id) {
    auto request = store->GetRequest(id);
    REQUIRE(request.ok());
    return *request;
  }

  std::vector<store::EventRecord> Events(const std::string& id) {
    auto events = store->EventsOfRequest(id);
    REQUIRE(events.ok());
    return *events;
  }

  nlohmann::json LastEventDetails(const std::string& id, const std::string& kind) {
    nlohmann::json details;
    for (const auto& event : Events(id)) {
      if (event.kind == kind) details = nlohmann::json::parse(event.details);
    }
    REQUIRE_FALSE(details.is_null());
    return details;
  }
};

// The extended due date, or none when the deadline was not extended.
std::optional<CivilDate> Extended(ExtensionFixture& f, const std::string& id) {
  return f.Request(id).extended_due_on;
}

}  // namespace

TEST_SUITE("Extension") {
  TEST_CASE("an erasure filed when a retention ended has no deadline to extend") {
    ExtensionFixture f(CivilDate(2025, 3, 5));
    store::RequestRecord follow_up = f.Request(f.File(CivilDate(2025, 3, 5)));
    follow_up.id = "follow-up-1";
    follow_up.type = store::RequestType::kErasure;
    follow_up.origin = store::RequestOrigin::kHold;
    REQUIRE(f.store->Write([&](store::StoreWriter& w) { return w.InsertRequest(follow_up); }).ok());
    const Status refused = f.Extend("follow-up-1");
    CHECK(refused.code() == StatusCode::kConflict);
    CHECK(refused.message().find("retention ended") != std::string::npos);
    CHECK_FALSE(f.Request("follow-up-1").extended_due_on);
  }

  TEST_CASE(
      "extends from the unmoved end of the first month, records why and asks for the letter") {
    ExtensionFixture f(CivilDate(2025, 2, 10));
    const std::string id = f.File(CivilDate(2025, 1, 31));
    REQUIRE(f.Request(id).due_on == CivilDate(2025, 2, 28));
    auto effects = f.ActionsToday().Extend(id, kReason, "dpo-1");
    REQUIRE_MESSAGE(effects.ok(), effects.status().ToString());
    CHECK(effects->write_extension_letter);
    CHECK_FALSE(effects->write_letter);
    CHECK(effects->enqueue.empty());

    const auto extended = f.Request(id);
    CHECK(extended.due_on == CivilDate(2025, 2, 28));  // the first deadline stays on record
    CHECK(extended.extended_due_on == std::optional<CivilDate>(CivilDate(2025, 4, 28)));
    CHECK(store::EffectiveDueOn(extended) == CivilDate(2025, 4, 28));
    CHECK(extended.extended_at == std::optional<std::string>(FormatUtc(f.today.Now())));
    CHECK(extended.extension_reason == std::optional<std::string>(kReason));
    CHECK(extended.status == RequestStatus::kInProgress);

    CHECK(f.Events(id).back().kind == "request.extended");
    CHECK(f.Events(id).back().actor == "dpo-1");
    CHECK(f.LastEventDetails(id, "request.extended") ==
          nlohmann::json{{"due_on", "2025-02-28"},
                         {"extended_due_on", "2025-04-28"},
                         {"reason_sha256", Sha256Hex(kReason)}});
    for (const auto& event : f.Events(id)) CHECK(event.details.find("Müller") == std::string::npos);
  }

  TEST_CASE("with extension_from receipt three months are counted from receipt") {
    ExtensionFixture f(CivilDate(2025, 2, 10));
    f.policy.extension_from = deadlines::ExtensionFrom::kReceipt;
    const std::string id = f.File(CivilDate(2025, 1, 31));
    REQUIRE(f.Extend(id).ok());
    CHECK(Extended(f, id) == std::optional<CivilDate>(CivilDate(2025, 4, 30)));
  }

  TEST_CASE("a second extension is refused, naming the date of the first, and writes nothing") {
    ExtensionFixture f(CivilDate(2025, 2, 10));
    const std::string id = f.File(CivilDate(2025, 1, 31));
    REQUIRE(f.Extend(id).ok());
    const size_t events = f.Events(id).size();
    const Status again = f.Extend(id, "even more sources");
    CHECK(again.code() == StatusCode::kConflict);
    CHECK(again.message().find("2025-04-28") != std::string::npos);
    CHECK(f.Events(id).size() == events);
    CHECK(f.Request(id).extension_reason == std::optional<std::string>(kReason));
  }

  TEST_CASE("an extension is allowed on the due date itself and refused the day after") {
    ExtensionFixture f(CivilDate(2025, 4, 7));
    const std::string on_time = f.File(CivilDate(2025, 3, 5));
    const std::string late = f.File(CivilDate(2025, 3, 5));
    REQUIRE(f.Request(on_time).due_on == CivilDate(2025, 4, 7));
    REQUIRE(f.Extend(on_time).ok());
    CHECK(Extended(f, on_time) == std::optional<CivilDate>(CivilDate(2025, 6, 5)));

    f.AdvanceDays(1);  // 2025-04-08
    const size_t events = f.Events(late).size();
    const Status refused = f.Extend(late);
    CHECK(refused.code() == StatusCode::kConflict);
    CHECK(refused.message().find("2025-04-07") != std::string::npos);
    CHECK_FALSE(Extended(f, late).has_value());
    CHECK(f.Events(late).size() == events);
  }

  TEST_CASE("a closed request cannot be extended") {
    ExtensionFixture f(CivilDate(2025, 3, 10));
    const std::string id = f.File(CivilDate(2025, 3, 5));
    REQUIRE(f.ActionsToday().Cancel(id, "withdrawn by phone", "agent-1").ok());
    const Status refused = f.Extend(id);
    CHECK(refused.code() == StatusCode::kConflict);
    CHECK(refused.message().find("cancelled") != std::string::npos);
    CHECK_FALSE(Extended(f, id).has_value());
  }

  TEST_CASE("a blank reason is refused before anything is written; an unknown id is not found") {
    ExtensionFixture f(CivilDate(2025, 3, 10));
    const std::string id = f.File(CivilDate(2025, 3, 5));
    const size_t events = f.Events(id).size();
    for (const char* blank : {"", "   ", " \n\t "}) {
      CAPTURE(blank);
      CHECK(f.Extend(id, blank).code() == StatusCode::kValidation);
    }
    CHECK_FALSE(Extended(f, id).has_value());
    CHECK(f.Events(id).size() == events);
    CHECK(f.Extend("no-such-request").code() == StatusCode::kNotFound);
  }

  TEST_CASE("a pause that ends after the extension moves both dates by the paused days") {
    ExtensionFixture f(CivilDate(2025, 3, 6));
    const std::string id = f.File(CivilDate(2025, 3, 5));
    REQUIRE(f.ActionsToday().Pause(id, "asked for the customer number", "agent-1").ok());
    REQUIRE(f.Extend(id).ok());  // allowed while the clock stands still
    CHECK(Extended(f, id) == std::optional<CivilDate>(CivilDate(2025, 6, 5)));
    f.AdvanceDays(3);  // 2025-03-09
    REQUIRE(f.ActionsToday().Resume(id, "agent-1").ok());
    const auto resumed = f.Request(id);
    CHECK(resumed.due_on == CivilDate(2025, 4, 8));
    // 5 June + 3 days is Whit Sunday, then Whit Monday: Tuesday 10 June.
    CHECK(resumed.extended_due_on == std::optional<CivilDate>(CivilDate(2025, 6, 10)));
    CHECK(f.LastEventDetails(id, "request.resumed").at("extended_due_on") == "2025-06-10");
  }

  TEST_CASE("an extension after a pause counts the paused days from the start") {
    ExtensionFixture f(CivilDate(2025, 3, 6));
    const std::string id = f.File(CivilDate(2025, 3, 5));
    REQUIRE(f.ActionsToday().Pause(id, "asked for the customer number", "agent-1").ok());
    f.AdvanceDays(3);
    REQUIRE(f.ActionsToday().Resume(id, "agent-1").ok());
    REQUIRE(f.Extend(id).ok());
    CHECK(Extended(f, id) == std::optional<CivilDate>(CivilDate(2025, 6, 10)));
    // A pause without an extension leaves the extended date unset.
    const std::string plain = f.File(CivilDate(2025, 3, 5));
    REQUIRE(f.ActionsToday().Pause(plain, "asked again", "agent-1").ok());
    REQUIRE(f.ActionsToday().Resume(plain, "agent-1").ok());
    CHECK_FALSE(Extended(f, plain).has_value());
    CHECK_FALSE(f.LastEventDetails(plain, "request.resumed").contains("extended_due_on"));
  }

  TEST_CASE("a request paused before its due date may be extended after it; with ignore not") {
    ExtensionFixture f(CivilDate(2025, 4, 1));
    const std::string id = f.File(CivilDate(2025, 3, 5));
    const std::string ignored = f.File(CivilDate(2025, 3, 5));
    for (const std::string& paused : {id, ignored})
      REQUIRE(f.ActionsToday().Pause(paused, "asked for the customer number", "agent-1").ok());
    f.AdvanceDays(19);  // 2025-04-20, after the first due date 2025-04-07
    REQUIRE(f.Extend(id).ok());
    REQUIRE(f.ActionsToday().Resume(id, "agent-1").ok());
    CHECK(f.Request(id).due_on == CivilDate(2025, 4, 24));
    CHECK(Extended(f, id) == std::optional<CivilDate>(CivilDate(2025, 6, 24)));

    f.policy.pause_mode = deadlines::PauseMode::kIgnore;  // the clock runs on through a pause
    CHECK(f.Extend(ignored).code() == StatusCode::kConflict);
  }

  TEST_CASE("with restart_from_answer the extension follows the month restarted by the answer") {
    ExtensionFixture f(CivilDate(2025, 3, 6));
    f.policy.pause_mode = deadlines::PauseMode::kRestartFromAnswer;
    const std::string id = f.File(CivilDate(2025, 3, 5));
    REQUIRE(f.ActionsToday().Pause(id, "asked for the customer number", "agent-1").ok());
    f.AdvanceDays(14);  // answered on 2025-03-20
    REQUIRE(f.ActionsToday().Resume(id, "agent-1").ok());
    CHECK(f.Request(id).due_on == CivilDate(2025, 4, 22));
    REQUIRE(f.Extend(id).ok());
    CHECK(Extended(f, id) == std::optional<CivilDate>(CivilDate(2025, 6, 20)));
  }
}

TEST_SUITE("ExtensionLetter") {
  TEST_CASE("is written privately beside the other letters, recorded and audited") {
    ExtensionFixture f(CivilDate(2025, 2, 10));
    EngineSettings settings;
    settings.data_dir = f.dir.path();
    settings.controller_info.name = "Beispiel Versand GmbH";
    settings.controller_info.contact = "datenschutz@beispiel-versand.example";
    auto templates = letters::LetterTemplates::Load(std::nullopt);
    REQUIRE(templates.ok());
    settings.letter_templates = std::make_shared<const letters::LetterTemplates>(*templates);
    LetterWriter writer(*f.store, f.today, settings);

    const std::string id = f.File(CivilDate(2025, 1, 31));
    CHECK(writer.WriteExtension(id).code() == StatusCode::kConflict);  // not extended yet
    CHECK_FALSE(f.Request(id).extension_letter_path.has_value());
    REQUIRE(f.Extend(id).ok());
    REQUIRE(writer.WriteExtension(id).ok());

    const auto request = f.Request(id);
    const std::string path = f.dir.File("letters/" + id + ".extension.html");
    CHECK(request.extension_letter_path == std::optional<std::string>(path));
    CHECK_FALSE(request.letter_path.has_value());  // the closing letter is another one
    struct stat info {};
    REQUIRE(::stat(path.c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0600);
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    CHECK(text.str().find("spätestens am 28. April 2025 statt am\n28. Februar 2025") !=
          std::string::npos);
    CHECK(text.str().find("Frau Müller fragte nach.") != std::string::npos);
    const auto written = f.LastEventDetails(id, "letter.written");
    CHECK(written.at("kind") == "extension");
    CHECK(written.at("language") == "de");
    CHECK(written.at("sha256") == Sha256Hex(text.str()));
  }
}

}  // namespace dsr::workflow
