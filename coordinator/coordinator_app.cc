#include "coordinator/coordinator_app.h"

#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>
#include <zmq.hpp>

#include "common/data_protection.h"
#include "common/durable_file.h"
#include "common/keyed_hash.h"
#include "common/log.h"
#include "common/version.h"
#include "coordinator/api/handlers.h"
#include "coordinator/api/http_server.h"
#include "coordinator/coordinator_config.h"
#include "coordinator/letters/letter.h"
#include "coordinator/store/store.h"
#include "coordinator/workflow/engine.h"
#include "coordinator/workflow/engine_client.h"

namespace dsr {
namespace {

constexpr const char* kUsage =
    "Usage: dsr-coordinator --config FILE [--ready-file FILE]\n"
    "\n"
    "Runs the dsr coordinator: HTTP API, store, broker for workers.\n"
    "\n"
    "  --config FILE      coordinator configuration (YAML; see deploy/examples/coordinator.yaml)\n"
    "  --ready-file FILE  once listening, write {\"http\": URL, \"broker\": ENDPOINT} to FILE\n"
    "  --version          print the version and exit\n"
    "  --help             print this help and exit\n"
    "\n"
    "Stops gracefully on SIGTERM or SIGINT: refuses changes (503) and hands out no\n"
    "new tasks, waits up to shutdown_grace_seconds for running tasks and bundles,\n"
    "then tells the workers and exits; unfinished work is redone at the next start.\n";

struct Options {
  std::string config_path;
  std::string ready_file;
};

// 0: run; otherwise the exit code (after --help, --version or a usage error).
int ParseOptions(int argc, char** argv, Options* options) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      return -1;
    }
    if (arg == "--version") {
      std::printf("dsr-coordinator %s\n", kDsrVersion);
      return -1;
    }
    if ((arg == "--config" || arg == "--ready-file") && i + 1 < argc) {
      (arg == "--config" ? options->config_path : options->ready_file) = argv[++i];
      continue;
    }
    std::fprintf(stderr, "dsr-coordinator: unknown or incomplete option '%s'\n\n%s", arg.c_str(),
                 kUsage);
    return 2;
  }
  if (options->config_path.empty()) {
    std::fprintf(stderr, "dsr-coordinator: --config FILE is required\n\n%s", kUsage);
    return 2;
  }
  return 0;
}

int Fail(const Status& status) {
  std::fprintf(stderr, "dsr-coordinator: %s\n", status.ToString().c_str());
  return 1;
}

// Blocks SIGINT and SIGTERM in this thread and every thread it starts, so that
// WaitForStopSignal alone receives them.
sigset_t BlockStopSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

int WaitForStopSignal(const sigset_t& signals) {
  int received = 0;
  sigwait(&signals, &received);
  return received;
}

// The data keys of data_protection. The default key file (beside the data)
// is created at the first start; a configured one must exist, since a key
// the operator keeps elsewhere and lost must not be silently replaced.
Result<std::shared_ptr<const DataKeyring>> LoadDataKeys(const CoordinatorConfig& config) {
  if (!config.data_key_file_configured && access(config.data_key_file.c_str(), F_OK) != 0) {
    auto id = GenerateDataKeyFile(config.data_key_file);
    if (!id.ok()) return id.status().WithContext("data_protection.key_file");
    LogInfo("coordinator", "created data key " + *id + " in " + config.data_key_file);
  }
  auto ring = DataKeyring::Load(config.data_key_file, config.previous_data_key_files);
  if (!ring.ok()) return ring.status();
  return std::shared_ptr<const DataKeyring>(std::make_shared<DataKeyring>(std::move(ring.value())));
}

}  // namespace

int RunCoordinator(int argc, char** argv) {
  Options options;
  if (int code = ParseOptions(argc, argv, &options); code != 0) return code < 0 ? 0 : code;
  const sigset_t stop_signals = BlockStopSignals();

  auto config = LoadCoordinatorConfig(options.config_path);
  if (!config.ok()) return Fail(config.status());
  SetLogLevel(config->log_level);
  Status zone = UseTimeZone(config->time_zone);
  if (!zone.ok()) return Fail(zone.WithContext(options.config_path + ": controller.time_zone"));
  Status data_dir = MakePrivateDirectories(config->engine.data_dir);
  if (!data_dir.ok()) return Fail(data_dir);
  auto hasher = KeyedHasher::FromFile(config->audit_key_file, /*create_if_missing=*/true);
  if (!hasher.ok())
    return Fail(hasher.status().WithContext(options.config_path + ": audit_key_file"));
  auto templates = letters::LetterTemplates::Load(config->letter_template_dir);
  if (!templates.ok())
    return Fail(templates.status().WithContext(options.config_path + ": letters"));
  config->engine.letter_templates =
      std::make_shared<letters::LetterTemplates>(std::move(templates.value()));
  config->engine.controller_info = config->controller_info;
  config->engine.records_of_processing = config->records_of_processing;
  for (const auto& warning :
       letters::CheckRecordsOfProcessing(config->controller_info, config->records_of_processing)) {
    LogWarn("record-of-processing", warning.path + ": " + warning.message_en);
  }
  auto data_keys = LoadDataKeys(*config);
  if (!data_keys.ok()) return Fail(data_keys.status().WithContext(options.config_path));
  auto store = store::Store::Open(config->store_url, config->read_connections, *data_keys);
  if (!store.ok()) return Fail(store.status());
  if (auto users = (*store)->ListUsers(); users.ok() && users->empty()) {
    LogWarn("auth",
            "there are no users yet, so every API call but /healthz is refused; create the "
            "first admin with: dsrctl user add --store URL --name NAME --role admin");
  }

  const auto clock = NewSystemClock();
  zmq::context_t context;
  workflow::Engine engine(config->engine, **store, *clock, *config->calendar, *hasher, context);
  auto broker_endpoint = engine.Start();
  if (!broker_endpoint.ok()) return Fail(broker_endpoint.status());

  const workflow::EngineClient engine_client(context, std::chrono::seconds(30));
  auth::Accounts accounts(**store, *clock, config->auth);
  auth::DeliveryLinks delivery_links(**store, *clock);
  api::PublicAddress public_address;
  public_address.Set(config->http.public_url);
  const api::ApiContext api_context{**store,
                                    engine_client,
                                    config->engine.sources,
                                    config->controller_info,
                                    config->records_of_processing,
                                    *clock,
                                    config->engine.policy.pause_mode,
                                    config->due_soon_days,
                                    &accounts,
                                    &delivery_links,
                                    &public_address,
                                    &config->engine};
  const api::Router router(api::BuildRoutes(api_context), accounts);
  api::HttpServer http({config->http.host, config->http.port, config->http.threads,
                        config->http.max_queued, config->http.max_body_bytes, config->http.tls},
                       router);
  auto port = http.Start();
  if (!port.ok()) {
    engine.Stop();
    return Fail(port.status());
  }
  const std::string http_url =
      http.scheme() + "://" + config->http.host + ":" + std::to_string(*port);
  if (config->http.public_url.empty()) public_address.Set(http_url);
  LogInfo("coordinator", "dsr-coordinator " + std::string(kDsrVersion) + " serving " + http_url);
  if (!options.ready_file.empty()) {
    const nlohmann::json ready = {{"http", http_url}, {"broker", *broker_endpoint}};
    Status written = WriteFileAtomically(options.ready_file, ready.dump() + "\n");
    if (!written.ok()) LogWarn("coordinator", written.ToString());
  }

  const int signal_number = WaitForStopSignal(stop_signals);
  LogInfo("coordinator", std::string("stopping on ") + strsignal(signal_number) + "; grace " +
                             std::to_string(config->shutdown_grace.count() / 1000) + " s");
  // The API stays up while draining: reads are answered, changes get 503.
  engine.Drain(config->shutdown_grace);
  http.Stop();
  engine.Stop();
  LogInfo("coordinator", "stopped");
  return 0;
}

}  // namespace dsr
