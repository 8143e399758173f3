// Routes that move a request on (identity, pause, extension, review, approval, closing)
// and read what it found, its audit events and the retention holds.
#include <algorithm>
#include <map>
#include <tuple>

#include "common/schema.h"
#include "coordinator/api/handlers.h"
#include "coordinator/api/views.h"
#include "coordinator/workflow/spool_reader.h"

namespace dsr::api {
namespace {

constexpr int kMaxRecordsPage = 500;

// POST /api/v1/requests/{id}/<action>: checks the body against `schema`
// (an empty body is {}), asks the engine, answers the updated request.
ApiResponse RequestAction(const ApiContext& context, const ApiRequest& request,
                          const std::string& op, const std::string& schema,
                          nlohmann::json extra = nlohmann::json::object()) {
  nlohmann::json body = nlohmann::json::object();
  if (!request.body.empty()) {
    auto parsed = ParseJsonBody(request.body);
    if (!parsed.ok()) return ErrorResponse(parsed.status());
    body = std::move(parsed.value());
  }
  if (!schema.empty()) {
    Status valid = SchemaRegistry::Embedded().Validate(schema, body);
    if (!valid.ok())
      return ErrorResponse(ValidationError("invalid " + op + " body", valid.details()));
  }
  const std::string id = request.params.at("id");
  auto current = context.store.GetRequest(id);
  if (!current.ok()) return ErrorResponse(current.status());
  nlohmann::json command = {{"op", op}, {"id", id}, {"body", body}, {"actor", ActorOf(request)}};
  command.update(extra);
  auto reply = context.engine.Call(command);
  if (!reply.ok()) return ErrorResponse(reply.status());
  auto details = LoadRequestDetails(context.store, id);
  if (!details.ok()) return ErrorResponse(details.status());
  return JsonResponse(200, RequestView(*details, DeadlinesNow(context)));
}

// POST /api/v1/requests/{id}/approve: an agent may approve an ordinary
// answer; one that keeps data under retention holds (the answer tells the
// subject what is kept and why) is the DPO's decision.
ApiResponse Approve(const ApiContext& context, const ApiRequest& request) {
  if (request.principal && request.principal->role != auth::Role::kDpo) {
    store::HoldFilter active;
    active.status = store::HoldStatus::kActive;
    active.request_id = request.params.at("id");
    active.limit = 1;
    auto holds = context.store.ListHolds(active);
    if (!holds.ok()) return ErrorResponse(holds.status());
    if (!holds->empty()) {
      return ErrorResponse(
          PermissionDenied("this answer keeps data under retention holds; approving it needs the "
                           "dpo role"));
    }
  }
  return RequestAction(context, request, "approve", "api/approve");
}

using DecisionKey = std::tuple<std::string, std::string, int64_t>;

// GET /api/v1/requests/{id}/records: what the sources reported, page by page,
// with each record's latest review decision.
ApiResponse ListRecords(const ApiContext& context, const ApiRequest& request) {
  const std::string& id = request.params.at("id");
  auto found = context.store.GetRequest(id);
  if (!found.ok()) return ErrorResponse(found.status());
  if (found->purged_at) return PurgedResponse(id, *found->purged_at, "records");
  auto offset = IntParameter(request, "offset", 0, 0, 100000000);
  auto limit = IntParameter(request, "limit", 100, 1, kMaxRecordsPage);
  if (!offset.ok()) return ErrorResponse(offset.status());
  if (!limit.ok()) return ErrorResponse(limit.status());
  const auto only = [&](const char* name) {
    const auto value = request.query.find(name);
    return value == request.query.end() ? std::string() : value->second;
  };
  const std::string match = only("match");
  if (!match.empty() && match != "ambiguous" && match != "confirmed") {
    return ErrorResponse(InvalidArgument("match must be ambiguous or confirmed"));
  }
  auto tasks = context.store.TasksOfRequest(id);
  auto results = context.store.ResultsOfRequest(id);
  auto decisions = context.store.ReviewDecisionsOf(id);
  if (!tasks.ok()) return ErrorResponse(tasks.status());
  if (!results.ok()) return ErrorResponse(results.status());
  if (!decisions.ok()) return ErrorResponse(decisions.status());
  std::map<std::string, std::string> source_of;
  for (const auto& task : *tasks) source_of[task.id] = task.source;
  std::map<DecisionKey, const store::ReviewDecisionRecord*> latest;
  for (const auto& decision : *decisions)
    latest[{decision.task_id, decision.collection, decision.line}] = &decision;

  nlohmann::json records = nlohmann::json::array();
  int64_t seen = 0;
  for (const auto& result : *results) {
    const std::string& source = source_of[result.task_id];
    if ((!only("source").empty() && only("source") != source) ||
        (!only("collection").empty() && only("collection") != result.collection)) {
      continue;
    }
    Status read = workflow::ReadSpool(
        result.path, context.store.data_keys(), 0, result.records,
        [&](const workflow::SpooledRecord& r) {
          if (!match.empty() && (match == "ambiguous") != r.ambiguous) return true;
          if (seen++ < *offset || static_cast<int>(records.size()) >= *limit) return true;
          const auto decision = latest.find({result.task_id, result.collection, r.line});
          records.push_back(
              {{"task_id", result.task_id},
               {"source", source},
               {"collection", result.collection},
               {"line", r.line},
               {"key", r.key ? nlohmann::json(*r.key) : nlohmann::json(nullptr)},
               {"match", r.ambiguous ? "ambiguous" : "confirmed"},
               {"ambiguity", r.ambiguity},
               {"record", r.record},
               {"decision", decision == latest.end() ? nlohmann::json(nullptr)
                                                     : DecisionView(*decision->second)}});
          return true;
        });
    if (!read.ok()) return ErrorResponse(read);
  }
  return JsonResponse(
      200, {{"records", records}, {"total", seen}, {"offset", *offset}, {"limit", *limit}});
}

ApiResponse ListEvents(const ApiContext& context, const ApiRequest& request) {
  const std::string& id = request.params.at("id");
  auto found = context.store.GetRequest(id);
  if (!found.ok()) return ErrorResponse(found.status());
  auto events = context.store.EventsOfRequest(id);
  if (!events.ok()) return ErrorResponse(events.status());
  nlohmann::json list = nlohmann::json::array();
  for (const auto& event : *events) list.push_back(EventView(event));
  return JsonResponse(200, {{"events", list}});
}

ApiResponse ListHolds(const ApiContext& context, const ApiRequest& request) {
  store::HoldFilter filter;
  if (auto status = request.query.find("status"); status != request.query.end()) {
    auto parsed = store::ParseHoldStatus(status->second);
    if (!parsed.ok()) return ErrorResponse(InvalidArgument("status must be active or ended"));
    filter.status = *parsed;
  }
  if (auto id = request.query.find("request_id"); id != request.query.end())
    filter.request_id = id->second;
  auto limit = IntParameter(request, "limit", 1000, 1, 10000);
  if (!limit.ok()) return ErrorResponse(limit.status());
  filter.limit = *limit;
  auto holds = context.store.ListHolds(filter);
  if (!holds.ok()) return ErrorResponse(holds.status());
  nlohmann::json list = nlohmann::json::array();
  for (const auto& hold : *holds) list.push_back(HoldView(hold));
  return JsonResponse(200, {{"holds", list}});
}

// The outbox of reminders and escalations: what the DPO was told, and what
// could not be delivered yet (attempts, last_error).
ApiResponse ListNotifications(const ApiContext& context, const ApiRequest& request) {
  store::NotificationFilter filter;
  if (auto id = request.query.find("request_id"); id != request.query.end())
    filter.request_id = id->second;
  auto limit = IntParameter(request, "limit", 100, 1, 1000);
  if (!limit.ok()) return ErrorResponse(limit.status());
  filter.limit = *limit;
  auto notifications = context.store.ListNotifications(filter);
  if (!notifications.ok()) return ErrorResponse(notifications.status());
  nlohmann::json list = nlohmann::json::array();
  for (const auto& notification : *notifications) list.push_back(NotificationView(notification));
  return JsonResponse(200, {{"notifications", list}});
}

ApiResponse GetLetter(const ApiContext& context, const ApiRequest& request) {
  auto found = context.store.GetRequest(request.params.at("id"));
  if (!found.ok()) return ErrorResponse(found.status());
  if (found->purged_at) return PurgedResponse(found->id, *found->purged_at, "letter");
  if (!found->letter_path) {
    return ErrorResponse(Conflict("there is no letter yet: the request is " +
                                  std::string(store::ToString(found->status))));
  }
  ApiResponse response;
  response.file_path = *found->letter_path;
  response.file_keys = context.store.data_keys();
  response.content_type = "text/html; charset=utf-8";
  response.download_name = "dsr-letter-" + found->id + ".html";
  AllowInFrame(response);
  return response;
}

// GET /api/v1/requests/{id}/extension-letter: the notice of the extended deadline.
ApiResponse GetExtensionLetter(const ApiContext& context, const ApiRequest& request) {
  auto found = context.store.GetRequest(request.params.at("id"));
  if (!found.ok()) return ErrorResponse(found.status());
  if (!found->extended_due_on)
    return ErrorResponse(NotFound("the deadline of this request was not extended"));
  if (found->purged_at) return PurgedResponse(found->id, *found->purged_at, "extension letter");
  if (!found->extension_letter_path)
    return ErrorResponse(NotFound("the extension letter has not been written yet"));
  ApiResponse response;
  response.file_path = *found->extension_letter_path;
  response.file_keys = context.store.data_keys();
  response.content_type = "text/html; charset=utf-8";
  response.download_name = "dsr-extension-" + found->id + ".html";
  AllowInFrame(response);
  return response;
}

// GET /api/v1/record-of-processing?format=html|csv|json&lang=de|en: the
// Verarbeitungsverzeichnis built from the sources' config, with what is missing.
ApiResponse RecordOfProcessing(const ApiContext& context, const ApiRequest& request) {
  const auto query = [&](const char* name, const char* fallback) {
    const auto found = request.query.find(name);
    return found == request.query.end() ? std::string(fallback) : found->second;
  };
  const std::string format = query("format", "html");
  const std::string language = query("lang", "de");
  if (language != "de" && language != "en")
    return ErrorResponse(InvalidArgument("lang must be de or en"));
  if (format == "json") {
    nlohmann::json warnings = nlohmann::json::array();
    for (const auto& warning :
         letters::CheckRecordsOfProcessing(context.controller, context.records_of_processing)) {
      warnings.push_back({{"source", warning.source},
                          {"path", warning.path},
                          {"message", warning.Message(language)}});
    }
    nlohmann::json sources = nlohmann::json::array();
    for (const auto& source : context.records_of_processing) {
      sources.push_back({{"name", source.name},
                         {"title", source.title},
                         {"has_record", source.record.has_value()}});
    }
    return JsonResponse(200, {{"sources", sources}, {"warnings", warnings}});
  }
  if (format != "html" && format != "csv")
    return ErrorResponse(InvalidArgument("format must be html, csv or json"));
  auto document = format == "html"
                      ? letters::RecordOfProcessingHtml(context.records_of_processing,
                                                        context.controller, language)
                      : letters::RecordOfProcessingCsv(context.records_of_processing, language);
  if (!document.ok()) return ErrorResponse(document.status());
  ApiResponse response;
  response.raw_body = std::move(document.value());
  response.content_type = format == "html" ? "text/html; charset=utf-8" : "text/csv; charset=utf-8";
  response.headers.emplace_back("Content-Disposition",
                                std::string(format == "html" ? "inline" : "attachment") +
                                    "; filename=\"record-of-processing." + language + "." + format +
                                    "\"");
  if (format == "html") AllowInFrame(response);
  return response;
}

// POST /api/v1/record-of-processing/check: a source's discovery report
// (dsr-worker --discover) against its record: which places it does not list.
ApiResponse CheckDiscovery(const ApiContext& context, const ApiRequest& request) {
  auto body = ParseJsonBody(request.body);
  if (!body.ok()) return ErrorResponse(body.status());
  Status valid = SchemaRegistry::Embedded().Validate("api/discovery-report", *body);
  if (!valid.ok())
    return ErrorResponse(ValidationError("invalid discovery report", valid.details()));
  const std::string source = body->at("source").get<std::string>();
  const letters::SourceRecord* record = nullptr;
  for (const auto& candidate : context.records_of_processing) {
    if (candidate.name == source) record = &candidate;
  }
  if (record == nullptr)
    return ErrorResponse(NotFound("no source named '" + source + "' is configured"));
  std::vector<std::string> places;
  for (const auto& place : body->at("places"))
    places.push_back(place.at("place").get<std::string>());
  const auto unlisted =
      letters::UnlistedPlaces(record->record.value_or(letters::RecordOfProcessing{}), places);
  nlohmann::json findings = nlohmann::json::array();
  for (const auto& place : body->at("places")) {
    if (std::find(unlisted.begin(), unlisted.end(), place.at("place")) != unlisted.end()) {
      findings.push_back(place);
    }
  }
  return JsonResponse(200, {{"source", source},
                            {"places", places.size()},
                            {"unlisted", findings},
                            {"has_record", record->record.has_value()}});
}

}  // namespace

std::vector<Route> ReviewRoutes(const ApiContext& context) {
  const ApiContext* c = &context;
  auto action = [c](std::string op, std::string schema) {
    return [c, op, schema](const ApiRequest& r) { return RequestAction(*c, r, op, schema); };
  };
  using auth::Access;
  return {
      {"POST", "/api/v1/requests/{id}/identity", Access::kCaseWork,
       action("identity", "api/identity-check")},
      {"POST", "/api/v1/requests/{id}/pause", Access::kCaseWork, action("pause", "api/pause")},
      {"POST", "/api/v1/requests/{id}/resume", Access::kCaseWork, action("resume", "api/resume")},
      {"POST", "/api/v1/requests/{id}/extend", Access::kDpoDecision,
       action("extend", "api/extend")},
      {"POST", "/api/v1/requests/{id}/redactions", Access::kCaseWork,
       action("decide", "api/review-decision")},
      {"POST", "/api/v1/requests/{id}/approve", Access::kCaseWork,
       [c](const ApiRequest& r) { return Approve(*c, r); }},
      {"POST", "/api/v1/requests/{id}/reject", Access::kDpoDecision,
       action("reject", "api/reject")},
      {"POST", "/api/v1/requests/{id}/cancel", Access::kCaseWork, action("cancel", "api/cancel")},
      {"POST", "/api/v1/requests/{id}/tasks/{task_id}/retry", Access::kCaseWork,
       [c](const ApiRequest& r) {
         return RequestAction(*c, r, "retry", "", {{"task_id", r.params.at("task_id")}});
       }},
      {"GET", "/api/v1/requests/{id}/records", Access::kCaseWork,
       [c](const ApiRequest& r) { return ListRecords(*c, r); }},
      {"GET", "/api/v1/requests/{id}/events", Access::kAuditTrail,
       [c](const ApiRequest& r) { return ListEvents(*c, r); }},
      {"GET", "/api/v1/requests/{id}/letter", Access::kCaseWork,
       [c](const ApiRequest& r) { return GetLetter(*c, r); }},
      {"GET", "/api/v1/requests/{id}/extension-letter", Access::kCaseWork,
       [c](const ApiRequest& r) { return GetExtensionLetter(*c, r); }},
      {"GET", "/api/v1/holds", Access::kCaseWork,
       [c](const ApiRequest& r) { return ListHolds(*c, r); }},
      {"GET", "/api/v1/notifications", Access::kDpoDecision,
       [c](const ApiRequest& r) { return ListNotifications(*c, r); }},
      {"GET", "/api/v1/record-of-processing", Access::kDpoDecision,
       [c](const ApiRequest& r) { return RecordOfProcessing(*c, r); }},
      {"POST", "/api/v1/record-of-processing/check", Access::kDpoDecision,
       [c](const ApiRequest& r) { return CheckDiscovery(*c, r); }},
  };
}

}  // namespace dsr::api
