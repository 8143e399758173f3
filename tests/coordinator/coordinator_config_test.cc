#include "coordinator/coordinator_config.h"

#include <doctest/doctest.h>

#include <fstream>

#include "tests/support/temp_dir.h"
#include "tests/support/transport_files.h"

namespace dsr {
namespace {

std::string ExamplePath() {
  const char* source = std::getenv("DSR_SOURCE_DIR");
  return std::string(source != nullptr ? source : ".") + "/deploy/examples/coordinator.yaml";
}

std::string ExampleCalendars() {
  const char* source = std::getenv("DSR_SOURCE_DIR");
  return std::string(source != nullptr ? source : ".") + "/deploy/examples/calendars";
}

std::string ReplaceEvery(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

// Real key and certificate files for the paths the example names.
testing::TransportFiles& ExampleTransport() {
  static testing::TempDir dir;
  static testing::TransportFiles files = [] {
    testing::TransportFiles made(dir.path());
    for (const char* worker : {"crm-1", "mail-1", "tickets-1", "files-1"}) made.Key(worker);
    return made;
  }();
  return files;
}

// The example, with its /etc/dsr key and certificate paths pointing at ExampleTransport().
std::string ReadExample() {
  std::ifstream in(ExamplePath());
  std::string text(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>{});
  const std::string& root = ExampleTransport().dir();
  text = ReplaceEvery(text, "/etc/dsr/keys/", root + "/keys/");
  return ReplaceEvery(text, "/etc/dsr/tls/", root + "/tls/");
}

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  REQUIRE_MESSAGE(at != std::string::npos, from);
  return text.replace(at, from.size(), to);
}

Result<CoordinatorConfig> LoadText(const testing::TempDir& dir, const std::string& text) {
  const std::string path = dir.File("coordinator.yaml");
  std::ofstream(path) << text;
  return LoadCoordinatorConfig(path);
}

// The error's message and details in one string, to look for names in.
std::string Everything(const Status& status) {
  return status.ToString();
}

}  // namespace

TEST_SUITE("CoordinatorConfig") {
  TEST_CASE("loads the annotated example with every value it sets") {
    testing::TempDir dir;
    auto config = LoadText(dir, ReadExample());
    REQUIRE_MESSAGE(config.ok(), config.status().ToString());
    CHECK(config->time_zone == "Europe/Berlin");
    CHECK(config->region == "DE-NW");
    REQUIRE(config->calendar != nullptr);
    CHECK(config->calendar->region() == "DE-NW");
    CHECK_FALSE(config->calendar_dir.has_value());
    CHECK(config->closing_days.spans().empty());
    CHECK(config->due_soon_days == 7);
    CHECK(config->engine.controller.default_language == "de");
    CHECK(config->http.host == "127.0.0.1");
    CHECK(config->http.port == 8080);
    CHECK(config->http.max_body_bytes == 1048576);
    CHECK(config->engine.broker_bind == "tcp://127.0.0.1:5555");
    CHECK(config->engine.heartbeat_interval == std::chrono::milliseconds(1000));
    REQUIRE(config->engine.sources.size() == 4);
    CHECK(config->engine.sources[0].name == "crm");
    CHECK(config->engine.sources[0].connector == "sql");
    CHECK(config->engine.sources[1].connector == "mail");
    CHECK(config->engine.sources[2].connector == "http");
    CHECK(config->engine.sources[3].connector == "files");
    CHECK(config->engine.retry.task_timeout == std::chrono::seconds(900));
    CHECK(config->engine.retry.TimeoutOf("crm") == std::chrono::seconds(900));
    CHECK(config->engine.retry.backoff_base == std::chrono::milliseconds(2000));
    CHECK(config->engine.retry.backoff_max == std::chrono::milliseconds(300000));
    CHECK(config->shutdown_grace == std::chrono::seconds(30));
  }

  TEST_CASE("reads the time-outs, the back-off and the shutdown grace") {
    testing::TempDir dir;
    std::string text = ReadExample();
    text = Replace(text, "shutdown_grace_seconds: 30", "shutdown_grace_seconds: 5");
    text = Replace(text, "  task_timeout_seconds: 900", "  task_timeout_seconds: 120");  // broker
    text = Replace(text, "    task_timeout_seconds: 900", "    task_timeout_seconds: 45");
    text = Replace(text, "retry_backoff_ms: 2000", "retry_backoff_ms: 500");
    auto config = LoadText(dir, text);
    REQUIRE_MESSAGE(config.ok(), config.status().ToString());
    CHECK(config->shutdown_grace == std::chrono::seconds(5));
    CHECK(config->engine.retry.task_timeout == std::chrono::seconds(120));
    CHECK(config->engine.retry.TimeoutOf("crm") == std::chrono::seconds(45));
    CHECK(config->engine.retry.TimeoutOf("mail") == std::chrono::seconds(120));
    CHECK(config->engine.retry.backoff_base == std::chrono::milliseconds(500));

    auto inverted =
        LoadText(dir, Replace(text, "retry_backoff_max_ms: 300000", "retry_backoff_max_ms: 100"));
    REQUIRE_FALSE(inverted.ok());
    CHECK(Everything(inverted.status()).find("retry_backoff_max_ms") != std::string::npos);
    auto zero =
        LoadText(dir, Replace(text, "    task_timeout_seconds: 45", "    task_timeout_seconds: 0"));
    REQUIRE_FALSE(zero.ok());
    CHECK(Everything(zero.status()).find("task_timeout_seconds") != std::string::npos);
  }

  TEST_CASE("reads the request policy, the audit key and the records of processing") {
    testing::TempDir dir;
    auto config = LoadText(dir, ReadExample());
    REQUIRE(config.ok());
    CHECK(config->engine.policy.identity_required);
    CHECK(config->engine.policy.pause_mode == deadlines::PauseMode::kPause);
    CHECK(config->audit_key_file == "/var/lib/dsr/audit.key");
    CHECK(config->controller_info.authority.name.find("Nordrhein-Westfalen") != std::string::npos);
    REQUIRE(config->records_of_processing.size() == 4);
    CHECK(config->records_of_processing[0].name == "crm");
    for (const auto& source : config->records_of_processing) {
      CAPTURE(source.name);
      REQUIRE(source.record.has_value());
      CHECK_FALSE(source.record->data_locations.empty());
    }
    REQUIRE(config->records_of_processing[0].record.has_value());
    CHECK_FALSE(config->records_of_processing[0].record->purposes.empty());
    CHECK(letters::CheckRecordsOfProcessing(config->controller_info, config->records_of_processing)
              .empty());

    std::string text = ReadExample();
    text = Replace(text, "identity_check: required", "identity_check: not_required");
    text = Replace(text, "identity_pause: pause", "identity_pause: restart_from_answer");
    text = Replace(text, "extension_from: first_period_end", "extension_from: receipt");
    auto changed = LoadText(dir, text);
    REQUIRE(changed.ok());
    CHECK_FALSE(changed->engine.policy.identity_required);
    CHECK(changed->engine.policy.extension_from == deadlines::ExtensionFrom::kReceipt);
    CHECK(changed->engine.policy.pause_mode == deadlines::PauseMode::kRestartFromAnswer);
    auto bad =
        LoadText(dir, Replace(text, "identity_pause: restart_from_answer", "identity_pause: stop"));
    REQUIRE_FALSE(bad.ok());
    CHECK(Everything(bad.status()).find("identity_pause") != std::string::npos);
  }

  TEST_CASE("applies the documented defaults to optional keys") {
    testing::TempDir dir;
    auto config = LoadText(dir,
                           "controller: {name: A, contact: a@b.example, time_zone: Europe/Berlin, "
                           "region: DE}\nstore: {url: 'sqlite3://db=x.db'}\ndata_dir: /tmp/x\n"
                           "sources: []\n"
                           // Never a default: plaintext must be asked for.
                           "http: {allow_plain_http: true}\nbroker: {allow_plaintext: true}\n");
    REQUIRE_MESSAGE(config.ok(), config.status().ToString());
    CHECK_FALSE(config->http.tls.has_value());
    CHECK_FALSE(config->engine.security.has_value());
    CHECK(config->engine.controller.default_language == "en");
    CHECK(config->engine.policy.extension_from == deadlines::ExtensionFrom::kFirstPeriodEnd);
    CHECK(config->read_connections == 4);
    CHECK(config->http.port == 8080);
    CHECK(config->http.threads == 8);
    CHECK(config->engine.heartbeat_liveness == 3);
    CHECK(config->engine.retry.max_attempts == 3);
    CHECK(config->engine.retry.task_timeout == std::chrono::seconds(900));
    CHECK(config->engine.retry.backoff_base == std::chrono::milliseconds(2000));
    CHECK(config->engine.retry.backoff_max == std::chrono::minutes(5));
    CHECK(config->engine.retry.source_timeouts.empty());
    CHECK(config->shutdown_grace == std::chrono::seconds(30));
    CHECK(config->engine.policy.identity_required);
    CHECK(config->audit_key_file == "/tmp/x/audit.key");
  }

  TEST_CASE("http.public_url is the base of delivery links; only an http(s) address") {
    testing::TempDir dir;
    const std::string base =
        "controller: {name: A, contact: a@b.example, time_zone: Europe/Berlin, region: DE}\n"
        "store: {url: 'sqlite3://db=x.db'}\ndata_dir: /tmp/x\nsources: []\n"
        "broker: {allow_plaintext: true}\n";
    auto unset = LoadText(dir, base + "http: {allow_plain_http: true}\n");
    REQUIRE_MESSAGE(unset.ok(), unset.status().ToString());
    CHECK(unset->http.public_url.empty());
    auto set = LoadText(
        dir, base + "http: {allow_plain_http: true, public_url: 'https://dsr.example.org/x'}\n");
    REQUIRE_MESSAGE(set.ok(), set.status().ToString());
    CHECK(set->http.public_url == "https://dsr.example.org/x");
    auto bad = LoadText(
        dir, base + "http: {allow_plain_http: true, public_url: 'ftp://dsr.example.org'}\n");
    REQUIRE_FALSE(bad.ok());
    CHECK(Everything(bad.status()).find("public_url") != std::string::npos);
  }

  TEST_CASE("takes a MariaDB store URL and refuses other backends without echoing them") {
    testing::TempDir dir;
    const std::string mysql =
        "mysql://db=dsr host=db.internal port=3306 user=dsr password=s3cret charset=utf8mb4";
    const std::string example = ReadExample();
    auto config =
        LoadText(dir, Replace(example, "sqlite3://db=/var/lib/dsr/dsr.db timeout=5", mysql));
    REQUIRE_MESSAGE(config.ok(), config.status().ToString());
    CHECK(config->store_url == mysql);
    auto other = LoadText(dir, Replace(example, "sqlite3://db=/var/lib/dsr/dsr.db timeout=5",
                                       "postgresql://dbname=dsr password=s3cret"));
    REQUIRE_FALSE(other.ok());
    CHECK(Everything(other.status()).find("store") != std::string::npos);
    CHECK(Everything(other.status()).find("s3cret") == std::string::npos);
  }

  TEST_CASE("reads the notifications section the example documents") {
    testing::TempDir dir;
    std::ofstream(dir.File("smtp.password")) << "s3cret\n";
    // The example's commented-out section, switched on.
    std::string example = ReadExample();
    const size_t start = example.find("# notifications:");
    REQUIRE(start != std::string::npos);
    const size_t end = example.find("\n\n", start);
    std::string section = example.substr(start, end - start);
    for (size_t at = section.find("# "); at != std::string::npos; at = section.find("\n# ", at)) {
      if (at != 0) ++at;
      section.erase(at, 2);
    }
    section = Replace(section, "/etc/dsr/smtp.password", dir.File("smtp.password"));
    section = Replace(section, "    secret_file: /etc/dsr/webhook.secret", "");
    auto config = LoadText(dir, example + "\n" + section + "\n");
    REQUIRE_MESSAGE(config.ok(), config.status().ToString());
    const auto& notifications = config->engine.notifications;
    CHECK(notifications.reminder_days == std::vector<int>{7, 2});
    CHECK(notifications.language == "de");
    CHECK(notifications.public_url == std::optional<std::string>("https://dsr.example.org"));
    REQUIRE(notifications.email);
    CHECK(notifications.email->host == "mail.example.org");
    CHECK(notifications.email->password == std::optional<std::string>("s3cret"));
    CHECK(notifications.email->to == std::vector<std::string>{"datenschutz@example.org"});
    REQUIRE(notifications.webhook);
    CHECK(notifications.webhook->url == "https://chat.example.org/hooks/dsr");

    auto plain =
        LoadText(dir, example + "\n" + Replace(section, "tls: starttls", "tls: none") + "\n");
    REQUIRE_FALSE(plain.ok());
    CHECK(Everything(plain.status()).find("notifications.email.tls") != std::string::npos);
    auto typo =
        LoadText(dir, example + "\n" + Replace(section, "reminder_days", "remind_days") + "\n");
    REQUIRE_FALSE(typo.ok());
    CHECK(Everything(typo.status()).find("remind_days") != std::string::npos);
  }

  TEST_CASE("takes the region's calendar and the closing days from calendar_dir") {
    testing::TempDir dir;
    const std::string text =
        Replace(Replace(ReadExample(), "region: \"DE-NW\"", "region: AT"),
                "  # calendar_dir: /etc/dsr/calendars", "  calendar_dir: " + ExampleCalendars());
    auto config = LoadText(dir, text);
    REQUIRE_MESSAGE(config.ok(), config.status().ToString());
    CHECK(config->calendar_dir == ExampleCalendars());
    REQUIRE(config->calendar != nullptr);
    CHECK(config->calendar->region() == "AT");
    CHECK(config->calendar->IsPublicHoliday(CivilDate(2025, 12, 8)));
    CHECK(config->closing_days.IsClosed(CivilDate(2026, 12, 24)));
    // Reminders are brought forward around them.
    CHECK(config->engine.notifications.closing_days.IsClosed(CivilDate(2026, 12, 24)));
  }

  TEST_CASE("a region known nowhere or a broken calendar folder stops the start clearly") {
    testing::TempDir dir;
    const std::string example = ReadExample();
    auto unknown = LoadText(dir, Replace(example, "region: \"DE-NW\"", "region: AT"));
    REQUIRE_FALSE(unknown.ok());
    const std::string unknown_text = Everything(unknown.status());
    CHECK_MESSAGE(
        unknown_text.find("controller.region: unknown holiday region 'AT'") != std::string::npos,
        unknown_text);
    CHECK_MESSAGE(unknown_text.find("DE-TH") != std::string::npos, unknown_text);

    testing::TempDir calendars;
    std::ofstream(calendars.File("AT.yaml")) << "holidays:\n  - {name: Bad, month: 2, day: 30}\n";
    auto broken = LoadText(dir, Replace(example, "  # calendar_dir: /etc/dsr/calendars",
                                        "  calendar_dir: " + calendars.path()));
    REQUIRE_FALSE(broken.ok());
    const std::string broken_text = Everything(broken.status());
    CHECK_MESSAGE(broken_text.find(dir.File("coordinator.yaml") + ": controller.calendar_dir") !=
                      std::string::npos,
                  broken_text);
    CHECK_MESSAGE(broken_text.find(calendars.File("AT.yaml") + ":2:") != std::string::npos,
                  broken_text);
    CHECK_MESSAGE(broken_text.find("month 2 has no day 30") != std::string::npos, broken_text);

    auto missing = LoadText(dir, Replace(example, "  # calendar_dir: /etc/dsr/calendars",
                                         "  calendar_dir: " + dir.File("none")));
    REQUIRE_FALSE(missing.ok());
    CHECK_MESSAGE(Everything(missing.status()).find("is not a directory") != std::string::npos,
                  Everything(missing.status()));
  }

  TEST_CASE("names the file, the key and the problem of an invalid config") {
    testing::TempDir dir;
    const std::string example = ReadExample();
    struct Case {
      std::string name;
      std::string text;
      const char* key;
    };
    const std::vector<Case> cases = {
        {"bad source name", Replace(example, "- name: crm  ", "- name: \"../crm\"  "),
         "sources[0].name"},
        {"unknown key", example + "\nlisten_everywhere: true\n", "listen_everywhere"},
        {"wrong type", Replace(example, "threads: 8", "threads: many"), "http.threads"},
        {"out of bounds", Replace(example, "heartbeat_liveness: 3", "heartbeat_liveness: 1"),
         "broker.heartbeat_liveness"},
        {"missing key", Replace(example, "  region: \"DE-NW\"\n", ""), "region"},
        {"unknown connector", Replace(example, "connector: sql  ", "connector: ftp  "),
         "sources[0].connector"},
        {"port out of range", Replace(example, "127.0.0.1:8080", "127.0.0.1:99999"), "port"},
        {"duplicate source",
         Replace(example, "\n# optional: debug",
                 "  - {name: crm, title: Again, connector: sql}\n\n# optional: debug"),
         "appears twice"},
        {"not YAML", "controller: [unclosed\n", "line"},
    };
    for (const auto& bad : cases) {
      CAPTURE(bad.name);
      auto config = LoadText(dir, bad.text);
      REQUIRE_FALSE(config.ok());
      const std::string text = Everything(config.status());
      CHECK_MESSAGE(text.find(dir.File("coordinator.yaml")) != std::string::npos, text);
      CHECK_MESSAGE(text.find(bad.key) != std::string::npos, text);
    }
  }
}

}  // namespace dsr

namespace dsr {

TEST_SUITE("CoordinatorConfig") {
  TEST_CASE("data_protection: key files, purge days and their defaults") {
    testing::TempDir dir;
    auto defaults = LoadText(dir, ReadExample());
    REQUIRE_MESSAGE(defaults.ok(), defaults.status().ToString());
    CHECK(defaults->data_key_file == "/var/lib/dsr/data.key");
    CHECK_FALSE(defaults->data_key_file_configured);
    CHECK(defaults->previous_data_key_files.empty());
    CHECK(defaults->engine.purge_after_days == 30);
    CHECK(defaults->engine.purge_check_interval == std::chrono::seconds(3600));

    std::string text = Replace(ReadExample(), "  # key_file: /etc/dsr/data.key",
                               "  key_file: /etc/dsr/data-2.key");
    text = Replace(text, "  previous_key_files: []", "  previous_key_files: [/etc/dsr/data.key]");
    text = Replace(text, "  purge_after_days: 30", "  purge_after_days: 90");
    auto config = LoadText(dir, text);
    REQUIRE_MESSAGE(config.ok(), config.status().ToString());
    CHECK(config->data_key_file == "/etc/dsr/data-2.key");
    CHECK(config->data_key_file_configured);
    CHECK(config->previous_data_key_files == std::vector<std::string>{"/etc/dsr/data.key"});
    CHECK(config->engine.purge_after_days == 90);

    auto refused =
        LoadText(dir, Replace(ReadExample(), "  purge_after_days: 30", "  purge_after_days: 0"));
    REQUIRE_FALSE(refused.ok());
    CHECK(Everything(refused.status()).find("purge_after_days") != std::string::npos);
  }
}

}  // namespace dsr
