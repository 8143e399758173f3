#include "coordinator/api/http_server.h"

#include <Poco/Crypto/X509Certificate.h>
#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetSSL.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/ThreadPool.h>
#include <Poco/URI.h>

#include <fstream>
#include <mutex>

#include "common/data_protection.h"
#include "common/log.h"
#include "coordinator/api/session_cookie.h"

namespace dsr::api {
namespace {

using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

// A client whose body is refused still gets its 413 if it sends no more than
// this; the rest is read and dropped, because closing on a client that is
// still sending makes it see a reset instead of the answer.
constexpr std::streamsize kMaxDrainBytes = 64 * 1024 * 1024;

void Drain(std::istream& in, std::streamsize already_read) {
  char buffer[16384];
  std::streamsize drained = already_read;
  while (in && drained < kMaxDrainBytes) {
    in.read(buffer, sizeof buffer);
    drained += in.gcount();
  }
}

// Reads at most `limit` bytes; kTooLarge if the body is longer.
Result<std::string> ReadBody(HTTPServerRequest& request, size_t limit) {
  const Status too_large =
      TooLarge("the request body is larger than " + std::to_string(limit) + " bytes");
  std::istream& in = request.stream();
  if (request.hasContentLength() &&
      request.getContentLength64() > static_cast<Poco::Int64>(limit)) {
    if (request.getContentLength64() <= kMaxDrainBytes) Drain(in, 0);
    return too_large;
  }
  std::string body;
  char buffer[16384];
  while (in) {
    in.read(buffer, sizeof buffer);
    body.append(buffer, static_cast<size_t>(in.gcount()));
    if (body.size() > limit) {
      Drain(in, static_cast<std::streamsize>(body.size()));
      return too_large;
    }
  }
  return body;
}

void SendResponse(const ApiResponse& api, HTTPServerResponse& response) {
  response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(api.status));
  response.set("Cache-Control", "no-store");
  response.set("X-Content-Type-Options", "nosniff");
  for (const auto& [name, value] : api.headers) response.set(name, value);
  if (!api.file_path.empty()) {
    const bool encrypted = IsEncryptedFile(api.file_path);
    auto opened = OpenInputFile(api.file_path, api.file_keys);
    if (!opened.ok()) {
      LogError("api", "cannot read " + api.file_path + ": " + opened.status().message());
      SendResponse(ErrorResponse(Internal("the stored file cannot be read")), response);
      return;
    }
    std::istream& file = **opened;
    if (!encrypted) {
      file.seekg(0, std::ios::end);
      response.setContentLength64(static_cast<Poco::UInt64>(file.tellg()));
      file.seekg(0);
    } else if (api.file_bytes) {
      // Decrypted as it is sent; a file found altered midway ends the
      // response short of this length, which the client notices.
      response.setContentLength64(static_cast<Poco::UInt64>(*api.file_bytes));
    } else {
      response.setChunkedTransferEncoding(true);
    }
    response.setContentType(api.content_type);
    response.set("Content-Disposition", "attachment; filename=\"" + api.download_name + "\"");
    Poco::StreamCopier::copyStream64(file, response.send());
    return;
  }
  if (api.raw_body) {
    response.setContentType(api.content_type);
    response.setContentLength64(api.raw_body->size());
    response.send() << *api.raw_body;
    return;
  }
  const std::string body = api.body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  response.setContentType("application/json; charset=utf-8");
  response.setContentLength64(body.size());
  response.send() << body;
}

class RequestHandler final : public Poco::Net::HTTPRequestHandler {
 public:
  RequestHandler(const Router& router, size_t max_body) : router_(router), max_body_(max_body) {}

  void handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) override {
    try {
      ApiRequest api;
      api.method = request.getMethod();
      const Poco::URI uri(request.getURI());
      api.path = uri.getPath();
      for (const auto& [name, value] : uri.getQueryParameters()) api.query[name] = value;
      api.authorization = request.get("Authorization", "");
      api.cookie = request.get("Cookie", "");
      api.csrf = request.get(kCsrfHeader, "");
      api.origin = request.get("Origin", "");
      api.host = request.get("Host", "");
      api.if_none_match = request.get("If-None-Match", "");
      api.secure = request.secure();
      auto body = ReadBody(request, max_body_);
      if (!body.ok()) {
        response.setKeepAlive(false);  // the rest of the body is not read
        SendResponse(ErrorResponse(body.status()), response);
        return;
      }
      api.body = std::move(body.value());
      SendResponse(router_.Handle(std::move(api)), response);
    } catch (const Poco::Exception& error) {
      HandleFailure(error.displayText(), response);
    } catch (const std::exception& error) {
      HandleFailure(error.what(), response);
    }
  }

 private:
  static void HandleFailure(const std::string& what, HTTPServerResponse& response) {
    LogError("http", "request failed: " + what);
    if (!response.sent()) {
      SendResponse(ErrorResponse(InvalidArgument("the request could not be processed")), response);
    }
  }

  const Router& router_;
  size_t max_body_;
};

class HandlerFactory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  HandlerFactory(const Router& router, size_t max_body) : router_(router), max_body_(max_body) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const HTTPServerRequest&) override {
    return new RequestHandler(router_, max_body_);
  }

 private:
  const Router& router_;
  size_t max_body_;
};

}  // namespace

namespace {

// Forward secrecy and authenticated encryption only (TLS 1.2); TLS 1.3 has
// its own, all fine.
constexpr const char* kCipherList =
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:"
    "ECDHE-RSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256";

Poco::Net::Context::Ptr ServerContext(const TlsSettings& tls) {
  static std::once_flag initialized;
  std::call_once(initialized, [] { Poco::Net::initializeSSL(); });
  Poco::Net::Context::Params params;
  params.privateKeyFile = tls.private_key_file;
  params.certificateFile = tls.certificate_file;
  params.verificationMode = Poco::Net::Context::VERIFY_NONE;  // no client certificates
  params.loadDefaultCAs = false;
  params.cipherList = kCipherList;
  Poco::Net::Context::Ptr context =
      new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, params);
  context->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
  context->preferServerCiphers();
  if (!tls.ca_file.empty()) {
    for (const auto& certificate : Poco::Crypto::X509Certificate::readPEM(tls.ca_file)) {
      context->addChainCertificate(certificate);
    }
  }
  return context;
}

}  // namespace

struct HttpServer::Impl {
  HttpServerSettings settings;
  const Router& router;
  std::unique_ptr<Poco::ThreadPool> pool;
  std::unique_ptr<Poco::Net::HTTPServer> server;
};

HttpServer::HttpServer(HttpServerSettings settings, const Router& router)
    : impl_(new Impl{std::move(settings), router, nullptr, nullptr}) {}

HttpServer::~HttpServer() {
  Stop();
}

Result<int> HttpServer::Start() {
  try {
    const Poco::Net::SocketAddress address(impl_->settings.host,
                                           static_cast<Poco::UInt16>(impl_->settings.port));
    // The secure socket goes into the same HTTPServer: TLS sits below HTTP.
    Poco::Net::ServerSocket socket =
        impl_->settings.tls ? Poco::Net::SecureServerSocket(address, impl_->settings.max_queued,
                                                            ServerContext(*impl_->settings.tls))
                            : Poco::Net::ServerSocket(address, impl_->settings.max_queued);
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(impl_->settings.threads);
    params->setMaxQueued(impl_->settings.max_queued);
    params->setKeepAlive(true);
    impl_->pool = std::make_unique<Poco::ThreadPool>(2, impl_->settings.threads);
    impl_->server = std::make_unique<Poco::Net::HTTPServer>(
        new HandlerFactory(impl_->router, impl_->settings.max_body_bytes), *impl_->pool, socket,
        params);
    impl_->server->start();
    return static_cast<int>(socket.address().port());
  } catch (const Poco::Net::SSLException& error) {
    return Unavailable("cannot set up TLS for the API (http.tls): " + error.displayText());
  } catch (const Poco::Exception& error) {
    return Unavailable("cannot listen on " + impl_->settings.host + ":" +
                       std::to_string(impl_->settings.port) + ": " + error.displayText());
  }
}

std::string HttpServer::scheme() const {
  return impl_->settings.tls ? "https" : "http";
}

void HttpServer::Stop() {
  if (impl_->server) {
    impl_->server->stopAll(true);
    impl_->server.reset();
  }
  if (impl_->pool) {
    impl_->pool->joinAll();
    impl_->pool.reset();
  }
}

}  // namespace dsr::api
