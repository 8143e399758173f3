#include "common/https_client.h"

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetSSL.h>
#include <Poco/Net/RejectCertificateHandler.h>
#include <Poco/Net/SSLManager.h>
#include <unistd.h>

#include <map>
#include <mutex>

namespace dsr {
namespace {

void InitializeSslOnce() {
  static std::once_flag initialized;
  std::call_once(initialized, [] {
    Poco::Net::initializeSSL();
    // An untrusted certificate is refused, never put to a prompt. The
    // contexts are passed to each session; this one is only the fallback.
    Poco::Net::SSLManager::InvalidCertificateHandlerPtr reject(
        new Poco::Net::RejectCertificateHandler(false));
    Poco::Net::Context::Params params;
    params.verificationMode = Poco::Net::Context::VERIFY_STRICT;
    params.loadDefaultCAs = true;
    Poco::Net::SSLManager::instance().initializeClient(
        nullptr, reject, new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params));
  });
}

// One context per trusted file, made once: loading the CAs (all the
// system's, without a file) is costly, and dsrctl and the tests open many sessions.
Poco::Net::Context::Ptr ClientContext(const std::string& ca_file) {
  InitializeSslOnce();
  static std::mutex mutex;
  static std::map<std::string, Poco::Net::Context::Ptr> contexts;
  const std::lock_guard<std::mutex> lock(mutex);
  Poco::Net::Context::Ptr& context = contexts[ca_file];
  if (context.isNull()) {
    Poco::Net::Context::Params params;
    params.verificationMode = Poco::Net::Context::VERIFY_STRICT;
    params.caLocation = ca_file;
    params.loadDefaultCAs = ca_file.empty();
    context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
    context->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
  }
  return context;
}

}  // namespace

Result<std::unique_ptr<Poco::Net::HTTPClientSession>> OpenHttpSession(const Poco::URI& uri,
                                                                      const std::string& ca_file) {
  if (uri.getScheme() == "http") {
    return std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
  }
  if (uri.getScheme() != "https") {
    return InvalidArgument("only https:// and http:// URLs are supported: " + uri.toString());
  }
  if (!ca_file.empty() && ::access(ca_file.c_str(), R_OK) != 0) {
    return InvalidArgument("cannot read the CA file '" + ca_file + "'");
  }
  return std::unique_ptr<Poco::Net::HTTPClientSession>(
      std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(),
                                                      ClientContext(ca_file)));
}

}  // namespace dsr
