// The web interface: the files of ui/, compiled in (coordinator/api/CMakeLists.txt),
// served without login since they hold no data; the page then calls /api/v1
// with the session cookie. A strict Content-Security-Policy lets the page load
// scripts, styles, images, fonts and data only from this server, and frame
// only this server's pages (letters and reports) — so an injected script or
// style has nowhere to come from and nowhere to send anything.
#include <map>
#include <string_view>
#include <utility>
#include <vector>

#include "common/digest.h"
#include "coordinator/api/handlers.h"

namespace dsr::embedded {
const std::vector<std::pair<std::string_view, std::string_view>>& UiFiles();
}

namespace dsr::api {
namespace {

constexpr const char* kUiPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'";

// Letters and reports carry their own inline style block and nothing else.
constexpr const char* kFramedDocumentPolicy =
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'";

bool EndsWith(const std::string& text, std::string_view suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string ContentTypeOf(const std::string& name) {
  static const std::vector<std::pair<std::string_view, const char*>> kTypes = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".woff2", "font/woff2"},
      {".json", "application/json; charset=utf-8"},
  };
  for (const auto& [suffix, type] : kTypes) {
    if (EndsWith(name, suffix)) return type;
  }
  return "application/octet-stream";
}

// Each file's entity tag: its SHA-256, computed once. The browser keeps a
// copy and asks again each time (no-cache); an unchanged file costs a 304.
const std::map<std::string_view, std::string>& EntityTags() {
  static const auto* tags = [] {
    auto* made = new std::map<std::string_view, std::string>;
    for (const auto& [path, content] : embedded::UiFiles())
      (*made)[path] = "\"" + Sha256Hex(content).substr(0, 32) + "\"";
    return made;
  }();
  return *tags;
}

ApiResponse UiFile(const std::string& name, const std::string& if_none_match) {
  for (const auto& [path, content] : embedded::UiFiles()) {
    if (path != name) continue;
    const std::string& tag = EntityTags().at(path);
    ApiResponse response;
    response.content_type = ContentTypeOf(name);
    if (if_none_match == tag) {
      response.status = 304;
      response.raw_body = std::string();
    } else {
      response.raw_body = std::string(content);
    }
    response.headers.emplace_back("ETag", tag);
    response.headers.emplace_back("Cache-Control", "no-cache");
    response.headers.emplace_back("Content-Security-Policy", kUiPolicy);
    response.headers.emplace_back("Referrer-Policy", "no-referrer");
    return response;
  }
  return ErrorResponse(NotFound("the web interface has no file " + name));
}

}  // namespace

void AllowInFrame(ApiResponse& response) {
  response.headers.emplace_back("Content-Security-Policy", kFramedDocumentPolicy);
  response.headers.emplace_back("Referrer-Policy", "no-referrer");
}

std::vector<Route> UiRoutes() {
  using auth::Access;
  return {
      {"GET", "/", Access::kPublic,
       [](const ApiRequest& r) { return UiFile("index.html", r.if_none_match); }},
      {"GET", "/ui/{file}", Access::kPublic,
       [](const ApiRequest& r) { return UiFile(r.params.at("file"), r.if_none_match); }},
  };
}

}  // namespace dsr::api
