#include "coordinator/api/views.h"

namespace dsr::api {
namespace {

template <typename T>
nlohmann::json OrNull(const std::optional<T>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

}  // namespace

nlohmann::json RequestSummaryView(const store::RequestRecord& request) {
  nlohmann::json view = {{"id", request.id},
                         {"type", store::ToString(request.type)},
                         {"status", store::ToString(request.status)},
                         {"subject", request.subject},
                         {"language", request.language},
                         {"channel", OrNull(request.channel)},
                         {"note", OrNull(request.note)},
                         {"received_on", request.received_on.ToString()},
                         {"due_on", request.due_on.ToString()},
                         {"created_at", request.created_at},
                         {"updated_at", request.updated_at},
                         {"completed_at", OrNull(request.completed_at)},
                         {"bundle", nullptr}};
  if (request.bundle) {
    view["bundle"] = {{"sha256", request.bundle->sha256},
                      {"bytes", request.bundle->bytes},
                      {"url", "/api/v1/requests/" + request.id + "/bundle"}};
  }
  return view;
}

nlohmann::json TaskView(const store::TaskRecord& task) {
  nlohmann::json error = nullptr;
  if (task.error_code) {
    error = {{"code", *task.error_code}, {"message", task.error_message.value_or("")}};
  }
  return {{"id", task.id},
          {"source", task.source},
          {"action", store::ToString(task.action)},
          {"status", store::ToString(task.status)},
          {"attempts", task.attempts},
          {"worker", OrNull(task.worker)},
          {"records", OrNull(task.records)},
          {"error", error},
          {"created_at", task.created_at},
          {"updated_at", task.updated_at}};
}

nlohmann::json EventView(const store::EventRecord& event) {
  nlohmann::json details = nlohmann::json::parse(event.details, nullptr, false);
  if (details.is_discarded()) details = nlohmann::json::object();
  return {{"seq", event.seq},     {"at", event.at},     {"kind", event.kind},
          {"actor", event.actor}, {"details", details}, {"hash", event.hash}};
}

nlohmann::json RequestView(const store::RequestRecord& request,
                           const std::vector<store::TaskRecord>& tasks,
                           const std::vector<store::EventRecord>& events) {
  nlohmann::json view = RequestSummaryView(request);
  view["tasks"] = nlohmann::json::array();
  for (const auto& task : tasks) view["tasks"].push_back(TaskView(task));
  view["events"] = nlohmann::json::array();
  for (const auto& event : events) view["events"].push_back(EventView(event));
  return view;
}

}  // namespace dsr::api
