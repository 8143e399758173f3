// RunDsrctl with its real stdout and stderr redirected into pipes, so the
// test sees exactly what a user of the command line sees.
#include "tools/dsrctl/commands.h"

#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "tests/support/temp_dir.h"
#include "tools/dsrctl/printing.h"

namespace dsr::ctl {
namespace {

struct Outcome {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Points `fd` at a fresh pipe; Restore() puts the old file back and returns
// what was written. Output must stay below the pipe's buffer (64 KiB).
class Redirect {
 public:
  explicit Redirect(int fd) : fd_(fd) {
    REQUIRE(::pipe(pipe_) == 0);
    saved_ = ::dup(fd_);
    REQUIRE(saved_ >= 0);
    REQUIRE(::dup2(pipe_[1], fd_) >= 0);
    ::close(pipe_[1]);
  }
  std::string Restore() {
    ::dup2(saved_, fd_);
    ::close(saved_);
    std::string text;
    char buffer[4096];
    ssize_t got = 0;
    while ((got = ::read(pipe_[0], buffer, sizeof buffer)) > 0) {
      text.append(buffer, static_cast<size_t>(got));
    }
    ::close(pipe_[0]);
    return text;
  }

 private:
  int fd_;
  int pipe_[2] = {-1, -1};
  int saved_ = -1;
};

Outcome Run(const std::vector<std::string>& args) {
  std::fflush(stdout);
  std::fflush(stderr);
  Redirect out(STDOUT_FILENO);
  Redirect err(STDERR_FILENO);
  Outcome outcome;
  outcome.exit_code = RunDsrctl(args);
  std::fflush(stdout);
  std::fflush(stderr);
  outcome.err = err.Restore();
  outcome.out = out.Restore();
  return outcome;
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string ExampleCalendars() {
  const char* source = std::getenv("DSR_SOURCE_DIR");
  return std::string(source != nullptr ? source : ".") + "/deploy/examples/calendars";
}

}  // namespace

TEST_SUITE("Dsrctl") {
  TEST_CASE("deadline prints the due date and nothing else") {
    const auto result = Run({"deadline", "--received", "2025-03-05"});
    CHECK(result.exit_code == 0);
    CHECK(result.out == "2025-04-07\n");
    CHECK(result.err.empty());
    CHECK(Run({"deadline", "--received=2025-03-05"}).out == "2025-04-07\n");
  }

  TEST_CASE("deadline --extended prints the extended due date") {
    const auto result = Run({"deadline", "--received", "2025-01-31", "--extended"});
    CHECK(result.exit_code == 0);
    CHECK(result.out == "2025-04-28\n");
    const auto from_receipt =
        Run({"deadline", "--received", "2025-01-31", "--extended", "--extension-from", "receipt"});
    CHECK(from_receipt.exit_code == 0);
    CHECK(from_receipt.out == "2025-04-30\n");
  }

  TEST_CASE("deadline with a bad date is a usage error") {
    for (const char* date : {"2025-02-30", "05.03.2025", ""}) {
      CAPTURE(date);
      const auto result = Run({"deadline", "--received", date});
      CHECK(result.exit_code == 2);
      CHECK(result.out.empty());
      CHECK(Contains(result.err, "Usage: dsrctl deadline"));
    }
  }

  TEST_CASE("deadline counts the holidays of the state --region names") {
    // The month ends Thu 19 June 2025, Corpus Christi in Bavaria, not in Lower Saxony.
    CHECK(Run({"deadline", "--received", "2025-05-19", "--region", "DE-BY"}).out == "2025-06-20\n");
    CHECK(Run({"deadline", "--received", "2025-05-19", "--region", "DE-NI"}).out == "2025-06-19\n");
  }

  TEST_CASE("deadline --calendar-dir counts the holidays of a region from that folder") {
    const std::string dir = ExampleCalendars();
    // Mon 8 Dec 2025 is Mariä Empfängnis in Austria, a working day in Germany.
    CHECK(Run({"deadline", "--received", "2025-11-08", "--region", "AT", "--calendar-dir", dir})
              .out == "2025-12-09\n");
    CHECK(Run({"deadline", "--received", "2025-11-08"}).out == "2025-12-08\n");
    // Extended to Mon 26 Oct 2026, Nationalfeiertag.
    CHECK(Run({"deadline", "--received", "2026-07-26", "--extended", "--region", "AT",
               "--calendar-dir", dir})
              .out == "2026-10-27\n");
    // Built-in regions stay available with a folder.
    CHECK(Run({"deadline", "--received", "2025-05-19", "--region", "DE-BY", "--calendar-dir", dir})
              .out == "2025-06-20\n");
    // Without the folder Austria is unknown, and the error says which regions are known.
    const auto unknown = Run({"deadline", "--received", "2025-11-08", "--region", "AT"});
    CHECK(unknown.exit_code == 2);
    CHECK(Contains(unknown.err, "unknown holiday region 'AT'"));
  }

  TEST_CASE("deadline reads the calendar folder from $DSR_CALENDAR_DIR") {
    REQUIRE(::setenv("DSR_CALENDAR_DIR", ExampleCalendars().c_str(), 1) == 0);
    const auto result = Run({"deadline", "--received", "2025-11-08", "--region", "AT"});
    ::unsetenv("DSR_CALENDAR_DIR");
    CHECK(result.exit_code == 0);
    CHECK(result.out == "2025-12-09\n");
  }

  TEST_CASE("deadline with a broken calendar folder names the file and line and fails") {
    testing::TempDir dir;
    const std::string file = dir.File("AT.yaml");
    std::ofstream(file) << "holidays:\n  - {name: Nationalfeiertag, month: 10, day: 32}\n";
    const auto result = Run(
        {"deadline", "--received", "2025-11-08", "--region", "AT", "--calendar-dir", dir.path()});
    CHECK(result.exit_code == 1);
    CHECK(result.out.empty());
    CHECK_MESSAGE(Contains(result.err, file + ":2: holidays[0]"), result.err);
  }

  TEST_CASE("deadline without --received, with an unknown region or option is a usage error") {
    CHECK(Run({"deadline"}).exit_code == 2);
    CHECK(Run({"deadline", "--received"}).exit_code == 2);
    const auto region = Run({"deadline", "--received", "2025-03-05", "--region", "XX"});
    CHECK(region.exit_code == 2);
    CHECK(Contains(region.err, "XX"));
    const auto option = Run({"deadline", "--received", "2025-03-05", "--colour", "red"});
    CHECK(option.exit_code == 2);
    CHECK(Contains(option.err, "--colour"));
    CHECK(option.out.empty());
  }

  TEST_CASE("extend needs one request id and a reason; its help names both") {
    const auto no_reason = Run({"extend", "r-1"});
    CHECK(no_reason.exit_code == 2);
    CHECK(Contains(no_reason.err, "extend needs --reason"));
    const auto no_id = Run({"extend", "--reason", "many sources"});
    CHECK(no_id.exit_code == 2);
    CHECK(Contains(no_id.err, "extend needs one request id"));
    const auto unknown = Run({"extend", "r-1", "--reason", "x", "--days", "60"});
    CHECK(unknown.exit_code == 2);
    CHECK(Contains(unknown.err, "--days"));
    const auto help = Run({"extend", "--help"});
    CHECK(help.exit_code == 0);
    CHECK(Contains(help.out, "Usage: dsrctl extend ID --reason TEXT"));
    CHECK(no_reason.out.empty());
  }

  TEST_CASE("deliver needs one request id and a number of days from 1 to 30") {
    const auto no_id = Run({"deliver", "--code"});
    CHECK(no_id.exit_code == 2);
    CHECK(Contains(no_id.err, "deliver needs one request id"));
    for (const char* days : {"x", "100", "1.5"}) {
      CAPTURE(days);
      const auto bad = Run({"deliver", "r-1", "--days", days});
      CHECK(bad.exit_code == 2);
      CHECK(Contains(bad.err, "--days must be a whole number of days from 1 to 30"));
      CHECK(bad.out.empty());
    }
    const auto help = Run({"deliver", "--help"});
    CHECK(help.exit_code == 0);
    CHECK(Contains(help.out, "Usage: dsrctl deliver ID [--days N"));
  }

  TEST_CASE("no arguments prints the overview and exits 2") {
    const auto result = Run({});
    CHECK(result.exit_code == 2);
    CHECK(Contains(result.err, "Usage: dsrctl COMMAND"));
    CHECK(result.out.empty());
  }

  TEST_CASE("an unknown command exits 2; help exits 0") {
    const auto unknown = Run({"frobnicate"});
    CHECK(unknown.exit_code == 2);
    CHECK(Contains(unknown.err, "frobnicate"));
    const auto help = Run({"deadline", "--help"});
    CHECK(help.exit_code == 0);
    CHECK(Contains(help.out, "--received YYYY-MM-DD"));
    CHECK(Run({"--help"}).exit_code == 0);
  }

  TEST_CASE("dashboard prints the extended deadlines, open and in the period") {
    const auto dashboard = nlohmann::json::parse(R"({
      "today": "2025-06-18", "period": {"from": "2025-05-01", "to": "2025-06-15"},
      "open": {"total": 7, "by_status": {"in_progress": 7}, "by_type": {"access": 7}},
      "due_this_week": 2, "due_soon": 3, "overdue": 1, "paused": 1, "extended": 4,
      "failing_sources": [], "closed": 6, "cancelled": 1,
      "handling_days": {"median": 26.0, "p95": 50},
      "answered_on_time": {"count": 5, "share": 0.8333}, "late": 1,
      "extended_in_period": 9})");
    std::fflush(stdout);
    Redirect out(STDOUT_FILENO);
    PrintDashboard(dashboard);
    std::fflush(stdout);
    const std::string printed = out.Restore();
    CHECK(Contains(printed, "Deadline extended  4\n"));
    CHECK(Contains(printed, "\nPeriod 2025-05-01 to 2025-06-15\n"));
    CHECK(Contains(printed, "  extended         9 deadlines\n"));
    CHECK(Contains(printed, "  on time          5 (83 %)\n"));
  }

  TEST_CASE("user and token commands work on the store, passwords from a file, tokens once") {
    testing::TempDir dir;
    const std::string store = "sqlite3://db=" + dir.File("dsr.db");
    std::ofstream(dir.File("good")) << "a password long enough\n";
    std::ofstream(dir.File("short")) << "too short\n";
    const auto added = Run({"user", "add", "--store", store, "--name", "alice", "--role", "admin",
                            "--password-file", dir.File("good")});
    CHECK(added.exit_code == 0);
    CHECK(added.out == "added alice (admin)\n");
    const auto weak = Run({"user", "add", "--store", store, "--name", "bob", "--role", "agent",
                           "--password-file", dir.File("short")});
    CHECK(weak.exit_code == 1);
    CHECK(Contains(weak.err, "at least 12 characters"));
    CHECK(Run({"user", "add", "--store", store, "--name", "bob", "--role", "boss",
               "--password-file", dir.File("good")})
              .exit_code == 2);
    CHECK(Run({"user", "add", "--store", store, "--name", "alice", "--role", "agent",
               "--password-file", dir.File("good")})
              .exit_code == 1);  // exists already
    // A password on the command line is not an option.
    CHECK(Run({"user", "add", "--store", store, "--name", "carl", "--role", "agent", "--password",
               "a password long enough"})
              .exit_code == 2);

    const auto token = Run({"token", "create", "--store", store, "--user", "alice", "--label",
                            "laptop", "--expires-days", "30"});
    CHECK(token.exit_code == 0);
    REQUIRE(token.out.size() == 4 + 43 + 1);
    CHECK(token.out.rfind("dsr_", 0) == 0);
    CHECK(Contains(token.err, "shown only this once"));
    CHECK(Run({"token", "create", "--store", store, "--user", "alice", "--expires-days", "x"})
              .exit_code == 2);
    const auto listed = Run({"token", "list", "--store", store, "--user", "alice"});
    CHECK(listed.exit_code == 0);
    CHECK(Contains(listed.out, "laptop"));
    CHECK_FALSE(Contains(listed.out, token.out.substr(0, token.out.size() - 1)));
    const std::string id = listed.out.substr(0, listed.out.find(' '));
    CHECK(Run({"token", "revoke", "--store", store, "--id", id}).exit_code == 0);
    CHECK(Contains(Run({"token", "list", "--store", store, "--user", "alice"}).out, "revoked"));

    CHECK(Run({"user", "disable", "--store", store, "--name", "alice"}).exit_code == 0);
    const auto users = Run({"user", "list", "--store", store});
    CHECK(Contains(users.out, "alice"));
    CHECK(Contains(users.out, "disabled"));
    CHECK(Run({"user", "list"}).exit_code == 2);  // needs --store
  }

  TEST_CASE("API commands send the token of --token-file and say when it cannot be read") {
    const auto missing =
        Run({"list", "--url", "http://127.0.0.1:9", "--token-file", "/nonexistent/token"});
    CHECK(missing.exit_code == 1);
    CHECK(Contains(missing.err, "--token-file"));
  }
}

}  // namespace dsr::ctl
