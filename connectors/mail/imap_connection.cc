#include "connectors/mail/imap_connection.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

namespace dsr::connectors::mail {
namespace {

constexpr size_t kReadChunk = 64 * 1024;

// A write to a socket the server has closed raises SIGPIPE, which would end
// the whole worker: it is blocked around writes and a pending one discarded.
class SigpipeGuard {
 public:
  SigpipeGuard() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    sigset_t pending;
    sigpending(&pending);
    was_pending_ = sigismember(&pending, SIGPIPE) == 1;
    pthread_sigmask(SIG_BLOCK, &pipe_, &old_);
  }
  ~SigpipeGuard() {
    if (!was_pending_) {
      const timespec zero{0, 0};
      while (sigtimedwait(&pipe_, nullptr, &zero) > 0) {
      }
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }
  SigpipeGuard(const SigpipeGuard&) = delete;
  SigpipeGuard& operator=(const SigpipeGuard&) = delete;

 private:
  sigset_t pipe_, old_;
  bool was_pending_ = false;
};

std::string OpenSslError() {
  const unsigned long code = ERR_get_error();
  if (code == 0) return "connection closed";
  char text[256];
  ERR_error_string_n(code, text, sizeof text);
  ERR_clear_error();
  return text;
}

bool IsIpLiteral(const std::string& host) {
  unsigned char address[16];
  return inet_pton(AF_INET, host.c_str(), address) == 1 ||
         inet_pton(AF_INET6, host.c_str(), address) == 1;
}

}  // namespace

struct ImapConnection::Tls {
  SSL_CTX* context = nullptr;
  SSL* ssl = nullptr;
  ~Tls() {
    if (ssl != nullptr) SSL_free(ssl);
    if (context != nullptr) SSL_CTX_free(context);
  }
};

Result<std::unique_ptr<ImapConnection>> ImapConnection::Open(const ImapEndpoint& endpoint) {
  std::unique_ptr<ImapConnection> connection(new ImapConnection());
  connection->peer_ = endpoint.host + ":" + std::to_string(endpoint.port);
  DSR_RETURN_IF_ERROR(connection->Connect(endpoint));
  if (endpoint.tls) DSR_RETURN_IF_ERROR(connection->StartTls(endpoint));
  return connection;
}

ImapConnection::~ImapConnection() {
  if (tls_ && tls_->ssl != nullptr) {
    SigpipeGuard guard;
    SSL_shutdown(tls_->ssl);
  }
  tls_.reset();
  if (socket_ >= 0) close(socket_);
}

Status ImapConnection::Connect(const ImapEndpoint& endpoint) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const int resolved =
      getaddrinfo(endpoint.host.c_str(), std::to_string(endpoint.port).c_str(), &hints, &found);
  if (resolved != 0) {
    return Unavailable("imap: cannot resolve " + peer_ + ": " + gai_strerror(resolved));
  }
  // Linux applies SO_SNDTIMEO to connect() as well.
  timeval timeout{};
  timeout.tv_sec = static_cast<time_t>(endpoint.timeout.count() / 1000);
  timeout.tv_usec = static_cast<suseconds_t>((endpoint.timeout.count() % 1000) * 1000);
  int last_error = 0;
  for (addrinfo* address = found; address != nullptr; address = address->ai_next) {
    const int fd = socket(address->ai_family, address->ai_socktype | SOCK_CLOEXEC, 0);
    if (fd < 0) continue;
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    if (connect(fd, address->ai_addr, address->ai_addrlen) == 0) {
      socket_ = fd;
      break;
    }
    last_error = errno;
    close(fd);
  }
  freeaddrinfo(found);
  if (socket_ < 0) {
    return Unavailable("imap: cannot connect to " + peer_ + ": " + std::strerror(last_error));
  }
  return Status::Ok();
}

Status ImapConnection::StartTls(const ImapEndpoint& endpoint) {
  tls_ = std::make_unique<Tls>();
  tls_->context = SSL_CTX_new(TLS_client_method());
  if (tls_->context == nullptr) return Internal("imap: TLS setup failed: " + OpenSslError());
  SSL_CTX_set_min_proto_version(tls_->context, TLS1_2_VERSION);
  if (endpoint.tls_verify) {
    const int loaded = endpoint.ca_file ? SSL_CTX_load_verify_locations(
                                              tls_->context, endpoint.ca_file->c_str(), nullptr)
                                        : SSL_CTX_set_default_verify_paths(tls_->context);
    if (loaded != 1) {
      return Unavailable("imap: cannot load the trusted certificates (connector.imap.ca_file): " +
                         OpenSslError());
    }
    SSL_CTX_set_verify(tls_->context, SSL_VERIFY_PEER, nullptr);
  }
  tls_->ssl = SSL_new(tls_->context);
  if (tls_->ssl == nullptr || SSL_set_fd(tls_->ssl, socket_) != 1) {
    return Internal("imap: TLS setup failed: " + OpenSslError());
  }
  const bool ip = IsIpLiteral(endpoint.host);
  if (!ip) {
    // SSL_set_tlsext_host_name is a macro with a C cast; this is what it expands to.
    SSL_ctrl(tls_->ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
             const_cast<char*>(endpoint.host.c_str()));
  }
  if (endpoint.tls_verify) {
    X509_VERIFY_PARAM* params = SSL_get0_param(tls_->ssl);
    const int set = ip ? X509_VERIFY_PARAM_set1_ip_asc(params, endpoint.host.c_str())
                       : X509_VERIFY_PARAM_set1_host(params, endpoint.host.c_str(), 0);
    if (set != 1) return Internal("imap: TLS setup failed: " + OpenSslError());
  }
  SigpipeGuard guard;
  if (SSL_connect(tls_->ssl) != 1) {
    const long verify = SSL_get_verify_result(tls_->ssl);
    const std::string why =
        verify != X509_V_OK ? X509_verify_cert_error_string(verify) : OpenSslError();
    return Unavailable("imap: TLS handshake with " + peer_ + " failed: " + why);
  }
  return Status::Ok();
}

Status ImapConnection::Write(std::string_view bytes) {
  SigpipeGuard guard;
  while (!bytes.empty()) {
    ssize_t written = 0;
    if (tls_) {
      written = SSL_write(tls_->ssl, bytes.data(), static_cast<int>(bytes.size()));
    } else {
      written = send(socket_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    }
    if (written <= 0) {
      if (!tls_ && written < 0 && errno == EINTR) continue;
      return Unavailable("imap: sending to " + peer_ +
                         " failed: " + (tls_ ? OpenSslError() : std::string(std::strerror(errno))));
    }
    bytes.remove_prefix(static_cast<size_t>(written));
  }
  return Status::Ok();
}

Status ImapConnection::Fill() {
  if (position_ > 0) {
    buffer_.erase(0, position_);
    position_ = 0;
  }
  char chunk[kReadChunk];
  ssize_t got = 0;
  do {
    got = tls_ ? SSL_read(tls_->ssl, chunk, sizeof chunk) : recv(socket_, chunk, sizeof chunk, 0);
  } while (!tls_ && got < 0 && errno == EINTR);
  if (got <= 0) {
    const bool timed_out = errno == EAGAIN || errno == EWOULDBLOCK;
    return Unavailable("imap: reading from " + peer_ + " failed: " +
                       (timed_out  ? "timed out"
                        : got == 0 ? "connection closed"
                                   : "read error"));
  }
  buffer_.append(chunk, static_cast<size_t>(got));
  bytes_received_ += got;
  return Status::Ok();
}

Result<char> ImapConnection::Peek() {
  if (position_ >= buffer_.size()) DSR_RETURN_IF_ERROR(Fill());
  return buffer_[position_];
}

Result<std::string> ImapConnection::Read(size_t count) {
  while (buffer_.size() - position_ < count) DSR_RETURN_IF_ERROR(Fill());
  std::string bytes = buffer_.substr(position_, count);
  position_ += count;
  return bytes;
}

}  // namespace dsr::connectors::mail
