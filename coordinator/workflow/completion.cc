#include "coordinator/workflow/completion.h"

#include <nlohmann/json.hpp>
#include <set>
#include <tuple>

#include "coordinator/workflow/lifecycle.h"
#include "coordinator/workflow/spool_reader.h"

namespace dsr::workflow {

namespace {

using DecisionKey = std::tuple<std::string, std::string, int64_t>;

// Applies the latest decision of each reviewed line of one spool file.
Status ApplyDecisions(const store::ResultRecord& result, const DataKeyring* keys,
                      const std::map<DecisionKey, store::ReviewDecisionRecord>& latest,
                      bundle::CollectionInput* collection, Withholding* withheld) {
  return ReadSpool(result.path, keys, 0, result.records, [&](const SpooledRecord& record) {
    const auto found = latest.find({result.task_id, result.collection, record.line});
    const store::ReviewDecisionRecord* decision = found == latest.end() ? nullptr : &found->second;
    if (decision == nullptr) return true;
    switch (decision->decision) {
      case store::ReviewDecision::kExclude:
        collection->excluded_lines.insert(record.line);
        ++(record.ambiguous ? withheld->uncertain : withheld->other_people);
        break;
      case store::ReviewDecision::kInclude:
        collection->accepted_lines.insert(record.line);
        break;
      case store::ReviewDecision::kRedactFields:
        collection->redacted_fields[record.line] =
            std::set<std::string>(decision->fields.begin(), decision->fields.end());
        ++withheld->partly_redacted;
        break;
    }
    return true;
  });
}

}  // namespace

Result<AccessAnswer> BuildAccessAnswer(const store::Store& store,
                                       const std::vector<SourceSettings>& sources,
                                       const std::string& request_id, CivilDate answered_on) {
  auto tasks = store.TasksOfRequest(request_id);
  if (!tasks.ok()) return tasks.status();
  auto results = store.ResultsOfRequest(request_id);
  if (!results.ok()) return results.status();
  auto decisions = store.ReviewDecisionsOf(request_id);
  if (!decisions.ok()) return decisions.status();
  std::map<DecisionKey, store::ReviewDecisionRecord> latest;
  for (const auto& decision : *decisions) {
    latest[{decision.task_id, decision.collection, decision.line}] = decision;
  }

  AccessAnswer answer;
  answer.bundle.request_id = request_id;
  answer.bundle.answered_on = answered_on;
  answer.bundle.keys = store.data_keys();
  for (const auto& source : sources) {
    bundle::SourceInput source_input;
    source_input.name = source.name;
    Withholding& withheld = answer.withheld[source.name];
    for (const auto& task : *tasks) {
      if (task.source != source.name || task.status != store::TaskStatus::kSucceeded) continue;
      for (const auto& result : *results) {
        if (result.task_id != task.id) continue;
        bundle::CollectionInput collection{result.collection, result.path, result.records};
        DSR_RETURN_IF_ERROR(
            ApplyDecisions(result, store.data_keys(), latest, &collection, &withheld));
        source_input.collections.push_back(std::move(collection));
      }
    }
    answer.bundle.sources.push_back(std::move(source_input));
  }
  return answer;
}

Status CompleteRequest(store::Store& store, const Clock& clock, const std::string& request_id,
                       const bundle::BundleSummary& summary) {
  return store.Write([&](store::StoreWriter& writer) -> Status {
    auto request = writer.GetRequest(request_id);
    if (!request.ok()) return request.status();
    auto completed = Next(request->status, RequestEvent::kApprove);
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
    done.kind = std::string(AuditKind(RequestEvent::kApprove));
    done.actor = "system";
    return writer.AppendEvent(done);
  });
}

}  // namespace dsr::workflow
