#include "tools/zendesk-standin/standin_server.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPBasicCredentials.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/ThreadPool.h>
#include <Poco/URI.h>

#include <functional>

#include "common/log.h"
#include "tools/zendesk-standin/standin_paging.h"

namespace dsr::zendesk_standin {
namespace {

using Json = nlohmann::json;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

constexpr size_t kMaxBodyBytes = 1024 * 1024;

struct Route {
  std::string name;  // for the request counts: "search users"
  std::function<ApiAnswer()> answer;
};

std::vector<std::string> Segments(const std::string& path) {
  std::vector<std::string> segments;
  size_t begin = 0;
  while (begin < path.size()) {
    size_t end = path.find('/', begin);
    if (end == std::string::npos) end = path.size();
    if (end > begin) segments.push_back(path.substr(begin, end - begin));
    begin = end + 1;
  }
  if (!segments.empty() && segments.back().size() > 5 &&
      segments.back().compare(segments.back().size() - 5, 5, ".json") == 0) {
    segments.back().resize(segments.back().size() - 5);
  }
  return segments;
}

bool ParseId(const std::string& text, long long* id) {
  if (text.empty() || text.size() > 18 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    return false;
  }
  *id = std::stoll(text);
  return true;
}

ApiAnswer Listed(const std::optional<std::vector<Json>>& items, const char* key,
                 const PageRequest& page) {
  if (!items) return NotFoundAnswer();
  return {200, PageOf(*items, key, page)};
}

Route UnknownRoute() {
  return {"unknown", [] {
            return ApiAnswer{404, {{"error", "InvalidEndpoint"}, {"description", "Not found"}}};
          }};
}

// users/{user}/identities[/{id}[/make_primary]]
Route ResolveIdentities(ZendeskStore& store, const std::string& method,
                        const std::vector<std::string>& s, long long user, const PageRequest& page,
                        const Json& body) {
  if (s.size() == 3 && method == "GET") {
    return {"list identities",
            [&store, user, page] { return Listed(store.Identities(user), "identities", page); }};
  }
  if (s.size() == 3 && method == "POST") {
    return {"create identity", [&store, user, body] { return store.AddIdentity(user, body); }};
  }
  long long id = 0;
  if (s.size() < 4 || !ParseId(s[3], &id)) return UnknownRoute();
  if (s.size() == 4 && method == "DELETE") {
    return {"delete identity", [&store, user, id] { return store.DeleteIdentity(user, id); }};
  }
  if (s.size() == 5 && s[4] == "make_primary" && method == "PUT") {
    return {"make identity primary",
            [&store, user, id] { return store.MakeIdentityPrimary(user, id); }};
  }
  return UnknownRoute();
}

// The route table of the Zendesk API subset, below /api/v2/.
Route Resolve(ZendeskStore& store, const std::string& method, const std::vector<std::string>& s,
              const PageRequest& page, const Json& body) {
  const bool get = method == "GET";
  long long id = 0;
  const bool with_id = s.size() >= 2 && ParseId(s[1], &id);
  if (s == std::vector<std::string>{"users", "search"} && get) {
    const auto query = page.params.find("query");
    const std::string text = query == page.params.end() ? "" : query->second;
    return {"search users", [&store, text, page] {
              return ApiAnswer{200, PageOf(store.SearchUsers(text), "users", page)};
            }};
  }
  if (s == std::vector<std::string>{"users"} && get) {
    return {"list users", [&store, page] {
              return ApiAnswer{200, PageOf(store.ActiveUsers(), "users", page)};
            }};
  }
  if (s == std::vector<std::string>{"tickets"} && get) {
    return {"list tickets", [&store, page] {
              return ApiAnswer{200, PageOf(store.Tickets(), "tickets", page)};
            }};
  }
  if (s.size() == 2 && with_id && s[0] == "users") {
    if (get) return {"show user", [&store, id] { return store.ShowUser(id); }};
    if (method == "PUT")
      return {"update user", [&store, id, body] { return store.UpdateUser(id, body); }};
    if (method == "DELETE") return {"delete user", [&store, id] { return store.DeleteUser(id); }};
  }
  if (s.size() >= 3 && with_id && s[0] == "users" && s[2] == "identities") {
    return ResolveIdentities(store, method, s, id, page, body);
  }
  if (s.size() == 4 && with_id && s[0] == "users" && s[2] == "tickets" && get &&
      (s[3] == "requested" || s[3] == "ccd")) {
    const bool requested = s[3] == "requested";
    return {requested ? "requested tickets" : "copied tickets", [&store, id, requested, page] {
              return Listed(store.UserTickets(id, requested), "tickets", page);
            }};
  }
  if (s.size() == 2 && with_id && s[0] == "tickets") {
    if (get) return {"show ticket", [&store, id] { return store.ShowTicket(id); }};
    if (method == "DELETE") {
      return {"delete ticket", [&store, id] { return store.DeleteTicket(id); }};
    }
  }
  if (s.size() == 2 && with_id && s[0] == "deleted_tickets" && method == "DELETE") {
    return {"permanently delete ticket",
            [&store, id] { return store.PermanentlyDeleteTicket(id); }};
  }
  if (s.size() == 3 && with_id && s[0] == "tickets" && s[2] == "comments" && get) {
    return {"list comments",
            [&store, id, page] { return Listed(store.Comments(id), "comments", page); }};
  }
  if (s.size() == 2 && with_id && s[0] == "deleted_users") {
    if (get) return {"show deleted user", [&store, id] { return store.ShowDeletedUser(id); }};
    if (method == "DELETE") {
      return {"permanently delete user", [&store, id] { return store.PermanentlyDeleteUser(id); }};
    }
  }
  return UnknownRoute();
}

void Send(HTTPServerResponse& response, int status, const Json& body) {
  response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
  if (status == 204) {  // No Content: no body, and no type for one
    response.setContentLength64(0);
    response.send();
    return;
  }
  const std::string text = body.dump(-1, ' ', false, Json::error_handler_t::replace);
  response.setContentType("application/json; charset=utf-8");
  response.setContentLength64(static_cast<Poco::UInt64>(text.size()));
  response.send() << text;
}

std::string ReadBody(HTTPServerRequest& request) {
  std::string body;
  char buffer[16384];
  std::istream& in = request.stream();
  while (in && body.size() <= kMaxBodyBytes) {
    in.read(buffer, sizeof buffer);
    body.append(buffer, static_cast<size_t>(in.gcount()));
  }
  return body;
}

class Handler final : public Poco::Net::HTTPRequestHandler {
 public:
  Handler(const StandinOptions& options, ZendeskStore& store, FaultInjector& faults)
      : options_(options), store_(store), faults_(faults) {}

  void handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) override {
    try {
      Serve(request, response);
    } catch (const std::exception& error) {
      LogError("zendesk-standin", std::string("request failed: ") + error.what());
      if (!response.sent()) Send(response, 500, {{"error", "InternalError"}});
    }
  }

 private:
  void Serve(HTTPServerRequest& request, HTTPServerResponse& response) {
    const Poco::URI uri(request.getURI());
    PageRequest page;
    page.origin =
        "http://" + (request.getHost().empty() ? options_.host + ":" + std::to_string(options_.port)
                                               : request.getHost());
    page.path = uri.getPath();
    page.max_page_size = options_.max_page_size;
    for (const auto& [name, value] : uri.getQueryParameters()) page.params[name] = value;
    const std::string text = ReadBody(request);
    const Json body = Json::parse(text, nullptr, false);
    if (page.path.rfind("/_standin/", 0) == 0)
      return Control(request.getMethod(), page.path, body, response);
    std::vector<std::string> segments = Segments(page.path);
    const bool api = segments.size() >= 2 && segments[0] == "api" && segments[1] == "v2";
    if (api) segments.erase(segments.begin(), segments.begin() + 2);
    const Route route = api ? Resolve(store_, request.getMethod(), segments, page, body)
                            : Resolve(store_, "", {}, page, body);
    const FaultDecision fault = faults_.Next(route.name, request.getMethod() == "DELETE");
    if (fault.delay_ms > 0) faults_.Stall(fault.delay_ms);
    if (fault.status == 429) {
      response.set("Retry-After", std::to_string(fault.retry_after_s));
      return Send(response, 429,
                  {{"error", "APIRateLimitExceeded"},
                   {"description", "Rate limit exceeded (stand-in fault)"}});
    }
    if (fault.status != 0) {
      return Send(response, fault.status,
                  {{"error", {{"title", "Server Error"}, {"message", fault.message}}}});
    }
    if (!Authorized(request)) return Send(response, 401, {{"error", "Couldn't authenticate you"}});
    if (fault.ignore) return Send(response, 204, nullptr);
    const ApiAnswer answer = route.answer();
    Send(response, answer.status, answer.body);
  }

  bool Authorized(const HTTPServerRequest& request) const {
    try {
      const Poco::Net::HTTPBasicCredentials credentials(request);
      const std::string& user = credentials.getUsername();
      const size_t slash = user.rfind("/token");
      if (slash == std::string::npos || slash + 6 != user.size()) return false;
      if (!options_.agent_email.empty() && user.substr(0, slash) != options_.agent_email) {
        return false;
      }
      return credentials.getPassword() == options_.token;
    } catch (const Poco::Exception&) {
      return false;  // no basic auth at all
    }
  }

  void Control(const std::string& method, const std::string& path, const Json& body,
               HTTPServerResponse& response) {
    if (path == "/_standin/faults" && method == "POST") {
      std::string problem;
      if (!faults_.Apply(body, &problem)) return Send(response, 400, {{"error", problem}});
      return Send(response, 200, {{"ok", true}});
    }
    if (path == "/_standin/stats" && method == "GET") return Send(response, 200, faults_.Stats());
    if (path == "/_standin/dump" && method == "GET") return Send(response, 200, store_.Dump());
    Send(response, 404, {{"error", "unknown control route"}});
  }

  const StandinOptions& options_;
  ZendeskStore& store_;
  FaultInjector& faults_;
};

class HandlerFactory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  HandlerFactory(const StandinOptions& options, ZendeskStore& store, FaultInjector& faults)
      : options_(options), store_(store), faults_(faults) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const HTTPServerRequest&) override {
    return new Handler(options_, store_, faults_);
  }

 private:
  const StandinOptions& options_;
  ZendeskStore& store_;
  FaultInjector& faults_;
};

}  // namespace

struct StandinServer::Impl {
  StandinOptions options;
  ZendeskStore& store;
  FaultInjector& faults;
  std::unique_ptr<Poco::ThreadPool> pool;
  std::unique_ptr<Poco::Net::HTTPServer> server;
};

StandinServer::StandinServer(StandinOptions options, ZendeskStore& store, FaultInjector& faults)
    : impl_(new Impl{std::move(options), store, faults, nullptr, nullptr}) {}

StandinServer::~StandinServer() {
  Stop();
}

Result<int> StandinServer::Start() {
  try {
    Poco::Net::ServerSocket socket(
        Poco::Net::SocketAddress(impl_->options.host,
                                 static_cast<Poco::UInt16>(impl_->options.port)),
        64);
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(impl_->options.threads);
    params->setMaxQueued(256);
    params->setKeepAlive(true);
    impl_->pool = std::make_unique<Poco::ThreadPool>(2, impl_->options.threads);
    impl_->options.port = socket.address().port();
    impl_->server = std::make_unique<Poco::Net::HTTPServer>(
        new HandlerFactory(impl_->options, impl_->store, impl_->faults), *impl_->pool, socket,
        params);
    impl_->server->start();
    return impl_->options.port;
  } catch (const Poco::Exception& error) {
    return Unavailable("cannot listen on " + impl_->options.host + ":" +
                       std::to_string(impl_->options.port) + ": " + error.displayText());
  }
}

void StandinServer::Stop() {
  impl_->faults.Shutdown();
  if (impl_->server) {
    impl_->server->stopAll(true);
    impl_->server.reset();
  }
  if (impl_->pool) {
    impl_->pool->joinAll();
    impl_->pool.reset();
  }
}

}  // namespace dsr::zendesk_standin
