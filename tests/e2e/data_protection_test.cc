// End-to-end: personal data at rest. The engine runs in this process on a
// ManualClock with its HTTP API, the worker is the real dsr-worker. An access
// request for a sample customer is answered; nowhere in the store's files or
// the data folder is the subject's e-mail address or name found in clear,
// yet the bundle downloads whole. Past data_protection.purge_after_days the
// engine purges the request: its files are gone, its personal fields are
// empty, the API answers 410, and the audit chain records the purge.
#include "common/data_protection.h"

#include <doctest/doctest.h>
#include <signal.h>
#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <zmq.hpp>

#include "common/digest.h"
#include "common/keyed_hash.h"
#include "coordinator/api/handlers.h"
#include "coordinator/api/http_server.h"
#include "coordinator/auth/accounts.h"
#include "coordinator/deadlines/holiday_calendar.h"
#include "coordinator/store/store.h"
#include "coordinator/workflow/engine.h"
#include "coordinator/workflow/engine_client.h"
#include "tests/e2e/cluster.h"
#include "tests/e2e/crm_oracle.h"
#include "tests/support/clock_ticker.h"
#include "tests/support/engine_settings.h"
#include "tests/support/http_call.h"

namespace dsr::testing {
namespace {

namespace fs = std::filesystem;

Clock::WallTime At(CivilDate date) {
  return Clock::WallTime(std::chrono::seconds(date.DaysSinceEpoch() * 86400 + 10 * 3600));
}

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// Every file below `root` (or `root` itself) whose content holds one of the
// needles in any casing, with the needle found.
std::vector<std::string> FilesHolding(const std::string& root,
                                      const std::vector<std::string>& needles) {
  std::vector<std::string> paths;
  if (fs::is_regular_file(root)) {
    paths.push_back(root);
  } else if (fs::is_directory(root)) {
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
      if (entry.is_regular_file()) paths.push_back(entry.path().string());
    }
  }
  std::vector<std::string> found;
  for (const auto& path : paths) {
    const std::string content = Lower(ReadFile(path));
    for (const auto& needle : needles) {
      if (content.find(Lower(needle)) != std::string::npos) {
        found.push_back(path + " holds '" + needle + "'");
      }
    }
  }
  return found;
}

// The text of the first column of the first row `query` finds in a SQLite
// database, read without the store; empty when none.
std::string RawText(const std::string& db_path, const std::string& query) {
  sqlite3* db = nullptr;
  std::string text;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db, query.c_str(), -1, &statement, nullptr) == SQLITE_OK &&
        sqlite3_step(statement) == SQLITE_ROW) {
      const auto* value = sqlite3_column_text(statement, 0);
      if (value != nullptr) text = reinterpret_cast<const char*>(value);
    }
    sqlite3_finalize(statement);
  }
  sqlite3_close(db);
  return text;
}

}  // namespace

TEST_SUITE("EndToEnd") {
  TEST_CASE("personal data is encrypted at rest and purged after the request is closed") {
    Cluster files;  // its folder, the sample CRM, the worker and the store's database
    const auto samples = ParseSamples(files.GenerateCrm(300));
    const Sample sample = SampleOfKind(samples, "typical");
    const RowsByTable rows = ExpectedRowsForEmail(files.crm_path(), sample.email);
    REQUIRE(rows.count("customers") == 1);
    const auto& customer = rows.at("customers").at(0);
    const std::string name = customer.at("first_name").get<std::string>() + " " +
                             customer.at("last_name").get<std::string>();
    // The address as the agent typed it, in another casing than the CRM's.
    std::string typed = sample.email;
    typed[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(typed[0])));
    const std::vector<std::string> needles = {sample.email, name};

    const std::string key_file = files.dir().File("data.key");
    REQUIRE(GenerateDataKeyFile(key_file).ok());
    auto ring = DataKeyring::Load(key_file, {});
    REQUIRE(ring.ok());
    const auto keys = std::make_shared<const DataKeyring>(std::move(ring.value()));

    ManualClock clock(At(CivilDate(2026, 3, 2)));
    auto store = std::move(store::Store::Open(files.store_url(), 2, keys).value());
    auto calendar = std::move(deadlines::NewHolidayCalendar("DE").value());
    const KeyedHasher hasher = KeyedHasher::FromKey(std::string(32, 'a'));
    const std::string data_dir = files.dir().File("data");
    workflow::EngineSettings settings = TestEngineSettings(data_dir);
    settings.heartbeat_interval = std::chrono::milliseconds(200);
    settings.purge_after_days = 30;
    settings.purge_check_interval = std::chrono::seconds(1);
    zmq::context_t context;
    workflow::Engine engine(settings, *store, clock, *calendar, hasher, context);
    auto broker = engine.Start();
    REQUIRE(broker.ok());
    ClockTicker ticker(clock);

    const workflow::EngineClient client(context, std::chrono::seconds(30));
    // The agent's calls go through the router with a DPO's token, as in production.
    auth::Accounts accounts(*store, clock);
    REQUIRE(accounts.CreateUser("dora", auth::Role::kDpo, "a password long enough").ok());
    auto token = accounts.IssueToken("dora", std::nullopt, std::nullopt);
    REQUIRE(token.ok());
    const std::map<std::string, std::string> as_dpo = {{"Authorization", "Bearer " + token->token}};
    const api::ApiContext api_context{
        *store, client,   settings.sources, {}, {}, clock, deadlines::PauseMode::kPause,
        7,      &accounts};
    const api::Router router(api::BuildRoutes(api_context), accounts);
    api::HttpServerSettings http;
    http.port = 0;
    api::HttpServer server(http, router);
    auto port = server.Start();
    REQUIRE(port.ok());
    const std::string url = "http://127.0.0.1:" + std::to_string(*port);
    const auto call = [&](const std::string& method, const std::string& path,
                          const std::string& body = "") {
      return HttpCall(url, method, path, body, "application/json", "", as_dpo);
    };

    const std::string worker_config = files.WriteInProcessWorkerConfig("crm-1", "crm", *broker);
    ChildProcess worker;
    REQUIRE(worker.Start(BinDir() + "/dsr-worker", {"--config", worker_config},
                         files.dir().File("worker.log")));

    const nlohmann::json body = {{"type", "access"},
                                 {"subject", {{"email", typed}, {"name", name}}},
                                 {"note", "asked by phone; her address is " + sample.email}};
    auto submitted = client.Call({{"op", "submit"}, {"body", body}});
    REQUIRE(submitted.ok());
    const std::string id = submitted->at("id").get<std::string>();
    REQUIRE(
        WaitFor([&] { return store->GetRequest(id)->status == store::RequestStatus::kInReview; }));
    // Records that match the name but not the address are someone else's
    // here; the reasons the agent gives name the subject (sealed too).
    const HttpAnswer ambiguous =
        call("GET", "/api/v1/requests/" + id + "/records?match=ambiguous&limit=500");
    REQUIRE(ambiguous.status == 200);
    const nlohmann::json listed = nlohmann::json::parse(ambiguous.body);
    REQUIRE_FALSE(listed.at("records").empty());
    for (const auto& record : listed.at("records")) {
      const nlohmann::json decision = {{"task_id", record.at("task_id")},
                                       {"collection", record.at("collection")},
                                       {"line", record.at("line")},
                                       {"decision", "exclude"},
                                       {"reason", "another person than " + name}};
      const HttpAnswer decided =
          call("POST", "/api/v1/requests/" + id + "/redactions", decision.dump());
      REQUIRE_MESSAGE((decided.status >= 200 && decided.status < 300), decided.body);
    }
    auto approved =
        client.Call({{"op", "approve"}, {"id", id}, {"body", nlohmann::json::object()}});
    REQUIRE_MESSAGE(approved.ok(), approved.status().message());
    REQUIRE(
        WaitFor([&] { return store->GetRequest(id)->status == store::RequestStatus::kCompleted; }));
    const auto completed = *store->GetRequest(id);
    REQUIRE(completed.bundle);
    CHECK(completed.subject.at("email") == typed);  // read back through the key

    // The bundle downloads decrypted, whole: its digest is the one stored,
    // and it holds the subject's records.
    const HttpAnswer bundle = call("GET", "/api/v1/requests/" + id + "/bundle");
    REQUIRE(bundle.status == 200);
    CHECK(bundle.body.substr(0, 4) == std::string("PK\x03\x04", 4));
    CHECK(static_cast<int64_t>(bundle.body.size()) == completed.bundle->bytes);
    CHECK(Sha256Hex(bundle.body) == completed.bundle->sha256);
    const std::string zip_path = files.dir().File("downloaded.zip");
    WriteFile(zip_path, bundle.body);
    const std::string unpacked = files.dir().File("unpacked");
    REQUIRE(std::system(("unzip -q '" + zip_path + "' -d '" + unpacked + "'").c_str()) == 0);
    const RowsByTable in_bundle = BundleRows(unpacked, "crm");
    CHECK(in_bundle.at("customers").size() == 1);
    CHECK(in_bundle.at("customers").at(0).at("email") == customer.at("email"));
    fs::remove_all(unpacked);
    fs::remove(zip_path);

    // On disk, nothing in clear: the store's files and the whole data folder.
    const bool sqlite = files.store_url().rfind("sqlite3://", 0) == 0;
    const std::vector<std::string> at_rest = {
        data_dir, files.store_path(), files.store_path() + "-wal", files.store_path() + "-shm"};
    for (const auto& root : at_rest) {
      for (const auto& leak : FilesHolding(root, needles)) FAIL_CHECK(leak);
    }
    CHECK(fs::exists(completed.bundle->path));
    CHECK(IsEncryptedFile(completed.bundle->path));
    CHECK(fs::exists(data_dir + "/results/" + id));
    // Without the key the store cannot read the subject back (on MariaDB too).
    auto keyless = std::move(store::Store::Open(files.store_url(), 1).value());
    auto unreadable = keyless->GetRequest(id);
    REQUIRE_FALSE(unreadable.ok());
    CHECK(unreadable.status().message().find("sealed") != std::string::npos);

    // The sealed subject as it is stored: after the purge not even it may stay.
    std::vector<std::string> sealed;
    if (sqlite) {
      const std::string subject =
          RawText(files.store_path(), "SELECT subject FROM requests WHERE id = '" + id + "'");
      CHECK(IsSealed(subject));
      sealed.push_back(subject.substr(subject.rfind(':') + 1, 40));
    }

    // Not purged before its time …
    clock.Advance(std::chrono::hours(24 * 29));
    CHECK(client.Call({{"op", "stats"}}).ok());  // a full engine loop has run since
    CHECK_FALSE(store->GetRequest(id)->purged_at);
    // … and purged after it.
    clock.Advance(std::chrono::hours(24 * 2));
    REQUIRE(WaitFor([&] { return store->GetRequest(id)->purged_at.has_value(); }));
    const auto events = *store->EventsOfRequest(id);
    CHECK(std::any_of(events.begin(), events.end(),
                      [](const auto& event) { return event.kind == "request.purged"; }));
    CHECK(store::VerifyAuditChain(*store).ok());

    const HttpAnswer gone = call("GET", "/api/v1/requests/" + id + "/bundle");
    CHECK(gone.status == 410);
    CHECK(gone.body.find("purged") != std::string::npos);
    CHECK(call("GET", "/api/v1/requests/" + id + "/records").status == 410);
    const HttpAnswer skeleton = call("GET", "/api/v1/requests/" + id);
    CHECK(skeleton.status == 200);
    CHECK(skeleton.body.find("\"completed\"") != std::string::npos);

    // The files that held the encrypted data are gone, and the rows.
    CHECK_FALSE(fs::exists(completed.bundle->path));
    CHECK_FALSE(fs::exists(data_dir + "/results/" + id));
    CHECK(store->ResultsOfRequest(id)->empty());
    const auto purged = keyless->GetRequest(id);  // nothing sealed is left to open
    REQUIRE(purged.ok());
    CHECK(purged->subject.empty());
    CHECK_FALSE(purged->note);
    CHECK_FALSE(purged->consistency);
    if (sqlite) {
      // secure_delete and the WAL checkpointed and truncated after the purge:
      // not even the ciphertext stays in the database's files.
      CHECK(WaitFor([&] { return fs::file_size(files.store_path() + "-wal") == 0; }));
      for (const auto& root : at_rest) {
        for (const auto& leak : FilesHolding(root, sealed)) FAIL_CHECK(leak);
      }
    }
    for (const auto& root : at_rest) {
      for (const auto& leak : FilesHolding(root, needles)) FAIL_CHECK(leak);
    }
    worker.Stop(SIGTERM);
    server.Stop();
    engine.Stop();
  }
}

}  // namespace dsr::testing
