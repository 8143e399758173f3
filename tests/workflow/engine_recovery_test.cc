// A letter is written after the change that calls for it commits; a
// coordinator that stops in between must write it at the next start.
#include <doctest/doctest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <zmq.hpp>

#include "common/keyed_hash.h"
#include "coordinator/deadlines/holiday_calendar.h"
#include "coordinator/store/store.h"
#include "coordinator/workflow/engine.h"
#include "coordinator/workflow/engine_client.h"
#include "tests/support/engine_settings.h"
#include "tests/support/temp_dir.h"

namespace dsr::workflow {
namespace {

std::string Submit(const EngineClient& client, const std::string& type) {
  auto submitted = client.Call(
      {{"op", "submit"},
       {"body", {{"type", type}, {"subject", {{"email", "erika.musterfrau@example.com"}}}}}});
  REQUIRE(submitted.ok());
  return submitted->at("id").get<std::string>();
}

}  // namespace

TEST_CASE("letters and extension notices owed when the coordinator stopped are written at start") {
  testing::TempDir dir;
  auto store = std::move(store::Store::Open("sqlite3://db=" + dir.File("dsr.db"), 2).value());
  auto calendar = std::move(deadlines::NewHolidayCalendar("DE").value());
  const KeyedHasher hasher = KeyedHasher::FromKey(std::string(32, 'k'));
  const auto clock = NewSystemClock();
  const EngineSettings settings = testing::TestEngineSettings(dir.File("data"));
  zmq::context_t context;
  const EngineClient client(context, std::chrono::seconds(30));

  std::string rejected, extended;
  {
    Engine engine(settings, *store, *clock, *calendar, hasher, context);
    REQUIRE(engine.Start().ok());
    rejected = Submit(client, "erasure");
    REQUIRE(client
                .Call({{"op", "reject"},
                       {"id", rejected},
                       {"body", {{"ground", "excessive"}, {"reason", "Die dritte Anfrage."}}}})
                .ok());
    extended = Submit(client, "access");
    REQUIRE(client
                .Call({{"op", "extend"},
                       {"id", extended},
                       {"body", {{"reason", "Viele Anfragen zugleich."}}}})
                .ok());
  }
  const auto letter = store->GetRequest(rejected)->letter_path;
  const auto notice = store->GetRequest(extended)->extension_letter_path;
  REQUIRE(letter);
  REQUIRE(notice);

  // As if the coordinator had stopped after each commit, before the letter.
  std::filesystem::remove(*letter);
  std::filesystem::remove(*notice);
  REQUIRE(store
              ->Write([&](store::StoreWriter& writer) -> Status {
                auto request = writer.GetRequest(rejected);
                request->letter_path.reset();
                DSR_RETURN_IF_ERROR(writer.UpdateRequest(*request));
                request = writer.GetRequest(extended);
                request->extension_letter_path.reset();
                return writer.UpdateRequest(*request);
              })
              .ok());
  REQUIRE(store->RequestsAwaitingLetter()->size() == 1);
  REQUIRE(store->RequestsAwaitingExtensionLetter()->size() == 1);

  Engine engine(settings, *store, *clock, *calendar, hasher, context);
  REQUIRE(engine.Start().ok());
  CHECK(store->GetRequest(rejected)->letter_path == letter);
  CHECK(store->GetRequest(extended)->extension_letter_path == notice);
  CHECK(std::filesystem::exists(*letter));
  CHECK(std::filesystem::exists(*notice));
  CHECK(store->RequestsAwaitingLetter()->empty());
  CHECK(store->RequestsAwaitingExtensionLetter()->empty());
}

}  // namespace dsr::workflow
