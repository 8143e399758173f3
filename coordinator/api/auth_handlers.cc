// Routes of signing in and of the admin's users and tokens. Passwords and
// tokens never appear in an answer, except a new token once, when it is made.
#include "common/schema.h"
#include "coordinator/api/handlers.h"
#include "coordinator/api/session_cookie.h"
#include "coordinator/api/views.h"

namespace dsr::api {
namespace {

// Parses `request`'s body and checks it against `schema`.
Result<nlohmann::json> CheckedBody(const ApiRequest& request, const std::string& schema,
                                   bool empty_is_object = false) {
  if (empty_is_object && request.body.empty()) return nlohmann::json::object();
  auto body = ParseJsonBody(request.body);
  if (!body.ok()) return body.status();
  Status valid = SchemaRegistry::Embedded().Validate(schema, *body);
  if (!valid.ok()) return ValidationError("invalid body", valid.details());
  return body;
}

nlohmann::json OrNull(const std::optional<std::string>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

nlohmann::json UserView(const store::UserRecord& user) {
  return {{"name", user.name},
          {"role", user.role},
          {"created_at", user.created_at},
          {"disabled_at", OrNull(user.disabled_at)}};
}

nlohmann::json TokenView(const store::ApiTokenRecord& token) {
  return {{"id", token.id},
          {"user", token.user_name},
          {"label", OrNull(token.label)},
          {"created_at", token.created_at},
          {"expires_at", OrNull(token.expires_at)},
          {"revoked_at", OrNull(token.revoked_at)}};
}

// POST /api/v1/session {name, password}: a session token and its expiry,
// also as the browser's session cookie for the rest of the session's life.
ApiResponse Login(auth::Accounts& accounts, const Clock& clock, const ApiRequest& request) {
  auto body = CheckedBody(request, "api/login");
  if (!body.ok()) return ErrorResponse(body.status());
  auto session =
      accounts.Login(body->at("name").get<std::string>(), body->at("password").get<std::string>());
  if (!session.ok()) return ErrorResponse(session.status());
  ApiResponse response = JsonResponse(201, {{"token", session->token},
                                            {"expires_at", session->expires_at},
                                            {"name", session->user},
                                            {"role", auth::RoleName(session->role)}});
  auto ends = ParseUtc(session->expires_at);
  if (!ends.ok()) return ErrorResponse(ends.status());
  const auto left = std::chrono::duration_cast<std::chrono::seconds>(*ends - clock.Now());
  response.headers.emplace_back("Set-Cookie", SessionCookie(session->token, left, request.secure));
  return response;
}

// GET /api/v1/session: who am I, and the language I chose for the web interface.
ApiResponse WhoAmI(const auth::Accounts& accounts, const ApiRequest& request) {
  const auth::Principal& me = *request.principal;
  auto language = accounts.LanguageOf(me.name);
  if (!language.ok()) return ErrorResponse(language.status());
  return JsonResponse(200, {{"name", me.name},
                            {"role", auth::RoleName(me.role)},
                            {"via", me.via_session ? "session" : "token"},
                            {"expires_at", OrNull(me.expires_at)},
                            {"language", OrNull(*language)}});
}

// PUT /api/v1/session/language {"language": "de"|"en"}: the caller's choice.
ApiResponse SetLanguage(auth::Accounts& accounts, const ApiRequest& request) {
  auto body = CheckedBody(request, "api/session-language");
  if (!body.ok()) return ErrorResponse(body.status());
  const std::string language = body->at("language").get<std::string>();
  Status stored = accounts.SetLanguage(request.principal->name, language);
  if (!stored.ok()) return ErrorResponse(stored);
  return JsonResponse(200, {{"name", request.principal->name}, {"language", language}});
}

// DELETE /api/v1/session: ends the session the call was made with (and,
// when that came as the cookie, clears the cookie).
ApiResponse Logout(auth::Accounts& accounts, const ApiRequest& request) {
  if (!request.principal->via_session) {
    return ErrorResponse(
        InvalidArgument("this call was made with an API token, not a session; an admin revokes "
                        "tokens"));
  }
  Status ended = accounts.Logout(request.authorization);
  if (!ended.ok()) return ErrorResponse(ended);
  ApiResponse response = JsonResponse(200, {{"ended", true}});
  if (request.via_cookie)
    response.headers.emplace_back("Set-Cookie", ClearedSessionCookie(request.secure));
  return response;
}

ApiResponse ListUsers(const auth::Accounts& accounts) {
  auto users = accounts.ListUsers();
  if (!users.ok()) return ErrorResponse(users.status());
  nlohmann::json list = nlohmann::json::array();
  for (const auto& user : *users) list.push_back(UserView(user));
  return JsonResponse(200, {{"users", list}});
}

ApiResponse CreateUser(auth::Accounts& accounts, const ApiRequest& request) {
  auto body = CheckedBody(request, "api/user-create");
  if (!body.ok()) return ErrorResponse(body.status());
  auto role = auth::ParseRole(body->at("role").get<std::string>());
  if (!role.ok()) return ErrorResponse(role.status());
  auto user = accounts.CreateUser(body->at("name").get<std::string>(), *role,
                                  body->at("password").get<std::string>(), ActorOf(request));
  if (!user.ok()) return ErrorResponse(user.status());
  return JsonResponse(201, UserView(*user));
}

ApiResponse DisableUser(auth::Accounts& accounts, const ApiRequest& request) {
  const std::string& name = request.params.at("name");
  if (name == request.principal->name)
    return ErrorResponse(Conflict("an admin cannot disable their own user"));
  Status disabled = accounts.DisableUser(name, ActorOf(request));
  if (!disabled.ok()) return ErrorResponse(disabled);
  return JsonResponse(200, {{"name", name}, {"disabled", true}});
}

ApiResponse ListTokens(const auth::Accounts& accounts, const ApiRequest& request) {
  auto tokens = accounts.TokensOf(request.params.at("name"));
  if (!tokens.ok()) return ErrorResponse(tokens.status());
  nlohmann::json list = nlohmann::json::array();
  for (const auto& token : *tokens) list.push_back(TokenView(token));
  return JsonResponse(200, {{"tokens", list}});
}

ApiResponse CreateToken(auth::Accounts& accounts, const ApiRequest& request) {
  auto body = CheckedBody(request, "api/token-create", /*empty_is_object=*/true);
  if (!body.ok()) return ErrorResponse(body.status());
  std::optional<std::string> label;
  std::optional<int> days;
  if (body->contains("label")) label = body->at("label").get<std::string>();
  if (body->contains("expires_days")) days = body->at("expires_days").get<int>();
  auto issued = accounts.IssueToken(request.params.at("name"), label, days, ActorOf(request));
  if (!issued.ok()) return ErrorResponse(issued.status());
  nlohmann::json view = TokenView(issued->record);
  view["token"] = issued->token;  // the only time it is shown
  return JsonResponse(201, view);
}

// GET /api/v1/account-events?limit=N: who changed which users and tokens,
// newest first (the DPO's and the auditor's view of the admin's work).
ApiResponse AccountEvents(const ApiContext& context, const ApiRequest& request) {
  auto limit = IntParameter(request, "limit", 100, 1, 1000);
  if (!limit.ok()) return ErrorResponse(limit.status());
  auto events = context.store.AccountEvents(*limit);
  if (!events.ok()) return ErrorResponse(events.status());
  nlohmann::json list = nlohmann::json::array();
  for (const auto& event : *events) list.push_back(EventView(event));
  return JsonResponse(200, {{"events", list}});
}

ApiResponse RevokeToken(auth::Accounts& accounts, const ApiRequest& request) {
  const std::string& id = request.params.at("id");
  Status revoked = accounts.RevokeToken(id, ActorOf(request));
  if (!revoked.ok()) return ErrorResponse(revoked);
  return JsonResponse(200, {{"id", id}, {"revoked", true}});
}

}  // namespace

std::vector<Route> AuthRoutes(const ApiContext& context) {
  using auth::Access;
  auth::Accounts* a = context.accounts;
  const Clock* clock = &context.clock;
  // Without accounts (a context for tests of other routes) every route of
  // this group answers 500 rather than crashing.
  auto with = [a](auto body) {
    return [a, body](const ApiRequest& r) {
      if (a == nullptr) return ErrorResponse(Internal("no accounts are configured"));
      return body(*a, r);
    };
  };
  return {
      {"POST", "/api/v1/session", Access::kPublic,
       with([clock](auth::Accounts& x, const ApiRequest& r) { return Login(x, *clock, r); })},
      {"GET", "/api/v1/session", Access::kSignedIn,
       with([](auth::Accounts& x, const ApiRequest& r) { return WhoAmI(x, r); })},
      {"PUT", "/api/v1/session/language", Access::kSignedIn,
       with([](auth::Accounts& x, const ApiRequest& r) { return SetLanguage(x, r); })},
      {"DELETE", "/api/v1/session", Access::kSignedIn,
       with([](auth::Accounts& x, const ApiRequest& r) { return Logout(x, r); })},
      {"GET", "/api/v1/users", Access::kAdministration,
       with([](auth::Accounts& x, const ApiRequest&) { return ListUsers(x); })},
      {"POST", "/api/v1/users", Access::kAdministration,
       with([](auth::Accounts& x, const ApiRequest& r) { return CreateUser(x, r); })},
      {"POST", "/api/v1/users/{name}/disable", Access::kAdministration,
       with([](auth::Accounts& x, const ApiRequest& r) { return DisableUser(x, r); })},
      {"GET", "/api/v1/users/{name}/tokens", Access::kAdministration,
       with([](auth::Accounts& x, const ApiRequest& r) { return ListTokens(x, r); })},
      {"POST", "/api/v1/users/{name}/tokens", Access::kAdministration,
       with([](auth::Accounts& x, const ApiRequest& r) { return CreateToken(x, r); })},
      {"POST", "/api/v1/tokens/{id}/revoke", Access::kAdministration,
       with([](auth::Accounts& x, const ApiRequest& r) { return RevokeToken(x, r); })},
      {"GET", "/api/v1/account-events", Access::kAuditTrail,
       [c = &context](const ApiRequest& r) { return AccountEvents(*c, r); }},
  };
}

}  // namespace dsr::api
