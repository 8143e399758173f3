#include "workers/task_runner.h"

#include <nlohmann/json.hpp>
#include <typeinfo>

#include "common/log.h"

namespace dsr::workers {
namespace {

wire::Message Result(const nlohmann::json& task, const std::string& status, int64_t chunks,
                     const std::map<std::string, int64_t>& counts) {
  wire::Message result;
  result.command = wire::Command::kResult;
  nlohmann::json collections = nlohmann::json::array();
  for (const auto& [name, records] : counts) {
    collections.push_back({{"name", name}, {"records", records}});
  }
  result.header = {{"task_id", task.at("task_id")},
                   {"attempt", task.at("attempt")},
                   {"status", status},
                   {"chunks", chunks},
                   {"collections", collections}};
  return result;
}

}  // namespace

void RunTask(connectors::Connector& connector, const nlohmann::json& task, const EmitMessage& emit,
             size_t chunk_bytes) {
  const std::string task_id = task.at("task_id").get<std::string>();
  const int attempt = task.at("attempt").get<int>();
  wire::Message progress;
  progress.command = wire::Command::kProgress;
  progress.header = {{"task_id", task_id}, {"attempt", attempt}, {"state", "running"}};
  if (!emit(progress).ok()) return;

  connectors::Subject subject;
  for (const auto& [attribute, value] : task.at("subject").items()) {
    subject[attribute] = value.get<std::string>();
  }
  ChunkingSink sink(task_id, attempt, chunk_bytes, emit);
  Status status;
  try {
    status = connector.Export(subject, sink);
  } catch (const std::exception& error) {
    // Connectors return Status; an exception is a bug. Its text may quote
    // record contents, so only its type is reported.
    status = Internal("the connector failed unexpectedly");
    LogError("task", std::string("connector threw an exception of type ") + typeid(error).name());
  }
  if (status.ok()) status = sink.Flush();
  if (status.ok()) {
    (void)emit(Result(task, "succeeded", sink.chunks_sent(), sink.records_per_collection()));
    LogInfo("task", "task " + task_id + " attempt " + std::to_string(attempt) + " exported " +
                        std::to_string(sink.chunks_sent()) + " chunks");
    return;
  }
  LogWarn("task", "task " + task_id + " attempt " + std::to_string(attempt) +
                      " failed: " + status.ToString());
  wire::Message failed = Result(task, "failed", sink.chunks_sent(), sink.records_per_collection());
  std::string message = status.message();
  if (message.size() > 4000) message.resize(4000);
  failed.header["error"] = {{"code", StatusCodeName(status.code())}, {"message", message}};
  (void)emit(failed);
}

}  // namespace dsr::workers
