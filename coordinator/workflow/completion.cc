#include "coordinator/workflow/completion.h"

#include <nlohmann/json.hpp>

#include "coordinator/workflow/lifecycle.h"

namespace dsr::workflow {

Result<bundle::BundleInput> BundleInputFor(const store::Store& store,
                                           const ControllerSettings& controller,
                                           const std::vector<SourceSettings>& sources,
                                           const std::string& request_id, CivilDate answered_on) {
  auto request = store.GetRequest(request_id);
  if (!request.ok()) return request.status();
  auto tasks = store.TasksOfRequest(request_id);
  if (!tasks.ok()) return tasks.status();
  auto results = store.ResultsOfRequest(request_id);
  if (!results.ok()) return results.status();

  bundle::BundleInput input;
  input.letter.request_id = request_id;
  input.letter.language = request->language;
  input.letter.received_on = request->received_on;
  input.letter.answered_on = answered_on;
  input.letter.controller_name = controller.name;
  input.letter.controller_contact = controller.contact;
  for (const auto& source : sources) {
    bundle::SourceInput source_input;
    source_input.name = source.name;
    source_input.title = source.title;
    for (const auto& task : *tasks) {
      if (task.source != source.name) continue;
      for (const auto& result : *results) {
        if (result.task_id != task.id) continue;
        source_input.collections.push_back({result.collection, result.path, result.records});
      }
    }
    input.sources.push_back(std::move(source_input));
  }
  return input;
}

Status CompleteRequest(store::Store& store, const Clock& clock, const std::string& request_id,
                       const bundle::BundleSummary& summary) {
  return store.Write([&](store::StoreWriter& writer) -> Status {
    auto request = writer.GetRequest(request_id);
    if (!request.ok()) return request.status();
    auto completed = Next(request->status, RequestEvent::kComplete);
    if (!completed.ok()) return completed.status();
    const std::string now = FormatUtc(clock.Now());
    request->status = *completed;
    request->updated_at = now;
    request->completed_at = now;
    request->bundle = store::BundleInfo{summary.path, summary.sha256, summary.bytes};
    DSR_RETURN_IF_ERROR(writer.UpdateRequest(*request));
    store::EventRecord built;
    built.request_id = request_id;
    built.at = now;
    built.kind = "bundle.built";
    built.actor = "system";
    built.details = nlohmann::json{{"sha256", summary.sha256},
                                   {"bytes", summary.bytes},
                                   {"files", summary.files},
                                   {"records", summary.records}}
                        .dump();
    DSR_RETURN_IF_ERROR(writer.AppendEvent(built));
    store::EventRecord done;
    done.request_id = request_id;
    done.at = now;
    done.kind = std::string(AuditKind(RequestEvent::kComplete));
    done.actor = "system";
    return writer.AppendEvent(done);
  });
}

}  // namespace dsr::workflow
