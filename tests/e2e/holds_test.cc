// End-to-end with a clock the test moves: the coordinator's engine runs in
// this process on a ManualClock, the worker is the real dsr-worker process.
// An erasure keeps invoices under retention holds; when the clock passes
// their end, the engine files and completes the follow-up erasures itself.
#include <doctest/doctest.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <set>
#include <thread>
#include <zmq.hpp>

#include "common/keyed_hash.h"
#include "coordinator/deadlines/holiday_calendar.h"
#include "coordinator/store/store.h"
#include "coordinator/workflow/engine.h"
#include "coordinator/workflow/engine_client.h"
#include "tests/e2e/cluster.h"
#include "tests/e2e/crm_oracle.h"
#include "tests/support/clock_ticker.h"
#include "tests/support/engine_settings.h"

namespace dsr::testing {
namespace {

Clock::WallTime At(CivilDate date) {
  return Clock::WallTime(std::chrono::seconds(date.DaysSinceEpoch() * 86400 + 10 * 3600));
}

}  // namespace

TEST_SUITE("EndToEnd") {
  TEST_CASE(
      "when a hold's retention ends (moved clock) the engine files and completes the erasure") {
    Cluster files;  // only for its folder, the sample CRM and the worker
    const auto samples = ParseSamples(files.GenerateCrm(300));
    const Sample sample = SampleOfKind(samples, "typical");
    const RowsByTable subject = ExpectedRowsForEmail(files.crm_path(), sample.email);
    REQUIRE(subject.count("invoices") == 1);

    ManualClock clock(At(CivilDate(2026, 3, 2)));
    auto store = std::move(store::Store::Open("sqlite3://db=" + files.store_path(), 2).value());
    auto calendar = std::move(deadlines::NewHolidayCalendar("DE").value());
    const KeyedHasher hasher = KeyedHasher::FromKey(std::string(32, 'a'));
    workflow::EngineSettings settings = TestEngineSettings(files.dir().File("data"));
    settings.heartbeat_interval = std::chrono::milliseconds(200);
    settings.hold_check_interval = std::chrono::seconds(1);
    zmq::context_t context;
    workflow::Engine engine(settings, *store, clock, *calendar, hasher, context);
    auto broker = engine.Start();
    REQUIRE(broker.ok());
    ClockTicker ticker(clock);

    // The worker of the sample CRM, connected to this engine.
    const std::string worker_config = files.WriteInProcessWorkerConfig("crm-1", "crm", *broker);
    ChildProcess worker;
    REQUIRE(worker.Start(BinDir() + "/dsr-worker", {"--config", worker_config},
                         files.dir().File("worker.log")));

    const workflow::EngineClient client(context, std::chrono::seconds(30));
    auto submitted =
        client.Call({{"op", "submit"},
                     {"body", {{"type", "erasure"}, {"subject", {{"email", sample.email}}}}}});
    REQUIRE(submitted.ok());
    const std::string id = submitted->at("id").get<std::string>();
    REQUIRE(
        WaitFor([&] { return store->GetRequest(id)->status == store::RequestStatus::kInReview; }));
    REQUIRE(client.Call({{"op", "approve"}, {"id", id}, {"body", nlohmann::json::object()}}).ok());
    REQUIRE(store->GetRequest(id)->status == store::RequestStatus::kCompleted);

    const auto holds = *store->ListHolds({store::HoldStatus::kActive, id, 1000});
    REQUIRE_FALSE(holds.empty());
    CivilDate latest;
    for (const auto& hold : holds) latest = std::max(latest, hold.retained_until);
    const auto kept = ExpectedRowsForEmail(files.crm_path(), sample.email);
    CHECK(kept.empty());  // nothing findable by the subject's identity any more

    // Nothing happens before the end of retention …
    clock.Advance(std::chrono::hours(24 * 30));
    CHECK(client.Call({{"op", "stats"}}).ok());  // a full engine loop has run since
    CHECK(store->ListHolds({store::HoldStatus::kEnded, std::nullopt, 1000})->empty());

    // … and after it, every hold gets its completed follow-up erasure.
    const int64_t days =
        latest.AddDays(2).DaysSinceEpoch() - LocalDate(clock.Now()).DaysSinceEpoch();
    clock.Advance(std::chrono::hours(24 * days));
    // An invoice whose payment is kept a little longer is kept with it and
    // gets a hold of its own, which ends in the next round.
    REQUIRE(WaitFor(
        [&] {
          if (!store->ListHolds({store::HoldStatus::kActive, std::nullopt, 1000})->empty())
            return false;
          const auto ended = *store->ListHolds({store::HoldStatus::kEnded, std::nullopt, 1000});
          if (ended.size() < holds.size()) return false;
          for (const auto& hold : ended) {
            if (!hold.follow_up_request_id) return false;
            auto follow_up = store->GetRequest(*hold.follow_up_request_id);
            if (!follow_up.ok() || follow_up->status != store::RequestStatus::kCompleted)
              return false;
          }
          return true;
        },
        std::chrono::seconds(60)));
    const auto ended = *store->ListHolds({store::HoldStatus::kEnded, id, 1000});
    REQUIRE(ended.size() == holds.size());
    const auto follow_up = *store->GetRequest(*ended.at(0).follow_up_request_id);
    CHECK(follow_up.origin == store::RequestOrigin::kHold);
    CHECK(follow_up.follow_up_of == std::optional<std::string>(id));

    // The retained invoices and payments of the subject are gone now, and only they.
    std::set<int64_t> retained_invoices;
    for (const auto& invoice : subject.at("invoices"))
      retained_invoices.insert(invoice.at("id").get<int64_t>());
    const RowsByTable remaining = AllRows(files.crm_path());
    for (const auto& invoice : remaining.at("invoices")) {
      CHECK(retained_invoices.count(invoice.at("id").get<int64_t>()) == 0);
    }
    CHECK(store::VerifyAuditChain(*store).ok());
    worker.Stop(SIGTERM);
    engine.Stop();
  }
}

}  // namespace dsr::testing
