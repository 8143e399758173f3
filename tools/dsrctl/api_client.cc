#include "tools/dsrctl/api_client.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/SSLException.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "common/https_client.h"

namespace dsr::ctl {
namespace {

Status StatusFromErrorBody(int http_status, const std::string& body) {
  const auto parsed = nlohmann::json::parse(body, nullptr, false);
  if (parsed.is_object() && parsed.contains("error") && parsed["error"].is_object()) {
    const auto& error = parsed["error"];
    return Status(StatusCodeFromName(error.value("code", "internal")), error.value("message", ""),
                  error.value("details", std::vector<std::string>{}));
  }
  return Internal("the coordinator answered HTTP " + std::to_string(http_status));
}

template <typename Body>
auto WithSession(const std::string& base_url, const std::string& ca_file, Body&& body)
    -> decltype(body(std::declval<Poco::Net::HTTPClientSession&>(),
                     std::declval<const std::string&>())) {
  try {
    const Poco::URI uri(base_url);
    auto session = OpenHttpSession(uri, ca_file);
    if (!session.ok()) return session.status();
    (*session)->setTimeout(Poco::Timespan(60, 0));
    return body(**session, uri.getPath() == "/" ? std::string() : uri.getPath());
  } catch (const Poco::Net::SSLException& error) {
    return Unavailable("the coordinator at " + base_url + " failed the TLS check (" +
                       error.displayText() +
                       "); give its certificate or CA with --ca-file or DSR_CA_FILE");
  } catch (const Poco::Exception& error) {
    return Unavailable("cannot reach the coordinator at " + base_url + ": " + error.displayText());
  }
}

void Authorize(Poco::Net::HTTPRequest& request, const std::string& token) {
  if (!token.empty()) request.set("Authorization", "Bearer " + token);
}

Result<nlohmann::json> Exchange(const std::string& base_url, const std::string& ca_file,
                                const std::string& token, const std::string& method,
                                const std::string& path, const std::string* body) {
  return WithSession(base_url, ca_file,
                     [&](Poco::Net::HTTPClientSession& session,
                         const std::string& prefix) -> Result<nlohmann::json> {
                       Poco::Net::HTTPRequest request(method, prefix + path,
                                                      Poco::Net::HTTPMessage::HTTP_1_1);
                       request.set("Accept", "application/json");
                       Authorize(request, token);
                       if (body != nullptr) {
                         request.setContentType("application/json");
                         request.setContentLength64(body->size());
                         session.sendRequest(request) << *body;
                       } else {
                         session.sendRequest(request);
                       }
                       Poco::Net::HTTPResponse response;
                       std::istream& in = session.receiveResponse(response);
                       std::ostringstream text;
                       Poco::StreamCopier::copyStream(in, text);
                       const int status = static_cast<int>(response.getStatus());
                       if (status >= 400) return StatusFromErrorBody(status, text.str());
                       auto parsed = nlohmann::json::parse(text.str(), nullptr, false);
                       if (parsed.is_discarded())
                         return Internal("the coordinator answered with invalid JSON");
                       return parsed;
                     });
}

}  // namespace

Result<nlohmann::json> ApiClient::Get(const std::string& path) const {
  if (!token_.ok()) return token_.status();
  return Exchange(base_url_, ca_file_, *token_, Poco::Net::HTTPRequest::HTTP_GET, path, nullptr);
}

Result<nlohmann::json> ApiClient::Post(const std::string& path, const nlohmann::json& body) const {
  if (!token_.ok()) return token_.status();
  const std::string text = body.dump();
  return Exchange(base_url_, ca_file_, *token_, Poco::Net::HTTPRequest::HTTP_POST, path, &text);
}

Status ApiClient::Download(const std::string& path, const std::string& file_path) const {
  if (!token_.ok()) return token_.status();
  return WithSession(
      base_url_, ca_file_,
      [&](Poco::Net::HTTPClientSession& session, const std::string& prefix) -> Status {
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, prefix + path,
                                       Poco::Net::HTTPMessage::HTTP_1_1);
        Authorize(request, *token_);
        session.sendRequest(request);
        Poco::Net::HTTPResponse response;
        std::istream& in = session.receiveResponse(response);
        const int status = static_cast<int>(response.getStatus());
        if (status >= 400) {
          std::ostringstream text;
          Poco::StreamCopier::copyStream(in, text);
          return StatusFromErrorBody(status, text.str());
        }
        const std::string partial = file_path + ".partial";
        {
          std::ofstream out(partial, std::ios::binary | std::ios::trunc);
          if (!out) return Internal("cannot write " + partial);
          Poco::StreamCopier::copyStream64(in, out);
          if (!out.flush()) return Internal("cannot write " + partial);
        }
        if (std::rename(partial.c_str(), file_path.c_str()) != 0) {
          return Internal("cannot rename " + partial + " to " + file_path);
        }
        return Status::Ok();
      });
}

}  // namespace dsr::ctl
