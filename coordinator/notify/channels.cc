#include "coordinator/notify/channels.h"

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/MailMessage.h>
#include <Poco/Net/MailRecipient.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureSMTPClientSession.h>
#include <Poco/URI.h>

#include <mutex>
#include <sstream>

#include "common/keyed_hash.h"
#include "coordinator/notify/message.h"

namespace dsr::notify {
namespace {

Poco::Net::Context::Ptr TlsClientContext() {
  static std::once_flag once;
  std::call_once(once, [] { Poco::Net::initializeSSL(); });
  Poco::Net::Context::Params params;
  params.verificationMode = Poco::Net::Context::VERIFY_RELAXED;
  params.loadDefaultCAs = true;
  Poco::Net::Context::Ptr context =
      new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
  context->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
  context->enableExtendedCertificateVerification(true);
  return context;
}

class EmailChannel final : public Channel {
 public:
  EmailChannel(EmailSettings settings, std::string language, std::optional<std::string> public_url)
      : settings_(std::move(settings)),
        language_(std::move(language)),
        public_url_(std::move(public_url)) {}

  Status Deliver(const store::NotificationRecord& notification) override {
    const MessageText text = RenderMessage(notification, language_, public_url_);
    Poco::Net::MailMessage message;
    message.setSender(settings_.from);
    for (const auto& to : settings_.to) {
      message.addRecipient(
          Poco::Net::MailRecipient(Poco::Net::MailRecipient::PRIMARY_RECIPIENT, to));
    }
    message.setSubject(Poco::Net::MailMessage::encodeWord(text.subject, "UTF-8"));
    message.setContentType("text/plain; charset=UTF-8");
    message.setContent(text.body, Poco::Net::MailMessage::ENCODING_QUOTED_PRINTABLE);
    message.set("Message-ID", "<" + notification.id + "@dsr>");
    message.set("X-Dsr-Event", notification.event_key);
    try {
      Poco::Net::SecureSMTPClientSession session(settings_.host,
                                                 static_cast<Poco::UInt16>(settings_.port));
      session.setTimeout(Poco::Timespan(settings_.timeout.count(), 0));
      session.login();
      if (settings_.starttls) {
        if (!session.startTLS(TlsClientContext())) {
          session.close();
          return Unavailable("smtp " + settings_.host + ": the server does not offer STARTTLS");
        }
        session.login();
      }
      if (settings_.username) {
        session.login(Poco::Net::SMTPClientSession::AUTH_LOGIN, *settings_.username,
                      settings_.password.value_or(""));
      }
      session.sendMessage(message);
      session.close();
    } catch (const Poco::Exception& error) {
      return Unavailable("smtp " + settings_.host + ": " + error.displayText());
    }
    return Status::Ok();
  }

 private:
  EmailSettings settings_;
  std::string language_;
  std::optional<std::string> public_url_;
};

class WebhookChannel final : public Channel {
 public:
  WebhookChannel(WebhookSettings settings, std::optional<std::string> public_url)
      : settings_(std::move(settings)), public_url_(std::move(public_url)) {}

  Status Deliver(const store::NotificationRecord& notification) override {
    const std::string body = WebhookBody(notification, public_url_).dump();
    try {
      const Poco::URI uri(settings_.url);
      std::unique_ptr<Poco::Net::HTTPClientSession> session;
      if (uri.getScheme() == "https") {
        session = std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(),
                                                                  TlsClientContext());
      } else {
        session = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
      }
      session->setTimeout(Poco::Timespan(settings_.timeout.count(), 0));
      Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, uri.getPathAndQuery(),
                                     Poco::Net::HTTPMessage::HTTP_1_1);
      request.setContentType("application/json");
      request.setContentLength(static_cast<std::streamsize>(body.size()));
      request.set("X-Dsr-Delivery", notification.id);
      request.set("X-Dsr-Event", notification.event_key);
      if (settings_.secret) {
        // "hmac-sha256:<hex>" → "sha256=<hex>", the form receivers usually check.
        const std::string mac = KeyedHasher::FromKey(*settings_.secret).Hash(body);
        request.set("X-Dsr-Signature", "sha256=" + mac.substr(mac.find(':') + 1));
      }
      session->sendRequest(request) << body;
      Poco::Net::HTTPResponse response;
      std::istream& answer = session->receiveResponse(response);
      std::ostringstream ignored;
      ignored << answer.rdbuf();
      const int status = static_cast<int>(response.getStatus());
      if (status < 200 || status > 299) {
        return Unavailable("webhook answered " + std::to_string(status) + " " +
                           response.getReason());
      }
    } catch (const Poco::Exception& error) {
      return Unavailable("webhook: " + error.displayText());
    }
    return Status::Ok();
  }

 private:
  WebhookSettings settings_;
  std::optional<std::string> public_url_;
};

}  // namespace

std::unique_ptr<Channel> NewEmailChannel(EmailSettings settings, std::string language,
                                         std::optional<std::string> public_url) {
  return std::make_unique<EmailChannel>(std::move(settings), std::move(language),
                                        std::move(public_url));
}

std::unique_ptr<Channel> NewWebhookChannel(WebhookSettings settings,
                                           std::optional<std::string> public_url) {
  return std::make_unique<WebhookChannel>(std::move(settings), std::move(public_url));
}

}  // namespace dsr::notify
