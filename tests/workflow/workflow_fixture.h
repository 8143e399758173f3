// Shared set-up of the workflow tests: a real SQLite store in a temporary
// directory, a manual clock at 2025-03-05T10:00:00Z and the German calendar.
#pragma once

#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "common/civil_date.h"
#include "common/clock.h"
#include "common/keyed_hash.h"
#include "coordinator/deadlines/holiday_calendar.h"
#include "coordinator/store/store.h"
#include "coordinator/workflow/intake.h"
#include "coordinator/workflow/request_actions.h"
#include "coordinator/workflow/settings.h"
#include "tests/support/temp_dir.h"

namespace dsr::workflow::testing {

inline Clock::WallTime WallTimeAt(CivilDate date, int hour) {
  const int64_t seconds = date.DaysSinceEpoch() * 86400 + int64_t{hour} * 3600;
  return Clock::WallTime(std::chrono::seconds(seconds));
}

inline std::unique_ptr<store::Store> OpenStore(const dsr::testing::TempDir& dir) {
  auto opened = store::Store::Open("sqlite3://db=" + dir.File("dsr.db") + " timeout=5", 2);
  REQUIRE(opened.ok());
  return std::move(opened.value());
}

// A stored request and the tasks its submission queued.
struct PlannedRequest {
  store::RequestRecord request;
  std::vector<store::TaskRecord> tasks;
};

struct WorkflowFixture {
  dsr::testing::TempDir dir;
  std::unique_ptr<store::Store> store = OpenStore(dir);
  ManualClock clock{WallTimeAt(CivilDate(2025, 3, 5), 10)};
  std::unique_ptr<deadlines::HolidayCalendar> calendar =
      std::move(deadlines::NewHolidayCalendar("DE").value());
  // Configured in this order on purpose: not alphabetical.
  std::vector<SourceSettings> sources = {{"mail", "Support mailbox", "mail"},
                                         {"crm", "Customer database (CRM)", "sql"}};

  // No identity check by default, so that submitted requests start their tasks.
  WorkflowPolicy policy{false, deadlines::PauseMode::kPause};
  KeyedHasher hasher = KeyedHasher::FromKey(std::string(32, 'k'));

  RequestActions Actions() {
    return RequestActions(ActionContext{*store, clock, *calendar, policy, sources, hasher});
  }

  NewRequest AccessRequest() const {
    NewRequest input;
    input.type = store::RequestType::kAccess;
    input.subject = {{"email", "jürgen.müller@example.org"}, {"name", "Jürgen Müller"}};
    input.received_on = CivilDate(2025, 3, 5);
    input.language = "de";
    input.channel = "email";
    return input;
  }

  PlannedRequest Submit(const NewRequest& input) {
    auto submitted = Actions().Submit(input, "agent-7");
    REQUIRE(submitted.ok());
    auto request = store->GetRequest(submitted->request_id);
    REQUIRE(request.ok());
    return {std::move(request.value()), submitted->effects.enqueue};
  }
  PlannedRequest Submit() { return Submit(AccessRequest()); }
};

}  // namespace dsr::workflow::testing
