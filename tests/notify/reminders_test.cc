// Reminders and escalations end to end, with a clock the test moves: the
// engine runs in this process on a ManualClock, delivers to a real SMTP server
// (aiosmtpd) and to a webhook, and is restarted between the events. Each
// reminder and the overdue escalation must arrive exactly once per channel.
#include <doctest/doctest.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>
#include <zmq.hpp>

#include "common/keyed_hash.h"
#include "coordinator/api/handlers.h"
#include "coordinator/deadlines/holiday_calendar.h"
#include "coordinator/store/store.h"
#include "coordinator/workflow/engine.h"
#include "coordinator/workflow/engine_client.h"
#include "tests/notify/receivers.h"
#include "tests/support/clock_ticker.h"
#include "tests/support/engine_settings.h"
#include "tests/support/temp_dir.h"

namespace dsr::testing {
namespace {

Clock::WallTime At(CivilDate date) {
  return Clock::WallTime(std::chrono::seconds(date.DaysSinceEpoch() * 86400 + 10 * 3600));
}

void AdvanceTo(ManualClock& clock, CivilDate date) {
  const int64_t days = date.DaysSinceEpoch() - LocalDate(clock.Now()).DaysSinceEpoch();
  clock.Advance(std::chrono::hours(24 * days));
}

std::string Header(const std::string& message, const std::string& name) {
  const size_t start = message.find("\n" + name + ": ");
  if (start == std::string::npos) return "";
  const size_t value = start + name.size() + 3;
  return message.substr(value, message.find_first_of("\r\n", value) - value);
}

// The text of a quoted-printable body without its soft line breaks.
std::string WithoutSoftBreaks(std::string text) {
  for (const std::string soft : {"=\r\n", "=\n"}) {
    for (size_t at = text.find(soft); at != std::string::npos; at = text.find(soft, at))
      text.erase(at, soft.size());
  }
  return text;
}

struct Fixture {
  TempDir dir;
  SmtpSink smtp;
  WebhookReceiver webhook;
  ManualClock clock{At(CivilDate(2026, 3, 2))};
  std::unique_ptr<store::Store> store;
  std::unique_ptr<deadlines::HolidayCalendar> calendar =
      std::move(deadlines::NewHolidayCalendar("DE").value());
  KeyedHasher hasher = KeyedHasher::FromKey(std::string(32, 'a'));
  workflow::EngineSettings settings;
  zmq::context_t context;
  std::unique_ptr<workflow::Engine> engine;

  Fixture() {
    REQUIRE(smtp.Start(dir.File("smtp"), /*defer=*/1));
    store = std::move(store::Store::Open("sqlite3://db=" + dir.File("dsr.db"), 2).value());
    // No worker serves the source "crm": the request's task stays pending.
    settings = TestEngineSettings(dir.File("data"));
    settings.heartbeat_interval = std::chrono::milliseconds(100);
    auto& notifications = settings.notifications;
    notifications.reminder_days = {7, 2};
    notifications.language = "en";
    notifications.public_url = "https://dsr.example.org";
    notifications.check_interval = std::chrono::seconds(1);
    notify::EmailSettings email;
    email.host = "127.0.0.1";
    email.port = smtp.port();
    email.starttls = false;
    email.from = "dsr@example.org";
    email.to = {"dpo@example.org"};
    notifications.email = email;
    notifications.webhook =
        notify::WebhookSettings{"http://127.0.0.1:" + std::to_string(webhook.port()) + "/hooks/dsr",
                                "hook-secret", std::chrono::seconds(10)};
  }

  void StartEngine() {
    engine =
        std::make_unique<workflow::Engine>(settings, *store, clock, *calendar, hasher, context);
    const auto started = engine->Start();
    REQUIRE_MESSAGE(started.ok(), started.status().ToString());
  }
  void StopEngine() { engine.reset(); }

  uint64_t Checks() {
    const workflow::EngineClient client(context, std::chrono::seconds(10));
    auto stats = client.Call({{"op", "stats"}});
    REQUIRE(stats.ok());
    return stats->at("notification_checks").get<uint64_t>();
  }
  // Waits until the engine has looked for notifications twice more, so that
  // at least one whole check ran after anything the test changed before.
  void WaitForTwoChecks() {
    const uint64_t before = Checks();
    REQUIRE(WaitFor([&] { return Checks() >= before + 2; }));
  }
  // Waits until every delivery is recorded as sent.
  void WaitForOutboxEmpty() {
    REQUIRE(WaitFor([&] {
      const auto outbox = store->ListNotifications({});
      if (!outbox.ok()) return false;
      for (const auto& n : outbox.value()) {
        if (n.status != store::NotificationStatus::kSent) return false;
      }
      return true;
    }));
  }
};

}  // namespace

TEST_SUITE("Notifications") {
  TEST_CASE("each reminder and the overdue escalation arrive once per channel, across restarts") {
    Fixture f;
    f.StartEngine();
    ClockTicker ticker(f.clock);
    const workflow::EngineClient client(f.context, std::chrono::seconds(30));
    auto submitted = client.Call({{"op", "submit"},
                                  {"body",
                                   {{"type", "access"},
                                    {"subject", {{"email", "max.mustermann@example.com"}}},
                                    {"received_on", "2026-03-02"}}}});
    REQUIRE(submitted.ok());
    const std::string id = submitted->at("id").get<std::string>();
    REQUIRE(f.store->GetRequest(id)->due_on == CivilDate(2026, 4, 2));

    // Four weeks before the due date nothing is sent.
    f.WaitForTwoChecks();
    CHECK(f.smtp.Messages().empty());
    CHECK(f.webhook.Calls().empty());

    // 26 March, seven days before: the first reminder. The mail server defers
    // the first attempt; the engine tries again a minute later.
    AdvanceTo(f.clock, CivilDate(2026, 3, 26));
    REQUIRE(WaitFor([&] { return f.webhook.Calls().size() == 1; }));
    REQUIRE(WaitFor([&] {
      const auto outbox = f.store->ListNotifications({id, 10});
      if (!outbox.ok()) return false;
      for (const auto& n : outbox.value()) {
        if (n.channel == "email" && n.attempts == 1 && n.last_error) return true;
      }
      return false;
    }));
    CHECK(f.smtp.Messages().empty());
    f.clock.Advance(std::chrono::minutes(2));
    REQUIRE(WaitFor([&] { return f.smtp.Messages().size() == 1; }));
    f.WaitForOutboxEmpty();

    {
      auto stats = client.Call({{"op", "stats"}});
      REQUIRE(stats.ok());
      CHECK(stats->at("notification_delivery_failures") == 1);  // the deferred attempt
    }

    // A restart sends nothing again.
    f.StopEngine();
    f.StartEngine();
    f.WaitForTwoChecks();
    CHECK(f.smtp.Messages().size() == 1);
    CHECK(f.webhook.Calls().size() == 1);

    // 31 March, two days before: the second reminder, once.
    AdvanceTo(f.clock, CivilDate(2026, 3, 31));
    REQUIRE(WaitFor([&] { return f.smtp.Messages().size() == 2; }));
    REQUIRE(WaitFor([&] { return f.webhook.Calls().size() == 2; }));
    f.WaitForTwoChecks();
    f.WaitForOutboxEmpty();

    // The coordinator is down when the due date passes; after the restart the
    // DPO hears of it once.
    f.StopEngine();
    AdvanceTo(f.clock, CivilDate(2026, 4, 3));
    f.StartEngine();
    REQUIRE(WaitFor([&] { return f.smtp.Messages().size() == 3; }));
    REQUIRE(WaitFor([&] { return f.webhook.Calls().size() == 3; }));
    f.WaitForTwoChecks();
    f.WaitForOutboxEmpty();
    f.StopEngine();
    f.StartEngine();
    f.WaitForTwoChecks();
    CHECK(f.smtp.Messages().size() == 3);
    CHECK(f.webhook.Calls().size() == 3);

    // What arrived: the right events in order, each with its own id, naming
    // the request but never the data subject.
    const auto messages = f.smtp.Messages();
    CHECK(Header(messages[0], "Subject").find("7 days left") != std::string::npos);
    CHECK(Header(messages[1], "Subject").find("2 days left") != std::string::npos);
    CHECK(Header(messages[2], "Subject").find("OVERDUE since 2026-04-02") != std::string::npos);
    std::set<std::string> message_ids;
    for (const auto& message : messages) {
      CHECK(Header(message, "X-Envelope-To") == "dpo@example.org");
      CHECK(Header(message, "Subject").find(id) != std::string::npos);
      CHECK(WithoutSoftBreaks(message).find("https://dsr.example.org/api/v1/requests/" + id) !=
            std::string::npos);
      CHECK(message.find("mustermann") == std::string::npos);
      message_ids.insert(Header(message, "Message-ID"));
    }
    CHECK(message_ids.size() == 3);

    const auto calls = f.webhook.Calls();
    const std::vector<std::string> kinds = {"reminder", "reminder", "overdue"};
    std::set<std::string> deliveries;
    for (size_t i = 0; i < calls.size(); ++i) {
      const auto body = nlohmann::json::parse(calls[i].body);
      CHECK(body.at("kind") == kinds[i]);
      CHECK(body.at("facts").at("request_id") == id);
      CHECK(calls[i].body.find("mustermann") == std::string::npos);
      const std::string mac = KeyedHasher::FromKey("hook-secret").Hash(calls[i].body);
      CHECK(calls[i].headers.at("x-dsr-signature") == "sha256=" + mac.substr(mac.find(':') + 1));
      CHECK(calls[i].headers.at("x-dsr-delivery") == body.at("id"));
      deliveries.insert(calls[i].headers.at("x-dsr-delivery"));
    }
    CHECK(deliveries.size() == 3);
    CHECK(nlohmann::json::parse(calls[0].body).at("facts").at("days_before") == 7);
    CHECK(nlohmann::json::parse(calls[1].body).at("facts").at("days_before") == 2);

    // The outbox and the audit trail agree: six deliveries, each sent once.
    const auto outbox = f.store->ListNotifications({id, 100});
    REQUIRE(outbox.ok());
    CHECK(outbox->size() == 6);
    int sent_events = 0;
    const auto events = f.store->EventsOfRequest(id);
    REQUIRE(events.ok());
    for (const auto& event : events.value()) {
      if (event.kind == "notification.sent") ++sent_events;
    }
    CHECK(sent_events == 6);

    // GET /api/v1/notifications shows the same, with the deferred attempt.
    auth::Accounts accounts(*f.store, f.clock);
    REQUIRE(accounts.CreateUser("dora", auth::Role::kDpo, "a password long enough").ok());
    const auto token = accounts.IssueToken("dora", std::nullopt, std::nullopt);
    REQUIRE(token.ok());
    const api::ApiContext context{*f.store, client, {}, {}, {}, f.clock};
    const api::Router router(api::BuildRoutes(context), accounts);
    api::ApiRequest get;
    get.authorization = "Bearer " + token->token;
    get.method = "GET";
    get.path = "/api/v1/notifications";
    get.query = {{"request_id", id}};
    const auto listed = router.Handle(get);
    REQUIRE(listed.status == 200);
    REQUIRE(listed.body.at("notifications").size() == 6);
    int deferred = 0;
    for (const auto& notification : listed.body.at("notifications")) {
      CHECK(notification.at("status") == "sent");
      CHECK(notification.at("request_id") == id);
      CHECK(notification.at("next_attempt_at").is_null());
      if (notification.at("attempts") == 2) {
        ++deferred;
        CHECK(notification.at("channel") == "email");
        CHECK(notification.at("event") == "reminder:" + id + ":2026-04-02:7");
        CHECK(notification.at("last_error").get<std::string>().find("451") != std::string::npos);
      }
    }
    CHECK(deferred == 1);
    get.query = {{"limit", "0"}};
    CHECK(router.Handle(get).status == 400);
    CHECK(store::VerifyAuditChain(*f.store).ok());
    f.StopEngine();
  }
}

}  // namespace dsr::testing
