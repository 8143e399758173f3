#include "tests/support/http_call.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <sstream>

#include "common/https_client.h"

namespace dsr::testing {

HttpAnswer HttpCall(const std::string& base_url, const std::string& method, const std::string& path,
                    const std::string& body, const std::string& content_type,
                    const std::string& ca_file,
                    const std::map<std::string, std::string>& headers) {
  HttpAnswer answer;
  try {
    const Poco::URI uri(base_url);
    auto opened = OpenHttpSession(uri, ca_file);
    if (!opened.ok()) return answer;
    Poco::Net::HTTPClientSession& session = **opened;
    session.setTimeout(Poco::Timespan(30, 0));
    Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    for (const auto& [name, value] : headers) request.set(name, value);
    // Methods that carry a body say its length even when it is empty, as
    // browsers do; the server would otherwise read until the connection closes.
    if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
      request.setContentType(content_type);
      request.setContentLength64(body.size());
    }
    session.sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    std::ostringstream text;
    Poco::StreamCopier::copyStream(in, text);
    answer.status = static_cast<int>(response.getStatus());
    answer.body = text.str();
    for (const auto& [name, value] : response) answer.headers[name] = value;
  } catch (const Poco::Exception&) {
    answer.status = 0;
  }
  return answer;
}

}  // namespace dsr::testing
