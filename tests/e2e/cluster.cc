#include "tests/e2e/cluster.h"

#include <Poco/Zip/Decompress.h>
#include <signal.h>
#include <sqlite3.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>

#include "common/config_file.h"
#include "tests/support/mariadb_server.h"

namespace dsr::testing {

std::string ReplaceAll(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void WriteFile(const std::string& path, const std::string& content) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
}

std::vector<Sample> ParseSamples(const std::string& output) {
  std::vector<Sample> samples;
  const std::regex line(
      R"re(SAMPLE customer_id=(\S+) email=(\S+) phone="([^"]*)" .* case=(\S+))re");
  for (std::sregex_iterator it(output.begin(), output.end(), line), end; it != end; ++it) {
    samples.push_back({(*it)[1], (*it)[2], (*it)[3], (*it)[4]});
  }
  return samples;
}

Sample SampleOfKind(const std::vector<Sample>& samples, const std::string& kind) {
  for (const auto& sample : samples) {
    if (sample.kind.rfind(kind, 0) == 0) return sample;
  }
  throw std::runtime_error("the sample CRM names no customer of kind " + kind);
}

StoreBackend StoreBackendOfThisRun() {
  const char* chosen = std::getenv("DSR_STORE_TEST_BACKEND");
  return chosen != nullptr && std::string(chosen) == "mariadb" ? StoreBackend::kMariaDb
                                                               : StoreBackend::kSqlite;
}

Cluster::Cluster(StoreBackend store, MariaDbServer* mariadb)
    : transport_(std::make_unique<TransportFiles>(dir_.File("transport"))), store_backend_(store) {
  if (store_backend_ == StoreBackend::kMariaDb) {
    mariadb_ = mariadb != nullptr ? mariadb : &MariaDbServer::Shared();
    store_database_ = mariadb_->CreateOwnedDatabase("store");
    store_url_ = mariadb_->ConnectionString(store_database_);
  } else {
    store_url_ = "sqlite3://db=" + store_path() + " timeout=5";
  }
}

void Cluster::ExecuteOnStore(const std::string& sql) const {
  if (store_backend_ == StoreBackend::kMariaDb) {
    mariadb_->Execute(store_database_, sql);
    return;
  }
  sqlite3* db = nullptr;
  if (sqlite3_open(store_path().c_str(), &db) != SQLITE_OK) {
    throw std::runtime_error("cannot open " + store_path());
  }
  sqlite3_busy_timeout(db, 5000);
  const int done = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
  const std::string error = sqlite3_errmsg(db);
  sqlite3_close(db);
  if (done != SQLITE_OK) throw std::runtime_error("store statement failed: " + error);
}

Cluster::~Cluster() {
  for (auto& entry : workers_) entry.second->Stop(SIGTERM);
  if (coordinator_) coordinator_->Stop(SIGTERM);
  if (ticket_system_) ticket_system_->Stop(SIGTERM);
}

std::string Cluster::GenerateCrm(int customers) {
  const std::string output = dir_.File("sample-crm.out");
  const std::string command = BinDir() + "/dsr-sample-crm --out " + crm_path() + " --customers " +
                              std::to_string(customers) + " > " + output + " 2>&1";
  if (std::system(command.c_str()) != 0) return "";
  return ReadFile(output);
}

std::string Cluster::GenerateAllSources(int customers) {
  const std::string output = dir_.File("sample-all.out");
  const std::string command = BinDir() + "/dsr-sample-crm --out " + crm_path() + " --customers " +
                              std::to_string(customers) + " --mailbox " + mailbox_path() +
                              " --tickets " + tickets_path() + " --files " + files_path() + " > " +
                              output + " 2>&1";
  if (std::system(command.c_str()) != 0) return "";
  return ReadFile(output);
}

bool Cluster::StartTicketSystem() {
  WriteFile(dir_.File("zendesk.token"), "standin-token-for-tests\n");
  const std::string ready = dir_.File("tickets-ready.json");
  ticket_system_ = std::make_unique<ChildProcess>();
  if (!ticket_system_->Start(
          BinDir() + "/dsr-zendesk-standin",
          {"--data", tickets_path(), "--token-file", dir_.File("zendesk.token"), "--auth-email",
           "dsr@example.com", "--listen", "127.0.0.1:0", "--ready-file", ready},
          dir_.File("zendesk-standin.log"))) {
    return false;
  }
  if (!WaitFor([&] { return std::filesystem::exists(ready); })) return false;
  ticket_url_ = nlohmann::json::parse(ReadFile(ready)).at("url").get<std::string>();
  return true;
}

bool Cluster::StartCoordinator(std::set<std::string> sources,
                               const std::function<void(nlohmann::json&)>& edit) {
  sources_ = std::move(sources);
  if (!CreateTestUsers()) return false;
  auto config = YamlToJson(ReadFile(SourceDir() + "/deploy/examples/coordinator.yaml"));
  if (!config.ok()) return false;
  nlohmann::json& c = config.value();
  c["store"]["url"] = store_url_;
  c["data_dir"] = dir_.File("data");
  c["audit_key_file"] = dir_.File("audit.key");
  // The first run picks free ports; later runs take the same ones again.
  c["http"]["listen"] = url_.empty() ? "127.0.0.1:0" : url_.substr(url_.find("//") + 2);
  c["broker"]["bind"] = broker_.empty() ? "tcp://127.0.0.1:*" : broker_;
  // Fast heartbeats, but a generous liveness: a loaded CI machine must not
  // make a live worker look dead.
  c["broker"]["heartbeat_interval_ms"] = 200;
  c["broker"]["heartbeat_liveness"] = 25;
  nlohmann::json kept = nlohmann::json::array();
  for (const auto& source : c["sources"]) {
    if (sources_.count(source.at("name").get<std::string>()) > 0) kept.push_back(source);
  }
  c["sources"] = kept;
  // CurveZMQ with one key per source on the allow-list, and HTTPS.
  c["broker"]["curve"] = {{"secret_key_file", transport_->coordinator().secret_file},
                          {"public_key_file", transport_->coordinator().public_file}};
  c["broker"]["workers"] = nlohmann::json::array();
  for (const auto& source : sources_) {
    c["broker"]["workers"].push_back(
        {{"name", WorkerKeyName(source)},
         {"public_key_file", transport_->Key(WorkerKeyName(source)).public_file},
         {"sources", {source}}});
  }
  c["http"]["tls"] = {{"certificate_file", transport_->certificate_file()},
                      {"private_key_file", transport_->private_key_file()}};
  if (edit) edit(c);
  // JSON is YAML: the coordinator reads the changed config as it is.
  WriteFile(dir_.File("coordinator.yaml"), c.dump(2));
  const std::string ready = dir_.File("ready.json");
  std::remove(ready.c_str());
  coordinator_ = std::make_unique<ChildProcess>();
  ++coordinator_runs_;
  if (!coordinator_->Start(BinDir() + "/dsr-coordinator",
                           {"--config", dir_.File("coordinator.yaml"), "--ready-file", ready},
                           coordinator_log())) {
    return false;
  }
  if (!WaitFor([&] { return std::filesystem::exists(ready); })) return false;
  const auto endpoints = nlohmann::json::parse(ReadFile(ready));
  url_ = endpoints.at("http").get<std::string>();
  broker_ = endpoints.at("broker").get<std::string>();
  return WaitFor([&] { return Call("GET", "/healthz", "", "").status == 200; });
}

std::string Cluster::coordinator_log() const {
  return dir_.File("coordinator.log");
}

void Cluster::CrashCoordinator() {
  if (coordinator_) coordinator_->Stop(SIGKILL);
}

int Cluster::StopCoordinator(std::chrono::milliseconds limit) {
  return coordinator_ ? coordinator_->Stop(SIGTERM, limit) : -1;
}

void Cluster::SignalCoordinator(int signal) {
  if (coordinator_ && coordinator_->running()) kill(coordinator_->pid(), signal);
}

nlohmann::json Cluster::WorkerConfig(const std::string& name, const std::string& source) const {
  auto config =
      YamlToJson(ReadFile(SourceDir() + "/deploy/examples/worker-" + source + ".yaml")).value();
  config["coordinator"] = broker_;
  config["worker_name"] = name;
  config["heartbeat_interval_ms"] = 200;
  config["heartbeat_liveness"] = 25;
  // Shared by the cluster's workers, as by workers of one source in production.
  config["journal_dir"] = dir_.File("worker-journal");
  config["curve"] = {{"secret_key_file", transport_->Key(WorkerKeyName(source)).secret_file},
                     {"public_key_file", transport_->Key(WorkerKeyName(source)).public_file},
                     {"coordinator_public_key_file", transport_->coordinator().public_file}};
  nlohmann::json& connector = config["connector"];
  if (source == "crm") {
    connector["connection"] = "sqlite3://db=" + crm_path() + " timeout=5";
    // The secret for keyed hashes of anonymized values; the same for every worker.
    const std::string key_file = dir_.File("anonymize.key");
    if (!std::filesystem::exists(key_file)) WriteFile(key_file, std::string(32, 'k') + "-test-key");
    connector["anonymize_key_file"] = key_file;
  } else if (source == "mail") {
    connector["maildir"] = mailbox_path();
  } else if (source == "tickets") {
    connector["base_url"] = ticket_url_;
    connector["auth"]["token_file"] = dir_.File("zendesk.token");
  } else if (source == "files") {
    connector["root"] = files_path();
  }
  return config;
}

std::string Cluster::WriteInProcessWorkerConfig(const std::string& name, const std::string& source,
                                                const std::string& broker) const {
  nlohmann::json config = WorkerConfig(name, source);
  config["coordinator"] = broker;
  config.erase("curve");
  config["allow_plaintext"] = true;
  const std::string path = dir_.File("worker-" + name + ".yaml");
  WriteFile(path, config.dump(2));
  return path;
}

bool Cluster::LaunchWorker(const std::string& name, const std::string& source,
                           const nlohmann::json& faults,
                           const std::function<void(nlohmann::json&)>& edit) {
  const std::string path = dir_.File("worker-" + name + ".yaml");
  nlohmann::json config = WorkerConfig(name, source);
  if (edit) edit(config);
  if (!faults.is_null()) {
    nlohmann::json wrapper = faults;
    wrapper["kind"] = "faulty";
    wrapper["inner"] = config["connector"];
    config["connector"] = wrapper;
  }
  WriteFile(path, config.dump(2));
  auto worker = std::make_unique<ChildProcess>();
  if (!worker->Start(BinDir() + "/dsr-worker", {"--config", path}, worker_log(name))) {
    return false;
  }
  workers_[name] = std::move(worker);
  return true;
}

bool Cluster::StartWorker(const std::string& name, const std::string& source,
                          const std::function<void(nlohmann::json&)>& edit) {
  return StartWorker(name, source, nullptr, edit);
}

bool Cluster::StartWorker(const std::string& name, const std::string& source,
                          const nlohmann::json& faults,
                          const std::function<void(nlohmann::json&)>& edit) {
  if (!LaunchWorker(name, source, faults, edit)) return false;
  return WaitFor([&] {
    const auto answer = Call("GET", "/api/v1/sources");
    return answer.status == 200 && answer.body.find("\"" + name + "\"") != std::string::npos;
  });
}

int Cluster::StopWorker(const std::string& name, std::chrono::milliseconds limit) {
  auto found = workers_.find(name);
  if (found == workers_.end()) return -1;
  const int code = found->second->Stop(SIGTERM, limit);
  workers_.erase(found);
  return code;
}

int Cluster::KillWorker(const std::string& name) {
  auto found = workers_.find(name);
  if (found == workers_.end()) return -1;
  const int code = found->second->Stop(SIGKILL);
  workers_.erase(found);
  return code;
}

std::optional<int> Cluster::WorkerExitCode(const std::string& name) {
  auto found = workers_.find(name);
  if (found == workers_.end()) return std::nullopt;
  const auto code = found->second->ExitCodeIfEnded();
  if (code) workers_.erase(found);
  return code;
}

int Cluster::WorkerCount() const {
  const auto answer = Call("GET", "/api/v1/sources");
  if (answer.status != 200) return -1;
  int count = 0;
  const auto listed = nlohmann::json::parse(answer.body);
  for (const auto& source : listed.at("sources")) {
    count += static_cast<int>(source.at("workers").size());
  }
  return count;
}

HttpAnswer Cluster::Call(const std::string& method, const std::string& path,
                         const std::string& body, const std::string& role) const {
  std::map<std::string, std::string> headers;
  if (!role.empty()) headers["Authorization"] = "Bearer " + tokens_.at(role);
  return HttpCall(url_, method, path, body, "application/json", ca_file(), headers);
}

bool Cluster::CreateTestUsers() {
  if (!tokens_.empty()) return true;
  WriteFile(dir_.File("password"), password() + "\n");
  const std::string dsrctl = BinDir() + "/dsrctl";
  const std::string store = " --store '" + store_url_ + "'";
  for (const auto& role : Roles()) {
    const std::string add = dsrctl + " user add" + store + " --name " + user_of(role) + " --role " +
                            role + " --password-file " + dir_.File("password") + " > " +
                            dir_.File("user-" + role + ".out") + " 2>&1";
    const std::string token = dsrctl + " token create" + store + " --user " + user_of(role) +
                              " --label tests > " + token_file(role) + " 2> " +
                              dir_.File("token-" + role + ".err");
    if (std::system(add.c_str()) != 0 || std::system(token.c_str()) != 0) return false;
    std::string text = ReadFile(token_file(role));
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    if (text.empty()) return false;
    tokens_[role] = text;
  }
  return true;
}

nlohmann::json Cluster::Submit(const nlohmann::json& body) const {
  const auto answer = Call("POST", "/api/v1/requests", body.dump());
  if (answer.status != 201) return nlohmann::json();
  return nlohmann::json::parse(answer.body);
}

HttpAnswer Cluster::Act(const std::string& id, const std::string& action,
                        const nlohmann::json& body) const {
  return Call("POST", "/api/v1/requests/" + id + "/" + action, body.dump());
}

nlohmann::json Cluster::ConfirmIdentity(const std::string& id) const {
  const auto answer = Act(id, "identity", {{"method", "email_reply"}, {"outcome", "confirmed"}});
  if (answer.status != 200) return nlohmann::json();
  return nlohmann::json::parse(answer.body);
}

nlohmann::json Cluster::SubmitAccess(const nlohmann::json& subject) const {
  const auto created = Submit({{"type", "access"}, {"subject", subject}});
  if (!created.is_object()) return created;
  return ConfirmIdentity(created.at("id").get<std::string>());
}

nlohmann::json Cluster::Records(const std::string& id, const std::string& query) const {
  const auto answer = Call("GET", "/api/v1/requests/" + id + "/records?limit=500" + query);
  if (answer.status != 200) return nlohmann::json();
  return nlohmann::json::parse(answer.body);
}

nlohmann::json Cluster::ReviewAndApprove(const std::string& id) const {
  const auto in_review = WaitForStatus(id, "in_review");
  if (in_review.value("status", "") != "in_review") return in_review;
  const auto ambiguous = Records(id, "&match=ambiguous");
  for (const auto& record : ambiguous.at("records")) {
    if (!record.at("decision").is_null()) continue;
    const auto decided = Act(id, "redactions",
                             {{"task_id", record.at("task_id")},
                              {"collection", record.at("collection")},
                              {"line", record.at("line")},
                              {"decision", "exclude"},
                              {"reason", "not shown to be the data subject's"}});
    if (decided.status != 200) {
      std::fprintf(stderr, "decision on %s answered %d: %s\n", id.c_str(), decided.status,
                   decided.body.c_str());
    }
  }
  const auto approved = Act(id, "approve");
  if (approved.status != 200) {
    std::fprintf(stderr, "approve of %s answered %d: %s\n", id.c_str(), approved.status,
                 approved.body.c_str());
    return nlohmann::json();
  }
  return WaitForStatus(id, "completed");
}

nlohmann::json Cluster::WaitForStatus(const std::string& id, const std::string& status) const {
  nlohmann::json last;
  WaitFor([&] {
    const auto answer = Call("GET", "/api/v1/requests/" + id);
    if (answer.status != 200) return false;
    last = nlohmann::json::parse(answer.body);
    return last.at("status") == status;
  });
  return last;
}

std::string Cluster::FetchBundle(const std::string& id) const {
  const auto answer = Call("GET", "/api/v1/requests/" + id + "/bundle");
  if (answer.status != 200) return "";
  const std::string folder = dir_.File("bundle-" + std::to_string(++bundles_fetched_));
  std::filesystem::create_directories(folder);
  std::istringstream zip(answer.body);
  Poco::Zip::Decompress unpack(zip, Poco::Path(folder + "/"));
  unpack.decompressAllFiles();
  return folder;
}

}  // namespace dsr::testing
