#include "coordinator/notify/notify_config.h"

#include <doctest/doctest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/support/temp_dir.h"

namespace dsr::notify {
namespace {

bool Mentions(const Status& status, const std::string& text) {
  for (const auto& detail : status.details()) {
    if (detail.find(text) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("no section: no channel, the defaults") {
  auto settings = ParseNotificationSettings(nlohmann::json::object(), "de");
  REQUIRE(settings.ok());
  CHECK_FALSE(settings->enabled());
  CHECK(settings->reminder_days == std::vector<int>{7, 2});
  CHECK(settings->language == "de");
  CHECK(settings->check_interval == std::chrono::seconds(60));
}

TEST_CASE("e-mail and webhook with their secrets; reminder days largest first") {
  testing::TempDir dir;
  std::ofstream(dir.File("smtp.password")) << "s3cret\n";
  std::ofstream(dir.File("hook.secret")) << "hook-key";
  const auto section = nlohmann::json::parse(R"({
    "reminder_days": [2, 14, 7], "language": "en",
    "email": {"host": "mail.example.org", "username": "dsr",
              "password_file": ")" + dir.File("smtp.password") +
                                             R"(",
              "from": "dsr@example.org", "to": ["dpo@example.org"]},
    "webhook": {"url": "https://hooks.example.org/dsr", "secret_file": ")" +
                                             dir.File("hook.secret") + R"("}})");
  auto settings = ParseNotificationSettings(section, "de");
  REQUIRE(settings.ok());
  CHECK(settings->reminder_days == std::vector<int>{14, 7, 2});
  CHECK(settings->language == "en");
  REQUIRE(settings->email);
  CHECK(settings->email->starttls);
  CHECK(settings->email->port == 587);
  CHECK(settings->email->password == std::optional<std::string>("s3cret"));
  REQUIRE(settings->webhook);
  CHECK(settings->webhook->secret == std::optional<std::string>("hook-key"));
  CHECK(settings->channels() == std::vector<std::string>{"email", "webhook"});
}

TEST_CASE("nothing personal crosses a network in clear, and secrets must be readable") {
  const auto section = nlohmann::json::parse(R"({
    "email": {"host": "mail.example.org", "tls": "none", "username": "dsr",
              "from": "dsr@example.org", "to": ["dpo@example.org"]},
    "webhook": {"url": "http://hooks.example.org/dsr", "secret_file": "/nonexistent/secret"}})");
  auto settings = ParseNotificationSettings(section, "en");
  REQUIRE_FALSE(settings.ok());
  CHECK(settings.status().code() == StatusCode::kValidation);
  CHECK(Mentions(settings.status(), "notifications.email.tls: none is allowed only to a loopback"));
  CHECK(Mentions(settings.status(), "username and password_file go together"));
  CHECK(Mentions(settings.status(), "notifications.webhook.url: plain http"));
  CHECK(Mentions(settings.status(), "notifications.webhook.secret_file: cannot read"));

  const auto loopback = nlohmann::json::parse(R"({
    "email": {"host": "127.0.0.1", "port": 2525, "tls": "none",
              "from": "dsr@example.org", "to": ["dpo@example.org"]},
    "webhook": {"url": "http://localhost:9000/dsr"}})");
  CHECK(ParseNotificationSettings(loopback, "en").ok());
}

}  // namespace dsr::notify
