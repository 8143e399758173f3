// The other ends of notifications for the tests: a real SMTP server
// (smtp_sink.py on aiosmtpd) and an HTTP server that records webhook calls.
#pragma once

#include <Poco/Net/HTTPServer.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "tests/support/child_process.h"

namespace dsr::testing {

class SmtpSink {
 public:
  // Starts the server storing messages in `folder`; the first `defer`
  // messages are answered 451. False when it did not come up.
  bool Start(const std::string& folder, int defer = 0);
  int port() const { return port_; }
  // Every message accepted so far, in order of arrival.
  std::vector<std::string> Messages() const;

 private:
  std::string folder_;
  int port_ = 0;
  ChildProcess process_;
};

struct WebhookCall {
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

class WebhookReceiver {
 public:
  WebhookReceiver();
  ~WebhookReceiver();
  int port() const;
  std::vector<WebhookCall> Calls() const;

 private:
  struct Shared {
    mutable std::mutex mutex;
    std::vector<WebhookCall> calls;
  };
  std::shared_ptr<Shared> shared_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
};

}  // namespace dsr::testing
