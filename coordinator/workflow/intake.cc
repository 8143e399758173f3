#include "coordinator/workflow/intake.h"

#include <nlohmann/json.hpp>

#include "common/digest.h"
#include "common/schema.h"
#include "coordinator/deadlines/deadline.h"
#include "coordinator/workflow/lifecycle.h"

namespace dsr::workflow {
namespace {

std::optional<std::string> OptionalString(const nlohmann::json& body, const char* key) {
  const auto found = body.find(key);
  if (found == body.end() || found->is_null()) return std::nullopt;
  return found->get<std::string>();
}

store::EventRecord Event(const std::string& request_id, const std::string& at, std::string kind,
                         const std::string& actor, const nlohmann::json& details) {
  store::EventRecord event;
  event.request_id = request_id;
  event.at = at;
  event.kind = std::move(kind);
  event.actor = actor;
  event.details = details.dump();
  return event;
}

// Which kinds of identity were given ("email", "phone"), not their values.
nlohmann::json IdentityKinds(const store::SubjectIdentities& subject) {
  nlohmann::json kinds = nlohmann::json::array();
  for (const auto& entry : subject) kinds.push_back(entry.first);
  return kinds;
}

}  // namespace

Result<NewRequest> ParseNewRequest(const nlohmann::json& body, CivilDate today,
                                   const std::string& default_language) {
  Status valid = SchemaRegistry::Embedded().Validate("api/request-create", body);
  if (!valid.ok()) return ValidationError("invalid request", valid.details());
  NewRequest request;
  auto type = store::ParseRequestType(body.at("type").get<std::string>());
  if (!type.ok()) return ValidationError(type.status().message());
  if (*type != store::RequestType::kAccess) {
    return NotImplemented(std::string(store::ToString(*type)) +
                          " requests are not supported by this version of dsr yet; only "
                          "access requests run end to end");
  }
  request.type = *type;
  for (const auto& [attribute, value] : body.at("subject").items()) {
    request.subject[attribute] = value.get<std::string>();
  }
  request.received_on = today;
  if (auto received = OptionalString(body, "received_on")) {
    auto parsed = CivilDate::Parse(*received);
    if (!parsed.ok()) {
      return ValidationError("invalid request", {"received_on: " + parsed.status().message()});
    }
    if (*parsed > today) {
      return ValidationError("invalid request",
                             {"received_on: " + *received + " lies in the future (today is " +
                              today.ToString() + ")"});
    }
    request.received_on = *parsed;
  }
  request.language = OptionalString(body, "language").value_or(default_language);
  request.channel = OptionalString(body, "channel");
  request.note = OptionalString(body, "note");
  return request;
}

Result<PlannedRequest> SubmitRequest(store::Store& store, const Clock& clock,
                                     const deadlines::HolidayCalendar& calendar,
                                     const std::vector<SourceSettings>& sources,
                                     const NewRequest& input, const std::string& actor) {
  PlannedRequest planned;
  store::RequestRecord& request = planned.request;
  request.id = NewUuid();
  request.type = input.type;
  request.status = store::RequestStatus::kReceived;
  request.subject = input.subject;
  request.language = input.language;
  request.channel = input.channel;
  request.note = input.note;
  request.received_on = input.received_on;
  request.due_on = deadlines::DueDate(input.received_on, calendar);
  request.created_at = FormatUtc(clock.Now());
  request.updated_at = request.created_at;

  nlohmann::json planned_sources = nlohmann::json::array();
  for (const auto& source : sources) {
    store::TaskRecord task;
    task.id = NewUuid();
    task.request_id = request.id;
    task.source = source.name;
    task.action = store::TaskAction::kExport;
    task.created_at = request.created_at;
    task.updated_at = request.created_at;
    planned.tasks.push_back(task);
    planned_sources.push_back(source.name);
  }
  auto in_progress = Next(request.status, RequestEvent::kPlan);
  if (!in_progress.ok()) return in_progress.status();

  Status written = store.Write([&](store::StoreWriter& writer) -> Status {
    DSR_RETURN_IF_ERROR(writer.InsertRequest(request));
    // The audit log records what happened, never who it happened to.
    DSR_RETURN_IF_ERROR(
        writer.AppendEvent(Event(request.id, request.created_at, "request.received", actor,
                                 {{"type", store::ToString(request.type)},
                                  {"received_on", request.received_on.ToString()},
                                  {"due_on", request.due_on.ToString()},
                                  {"identities", IdentityKinds(request.subject)}})));
    for (const auto& task : planned.tasks) DSR_RETURN_IF_ERROR(writer.InsertTask(task));
    request.status = *in_progress;
    DSR_RETURN_IF_ERROR(writer.UpdateRequest(request));
    return writer.AppendEvent(Event(request.id, request.created_at,
                                    std::string(AuditKind(RequestEvent::kPlan)), "system",
                                    {{"sources", planned_sources}}));
  });
  if (!written.ok()) return written;
  return planned;
}

}  // namespace dsr::workflow
