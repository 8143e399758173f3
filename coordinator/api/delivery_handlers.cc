// Delivery of the answer to the data subject by link.
//
// The agent's route makes a link; the public pages under /delivery/{token}
// need no login, since the token is the credential. They answer small
// self-contained HTML pages (no script, no external assets) in the
// request's language, forbid caching, framing and referrers (the token is in
// the address), and the download streams the bundle exactly as
// GET /api/v1/requests/{id}/bundle does.
#include <Poco/URI.h>

#include "common/schema.h"
#include "coordinator/api/handlers.h"

namespace dsr::api {
namespace {

constexpr const char* kContentSecurityPolicy =
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'";

void AddPageHeaders(ApiResponse& response) {
  response.headers.emplace_back("Content-Security-Policy", kContentSecurityPolicy);
  response.headers.emplace_back("Referrer-Policy", "no-referrer");
  response.headers.emplace_back("X-Frame-Options", "DENY");
  response.headers.emplace_back("Cache-Control", "no-store");
}

// The texts of the pages, in German and English.
struct PageTexts {
  const char* lang;
  const char* title;
  const char* ready;
  const char* code_needed;
  const char* code_label;
  const char* download;
  const char* wrong_code;
  const char* expired;
  const char* revoked;
  const char* unknown;
  const char* contact;
};

constexpr PageTexts kEnglish = {
    "en",
    "Your personal data",
    "The answer to your request for access to your personal data is ready. The download is a "
    "ZIP file with your data and a letter that explains it. Keep it safe: it holds personal "
    "data. This link works only for a limited time.",
    "To download it, enter the code we sent you by another channel.",
    "Code",
    "Download",
    "The code is not correct. After too many wrong codes the link stops working.",
    "This link has expired.",
    "This link no longer works: a wrong code was entered too often.",
    "This link is not valid.",
    "Please contact us if you still need your data; we will send you a new link.",
};

constexpr PageTexts kGerman = {
    "de",
    "Ihre personenbezogenen Daten",
    "Die Antwort auf Ihr Auskunftsersuchen zu Ihren personenbezogenen Daten liegt bereit. Der "
    "Download ist eine ZIP-Datei mit Ihren Daten und einem Schreiben, das sie erläutert. Bewahren "
    "Sie sie sicher auf: Sie enthält personenbezogene Daten. Dieser Link gilt nur für begrenzte "
    "Zeit.",
    "Geben Sie zum Herunterladen den Code ein, den wir Ihnen auf anderem Weg geschickt haben.",
    "Code",
    "Herunterladen",
    "Der Code ist nicht richtig. Nach zu vielen falschen Codes wird der Link gesperrt.",
    "Dieser Link ist abgelaufen.",
    "Dieser Link gilt nicht mehr: Es wurde zu oft ein falscher Code eingegeben.",
    "Dieser Link ist nicht gültig.",
    "Bitte wenden Sie sich an uns, wenn Sie Ihre Daten noch benötigen; wir schicken Ihnen einen "
    "neuen Link.",
};

const PageTexts& TextsFor(const std::string& language) {
  return language == "de" ? kGerman : kEnglish;
}

// Pages interpolate only these fixed texts and the token, whose characters
// are base64url (checked by DeliveryLinks before a link is found).
std::string Page(const PageTexts& texts, const std::string& content) {
  return std::string("<!DOCTYPE html>\n<html lang=\"") + texts.lang +
         "\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
         "content=\"width=device-width, initial-scale=1\"><meta name=\"referrer\" "
         "content=\"no-referrer\"><title>" +
         texts.title +
         "</title><style>body{font-family:sans-serif;max-width:36em;margin:2em auto;padding:0 "
         "1em;line-height:1.5}button,input{font-size:1.1em;padding:.3em .6em}"
         ".error{color:#a00}</style></head><body><h1>" +
         texts.title + "</h1>" + content + "</body></html>\n";
}

ApiResponse PageResponse(int status, const PageTexts& texts, const std::string& content) {
  ApiResponse response;
  response.status = status;
  response.raw_body = Page(texts, content);
  response.content_type = "text/html; charset=utf-8";
  AddPageHeaders(response);
  return response;
}

std::string DownloadForm(const PageTexts& texts, const std::string& token, bool needs_code) {
  const std::string action = "/delivery/" + token + "/bundle";
  if (!needs_code) {
    return "<p><a href=\"" + action + "\" download>" + texts.download + "</a></p>";
  }
  return std::string("<p>") + texts.code_needed + "</p><form method=\"post\" action=\"" + action +
         "\"><label for=\"code\">" + texts.code_label +
         "</label> <input id=\"code\" name=\"code\" inputmode=\"numeric\" "
         "autocomplete=\"one-time-code\" maxlength=\"32\" required> <button type=\"submit\">" +
         texts.download + "</button></form>";
}

// The page for a link that cannot be used (any more).
ApiResponse ClosedPage(const auth::LinkVisit& visit, const PageTexts& texts) {
  switch (visit.state) {
    case auth::LinkState::kExpired:
      return PageResponse(410, texts,
                          std::string("<p>") + texts.expired + "</p><p>" + texts.contact + "</p>");
    case auth::LinkState::kRevoked:
      return PageResponse(410, texts,
                          std::string("<p>") + texts.revoked + "</p><p>" + texts.contact + "</p>");
    default:
      break;
  }
  // Unknown: the language is not known either, so both.
  return PageResponse(404, kGerman,
                      std::string("<p>") + kGerman.unknown + " " + kGerman.contact +
                          "</p><p lang=\"en\">" + kEnglish.unknown + " " + kEnglish.contact +
                          "</p>");
}

std::string LanguageOf(const ApiContext& context, const std::string& request_id) {
  auto request = context.store.GetRequest(request_id);
  return request.ok() ? request->language : "en";
}

std::string PublicBase(const ApiContext& context) {
  std::string base = context.public_address ? context.public_address->Get() : "";
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base;
}

// POST /api/v1/requests/{id}/delivery {expires_in_days?, one_time_code?}
ApiResponse CreateDelivery(const ApiContext& context, auth::DeliveryLinks& links,
                           const ApiRequest& request) {
  nlohmann::json body = nlohmann::json::object();
  if (!request.body.empty()) {
    auto parsed = ParseJsonBody(request.body);
    if (!parsed.ok()) return ErrorResponse(parsed.status());
    Status valid = SchemaRegistry::Embedded().Validate("api/delivery-create", *parsed);
    if (!valid.ok()) return ErrorResponse(ValidationError("invalid body", valid.details()));
    body = std::move(parsed.value());
  }
  const std::string& id = request.params.at("id");
  auto found = context.store.GetRequest(id);
  if (!found.ok()) return ErrorResponse(found.status());
  if (found->purged_at) return PurgedResponse(id, *found->purged_at, "bundle");
  if (!found->bundle) {
    return ErrorResponse(Conflict("the bundle is not ready yet: the request is " +
                                  std::string(store::ToString(found->status))));
  }
  const int days = body.value("expires_in_days", auth::kDefaultDeliveryDays);
  const bool with_code = body.value("one_time_code", false);
  auto issued = links.Create(id, ActorOf(request), days, with_code);
  if (!issued.ok()) return ErrorResponse(issued.status());
  nlohmann::json answer = {
      {"request_id", id},
      {"url", PublicBase(context) + "/delivery/" + issued->token},
      {"expires_at", issued->expires_at},
      {"one_time_code", issued->code ? nlohmann::json(*issued->code) : nlohmann::json(nullptr)}};
  return JsonResponse(201, answer);
}

// GET /delivery/{token}: the page with the download (or the form for the code).
ApiResponse DeliveryPage(const ApiContext& context, auth::DeliveryLinks& links,
                         const ApiRequest& request) {
  const std::string& token = request.params.at("token");
  auto visit = links.Look(token);
  if (!visit.ok()) return ErrorResponse(visit.status());
  if (visit->state != auth::LinkState::kOpen) {
    return ClosedPage(*visit,
                      TextsFor(visit->link ? LanguageOf(context, visit->link->request_id) : "en"));
  }
  const PageTexts& texts = TextsFor(LanguageOf(context, visit->link->request_id));
  return PageResponse(200, texts,
                      std::string("<p>") + texts.ready + "</p>" +
                          DownloadForm(texts, token, visit->link->code_hash.has_value()));
}

// The `code` field of an application/x-www-form-urlencoded body.
std::optional<std::string> FormCode(const std::string& body) {
  size_t start = 0;
  while (start <= body.size()) {
    size_t end = body.find('&', start);
    if (end == std::string::npos) end = body.size();
    const std::string pair = body.substr(start, end - start);
    const size_t equals = pair.find('=');
    if (equals != std::string::npos && pair.substr(0, equals) == "code") {
      std::string value = pair.substr(equals + 1);
      for (char& c : value) {
        if (c == '+') c = ' ';
      }
      std::string decoded;
      Poco::URI::decode(value, decoded);
      // Digits only count; spaces a person may type between them do not.
      std::string digits;
      for (char c : decoded) {
        if (c != ' ' && c != '-') digits.push_back(c);
      }
      return digits;
    }
    start = end + 1;
  }
  return std::nullopt;
}

// GET or POST /delivery/{token}/bundle: the download itself.
ApiResponse DeliveryDownload(const ApiContext& context, auth::DeliveryLinks& links,
                             const ApiRequest& request) {
  const std::string& token = request.params.at("token");
  std::optional<std::string> code;
  if (request.method == "POST") code = FormCode(request.body);
  auto visit = links.Download(token, code);
  if (!visit.ok()) return ErrorResponse(visit.status());
  const std::string language =
      visit->link ? LanguageOf(context, visit->link->request_id) : std::string("en");
  const PageTexts& texts = TextsFor(language);
  if (visit->state == auth::LinkState::kWrongCode) {
    if (visit->link->revoked_at) return ClosedPage({auth::LinkState::kRevoked, visit->link}, texts);
    return PageResponse(403, texts,
                        std::string("<p class=\"error\">") + texts.wrong_code + "</p>" +
                            DownloadForm(texts, token, true));
  }
  if (visit->state != auth::LinkState::kOpen) return ClosedPage(*visit, texts);
  ApiResponse download = BundleDownload(context, visit->link->request_id);
  if (download.file_path.empty())
    return ClosedPage({auth::LinkState::kExpired, visit->link}, texts);
  AddPageHeaders(download);
  return download;
}

}  // namespace

std::vector<Route> DeliveryRoutes(const ApiContext& context) {
  using auth::Access;
  const ApiContext* c = &context;
  // Without delivery links (a context for tests of other routes) these
  // routes answer 500 rather than crashing.
  auto with = [c](auto body) {
    return [c, body](const ApiRequest& r) {
      if (c->delivery == nullptr)
        return ErrorResponse(Internal("no delivery links are configured"));
      return body(*c, *c->delivery, r);
    };
  };
  return {
      {"POST", "/api/v1/requests/{id}/delivery", Access::kCaseWork, with(CreateDelivery)},
      // The token in the path is the credential of these three.
      {"GET", "/delivery/{token}", Access::kPublic, with(DeliveryPage)},
      {"GET", "/delivery/{token}/bundle", Access::kPublic, with(DeliveryDownload)},
      {"POST", "/delivery/{token}/bundle", Access::kPublic, with(DeliveryDownload)},
  };
}

}  // namespace dsr::api
