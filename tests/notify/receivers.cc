#include "tests/notify/receivers.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/String.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace dsr::testing {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

bool SmtpSink::Start(const std::string& folder, int defer) {
  folder_ = folder;
  std::filesystem::create_directories(folder);
  if (!process_.Start(
          "/usr/bin/python3",
          {SourceDir() + "/tests/notify/smtp_sink.py", folder, "--defer", std::to_string(defer)},
          folder + ".log")) {
    return false;
  }
  if (!WaitFor([&] { return std::filesystem::exists(folder + "/port"); })) return false;
  port_ = std::stoi(Slurp(folder + "/port"));
  return true;
}

std::vector<std::string> SmtpSink::Messages() const {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(folder_)) {
    if (entry.path().extension() == ".eml") names.push_back(entry.path().string());
  }
  std::sort(names.begin(), names.end());
  std::vector<std::string> messages;
  for (const auto& name : names) messages.push_back(Slurp(name));
  return messages;
}

WebhookReceiver::WebhookReceiver() : shared_(std::make_shared<Shared>()) {
  class Handler final : public Poco::Net::HTTPRequestHandler {
   public:
    explicit Handler(std::shared_ptr<Shared> shared) : shared_(std::move(shared)) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) override {
      WebhookCall call;
      for (const auto& [name, value] : request) call.headers[Poco::toLower(name)] = value;
      std::ostringstream body;
      body << request.stream().rdbuf();
      call.body = body.str();
      {
        std::lock_guard<std::mutex> lock(shared_->mutex);
        shared_->calls.push_back(std::move(call));
      }
      response.setStatus(Poco::Net::HTTPResponse::HTTP_NO_CONTENT);
      response.send();
    }

   private:
    std::shared_ptr<Shared> shared_;
  };
  class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
   public:
    explicit Factory(std::shared_ptr<Shared> shared) : shared_(std::move(shared)) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(
        const Poco::Net::HTTPServerRequest&) override {
      return new Handler(shared_);
    }

   private:
    std::shared_ptr<Shared> shared_;
  };
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
  server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(shared_), socket,
                                                    new Poco::Net::HTTPServerParams);
  server_->start();
}

WebhookReceiver::~WebhookReceiver() {
  server_->stopAll(true);
}

int WebhookReceiver::port() const {
  return server_->port();
}

std::vector<WebhookCall> WebhookReceiver::Calls() const {
  std::lock_guard<std::mutex> lock(shared_->mutex);
  return shared_->calls;
}

}  // namespace dsr::testing
