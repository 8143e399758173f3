#include "coordinator/api/views.h"

#include "coordinator/reporting/request_facts.h"

namespace dsr::api {
namespace {

template <typename T>
nlohmann::json OrNull(const std::optional<T>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

nlohmann::json DateOrNull(const std::optional<CivilDate>& date) {
  return date ? nlohmann::json(date->ToString()) : nlohmann::json(nullptr);
}

// The next step of a request in plain words, for agents.
std::string NextStep(const store::RequestRecord& request) {
  using store::RequestStatus;
  if (request.paused_since) return "waiting for the data subject's answer (clock paused)";
  switch (request.status) {
    case RequestStatus::kReceived:
      return "planning";
    case RequestStatus::kAwaitingIdentity:
      return "check the data subject's identity";
    case RequestStatus::kInProgress:
      return "wait for the sources";
    case RequestStatus::kInReview:
      return request.approved_at ? "sealing the answer" : "review what was found, then approve";
    default:
      return "none";
  }
}

// Where an open request stands against its effective due date (the extended
// one once extended); null once closed.
nlohmann::json DeadlineStandingView(const store::RequestRecord& request,
                                    const DeadlineContext& deadlines) {
  using store::RequestStatus;
  if (request.status == RequestStatus::kCompleted || request.status == RequestStatus::kRejected ||
      request.status == RequestStatus::kCancelled) {
    return nullptr;
  }
  const auto standing = reporting::StandingOn(request, deadlines.today,
                                              {deadlines.pause_mode, deadlines.due_soon_days});
  return {{"days_left", standing.days_left},
          {"state", std::string(deadlines::DeadlineStateName(standing.state))},
          {"clock", standing.clock_paused ? "paused" : "running"}};
}

// The extension of the deadline (Art. 12(3)): when, why, and the notice to
// the data subject once written; null while not extended.
nlohmann::json ExtensionView(const store::RequestRecord& request) {
  if (!request.extended_due_on) return nullptr;
  nlohmann::json letter = nullptr;
  if (request.extension_letter_path)
    letter = {{"url", "/api/v1/requests/" + request.id + "/extension-letter"}};
  return {{"at", OrNull(request.extended_at)},
          {"reason", OrNull(request.extension_reason)},
          {"letter", letter}};
}

}  // namespace

nlohmann::json RequestSummaryView(const store::RequestRecord& request,
                                  const DeadlineContext& deadlines) {
  nlohmann::json view = {{"id", request.id},
                         {"type", store::ToString(request.type)},
                         {"status", store::ToString(request.status)},
                         {"origin", store::ToString(request.origin)},
                         {"follow_up_of", OrNull(request.follow_up_of)},
                         {"subject", request.subject},
                         {"language", request.language},
                         {"channel", OrNull(request.channel)},
                         {"note", OrNull(request.note)},
                         {"received_on", request.received_on.ToString()},
                         {"due_on", request.due_on.ToString()},
                         {"extended_due_on", DateOrNull(request.extended_due_on)},
                         {"extension", ExtensionView(request)},
                         {"paused", request.paused_since.has_value()},
                         {"paused_since", DateOrNull(request.paused_since)},
                         {"paused_days", request.paused_days},
                         {"deadline", DeadlineStandingView(request, deadlines)},
                         {"created_at", request.created_at},
                         {"updated_at", request.updated_at},
                         {"approved_at", OrNull(request.approved_at)},
                         {"completed_at", OrNull(request.completed_at)},
                         {"closing_ground", OrNull(request.closing_ground)},
                         {"closing_reason", OrNull(request.closing_reason)},
                         {"next_step", NextStep(request)},
                         {"bundle", nullptr},
                         {"letter", nullptr}};
  if (request.corrections) view["corrections"] = nlohmann::json::parse(*request.corrections);
  view["consistency"] = request.consistency
                            ? nlohmann::json::parse(*request.consistency, nullptr, false)
                            : nlohmann::json::array();
  if (view["consistency"].is_discarded()) view["consistency"] = nlohmann::json::array();
  if (request.bundle) {
    view["bundle"] = {{"sha256", request.bundle->sha256},
                      {"bytes", request.bundle->bytes},
                      {"url", "/api/v1/requests/" + request.id + "/bundle"}};
  }
  if (request.letter_path) view["letter"] = {{"url", "/api/v1/requests/" + request.id + "/letter"}};
  return view;
}

Result<RequestDetails> LoadRequestDetails(const store::Store& store, const std::string& id) {
  RequestDetails details;
  auto request = store.GetRequest(id);
  if (!request.ok()) return request.status();
  details.request = std::move(request.value());
  auto tasks = store.TasksOfRequest(id);
  auto events = store.EventsOfRequest(id);
  auto outcomes = store.OutcomesOfRequest(id);
  auto checks = store.IdentityChecksOf(id);
  auto pauses = store.PausesOf(id);
  auto decisions = store.ReviewDecisionsOf(id);
  auto holds = store.ListHolds({std::nullopt, id, 1000});
  for (const Status* status :
       {&tasks.status(), &events.status(), &outcomes.status(), &checks.status(), &pauses.status(),
        &decisions.status(), &holds.status()}) {
    if (!status->ok()) return *status;
  }
  details.tasks = std::move(tasks.value());
  details.events = std::move(events.value());
  details.outcomes = std::move(outcomes.value());
  details.identity_checks = std::move(checks.value());
  details.pauses = std::move(pauses.value());
  details.decisions = std::move(decisions.value());
  details.holds = std::move(holds.value());
  return details;
}

nlohmann::json TaskView(const store::TaskRecord& task,
                        const std::vector<store::OutcomeRecord>& outcomes) {
  nlohmann::json error = nullptr;
  if (task.error_code) {
    error = {{"code", *task.error_code}, {"message", task.error_message.value_or("")}};
  }
  nlohmann::json task_outcomes = nlohmann::json::array();
  for (const auto& outcome : outcomes) {
    if (outcome.task_id != task.id) continue;
    task_outcomes.push_back({{"collection", outcome.collection},
                             {"outcome", outcome.kind},
                             {"records", outcome.records},
                             {"retained_until", DateOrNull(outcome.retained_until)},
                             {"legal_basis", OrNull(outcome.legal_basis)},
                             {"note", OrNull(outcome.note)}});
  }
  return {{"id", task.id},
          {"source", task.source},
          {"action", store::ToString(task.action)},
          {"round", task.round},
          {"status", store::ToString(task.status)},
          {"attempts", task.attempts},
          {"worker", OrNull(task.worker)},
          {"records", OrNull(task.records)},
          {"outcomes", task_outcomes},
          {"error", error},
          {"created_at", task.created_at},
          {"updated_at", task.updated_at}};
}

nlohmann::json EventView(const store::EventRecord& event) {
  nlohmann::json details = nlohmann::json::parse(event.details, nullptr, false);
  if (details.is_discarded()) details = nlohmann::json::object();
  return {{"seq", event.seq},     {"at", event.at},     {"kind", event.kind},
          {"actor", event.actor}, {"details", details}, {"prev_hash", event.prev_hash},
          {"hash", event.hash}};
}

nlohmann::json NotificationView(const store::NotificationRecord& notification) {
  auto facts = nlohmann::json::parse(notification.payload, nullptr, false);
  const bool pending = notification.status == store::NotificationStatus::kPending;
  return {{"id", notification.id},
          {"event", notification.event_key},
          {"kind", notification.kind},
          {"channel", notification.channel},
          {"request_id", OrNull(notification.request_id)},
          {"status", store::ToString(notification.status)},
          {"attempts", notification.attempts},
          {"next_attempt_at", pending ? nlohmann::json(notification.next_attempt_at) : nullptr},
          {"last_error", OrNull(notification.last_error)},
          {"created_at", notification.created_at},
          {"sent_at", OrNull(notification.sent_at)},
          {"facts", facts.is_object() ? facts : nlohmann::json::object()}};
}

nlohmann::json HoldView(const store::HoldRecord& hold) {
  return {{"id", hold.id},
          {"request_id", hold.request_id},
          {"source", hold.source},
          {"collection", hold.collection},
          {"records", hold.keys.size()},
          {"retained_until", hold.retained_until.ToString()},
          {"legal_basis", hold.legal_basis},
          {"status", store::ToString(hold.status)},
          {"follow_up_request_id", OrNull(hold.follow_up_request_id)},
          {"created_at", hold.created_at}};
}

nlohmann::json DecisionView(const store::ReviewDecisionRecord& decision) {
  return {{"id", decision.id},
          {"task_id", decision.task_id},
          {"collection", decision.collection},
          {"line", decision.line},
          {"key", OrNull(decision.record_key)},
          {"decision", store::ToString(decision.decision)},
          {"fields", decision.fields},
          {"reason", decision.reason},
          {"actor", decision.actor},
          {"at", decision.at}};
}

nlohmann::json RequestView(const RequestDetails& details, const DeadlineContext& deadlines) {
  nlohmann::json view = RequestSummaryView(details.request, deadlines);
  view["tasks"] = nlohmann::json::array();
  for (const auto& task : details.tasks) view["tasks"].push_back(TaskView(task, details.outcomes));
  view["identity_checks"] = nlohmann::json::array();
  for (const auto& check : details.identity_checks) {
    view["identity_checks"].push_back({{"at", check.at},
                                       {"actor", check.actor},
                                       {"method", check.method},
                                       {"outcome", check.outcome},
                                       {"note", OrNull(check.note)}});
  }
  view["pauses"] = nlohmann::json::array();
  for (const auto& pause : details.pauses) {
    view["pauses"].push_back({{"started_on", pause.started_on.ToString()},
                              {"ended_on", DateOrNull(pause.ended_on)},
                              {"reason", pause.reason},
                              {"actor", pause.actor}});
  }
  view["decisions"] = nlohmann::json::array();
  for (const auto& decision : details.decisions)
    view["decisions"].push_back(DecisionView(decision));
  view["holds"] = nlohmann::json::array();
  for (const auto& hold : details.holds) view["holds"].push_back(HoldView(hold));
  view["events"] = nlohmann::json::array();
  for (const auto& event : details.events) view["events"].push_back(EventView(event));
  return view;
}

}  // namespace dsr::api
