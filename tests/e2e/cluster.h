// Cluster: a coordinator and workers as real processes on loopback, with a
// temporary store, data folder and sample CRM, configured from the annotated
// examples in deploy/examples (so those stay correct too). The store is a
// SQLite file in the cluster's folder, or a fresh database on a MariaDB
// server (DSR_STORE_TEST_BACKEND=mariadb, or by choice).
//
// Transport security is on as in production: the cluster makes the
// coordinator's CurveZMQ key pair, one key per source for its workers (named
// "<source>-workers" on the allow-list, allowed for that source only) and a
// self-signed certificate, and runs the broker with CurveZMQ and the API
// over HTTPS; Call() verifies the certificate against ca_file().
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "tests/support/child_process.h"
#include "tests/support/http_call.h"
#include "tests/support/temp_dir.h"
#include "tests/support/transport_files.h"

namespace dsr::testing {

class MariaDbServer;

enum class StoreBackend { kSqlite, kMariaDb };
// kMariaDb when DSR_STORE_TEST_BACKEND=mariadb, else kSqlite.
StoreBackend StoreBackendOfThisRun();

class Cluster {
 public:
  // With kMariaDb the store is a new database on `mariadb`, or on
  // MariaDbServer::Shared() when that is null.
  explicit Cluster(StoreBackend store = StoreBackendOfThisRun(), MariaDbServer* mariadb = nullptr);
  ~Cluster();

  // Creates the sample CRM with dsr-sample-crm; returns its SAMPLE lines.
  std::string GenerateCrm(int customers = 2000);
  // Creates the sample CRM and, from the same customers, the support mailbox,
  // the ticket system's data and the folder of lists, contacts and chat logs.
  std::string GenerateAllSources(int customers = 400);
  // Starts dsr-zendesk-standin (a stand-in for Zendesk) on the sample tickets.
  bool StartTicketSystem();
  // Starts the coordinator with the example config's `sources` cut down to
  // `sources` and then changed by `edit` (when given), and waits until it
  // answers /healthz.
  bool StartCoordinator(std::set<std::string> sources = {"crm"},
                        const std::function<void(nlohmann::json&)>& edit = {});
  // A second StartCoordinator after a stop or crash listens on the same HTTP
  // and broker ports as the first, so that running workers find it again.
  // SIGKILLs the coordinator (a crash).
  void CrashCoordinator();
  // SIGTERMs the coordinator and waits up to `limit` for its exit; returns
  // its exit code, -1 when it had to be killed.
  int StopCoordinator(std::chrono::milliseconds limit = std::chrono::seconds(10));
  // Sends `signal` to the coordinator without waiting.
  void SignalCoordinator(int signal);
  // Starts a worker for `source` from deploy/examples/worker-<source>.yaml,
  // pointed at this cluster's sample data and then changed by `edit` (when
  // given), and waits until the coordinator lists it. `faults`, when given,
  // wraps the connector in the fault-injecting connector (kind: faulty) with
  // these settings (control_file, check_every_records, random).
  bool StartWorker(const std::string& name, const std::string& source = "crm",
                   const nlohmann::json& faults = nullptr,
                   const std::function<void(nlohmann::json&)>& edit = {});
  bool StartWorker(const std::string& name, const std::string& source,
                   const std::function<void(nlohmann::json&)>& edit);
  // Starts the worker without waiting for the coordinator to list it.
  bool LaunchWorker(const std::string& name, const std::string& source = "crm",
                    const nlohmann::json& faults = nullptr,
                    const std::function<void(nlohmann::json&)>& edit = {});
  // SIGTERMs the worker and waits up to `limit` (as StopCoordinator).
  int StopWorker(const std::string& name,
                 std::chrono::milliseconds limit = std::chrono::seconds(10));
  // SIGKILLs worker `name` (a crash); returns its exit code (128 + 9), or
  // its own exit code when it had ended by itself.
  int KillWorker(const std::string& name);
  // The exit code of worker `name` when it has ended by itself (collecting
  // it); nullopt while it runs or when there is no such worker.
  std::optional<int> WorkerExitCode(const std::string& name);
  std::string worker_log(const std::string& name) const {
    return dir_.File("worker-" + name + ".log");
  }
  // The config file StartWorker wrote for worker `name`.
  std::string worker_config(const std::string& name) const {
    return dir_.File("worker-" + name + ".yaml");
  }

  // Calls the API with the token of the test user of `role` ("agent", "dpo",
  // "admin", "auditor"), or with no credentials when `role` is empty.
  HttpAnswer Call(const std::string& method, const std::string& path, const std::string& body = "",
                  const std::string& role = "dpo") const;
  // The test users: one per role, named "test-<role>", made with dsrctl on
  // the store before the coordinator first starts, each with an API token.
  static std::vector<std::string> Roles() { return {"agent", "dpo", "admin", "auditor"}; }
  std::string user_of(const std::string& role) const { return "test-" + role; }
  const std::string& token_of(const std::string& role) const { return tokens_.at(role); }
  // A file holding that token, for dsrctl --token-file.
  std::string token_file(const std::string& role) const { return dir_.File("token-" + role); }
  // The password of every test user.
  static std::string password() { return "correct horse battery staple"; }
  // POSTs a request body; returns the created request (null on failure).
  nlohmann::json Submit(const nlohmann::json& body) const;
  // POSTs /api/v1/requests/{id}/{action}; returns the answer as it is.
  HttpAnswer Act(const std::string& id, const std::string& action,
                 const nlohmann::json& body = nlohmann::json::object()) const;
  // Files an access request and records a confirmed identity check; returns
  // the request as it then is (in_progress), null on failure.
  nlohmann::json SubmitAccess(const nlohmann::json& subject) const;
  // Records a confirmed identity check; returns the updated request.
  nlohmann::json ConfirmIdentity(const std::string& id) const;
  // Waits for review, excludes every undecided ambiguous record, approves and
  // waits until the request is completed; returns it.
  nlohmann::json ReviewAndApprove(const std::string& id) const;
  // The records of a request as GET …/records lists them (one page of 500).
  nlohmann::json Records(const std::string& id, const std::string& query = "") const;
  // Polls the request until `status`; returns the last view seen.
  nlohmann::json WaitForStatus(const std::string& id, const std::string& status) const;
  // Downloads the bundle and unpacks it into a fresh folder; returns that folder.
  std::string FetchBundle(const std::string& id) const;
  int WorkerCount() const;

  const TempDir& dir() const { return dir_; }
  // The keys and the certificate (transport_files.h); Key(NAME) makes more.
  TransportFiles& transport() { return *transport_; }
  // What clients verify the coordinator's certificate against.
  const std::string& ca_file() const { return transport_->certificate_file(); }
  // The allow-list name of the key that the workers of `source` use.
  static std::string WorkerKeyName(const std::string& source) { return source + "-workers"; }
  const std::string& url() const { return url_; }
  const std::string& broker() const { return broker_; }
  // Writes the config of a worker `name` of `source` for an engine the test
  // runs in its own process, whose broker at `broker` is plaintext on
  // loopback (no security in its settings); returns the file's path.
  std::string WriteInProcessWorkerConfig(const std::string& name, const std::string& source,
                                         const std::string& broker) const;
  std::string crm_path() const { return dir_.File("crm.db"); }
  std::string mailbox_path() const { return dir_.File("mailbox"); }
  std::string tickets_path() const { return dir_.File("tickets.json"); }
  std::string files_path() const { return dir_.File("files"); }
  const std::string& ticket_url() const { return ticket_url_; }
  // The SQLite store's file (kSqlite only).
  std::string store_path() const { return dir_.File("dsr.db"); }
  StoreBackend store_backend() const { return store_backend_; }
  // The store's SOCI URL, as in the coordinator config and for dsrctl --store.
  const std::string& store_url() const { return store_url_; }
  // Runs one SQL statement on the store, as a tampering operator would.
  void ExecuteOnStore(const std::string& sql) const;
  std::string coordinator_log() const;

 private:
  TempDir dir_;
  std::unique_ptr<TransportFiles> transport_;
  nlohmann::json WorkerConfig(const std::string& name, const std::string& source) const;

  StoreBackend store_backend_;
  MariaDbServer* mariadb_ = nullptr;
  std::string store_database_;  // kMariaDb
  std::string store_url_;
  std::unique_ptr<ChildProcess> coordinator_;
  std::unique_ptr<ChildProcess> ticket_system_;
  std::string ticket_url_;
  std::set<std::string> sources_ = {"crm"};
  std::map<std::string, std::unique_ptr<ChildProcess>> workers_;
  std::string url_;
  std::string broker_;
  int coordinator_runs_ = 0;
  std::map<std::string, std::string> tokens_;  // role → API token
  // Makes the test users and their tokens (once per cluster).
  bool CreateTestUsers();
  mutable int bundles_fetched_ = 0;
};

// A customer the sample generator pointed out (its SAMPLE lines).
struct Sample {
  std::string customer_id;
  std::string email;
  std::string phone;
  std::string kind;  // "typical", "shares-phone-with:K-000053" …
};
std::vector<Sample> ParseSamples(const std::string& generator_output);
// The first sample whose kind starts with `kind`; REQUIRE-fails when none.
Sample SampleOfKind(const std::vector<Sample>& samples, const std::string& kind);

// Replaces every occurrence of `from` in `text`.
std::string ReplaceAll(std::string text, const std::string& from, const std::string& to);
std::string ReadFile(const std::string& path);
void WriteFile(const std::string& path, const std::string& content);

}  // namespace dsr::testing
