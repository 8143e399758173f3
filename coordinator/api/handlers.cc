#include "coordinator/api/handlers.h"

#include <algorithm>
#include <cctype>
#include <memory>
#include <set>
#include <utility>

#include "common/json_text.h"
#include "coordinator/api/views.h"
#include "coordinator/reporting/request_facts.h"

namespace dsr::api {
Result<int> IntParameter(const ApiRequest& request, const std::string& name, int fallback, int min,
                         int max) {
  const auto found = request.query.find(name);
  if (found == request.query.end()) return fallback;
  const std::string& text = found->second;
  const bool digits = !text.empty() && text.size() <= 9 &&
                      text.find_first_not_of("0123456789") == std::string::npos;
  const int value = digits ? std::stoi(text) : -1;
  if (!digits || value < min || value > max) {
    return InvalidArgument("query parameter " + name + " must be a whole number from " +
                           std::to_string(min) + " to " + std::to_string(max));
  }
  return value;
}

namespace {

ApiResponse CreateRequest(const ApiContext& context, const ApiRequest& request) {
  auto body = ParseJsonBody(request.body);
  if (!body.ok()) return ErrorResponse(body.status());
  auto reply =
      context.engine.Call({{"op", "submit"}, {"body", *body}, {"actor", ActorOf(request)}});
  if (!reply.ok()) return ErrorResponse(reply.status());
  const std::string id = reply->at("id").get<std::string>();
  auto created = LoadRequestDetails(context.store, id);
  if (!created.ok()) return ErrorResponse(created.status());
  ApiResponse response = JsonResponse(201, RequestView(*created, DeadlinesNow(context)));
  response.headers.emplace_back("Location", "/api/v1/requests/" + id);
  return response;
}

bool IsAuditor(const ApiRequest& request) {
  return request.principal && request.principal->role == auth::Role::kAuditor;
}

// What an auditor sees of a request: its course and dates, not who the data
// subject is nor the free texts agents wrote about it.
nlohmann::json MetadataOnly(nlohmann::json view) {
  for (const char* key : {"subject", "note", "closing_reason", "extension"}) view.erase(key);
  return view;
}

ApiResponse GetRequest(const ApiContext& context, const ApiRequest& request) {
  if (IsAuditor(request)) {
    auto found = context.store.GetRequest(request.params.at("id"));
    if (!found.ok()) return ErrorResponse(found.status());
    return JsonResponse(200, MetadataOnly(RequestSummaryView(*found, DeadlinesNow(context))));
  }
  auto found = LoadRequestDetails(context.store, request.params.at("id"));
  if (!found.ok()) return ErrorResponse(found.status());
  return JsonResponse(200, RequestView(*found, DeadlinesNow(context)));
}

// Filters of the request list beyond the status: where open requests stand
// today against their effective due date (?deadline=overdue|due_soon|on_track,
// ?due_within=N days), what needs the DPO's eye (?paused=true,
// ?extended=true, ?failing=true: a source's task failed) and a search (?q=).
struct ListFilter {
  std::optional<deadlines::DeadlineState> state;
  std::optional<int> due_within;  // days left <= N, overdue included
  bool paused = false;
  bool extended = false;
  bool failing = false;
  std::string search;  // lower case
  // Every filter but the search looks at open requests only.
  bool open_only() const { return state || due_within || paused || extended || failing; }
  bool active() const { return open_only() || !search.empty(); }
};

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

Result<bool> FlagParameter(const ApiRequest& request, const std::string& name) {
  const auto found = request.query.find(name);
  if (found == request.query.end() || found->second == "false") return false;
  if (found->second == "true") return true;
  return ValidationError("query parameter " + name + " must be true or false");
}

Result<ListFilter> ParseListFilter(const ApiRequest& request) {
  ListFilter filter;
  if (auto found = request.query.find("deadline"); found != request.query.end()) {
    for (auto state : {deadlines::DeadlineState::kOverdue, deadlines::DeadlineState::kDueSoon,
                       deadlines::DeadlineState::kOnTrack}) {
      if (found->second == deadlines::DeadlineStateName(state)) filter.state = state;
    }
    if (!filter.state)
      return ValidationError("query parameter deadline must be overdue, due_soon or on_track");
  }
  if (request.query.count("due_within")) {
    auto days = IntParameter(request, "due_within", 0, 0, 366);
    if (!days.ok()) return ValidationError(days.status().message());
    filter.due_within = *days;
  }
  for (auto [name, flag] :
       {std::pair{"paused", &filter.paused}, std::pair{"extended", &filter.extended},
        std::pair{"failing", &filter.failing}}) {
    auto value = FlagParameter(request, name);
    if (!value.ok()) return value.status();
    *flag = *value;
  }
  if (auto found = request.query.find("q"); found != request.query.end()) {
    if (found->second.size() > 200)
      return ValidationError("query parameter q must be at most 200 characters");
    filter.search = Lower(found->second);
  }
  return filter;
}

// Whether `search` is part of the request's id or, for a caller who may see
// them, of one of the subject's identities (case-insensitive).
bool MatchesSearch(const store::RequestRecord& request, const std::string& search,
                   bool sees_subject) {
  if (search.empty()) return true;
  if (Lower(request.id).find(search) != std::string::npos) return true;
  if (!sees_subject) return false;
  for (const auto& [kind, value] : request.subject) {
    if (Lower(value).find(search) != std::string::npos) return true;
  }
  return false;
}

// Every request, newest first, a page of the store at a time.
Result<std::vector<store::RequestRecord>> AllRequests(const ApiContext& context,
                                                      std::optional<store::RequestStatus> status) {
  std::vector<store::RequestRecord> all;
  store::RequestFilter page;
  page.status = status;
  page.limit = 1000;
  for (;;) {
    auto batch = context.store.ListRequests(page);
    if (!batch.ok()) return batch.status();
    const size_t got = batch->size();
    for (auto& request : *batch) all.push_back(std::move(request));
    if (got < static_cast<size_t>(page.limit)) return all;
    page.offset += page.limit;
  }
}

// The requests that pass `filter` (and the status filter), paged: open ones
// most urgent first, a search over all requests newest first.
Result<std::vector<store::RequestRecord>> ListFiltered(const ApiContext& context,
                                                       const store::RequestFilter& paging,
                                                       const ListFilter& filter,
                                                       bool sees_subject) {
  auto candidates =
      filter.open_only() ? context.store.OpenRequests() : AllRequests(context, paging.status);
  if (!candidates.ok()) return candidates.status();
  std::set<std::string> failing;
  if (filter.failing) {
    auto failed = context.store.FailedTasksOfOpenRequests();
    if (!failed.ok()) return failed.status();
    for (const auto& task : *failed) failing.insert(task.request_id);
  }
  const DeadlineContext now = DeadlinesNow(context);
  const reporting::DeadlineRules rules{now.pause_mode, now.due_soon_days};
  std::vector<std::pair<int64_t, store::RequestRecord>> matching;
  for (auto& request : *candidates) {
    if (paging.status && request.status != *paging.status) continue;
    if (filter.paused && !request.paused_since) continue;
    if (filter.extended && !request.extended_due_on) continue;
    if (filter.failing && !failing.count(request.id)) continue;
    if (!MatchesSearch(request, filter.search, sees_subject)) continue;
    int64_t days_left = 0;
    if (filter.open_only()) {
      const auto standing = reporting::StandingOn(request, now.today, rules);
      if (filter.state && standing.state != *filter.state) continue;
      if (filter.due_within && standing.days_left > *filter.due_within) continue;
      days_left = standing.days_left;
    }
    matching.emplace_back(days_left, std::move(request));
  }
  if (filter.open_only()) {
    std::stable_sort(matching.begin(), matching.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
  }
  std::vector<store::RequestRecord> page;
  for (size_t i = static_cast<size_t>(paging.offset);
       i < matching.size() && page.size() < static_cast<size_t>(paging.limit); ++i) {
    page.push_back(std::move(matching[i].second));
  }
  return page;
}

ApiResponse ListRequests(const ApiContext& context, const ApiRequest& request) {
  store::RequestFilter filter;
  if (auto status = request.query.find("status"); status != request.query.end()) {
    auto parsed = store::ParseRequestStatus(status->second);
    if (!parsed.ok()) {
      return ErrorResponse(InvalidArgument(
          parsed.status().message() +
          "; use received, awaiting_identity, in_progress, in_review, completed, rejected or "
          "cancelled"));
    }
    filter.status = *parsed;
  }
  auto limit = IntParameter(request, "limit", 100, 1, 1000);
  if (!limit.ok()) return ErrorResponse(limit.status());
  auto offset = IntParameter(request, "offset", 0, 0, 100000000);
  if (!offset.ok()) return ErrorResponse(offset.status());
  filter.limit = *limit;
  filter.offset = *offset;
  auto list_filter = ParseListFilter(request);
  if (!list_filter.ok()) return ErrorResponse(list_filter.status());
  auto requests = list_filter->active()
                      ? ListFiltered(context, filter, *list_filter, !IsAuditor(request))
                      : context.store.ListRequests(filter);
  if (!requests.ok()) return ErrorResponse(requests.status());
  nlohmann::json list = nlohmann::json::array();
  const DeadlineContext deadlines = DeadlinesNow(context);
  for (const auto& item : *requests) {
    nlohmann::json summary = RequestSummaryView(item, deadlines);
    list.push_back(IsAuditor(request) ? MetadataOnly(std::move(summary)) : std::move(summary));
  }
  return JsonResponse(200,
                      {{"requests", list}, {"limit", filter.limit}, {"offset", filter.offset}});
}

}  // namespace

ApiResponse BundleDownload(const ApiContext& context, const std::string& id) {
  auto found = context.store.GetRequest(id);
  if (!found.ok()) return ErrorResponse(found.status());
  if (found->purged_at) return PurgedResponse(id, *found->purged_at, "bundle");
  if (!found->bundle) {
    return ErrorResponse(Conflict("the bundle is not ready yet: the request is " +
                                  std::string(store::ToString(found->status))));
  }
  ApiResponse response;
  response.file_path = found->bundle->path;
  response.file_keys = context.store.data_keys();
  response.file_bytes = found->bundle->bytes;
  response.content_type = "application/zip";
  response.download_name = "dsr-" + id + ".zip";
  response.headers.emplace_back("X-Content-SHA256", found->bundle->sha256);
  return response;
}

namespace {

ApiResponse GetBundle(const ApiContext& context, const ApiRequest& request) {
  return BundleDownload(context, request.params.at("id"));
}

ApiResponse ListSources(const ApiContext& context) {
  auto reply = context.engine.Call({{"op", "workers"}});
  if (!reply.ok()) return ErrorResponse(reply.status());
  nlohmann::json sources = nlohmann::json::array();
  for (const auto& source : context.sources) {
    nlohmann::json workers = nlohmann::json::array();
    for (const auto& worker : reply->at("workers")) {
      if (worker.at("source") == source.name) workers.push_back(worker);
    }
    sources.push_back({{"name", source.name},
                       {"title", source.title},
                       {"connector", source.connector},
                       {"workers", workers}});
  }
  return JsonResponse(200, {{"sources", sources}});
}

ApiResponse Health(const ApiContext& context) {
  auto stats = context.engine.Call({{"op", "stats"}});
  if (!stats.ok()) {
    return JsonResponse(503, {{"status", "unavailable"}, {"reason", stats.status().message()}});
  }
  nlohmann::json engine = *stats;
  engine.erase("ok");
  return JsonResponse(200, {{"status", "ok"}, {"engine", engine}});
}

}  // namespace

Result<nlohmann::json> ParseJsonBody(const std::string& body) {
  if (body.empty()) return InvalidArgument("the request body is empty; a JSON object is expected");
  return ParseJsonText(body, "the request body");
}

DeadlineContext DeadlinesNow(const ApiContext& context) {
  // The process runs in the controller's time zone (UseTimeZone at start).
  return {LocalDate(context.clock.Now()), context.pause_mode, context.due_soon_days};
}

std::vector<Route> BuildRoutes(const ApiContext& context) {
  using auth::Access;
  const ApiContext* c = &context;
  std::vector<Route> routes = {
      {"GET", "/healthz", Access::kPublic, [c](const ApiRequest&) { return Health(*c); }},
      {"POST", "/api/v1/requests", Access::kCaseWork,
       [c](const ApiRequest& r) { return CreateRequest(*c, r); }},
      {"GET", "/api/v1/requests", Access::kCaseMetadata,
       [c](const ApiRequest& r) { return ListRequests(*c, r); }},
      {"GET", "/api/v1/requests/{id}", Access::kCaseMetadata,
       [c](const ApiRequest& r) { return GetRequest(*c, r); }},
      {"GET", "/api/v1/requests/{id}/bundle", Access::kCaseWork,
       [c](const ApiRequest& r) { return GetBundle(*c, r); }},
      {"GET", "/api/v1/sources", Access::kSourceStatus,
       [c](const ApiRequest&) { return ListSources(*c); }},
  };
  for (auto* group :
       {&ReviewRoutes, &ReportRoutes, &AuthRoutes, &DeliveryRoutes, &LetterPreviewRoutes}) {
    for (auto& route : (*group)(context)) routes.push_back(std::move(route));
  }
  for (auto& route : UiRoutes()) routes.push_back(std::move(route));
  // The table itself, for operators checking who may do what (and for the
  // test that walks every route). Filled in once the table is complete.
  auto table = std::make_shared<nlohmann::json>();
  routes.emplace_back("GET", "/api/v1/routes", Access::kSignedIn, [table](const ApiRequest&) {
    return JsonResponse(200, {{"routes", *table}});
  });
  *table = RouteTableJson(routes);
  return routes;
}

}  // namespace dsr::api
