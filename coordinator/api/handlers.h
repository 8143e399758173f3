// The HTTP API's routes under /api/v1 and /healthz.
// Reads go to the store directly; changes go to the engine (one writer).
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "common/clock.h"
#include "coordinator/api/router.h"
#include "coordinator/api/views.h"
#include "coordinator/auth/accounts.h"
#include "coordinator/auth/delivery_links.h"
#include "coordinator/deadlines/deadline.h"
#include "coordinator/letters/record_of_processing.h"
#include "coordinator/store/store.h"
#include "coordinator/workflow/engine_client.h"
#include "coordinator/workflow/settings.h"

namespace dsr::workflow {
struct EngineSettings;
}

namespace dsr::api {

// The address under which the data subject reaches the delivery pages:
// http.public_url, else the address the API listens on (known once it is
// bound, so it is set after the routes are made).
class PublicAddress {
 public:
  void Set(std::string url) {
    std::lock_guard<std::mutex> lock(mutex_);
    url_ = std::move(url);
  }
  std::string Get() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return url_;
  }

 private:
  mutable std::mutex mutex_;
  std::string url_;
};

struct ApiContext {
  const store::Store& store;
  const workflow::EngineClient& engine;
  std::vector<workflow::SourceSettings> sources;
  letters::ControllerInfo controller;
  std::vector<letters::SourceRecord> records_of_processing;
  // For where open requests stand against their due dates (views.h).
  const Clock& clock;
  deadlines::PauseMode pause_mode = deadlines::PauseMode::kPause;
  int due_soon_days = 7;
  // Users, tokens and sessions, for the session and admin routes
  // (auth_handlers.cc). Must be set when those routes are served.
  auth::Accounts* accounts = nullptr;
  // Delivery links for the data subject, and where they point
  // (delivery_handlers.cc). Must be set when those routes are served.
  auth::DeliveryLinks* delivery = nullptr;
  const PublicAddress* public_address = nullptr;
  // For the letter preview: the templates, the controller's details and the
  // records of processing as the engine writes letters with them. The
  // preview answers 500 without.
  const workflow::EngineSettings* letter_settings = nullptr;
};

// Today in the controller's time zone, and how the views judge deadlines.
DeadlineContext DeadlinesNow(const ApiContext& context);

// The route table. `context` must outlive the routes.
std::vector<Route> BuildRoutes(const ApiContext& context);
// The routes that move a request through identity, review and closing, and
// read its records, events and holds (review_handlers.cc).
std::vector<Route> ReviewRoutes(const ApiContext& context);
// The DPO's dashboard and reports (report_handlers.cc).
std::vector<Route> ReportRoutes(const ApiContext& context);
// Delivery links: the agent's route that makes one, and the data subject's
// public pages and download (delivery_handlers.cc).
std::vector<Route> DeliveryRoutes(const ApiContext& context);
// The sealed bundle of request `id` as a download (decrypted as it is sent):
// 404, 410 when purged, 409 when not sealed yet.
ApiResponse BundleDownload(const ApiContext& context, const std::string& id);
// Logging in and out, who am I, and the admin's users and tokens (auth_handlers.cc).
std::vector<Route> AuthRoutes(const ApiContext& context);
// The web interface's files: GET / and GET /ui/{file} (ui_handlers.cc).
std::vector<Route> UiRoutes();
// The letter a request would get if answered now (letter_preview_handler.cc).
std::vector<Route> LetterPreviewRoutes(const ApiContext& context);
// Headers of an HTML answer that the web interface may show in a frame of
// its page (letters, reports): its own inline styles only, framed only here.
void AllowInFrame(ApiResponse& response);

// The query parameter `name` as a whole number within [min, max], or `fallback`
// when absent; kInvalidArgument otherwise.
Result<int> IntParameter(const ApiRequest& request, const std::string& name, int fallback, int min,
                         int max);

// Parses a JSON body: kInvalidArgument for bad JSON or nesting deeper than 64.
Result<nlohmann::json> ParseJsonBody(const std::string& body);

}  // namespace dsr::api
