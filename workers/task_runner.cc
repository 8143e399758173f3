#include "workers/task_runner.h"

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <typeinfo>
#include <vector>

#include "common/log.h"

namespace dsr::workers {
namespace {

wire::Message ResultMessage(const nlohmann::json& task, const std::string& status,
                            const ChunkingSink& sink) {
  wire::Message result;
  result.command = wire::Command::kResult;
  nlohmann::json collections = nlohmann::json::array();
  for (const auto& [name, records] : sink.records_per_collection()) {
    collections.push_back({{"name", name}, {"records", records}});
  }
  result.header = {{"task_id", task.at("task_id")},
                   {"attempt", task.at("attempt")},
                   {"status", status},
                   {"chunks", sink.chunks_sent()},
                   {"collections", collections}};
  return result;
}

// schemas/common.json allows 300 bytes; a longer note is cut, never inside
// a UTF-8 character.
std::string NoteFitForTheWire(const std::string& note) {
  constexpr size_t kMaxNoteBytes = 300;
  if (note.size() <= kMaxNoteBytes) return note;
  size_t end = kMaxNoteBytes;
  while (end > 0 && (static_cast<unsigned char>(note[end]) & 0xC0) == 0x80) --end;
  return note.substr(0, end);
}

nlohmann::json OutcomesJson(const std::vector<connectors::CollectionOutcome>& outcomes) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& outcome : outcomes) {
    nlohmann::json entry = {{"collection", outcome.collection},
                            {"kind", std::string(connectors::ToString(outcome.kind))},
                            {"records", outcome.records}};
    if (outcome.kind == connectors::OutcomeKind::kRetained) {
      entry["retained_until"] = outcome.retained_until.value_or(CivilDate()).ToString();
      entry["legal_basis"] = outcome.legal_basis;
      entry["keys"] = outcome.keys;
    }
    if (!outcome.note.empty()) entry["note"] = NoteFitForTheWire(outcome.note);
    list.push_back(std::move(entry));
  }
  return list;
}

connectors::ActionScope ScopeFrom(const nlohmann::json& task) {
  connectors::ActionScope scope;
  const auto found = task.find("scope");
  if (found == task.end()) return scope;
  scope.mode = found->at("mode") == "only" ? connectors::ActionScope::Mode::kOnly
                                           : connectors::ActionScope::Mode::kSubject;
  scope.retention_ended = found->value("retention_ended", false);
  if (const auto selection = found->find("selection"); selection != found->end()) {
    for (const auto& [collection, keys] : selection->items()) {
      for (const auto& key : keys) scope.selection[collection].insert(key.get<std::string>());
    }
  }
  return scope;
}

using BeforeCommit = std::function<Status(const std::vector<connectors::CollectionOutcome>&)>;

// Runs the task's action. Records go to `sink`; erase and rectify return their
// outcomes through `outcomes`, after passing them to `before_commit`.
Status RunAction(connectors::Connector& connector, const nlohmann::json& task, ChunkingSink& sink,
                 const BeforeCommit& before_commit, nlohmann::json* outcomes) {
  connectors::Subject subject;
  for (const auto& [attribute, value] : task.at("subject").items()) {
    subject[attribute] = value.get<std::string>();
  }
  const std::string action = task.at("action").get<std::string>();
  if (action == "export") return connector.Export(subject, sink);
  connectors::ActionScope scope = ScopeFrom(task);
  scope.before_commit = before_commit;
  Result<std::vector<connectors::CollectionOutcome>> done =
      action == "erase" ? connector.Erase(subject, scope, sink)
                        : connector.Rectify(subject, task.at("corrections"), scope, sink);
  if (!done.ok()) return done.status();
  *outcomes = OutcomesJson(*done);
  return Status::Ok();
}

bool TookEffect(const nlohmann::json& outcome) {
  const std::string kind = outcome.at("kind").get<std::string>();
  return kind == "erased" || kind == "anonymized" || kind == "retained" || kind == "updated";
}

bool IsJournaled(const std::string& action) {
  return action == "erase" || action == "rectify";
}

// The earlier run's outcomes of this task, when the journal has them.
Result<std::optional<OutcomeJournal::Entry>> EarlierRun(OutcomeJournal* journal,
                                                        const nlohmann::json& task) {
  const std::string action = task.at("action").get<std::string>();
  if (journal == nullptr || !IsJournaled(action)) return std::optional<OutcomeJournal::Entry>();
  auto found = journal->Find(task.at("task_id").get<std::string>());
  if (!found.ok() || !found->has_value()) return found;
  if ((*found)->action != action) {
    return Internal("the outcome journal holds a " + (*found)->action + " for this " + action +
                    " task");
  }
  return found;
}

}  // namespace

nlohmann::json MergeOutcomes(const nlohmann::json& earlier, const nlohmann::json& now) {
  std::set<std::string> changed_now;
  for (const auto& outcome : now) {
    if (TookEffect(outcome)) changed_now.insert(outcome.at("collection").get<std::string>());
  }
  std::set<std::string> taken_from_earlier;
  nlohmann::json from_earlier = nlohmann::json::array();
  for (const auto& outcome : earlier) {
    const std::string collection = outcome.at("collection").get<std::string>();
    if (!TookEffect(outcome) || changed_now.count(collection) > 0) continue;
    taken_from_earlier.insert(collection);
    from_earlier.push_back(outcome);
  }
  nlohmann::json merged = nlohmann::json::array();
  for (const auto& outcome : now) {
    if (taken_from_earlier.count(outcome.at("collection").get<std::string>()) == 0) {
      merged.push_back(outcome);
    }
  }
  for (auto& outcome : from_earlier) merged.push_back(std::move(outcome));
  return merged;
}

void RunTask(connectors::Connector& connector, const nlohmann::json& task, const EmitMessage& emit,
             size_t chunk_bytes, OutcomeJournal* journal) {
  const std::string task_id = task.at("task_id").get<std::string>();
  const int attempt = task.at("attempt").get<int>();
  const std::string label = "task " + task_id + " attempt " + std::to_string(attempt) + " (" +
                            task.at("action").get<std::string>() + ")";
  wire::Message progress;
  progress.command = wire::Command::kProgress;
  progress.header = {{"task_id", task_id}, {"attempt", attempt}, {"state", "running"}};
  if (!emit(progress).ok()) return;

  ChunkingSink sink(task_id, attempt, chunk_bytes, emit);
  nlohmann::json outcomes;
  Status status;
  if (journal != nullptr) journal->PruneIfDue();
  // Read before the action runs: a retry must not run without what the
  // earlier run did.
  auto earlier = EarlierRun(journal, task);
  if (!earlier.ok()) status = earlier.status();
  // A connector that commits its change in one transaction lets the journal
  // have the outcomes first: a crash between commit and RESULT is covered too.
  const BeforeCommit journal_first =
      [&](const std::vector<connectors::CollectionOutcome>& planned) -> Status {
    if (journal == nullptr) return Status::Ok();
    nlohmann::json merged = OutcomesJson(planned);
    if (earlier->has_value()) merged = MergeOutcomes((*earlier)->outcomes, merged);
    return journal->Record(task_id, {task.at("action").get<std::string>(), attempt, merged});
  };
  try {
    if (status.ok()) status = RunAction(connector, task, sink, journal_first, &outcomes);
  } catch (const std::exception& error) {
    // Connectors return Status; an exception is a bug. Its text may quote
    // record contents, so only its type is reported.
    status = Internal("the connector failed unexpectedly");
    LogError("task", std::string("connector threw an exception of type ") + typeid(error).name());
  }
  if (status.ok()) status = sink.Flush();
  if (status.ok() && earlier->has_value()) {
    LogInfo("task", label + " is a retry; merging the outcomes of attempt " +
                        std::to_string((*earlier)->attempt));
    outcomes = MergeOutcomes((*earlier)->outcomes, outcomes);
  }
  if (status.ok() && journal != nullptr && !outcomes.is_null()) {
    // Durable before the RESULT leaves: if it is lost, the retry finds it.
    status = journal->Record(task_id, {task.at("action").get<std::string>(), attempt, outcomes});
  }
  if (status.ok()) {
    wire::Message succeeded = ResultMessage(task, "succeeded", sink);
    if (!outcomes.is_null()) succeeded.header["outcomes"] = std::move(outcomes);
    (void)emit(succeeded);
    LogInfo("task", label + " succeeded, " + std::to_string(sink.chunks_sent()) + " chunks");
    return;
  }
  LogWarn("task", label + " failed: " + status.ToString());
  wire::Message failed = ResultMessage(task, "failed", sink);
  std::string message = status.message();
  if (message.size() > 4000) message.resize(4000);
  failed.header["error"] = {{"code", StatusCodeName(status.code())}, {"message", message}};
  (void)emit(failed);
}

}  // namespace dsr::workers
