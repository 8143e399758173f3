// HttpServer: serves a Router over HTTP with Poco::Net.
//
// Bodies larger than max_body_bytes are refused with 413 before they are
// read whole; every response is JSON (or a streamed file) with no-store
// caching, since it may hold personal data. Start() binds and returns the
// port (the configured one, or the one picked for port 0).
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "common/status.h"
#include "coordinator/api/router.h"

namespace dsr::api {

struct HttpServerSettings {
  std::string host = "127.0.0.1";
  int port = 8080;
  int threads = 8;
  int max_queued = 64;
  size_t max_body_bytes = 1024 * 1024;
};

class HttpServer {
 public:
  HttpServer(HttpServerSettings settings, const Router& router);
  ~HttpServer();
  Result<int> Start();
  // Stops accepting and waits for requests in progress.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dsr::api
