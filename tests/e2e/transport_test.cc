// End-to-end: transport security between real processes. Workers get in
// only with a key on the coordinator's allow-list and only for their
// sources; plaintext needs an explicit flag and loopback; the API speaks
// HTTPS only and clients check its certificate.
#include <doctest/doctest.h>
#include <signal.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "common/config_file.h"
#include "common/curve_keys.h"
#include "tests/e2e/cluster.h"

namespace dsr::testing {
namespace {

int64_t EngineCounter(const Cluster& cluster, const std::string& name) {
  const auto health = cluster.Call("GET", "/healthz");
  if (health.status != 200) return -1;
  return nlohmann::json::parse(health.body).at("engine").at(name).get<int64_t>();
}

bool Listed(const Cluster& cluster, const std::string& worker) {
  const auto sources = cluster.Call("GET", "/api/v1/sources");
  return sources.status == 200 && sources.body.find("\"" + worker + "\"") != std::string::npos;
}

bool LogHas(const std::string& path, const std::string& text) {
  return ReadFile(path).find(text) != std::string::npos;
}

// Runs `binary --config config` to its end; returns its exit code, output in `log`.
int RunToEnd(const std::string& binary, const std::string& config, const std::string& log) {
  const int status = std::system(
      (BinDir() + "/" + binary + " --config '" + config + "' > '" + log + "' 2>&1").c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Runs `command` in `dir` with the shell; true when it succeeded.
bool Shell(const std::string& dir, const std::string& command) {
  return std::system(("cd '" + dir + "' && (" + command + ") > openssl.log 2>&1").c_str()) == 0;
}

// A root CA, an intermediate CA it signed, and a certificate for 127.0.0.1
// the intermediate signed, in `dir`: root.crt, intermediate.crt, leaf.crt/.key.
bool MakeCertificateChain(const std::string& dir) {
  const std::string ec = " -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
  const std::string ca_ext =
      "printf 'basicConstraints=critical,CA:TRUE\\nkeyUsage=critical,"
      "keyCertSign,cRLSign\\n' > ca.ext";
  return Shell(dir, "openssl req -x509" + ec +
                        " -days 7 -subj /CN=dsr-test-root -keyout root.key -out root.crt"
                        " -addext basicConstraints=critical,CA:TRUE"
                        " -addext keyUsage=critical,keyCertSign,cRLSign") &&
         Shell(dir, ca_ext) &&
         Shell(dir, "openssl req" + ec +
                        " -subj /CN=dsr-test-intermediate -keyout intermediate.key"
                        " -out intermediate.csr") &&
         Shell(dir,
               "openssl x509 -req -in intermediate.csr -CA root.crt -CAkey root.key"
               " -CAcreateserial -days 7 -extfile ca.ext -out intermediate.crt") &&
         Shell(dir, "printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\\n' > leaf.ext") &&
         Shell(dir, "openssl req" + ec + " -subj /CN=localhost -keyout leaf.key -out leaf.csr") &&
         Shell(dir,
               "openssl x509 -req -in leaf.csr -CA intermediate.crt -CAkey intermediate.key"
               " -CAcreateserial -days 7 -extfile leaf.ext -out leaf.crt");
}

// The config Cluster wrote for its coordinator, to derive broken ones from.
nlohmann::json CoordinatorConfig(const Cluster& cluster) {
  return YamlToJson(ReadFile(cluster.dir().File("coordinator.yaml"))).value();
}

}  // namespace

TEST_SUITE("EndToEnd") {
  TEST_CASE("a worker whose key is not on the allow-list never reaches the broker") {
    Cluster cluster;
    REQUIRE_FALSE(cluster.GenerateCrm(200).empty());
    REQUIRE(cluster.StartCoordinator());
    CHECK(nlohmann::json::parse(
              cluster.Call("GET", "/healthz").body)["engine"]["broker_security"] == "curve");
    const KeyFiles& stranger = cluster.transport().Key("stranger");
    REQUIRE(cluster.LaunchWorker("intruder", "crm", nullptr, [&](nlohmann::json& config) {
      config["curve"]["secret_key_file"] = stranger.secret_file;
      config["curve"]["public_key_file"] = stranger.public_file;
    }));

    REQUIRE(WaitFor([&] { return EngineCounter(cluster, "workers_refused_unknown_key") >= 1; }));
    // Logged by fingerprint only.
    CHECK(WaitFor([&] {
      return LogHas(cluster.coordinator_log(),
                    "refused a worker whose key " + KeyFingerprint(stranger.public_key));
    }));
    CHECK(WaitFor([&] {
      return LogHas(cluster.worker_log("intruder"), "the coordinator refused this worker's key");
    }));
    // Its READY never arrived: nothing registered, nothing dropped as malformed.
    CHECK_FALSE(Listed(cluster, "intruder"));
    CHECK(EngineCounter(cluster, "workers") == 0);
    CHECK(EngineCounter(cluster, "wire_messages_dropped") == 0);
    CHECK_FALSE(LogHas(cluster.coordinator_log(), "worker intruder"));

    // A worker with the source's key gets in and works.
    REQUIRE(cluster.StartWorker("crm-1"));
    CHECK(Listed(cluster, "crm-1"));
    CHECK_FALSE(Listed(cluster, "intruder"));
    // The worker is shown with the key it authenticated with.
    const auto sources = nlohmann::json::parse(cluster.Call("GET", "/api/v1/sources").body);
    CHECK(sources["sources"][0]["workers"][0]["key"] == "crm-workers");
    const auto created = cluster.SubmitAccess({{"email", "nobody@nowhere.example"}});
    REQUIRE(created.is_object());
    CHECK(cluster.ReviewAndApprove(created.at("id").get<std::string>()).at("status") ==
          "completed");
  }

  TEST_CASE("a known key that announces a source it may not serve is refused and told why") {
    Cluster cluster;
    REQUIRE_FALSE(cluster.GenerateCrm(200).empty());
    // The files key is on the allow-list, for the files source only.
    REQUIRE(cluster.StartCoordinator({"crm", "files"}));
    const KeyFiles& files_key = cluster.transport().Key(Cluster::WorkerKeyName("files"));
    REQUIRE(cluster.LaunchWorker("misfit", "crm", nullptr, [&](nlohmann::json& config) {
      config["curve"]["secret_key_file"] = files_key.secret_file;
      config["curve"]["public_key_file"] = files_key.public_file;
    }));

    REQUIRE(WaitFor([&] { return EngineCounter(cluster, "workers_refused_source") >= 1; }));
    CHECK(WaitFor([&] {
      return LogHas(cluster.coordinator_log(),
                    "refused worker key 'files-workers': it may not serve source 'crm'");
    }));
    CHECK(WaitFor([&] {
      return LogHas(cluster.worker_log("misfit"),
                    "the coordinator refused this worker: the coordinator does not allow key "
                    "'files-workers' to serve source 'crm'; trying again in 30 s");
    }));
    CHECK_FALSE(Listed(cluster, "misfit"));

    // The right key for the source works, and the refused worker does not
    // spin: it waits the longest back-off before it announces itself again.
    REQUIRE(cluster.StartWorker("crm-1"));
    CHECK(Listed(cluster, "crm-1"));
    CHECK_FALSE(Listed(cluster, "misfit"));
    CHECK(EngineCounter(cluster, "workers_refused_source") <= 2);
    CHECK(EngineCounter(cluster, "workers_refused_unknown_key") == 0);
  }

  TEST_CASE("plaintext is refused without the flag, and with it off loopback") {
    Cluster cluster;
    REQUIRE_FALSE(cluster.GenerateCrm(200).empty());
    REQUIRE(cluster.StartCoordinator());
    REQUIRE(cluster.StopCoordinator() == 0);
    const nlohmann::json good = CoordinatorConfig(cluster);
    const std::string config_path = cluster.dir().File("plain-coordinator.yaml");
    const std::string log = cluster.dir().File("plain-coordinator.log");

    nlohmann::json no_keys = good;
    no_keys["broker"].erase("curve");
    no_keys["broker"].erase("workers");
    WriteFile(config_path, no_keys.dump(2));
    CHECK(RunToEnd("dsr-coordinator", config_path, log) == 1);
    CHECK_MESSAGE(LogHas(log, "broker.curve: workers must authenticate with CurveZMQ keys"),
                  ReadFile(log));

    nlohmann::json open_to_all = no_keys;
    open_to_all["broker"]["allow_plaintext"] = true;
    open_to_all["broker"]["bind"] = "tcp://0.0.0.0:*";
    WriteFile(config_path, open_to_all.dump(2));
    CHECK(RunToEnd("dsr-coordinator", config_path, log) == 1);
    CHECK_MESSAGE(LogHas(log, "broker.allow_plaintext: plaintext is allowed only on a loopback"),
                  ReadFile(log));

    nlohmann::json no_tls = good;
    no_tls["http"].erase("tls");
    WriteFile(config_path, no_tls.dump(2));
    CHECK(RunToEnd("dsr-coordinator", config_path, log) == 1);
    CHECK_MESSAGE(LogHas(log, "http.tls: the API is served over HTTPS only"), ReadFile(log));

    // The same on the worker's side.
    auto worker = YamlToJson(ReadFile(SourceDir() + "/deploy/examples/worker-crm.yaml")).value();
    worker["journal_dir"] = cluster.dir().File("journal");
    worker.erase("curve");
    const std::string worker_path = cluster.dir().File("plain-worker.yaml");
    WriteFile(worker_path, worker.dump(2));
    CHECK(RunToEnd("dsr-worker", worker_path, log) == 1);
    CHECK_MESSAGE(LogHas(log, "curve: the worker must authenticate with CurveZMQ keys"),
                  ReadFile(log));
    worker["allow_plaintext"] = true;
    worker["coordinator"] = "tcp://192.0.2.10:5555";
    WriteFile(worker_path, worker.dump(2));
    CHECK(RunToEnd("dsr-worker", worker_path, log) == 1);
    CHECK_MESSAGE(LogHas(log,
                         "allow_plaintext: plaintext is allowed only to a coordinator on "
                         "loopback"),
                  ReadFile(log));

    // Asked for explicitly, on loopback, both sides run in plaintext.
    REQUIRE(cluster.StartCoordinator({"crm"}, [](nlohmann::json& config) {
      config["broker"].erase("curve");
      config["broker"].erase("workers");
      config["broker"]["allow_plaintext"] = true;
    }));
    CHECK(nlohmann::json::parse(
              cluster.Call("GET", "/healthz").body)["engine"]["broker_security"] == "plaintext");
    CHECK(cluster.StartWorker("crm-1", "crm", [](nlohmann::json& config) {
      config.erase("curve");
      config["allow_plaintext"] = true;
    }));
  }

  TEST_CASE("the API speaks HTTPS only and clients check its certificate") {
    Cluster cluster;
    REQUIRE_FALSE(cluster.GenerateCrm(200).empty());
    REQUIRE(cluster.StartCoordinator());
    REQUIRE(cluster.url().rfind("https://", 0) == 0);
    CHECK(cluster.Call("GET", "/healthz").status == 200);

    // Plain HTTP to the HTTPS port: no HTTP answer.
    const std::string plain_url = "http://" + cluster.url().substr(std::string("https://").size());
    CHECK(HttpCall(plain_url, "GET", "/healthz").status == 0);

    // A client that trusts another certificate refuses the server, as does
    // one that only trusts the system's CAs.
    const std::string other = cluster.transport().OtherCertificate("other");
    CHECK(HttpCall(cluster.url(), "GET", "/healthz", "", "application/json", other).status == 0);
    CHECK(HttpCall(cluster.url(), "GET", "/healthz").status == 0);

    const std::string out = cluster.dir().File("dsrctl.out");
    const std::string list = BinDir() + "/dsrctl list --url " + cluster.url();
    CHECK(std::system((list + " --ca-file " + other + " > " + out + " 2>&1").c_str()) != 0);
    CHECK_MESSAGE(LogHas(out, "failed the TLS check"), ReadFile(out));
    CHECK(std::system((list + " > " + out + " 2>&1").c_str()) != 0);
    CHECK_MESSAGE(LogHas(out, "failed the TLS check"), ReadFile(out));
    // With the coordinator's certificate, from the option or the environment.
    const std::string token = " --token-file " + cluster.token_file("agent");
    CHECK(std::system(
              (list + token + " --ca-file " + cluster.ca_file() + " > " + out + " 2>&1").c_str()) ==
          0);
    CHECK(std::system(
              ("DSR_CA_FILE=" + cluster.ca_file() + " " + list + token + " > " + out + " 2>&1")
                  .c_str()) == 0);
  }

  TEST_CASE("a certificate from an intermediate CA verifies with the chain from http.tls.ca_file") {
    Cluster cluster;
    REQUIRE_FALSE(cluster.GenerateCrm(200).empty());
    REQUIRE(cluster.StartCoordinator());
    REQUIRE(cluster.StopCoordinator() == 0);
    const std::string pki = cluster.dir().File("pki");
    std::filesystem::create_directories(pki);
    REQUIRE_MESSAGE(MakeCertificateChain(pki), ReadFile(pki + "/openssl.log"));

    // start(with_chain): the coordinator on the intermediate's certificate,
    // sending the intermediate along or not; returns its URL.
    auto start = [&](bool with_chain, ChildProcess& process) -> std::string {
      nlohmann::json config = CoordinatorConfig(cluster);
      config["http"]["listen"] = "127.0.0.1:0";
      config["http"]["tls"] = {{"certificate_file", pki + "/leaf.crt"},
                               {"private_key_file", pki + "/leaf.key"}};
      if (with_chain) config["http"]["tls"]["ca_file"] = pki + "/intermediate.crt";
      const std::string path = cluster.dir().File("chain-coordinator.yaml");
      const std::string ready = cluster.dir().File("chain-ready.json");
      std::remove(ready.c_str());
      WriteFile(path, config.dump(2));
      REQUIRE(process.Start(BinDir() + "/dsr-coordinator",
                            {"--config", path, "--ready-file", ready},
                            cluster.dir().File("chain-coordinator.log")));
      REQUIRE(WaitFor([&] { return std::filesystem::exists(ready); }));
      return nlohmann::json::parse(ReadFile(ready)).at("http").get<std::string>();
    };
    const std::string root = pki + "/root.crt";
    {
      ChildProcess coordinator;
      const std::string url = start(true, coordinator);
      CHECK(WaitFor([&] {
        return HttpCall(url, "GET", "/healthz", "", "application/json", root).status == 200;
      }));
      CHECK(coordinator.Stop(SIGTERM) == 0);
    }
    {
      // Without the intermediate the client cannot build the chain to its root.
      ChildProcess coordinator;
      const std::string url = start(false, coordinator);
      const std::string both = pki + "/root-and-intermediate.crt";
      WriteFile(both, ReadFile(root) + ReadFile(pki + "/intermediate.crt"));
      CHECK(WaitFor([&] {
        return HttpCall(url, "GET", "/healthz", "", "application/json", both).status == 200;
      }));
      CHECK(HttpCall(url, "GET", "/healthz", "", "application/json", root).status == 0);
      CHECK(coordinator.Stop(SIGTERM) == 0);
    }
  }
}

}  // namespace dsr::testing
