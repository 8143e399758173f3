// TaskFlow: every state change of tasks, from planning to the stored result.
//
// Keeps the queue of pending tasks per source in memory (rebuilt from the
// store by Recover()) and writes each change to the store in one transaction
// with its audit event before anything is sent, so that after a crash the
// store says what to do again. Messages for an attempt that is no longer
// current (an old attempt, another worker) are refused with kConflict and
// change nothing. Not thread-safe: owned by the engine thread.
#pragma once

#include <deque>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "common/wire.h"
#include "coordinator/store/store.h"
#include "coordinator/workflow/lifecycle.h"
#include "coordinator/workflow/result_spool.h"

namespace dsr::workflow {

// Who runs an attempt: the broker's routing id (to match replies) and the
// name the worker announced (for the record).
struct WorkerRef {
  std::string routing_id;
  std::string name;
};

// CHUNKs a worker may send for an attempt before the first CREDIT: the
// coordinator answers each chunk written to the spool with a CREDIT of one,
// so at most this many chunks of an attempt are ever on their way.
inline constexpr int kInitialChunkCredit = 8;

class TaskFlow {
 public:
  TaskFlow(store::Store& store, const Clock& clock, ResultSpool& spool, int max_attempts);

  // Queues every pending task, and puts tasks that were dispatched or running
  // when the previous process ended back to pending: their attempts died with it.
  Status Recover();
  // Queues newly planned tasks.
  void Enqueue(const std::vector<store::TaskRecord>& tasks);

  std::vector<std::string> SourcesWithPendingTasks() const;
  size_t pending_count() const;

  // Marks the oldest pending task of `source` as dispatched to `worker` and
  // returns its TASK message. kNotFound when the source has nothing pending.
  struct Dispatch {
    std::string task_id;
    wire::Message message;
  };
  Result<Dispatch> DispatchNext(const std::string& source, const WorkerRef& worker);

  Status Started(const WorkerRef& worker, const nlohmann::json& progress);
  // Writes a CHUNK to the spool; when it returns ok, the worker is owed a
  // CREDIT of one for the attempt.
  Status Chunk(const WorkerRef& worker, const nlohmann::json& header, const std::string& payload);
  // Stores the outcome. Returns the request id when all its tasks have now
  // succeeded (the request is ready for its bundle).
  Result<std::optional<std::string>> Finished(const WorkerRef& worker,
                                              const nlohmann::json& result);
  // The current attempt of `task_id` is lost (worker gone, send failed): the
  // task goes back to the queue, or fails once it used up its attempts.
  Status Requeue(const std::string& task_id, const std::string& reason);
  // Drops cancelled tasks from the queue and stops listening to their attempts.
  void Forget(const std::vector<std::string>& task_ids);

 private:
  struct InFlight {
    std::string request_id;
    std::string source;
    int attempt = 0;
    WorkerRef worker;
  };
  Result<Dispatch> DispatchTask(const std::string& task_id, const WorkerRef& worker);
  Result<InFlight*> CurrentAttempt(const WorkerRef& worker, const nlohmann::json& header);
  Status FailOrRetry(const std::string& task_id, InFlight flight, const std::string& code,
                     const std::string& message);
  Status StoreHold(store::StoreWriter& writer, const store::TaskRecord& task,
                   store::HoldRecord hold, const std::string& worker_name);
  Status Transition(store::StoreWriter& writer, store::TaskRecord& task, TaskEvent event,
                    const std::string& actor, nlohmann::json details);

  store::Store& store_;
  const Clock& clock_;
  ResultSpool& spool_;
  int max_attempts_;
  std::map<std::string, std::deque<std::string>> pending_;  // source → task ids, oldest first
  std::map<std::string, InFlight> in_flight_;               // task id → current attempt
};

}  // namespace dsr::workflow
