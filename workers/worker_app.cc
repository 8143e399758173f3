#include "workers/worker_app.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <zmq.hpp>

#include "common/config_file.h"
#include "common/log.h"
#include "common/version.h"
#include "connectors/connector.h"
#include "workers/outcome_journal.h"
#include "workers/worker_runtime.h"
#include "workers/worker_transport.h"

namespace dsr::workers {
namespace {

constexpr const char* kUsage =
    "Usage: dsr-worker --config FILE\n"
    "\n"
    "Serves one data source for the dsr coordinator: connects out to it,\n"
    "announces the source and runs the tasks it hands out.\n"
    "\n"
    "  --config FILE   worker configuration (YAML; see deploy/examples/worker-crm.yaml)\n"
    "  --check         validate the configuration and the connection to the source, then exit\n"
    "  --discover      scan the whole source for personal data and print where it sits as JSON\n"
    "                  (for `dsrctl discover`), then exit\n"
    "  --version       print the version and exit\n"
    "  --help          print this help and exit\n"
    "\n"
    "Stops gracefully on SIGTERM or SIGINT: takes no new task, lets the running one\n"
    "finish within shutdown_grace_seconds, then says goodbye to the coordinator.\n";

std::string DefaultWorkerName(const std::string& source) {
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  return source + "-" + host + "-" + std::to_string(getpid());
}

Result<WorkerSettings> SettingsFrom(const nlohmann::json& config) {
  WorkerSettings settings;
  settings.coordinator = config.at("coordinator").get<std::string>();
  settings.source = config.at("source").get<std::string>();
  settings.worker_name = config.value("worker_name", DefaultWorkerName(settings.source));
  settings.heartbeat_interval =
      std::chrono::milliseconds(config.value("heartbeat_interval_ms", 1000));
  settings.heartbeat_liveness = config.value("heartbeat_liveness", 3);
  settings.shutdown_grace = std::chrono::seconds(config.value("shutdown_grace_seconds", 30));
  auto curve = LoadWorkerCurve(config);
  if (!curve.ok()) return curve.status();
  settings.curve = std::move(*curve);
  return settings;
}

int Fail(const Status& status) {
  std::fprintf(stderr, "dsr-worker: %s\n", status.ToString().c_str());
  return 1;
}

// Prints the discovery report of schemas/api/discovery-report.json.
int PrintDiscovery(const std::string& source, connectors::Connector& connector) {
  auto places = connector.Discover();
  if (!places.ok()) return Fail(places.status().WithContext("discover"));
  nlohmann::json report = {{"source", source},
                           {"connector", std::string(connector.kind())},
                           {"places", nlohmann::json::array()}};
  for (const auto& place : *places) {
    report["places"].push_back(
        {{"place", place.place}, {"kinds", place.kinds}, {"occurrences", place.occurrences}});
  }
  std::printf("%s\n", report.dump(2).c_str());
  return 0;
}

}  // namespace

int RunWorker(int argc, char** argv) {
  std::string config_path;
  bool check_only = false;
  bool discover = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") return std::fputs(kUsage, stdout), 0;
    if (arg == "--version") return std::printf("dsr-worker %s\n", kDsrVersion), 0;
    if (arg == "--check") {
      check_only = true;
    } else if (arg == "--discover") {
      discover = true;
    } else if (arg == "--config" && i + 1 < argc) {
      config_path = argv[++i];
    } else {
      std::fprintf(stderr, "dsr-worker: unknown or incomplete option '%s'\n\n%s", arg.c_str(),
                   kUsage);
      return 2;
    }
  }
  if (config_path.empty()) {
    std::fprintf(stderr, "dsr-worker: --config FILE is required\n\n%s", kUsage);
    return 2;
  }

  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  auto config = LoadConfigFile(config_path, "config/worker");
  if (!config.ok()) return Fail(config.status());
  if (config->contains("log_level")) {
    LogLevel level = LogLevel::kInfo;
    ParseLogLevel(config->at("log_level").get<std::string>(), &level);
    SetLogLevel(level);
  }
  auto settings = SettingsFrom(*config);
  if (!settings.ok()) return Fail(settings.status().WithContext(config_path));
  auto connector = connectors::NewConnector(config->at("connector"), config_path);
  if (!connector.ok()) return Fail(connector.status());
  if (discover) return PrintDiscovery(settings->source, **connector);
  const auto clock = NewSystemClock();
  // Opened (and created) before --check returns, so a journal_dir that
  // cannot be created is found before the first erasure.
  auto journal =
      OutcomeJournal::Open(config->at("journal_dir").get<std::string>(),
                           std::chrono::hours(24) * config->value("journal_keep_days", 30), *clock);
  if (!journal.ok()) return Fail(journal.status());
  if (check_only) {
    auto probe = (*connector)->Locate({{"email", "dsr-check@invalid.invalid"}});
    if (!probe.ok()) return Fail(probe.status().WithContext("source check"));
    std::printf("dsr-worker: configuration and source %s are fine\n", settings->source.c_str());
    return 0;
  }

  std::atomic<bool> stopping{false};
  std::thread signal_waiter([&] {
    int received = 0;
    sigwait(&stop_signals, &received);
    LogInfo("worker", "stopping on signal " + std::to_string(received));
    stopping = true;
  });
  signal_waiter.detach();  // ends with the process

  (*journal)->Prune();
  settings->journal = journal->get();
  zmq::context_t context;
  WorkerRuntime runtime(*settings, **connector, *clock, context);
  Status served = runtime.Run(stopping);
  if (!served.ok()) return Fail(served);
  if (runtime.left_task_running()) {
    // The connector is stuck in a call to its source and the grace is over:
    // end now; the coordinator has requeued the task.
    LogWarn("worker", "exiting with the connector still busy");
    std::fflush(nullptr);
    std::_Exit(0);
  }
  return 0;
}

}  // namespace dsr::workers
