// ImapConnection: a buffered byte stream to an IMAP server over TCP, with
// TLS (OpenSSL; certificate and host name checked unless told otherwise).
// Every read and write gives up after the time-out (kUnavailable). Errors
// name the host and port, never data. Not thread-safe.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace dsr::connectors::mail {

struct ImapEndpoint {
  std::string host;
  int port = 993;
  bool tls = true;
  bool tls_verify = true;
  std::optional<std::string> ca_file;
  std::chrono::milliseconds timeout{30000};
};

class ImapConnection {
 public:
  static Result<std::unique_ptr<ImapConnection>> Open(const ImapEndpoint& endpoint);
  ~ImapConnection();
  ImapConnection(const ImapConnection&) = delete;
  ImapConnection& operator=(const ImapConnection&) = delete;

  Status Write(std::string_view bytes);
  // The next byte without consuming it.
  Result<char> Peek();
  void Skip() { ++position_; }
  // Exactly `count` bytes (an IMAP literal).
  Result<std::string> Read(size_t count);

  int64_t bytes_received() const { return bytes_received_; }
  const std::string& peer() const { return peer_; }  // "host:port", for errors

 private:
  ImapConnection() = default;
  Status Fill();
  Status Connect(const ImapEndpoint& endpoint);
  Status StartTls(const ImapEndpoint& endpoint);

  int socket_ = -1;
  struct Tls;
  std::unique_ptr<Tls> tls_;
  std::string buffer_;
  size_t position_ = 0;
  int64_t bytes_received_ = 0;
  std::string peer_;
};

}  // namespace dsr::connectors::mail
