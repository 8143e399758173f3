// HttpServer: serves a Router over HTTPS (or, when the config says so, plain
// HTTP) with Poco::Net.
//
// TLS: TLS 1.2 or newer, forward-secret AEAD ciphers only, the server's
// certificate and key from files (plus an optional chain of intermediate CA
// certificates); no client certificates. A client that speaks plain HTTP to
// the HTTPS port gets no answer: the handshake fails and the connection closes.
//
// Bodies larger than max_body_bytes are refused with 413 before they are
// read whole; every response is JSON (or a streamed file) with no-store
// caching, since it may hold personal data. Start() binds and returns the
// port (the configured one, or the one picked for port 0).
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "common/status.h"
#include "coordinator/api/router.h"

namespace dsr::api {

struct TlsSettings {
  std::string certificate_file;  // PEM; may hold the chain after the certificate
  std::string private_key_file;  // PEM, unencrypted
  std::string ca_file;           // optional: intermediate CA certificates to send along
};

struct HttpServerSettings {
  std::string host = "127.0.0.1";
  int port = 8080;
  int threads = 8;
  int max_queued = 64;
  size_t max_body_bytes = 1024 * 1024;
  std::optional<TlsSettings> tls;  // none: plain HTTP
};

class HttpServer {
 public:
  HttpServer(HttpServerSettings settings, const Router& router);
  ~HttpServer();
  Result<int> Start();
  // "https" or "http".
  std::string scheme() const;
  // Stops accepting and waits for requests in progress.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dsr::api
