// dsr-zendesk-standin: a local stand-in for Zendesk (not Zendesk itself) that
// serves the subset of the Zendesk Support API v2 used by dsr's http
// connector, for tests and demos. See tools/zendesk-standin/README.md.
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "common/durable_file.h"
#include "tools/sample-crm/sample_crm_data.h"
#include "tools/sample-crm/sample_tickets.h"
#include "tools/zendesk-standin/standin_server.h"

namespace {

using dsr::zendesk_standin::FaultSettings;
using dsr::zendesk_standin::StandinOptions;

constexpr char kUsage[] =
    "usage: dsr-zendesk-standin --data FILE --token-file FILE [options]\n"
    "       dsr-zendesk-standin --write-sample FILE [--customers N] [--seed S]\n"
    "\n"
    "A local stand-in for Zendesk (it is not Zendesk): serves the part of the Zendesk\n"
    "Support API v2 that dsr's http connector uses, from a JSON data file, for tests\n"
    "and demos. Changes stay in memory unless --save names a file.\n"
    "\n"
    "  --data FILE            users, tickets and comments to serve\n"
    "  --token-file FILE      the API token clients must send (<email>/token:<token>)\n"
    "  --auth-email EMAIL     accept only this agent e-mail before /token\n"
    "  --listen HOST:PORT     default 127.0.0.1:8090; port 0 picks a free one\n"
    "  --ready-file FILE      written as {\"url\": ...} once listening\n"
    "  --save FILE            write the data there after every change\n"
    "  --max-page-size N      largest page served (default 100, as Zendesk)\n"
    "  --fail-first N         answer the first N requests with 429\n"
    "  --retry-after S        Retry-After of those answers (default 1)\n"
    "  --fail-status CODE     status of injected failures (default 500)\n"
    "  --fail-count N         fail the next N requests with --fail-status\n"
    "  --fail-message TEXT    the message of injected failures\n"
    "  --delay-ms MS          stall the next --delay-count requests this long\n"
    "  --delay-count N\n"
    "  --write-sample FILE    write sample data for the sample CRM of the same\n"
    "                         --customers (default 2000) and --seed (default 1), then exit\n"
    "\n"
    "Control (no auth): POST /_standin/faults {\"rate_limited\", \"retry_after_s\",\n"
    "\"fail_status\", \"fail_count\", \"fail_message\", \"delay_ms\", \"delay_count\",\n"
    "\"ignore_deletes\"}, GET /_standin/stats, GET /_standin/dump. Stops on SIGTERM or SIGINT.\n";

struct Arguments {
  std::string data, token_file, ready_file, save, write_sample;
  int customers = 2000;
  unsigned long long seed = 1;
  StandinOptions server;
  FaultSettings faults;
};

bool ParseInt(const char* text, long long low, long long high, int* out) {
  char* end = nullptr;
  const long long value = std::strtoll(text, &end, 10);
  if (end == text || *end != '\0' || value < low || value > high) return false;
  *out = static_cast<int>(value);
  return true;
}

bool ParseListen(const std::string& text, StandinOptions* options) {
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  options->host = text.substr(0, colon);
  return ParseInt(text.c_str() + colon + 1, 0, 65535, &options->port);
}

bool ParseSeed(const char* text, unsigned long long* seed) {
  char* end = nullptr;
  *seed = std::strtoull(text, &end, 10);
  return end != text && *end == '\0' && text[0] != '-';
}

bool ParseFlag(const std::string& flag, const char* value, Arguments* a) {
  if (flag == "--data") return !(a->data = value).empty();
  if (flag == "--token-file") return !(a->token_file = value).empty();
  if (flag == "--auth-email") return !(a->server.agent_email = value).empty();
  if (flag == "--listen") return ParseListen(value, &a->server);
  if (flag == "--ready-file") return !(a->ready_file = value).empty();
  if (flag == "--save") return !(a->save = value).empty();
  if (flag == "--max-page-size") return ParseInt(value, 1, 1000, &a->server.max_page_size);
  if (flag == "--fail-first") return ParseInt(value, 0, 1000000, &a->faults.rate_limited);
  if (flag == "--retry-after") return ParseInt(value, 0, 86400, &a->faults.retry_after_s);
  if (flag == "--fail-status") return ParseInt(value, 400, 599, &a->faults.fail_status);
  if (flag == "--fail-count") return ParseInt(value, 0, 1000000, &a->faults.fail_count);
  if (flag == "--fail-message") return !(a->faults.fail_message = value).empty();
  if (flag == "--delay-ms") return ParseInt(value, 0, 600000, &a->faults.delay_ms);
  if (flag == "--delay-count") return ParseInt(value, 0, 1000000, &a->faults.delay_count);
  if (flag == "--write-sample") return !(a->write_sample = value).empty();
  if (flag == "--customers") return ParseInt(value, 1, 1000000, &a->customers);
  if (flag == "--seed") return ParseSeed(value, &a->seed);
  return false;
}

bool ParseArguments(int argc, char** argv, Arguments* arguments) {
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (i + 1 >= argc || !ParseFlag(flag, argv[i + 1], arguments)) {
      std::fprintf(stderr, "dsr-zendesk-standin: bad argument '%s'\n%s", flag.c_str(), kUsage);
      return false;
    }
    ++i;
  }
  if (arguments->write_sample.empty() &&
      (arguments->data.empty() || arguments->token_file.empty())) {
    std::fprintf(stderr, "dsr-zendesk-standin: --data and --token-file are required\n%s", kUsage);
    return false;
  }
  return true;
}

int WriteSample(const Arguments& arguments) {
  const auto crm = dsr::sample_crm::GenerateSampleCrm(arguments.customers, arguments.seed);
  const dsr::Status written =
      dsr::sample_crm::WriteSampleTickets(crm, arguments.write_sample, arguments.seed);
  if (!written.ok()) {
    std::fprintf(stderr, "dsr-zendesk-standin: %s\n", written.ToString().c_str());
    return 1;
  }
  std::printf("WROTE %s customers=%d seed=%llu\n", arguments.write_sample.c_str(),
              arguments.customers, arguments.seed);
  return 0;
}

bool ReadToken(const std::string& path, std::string* token) {
  std::ifstream file(path);
  if (!file || !(file >> *token)) return false;
  return true;
}

int Serve(Arguments& arguments) {
  if (!ReadToken(arguments.token_file, &arguments.server.token)) {
    std::fprintf(stderr, "dsr-zendesk-standin: cannot read a token from '%s'\n",
                 arguments.token_file.c_str());
    return 2;
  }
  auto store = dsr::zendesk_standin::ZendeskStore::Load(arguments.data, arguments.save);
  if (!store.ok()) {
    std::fprintf(stderr, "dsr-zendesk-standin: %s\n", store.status().ToString().c_str());
    return 2;
  }
  // Blocked before any thread starts, so that only sigwait below sees them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  dsr::zendesk_standin::FaultInjector faults(arguments.faults);
  dsr::zendesk_standin::StandinServer server(arguments.server, **store, faults);
  auto port = server.Start();
  if (!port.ok()) {
    std::fprintf(stderr, "dsr-zendesk-standin: %s\n", port.status().ToString().c_str());
    return 1;
  }
  const std::string url = "http://" + arguments.server.host + ":" + std::to_string(*port);
  std::printf("LISTENING %s\n", url.c_str());
  std::fflush(stdout);
  if (!arguments.ready_file.empty()) {
    const dsr::Status ready =
        dsr::WriteFileAtomically(arguments.ready_file, nlohmann::json{{"url", url}}.dump() + "\n");
    if (!ready.ok()) {
      std::fprintf(stderr, "dsr-zendesk-standin: %s\n", ready.ToString().c_str());
      return 1;
    }
  }
  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  server.Stop();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 2 && (std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0)) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  Arguments arguments;
  if (!ParseArguments(argc, argv, &arguments)) return 2;
  return arguments.write_sample.empty() ? Serve(arguments) : WriteSample(arguments);
}
