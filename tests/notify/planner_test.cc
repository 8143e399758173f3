#include "coordinator/notify/planner.h"

#include <doctest/doctest.h>

#include "coordinator/notify/message.h"

namespace dsr::notify {
namespace {

const auto& Germany() {
  static const auto calendar = std::move(deadlines::NewHolidayCalendar("DE").value());
  return *calendar;
}

store::RequestRecord OpenRequest(const std::string& id, CivilDate received, CivilDate due) {
  store::RequestRecord request;
  request.id = id;
  request.type = store::RequestType::kAccess;
  request.status = store::RequestStatus::kInProgress;
  request.subject = {{"email", "erika@example.com"}};
  request.received_on = received;
  request.due_on = due;
  return request;
}

std::vector<PlannedEvent> Plan(const std::vector<store::RequestRecord>& requests, CivilDate today,
                               const NotificationSettings& settings = NotificationSettings(),
                               const std::vector<store::TaskRecord>& failed = {}) {
  return PlanEvents(requests, failed, today, settings, Germany(), deadlines::PauseMode::kPause);
}

}  // namespace

TEST_CASE("a reminder goes out the given days before the due date, on a working day") {
  // Due Thu 2 Apr 2026: seven days before is Thu 26 Mar, two days Tue 31 Mar.
  CHECK(ReminderDate(CivilDate(2026, 4, 2), 7, Germany(), {}) == CivilDate(2026, 3, 26));
  CHECK(ReminderDate(CivilDate(2026, 4, 2), 2, Germany(), {}) == CivilDate(2026, 3, 31));
  // Due Tue 7 Apr 2026: two days before is Easter Sunday, after Good Friday and
  // Saturday; the reminder comes on Thursday 2 April.
  CHECK(ReminderDate(CivilDate(2026, 4, 7), 2, Germany(), {}) == CivilDate(2026, 4, 2));
  // Due Mon 7 Apr 2025: two days before is Saturday → Friday 4 April.
  CHECK(ReminderDate(CivilDate(2025, 4, 7), 2, Germany(), {}) == CivilDate(2025, 4, 4));
}

TEST_CASE("a reminder that would fall on a closing day comes before it; the due date stays") {
  const deadlines::ClosingDays closed(
      {{CivilDate(2026, 3, 30), CivilDate(2026, 3, 31), "Betriebsausflug / Company outing"}});
  // Two days before Thu 2 Apr 2026 is Tue 31 Mar, closed with Monday: Friday 27 March.
  CHECK(ReminderDate(CivilDate(2026, 4, 2), 2, Germany(), closed) == CivilDate(2026, 3, 27));
  NotificationSettings settings;
  settings.closing_days = closed;
  const auto request = OpenRequest("r1", CivilDate(2026, 3, 2), CivilDate(2026, 4, 2));
  CHECK(Plan({request}, CivilDate(2026, 3, 27), settings).at(0).key == "reminder:r1:2026-04-02:2");
  CHECK(Plan({request}, CivilDate(2026, 4, 3), settings).at(0).key == "overdue:r1:2026-04-02");
}

TEST_CASE("planning names each reminder by request, due date and offset") {
  const auto request = OpenRequest("r1", CivilDate(2026, 3, 2), CivilDate(2026, 4, 2));
  CHECK(Plan({request}, CivilDate(2026, 3, 25)).empty());

  auto events = Plan({request}, CivilDate(2026, 3, 26));
  REQUIRE(events.size() == 1);
  CHECK(events[0].key == "reminder:r1:2026-04-02:7");
  CHECK(events[0].kind == "reminder");
  CHECK(events[0].request_id == "r1");
  CHECK(events[0].facts.at("days_left") == 7);
  CHECK(events[0].facts.at("days_before") == 7);
  CHECK(events[0].facts.dump().find("erika") == std::string::npos);

  // Planning again on a later day keeps the same key until the next offset.
  CHECK(Plan({request}, CivilDate(2026, 3, 30)).at(0).key == "reminder:r1:2026-04-02:7");
  CHECK(Plan({request}, CivilDate(2026, 3, 31)).at(0).key == "reminder:r1:2026-04-02:2");
  CHECK(Plan({request}, CivilDate(2026, 4, 2)).at(0).key == "reminder:r1:2026-04-02:2");
}

TEST_CASE("a request filed with little time left gets only the closest reminder") {
  const auto request = OpenRequest("late", CivilDate(2026, 3, 2), CivilDate(2026, 4, 2));
  const auto events = Plan({request}, CivilDate(2026, 4, 1));
  REQUIRE(events.size() == 1);
  CHECK(events[0].key == "reminder:late:2026-04-02:2");
}

TEST_CASE("a passed due date is escalated, keyed by that date") {
  const auto request = OpenRequest("r1", CivilDate(2026, 3, 2), CivilDate(2026, 4, 2));
  auto events = Plan({request}, CivilDate(2026, 4, 3));
  REQUIRE(events.size() == 1);
  CHECK(events[0].key == "overdue:r1:2026-04-02");
  CHECK(events[0].facts.at("days_left") == -1);

  NotificationSettings quiet;
  quiet.escalate_overdue = false;
  CHECK(Plan({request}, CivilDate(2026, 4, 3), quiet).empty());
}

TEST_CASE("a new due date makes new events: the DPO hears of the new date") {
  auto request = OpenRequest("r1", CivilDate(2026, 3, 2), CivilDate(2026, 4, 2));
  request.due_on = CivilDate(2026, 4, 14);  // after a pause of twelve days
  CHECK(Plan({request}, CivilDate(2026, 4, 7)).at(0).key == "reminder:r1:2026-04-14:7");
}

TEST_CASE("an extended request is reminded of its extended due date") {
  auto request = OpenRequest("r1", CivilDate(2026, 3, 2), CivilDate(2026, 4, 2));
  request.extended_due_on = CivilDate(2026, 6, 2);
  CHECK(Plan({request}, CivilDate(2026, 3, 31)).empty());
  CHECK(Plan({request}, CivilDate(2026, 4, 3)).empty());  // not overdue: extended
  const auto events = Plan({request}, CivilDate(2026, 5, 26));
  REQUIRE(events.size() == 1);
  CHECK(events[0].key == "reminder:r1:2026-06-02:7");
  CHECK(events[0].facts.at("due_on") == "2026-06-02");
  CHECK(events[0].facts.at("extended") == true);
}

TEST_CASE(
    "an erasure filed when a retention ended gets no reminder, but its failure is escalated") {
  auto follow_up = OpenRequest("f1", CivilDate(2026, 3, 2), CivilDate(2026, 4, 2));
  follow_up.origin = store::RequestOrigin::kHold;
  CHECK(Plan({follow_up}, CivilDate(2026, 3, 31)).empty());
  CHECK(Plan({follow_up}, CivilDate(2026, 4, 10)).empty());
  store::TaskRecord task;
  task.id = "t1";
  task.request_id = "f1";
  task.source = "crm";
  task.status = store::TaskStatus::kFailed;
  task.attempts = 3;
  const auto events = Plan({follow_up}, CivilDate(2026, 3, 10), NotificationSettings(), {task});
  REQUIRE(events.size() == 1);
  CHECK(events[0].kind == "source_failed");
}

TEST_CASE("paused and closed requests get no reminders") {
  auto paused = OpenRequest("p", CivilDate(2026, 3, 2), CivilDate(2026, 4, 2));
  paused.paused_since = CivilDate(2026, 3, 20);
  CHECK(Plan({paused}, CivilDate(2026, 3, 31)).empty());
  auto closed = OpenRequest("c", CivilDate(2026, 3, 2), CivilDate(2026, 4, 2));
  closed.status = store::RequestStatus::kCompleted;
  CHECK(Plan({closed}, CivilDate(2026, 4, 10)).empty());
}

TEST_CASE("a failed task of an open request is escalated once per attempt count") {
  const auto request = OpenRequest("r1", CivilDate(2026, 3, 2), CivilDate(2026, 4, 2));
  store::TaskRecord task;
  task.id = "t1";
  task.request_id = "r1";
  task.source = "crm";
  task.status = store::TaskStatus::kFailed;
  task.attempts = 3;
  task.error_code = "unavailable";
  store::TaskRecord other = task;
  other.id = "t2";
  other.request_id = "closed-request";  // not open: nothing to act on
  const auto events =
      Plan({request}, CivilDate(2026, 3, 10), NotificationSettings(), {task, other});
  REQUIRE(events.size() == 1);
  CHECK(events[0].key == "source_failed:t1:3");
  CHECK(events[0].facts.at("source") == "crm");
  CHECK(events[0].facts.at("error_code") == "unavailable");

  NotificationSettings quiet;
  quiet.escalate_failed_sources = false;
  CHECK(Plan({request}, CivilDate(2026, 3, 10), quiet, {task}).empty());
}

TEST_CASE("messages say what is due in German or English, with a link") {
  const auto request = OpenRequest("r1", CivilDate(2026, 3, 2), CivilDate(2026, 4, 2));
  const auto event = Plan({request}, CivilDate(2026, 3, 26)).at(0);
  store::NotificationRecord notification;
  notification.id = "n1";
  notification.event_key = event.key;
  notification.kind = event.kind;
  notification.payload = event.facts.dump();
  const auto english = RenderMessage(notification, "en", std::string("https://dsr.example.org/"));
  CHECK(english.subject == "dsr: due on 2026-04-02 (7 days left) - request r1");
  CHECK(english.body.find("access request (Art. 15) r1 must be answered by 2026-04-02") !=
        std::string::npos);
  CHECK(english.body.find("https://dsr.example.org/api/v1/requests/r1") != std::string::npos);
  const auto german = RenderMessage(notification, "de", std::nullopt);
  CHECK(german.subject == "dsr: Frist endet am 2026-04-02 (7 Tage) – Anfrage r1");
  CHECK(german.body.find("Auskunftsersuchen") != std::string::npos);
  CHECK(german.body.find("http") == std::string::npos);

  const auto overdue = Plan({request}, CivilDate(2026, 4, 3)).at(0);
  notification.kind = overdue.kind;
  notification.payload = overdue.facts.dump();
  CHECK(RenderMessage(notification, "de", std::nullopt)
            .body.rfind(
                "Eskalation: Die Frist für das Auskunftsersuchen (Art. 15) r1 ist am 2026-04-02 "
                "abgelaufen (seit 1 Tag).",
                0) == 0);
  notification.kind = event.kind;
  notification.payload = event.facts.dump();

  const auto body = WebhookBody(notification, std::nullopt);
  CHECK(body.at("id") == "n1");
  CHECK(body.at("event") == "reminder:r1:2026-04-02:7");
  CHECK(body.at("facts").at("due_on") == "2026-04-02");
}

}  // namespace dsr::notify
