// StandinServer: the HTTP side of dsr-zendesk-standin, a local stand-in for
// Zendesk that speaks the subset of the Zendesk Support API v2 dsr's http
// connector uses (tools/zendesk-standin/README.md lists the routes), checks
// API-token basic auth (<email>/token:<token>), paginates like Zendesk, and
// misbehaves when told to (FaultInjector). Control routes under /_standin/
// (faults, stats, dump) need no auth: the stand-in is for loopback tests.
// Start and Stop from one thread; requests are served by a thread pool.
#pragma once

#include <memory>
#include <string>

#include "common/status.h"
#include "tools/zendesk-standin/standin_faults.h"
#include "tools/zendesk-standin/standin_store.h"

namespace dsr::zendesk_standin {

struct StandinOptions {
  std::string host = "127.0.0.1";
  int port = 8090;  // 0: any free port
  std::string token;
  std::string agent_email;  // empty: any e-mail before "/token"
  int max_page_size = 100;
  int threads = 8;
};

class StandinServer {
 public:
  StandinServer(StandinOptions options, ZendeskStore& store, FaultInjector& faults);
  ~StandinServer();
  StandinServer(const StandinServer&) = delete;
  StandinServer& operator=(const StandinServer&) = delete;

  // Listens and serves; returns the port.
  Result<int> Start();
  // Ends stalls, stops accepting and waits for running requests.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dsr::zendesk_standin
