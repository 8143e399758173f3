// TaskFlow: every state change of tasks, from planning to the stored result.
//
// Keeps the queue of pending tasks per source in memory (rebuilt from the
// store by Recover()) and writes each change to the store in one transaction
// with its audit event before anything is sent, so that after a crash the
// store says what to do again. Messages for an attempt that is no longer
// current (an old attempt, another worker) are refused with kConflict and
// change nothing. Not thread-safe: owned by the engine thread.
//
// Liveness: an attempt times out when no message for it (PROGRESS, CHUNK)
// arrived within its source's time-out, counted on the monotonic clock from
// the dispatch and from each such message. A timed-out, lost or retryably
// failed attempt is abandoned (later messages for it are stale) and the task
// waits out a back-off with jitter (RetryDelay) before it is handed out
// again, until it used up max_attempts and fails. The back-off's end is
// stored with the task, so a restart keeps it.
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
#include "coordinator/workflow/settings.h"

namespace dsr::workflow {

// Who runs an attempt: the broker's routing id (to match replies) and the
// name the worker announced (for the record).
struct WorkerRef {
  std::string routing_id;
  std::string name;
};

// How long a task waits before retry `retry` (1 for the first retry): between
// half and all of min(backoff_max, backoff_base · 2^(retry-1)), placed by
// `unit` in [0, 1).
std::chrono::milliseconds RetryDelay(const RetryPolicy& policy, int retry, double unit);

// CHUNKs a worker may send for an attempt before the first CREDIT: the
// coordinator answers each chunk written to the spool with a CREDIT of one,
// so at most this many chunks of an attempt are ever on their way.
inline constexpr int kInitialChunkCredit = 8;

class TaskFlow {
 public:
  TaskFlow(store::Store& store, const Clock& clock, ResultSpool& spool, RetryPolicy policy);

  // Queues every pending task, and puts tasks that were dispatched or running
  // when the previous process ended back to pending: their attempts died with it.
  Status Recover();
  // Queues newly planned tasks.
  void Enqueue(const std::vector<store::TaskRecord>& tasks);

  // Sources with a task that may be handed out now (its back-off is over).
  std::vector<std::string> SourcesWithPendingTasks() const;
  // Queued tasks, those still waiting out a back-off included.
  size_t pending_count() const;
  // Queued tasks still waiting out a back-off.
  size_t backing_off_count() const;
  // Current attempts (dispatched or running).
  size_t in_flight_count() const { return in_flight_.size(); }

  // Marks the oldest pending task of `source` whose back-off is over as
  // dispatched to `worker` and returns its TASK message. kNotFound when the
  // source has nothing to hand out now.
  struct Dispatch {
    std::string task_id;
    int attempt = 0;
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
  // Attempt `attempt` of `task_id` is lost (worker gone, send failed): if it
  // is still the current one, the task goes back to the queue after its
  // back-off, or fails once it used up its attempts. An abandoned attempt
  // changes nothing.
  Status Requeue(const std::string& task_id, int attempt, const std::string& reason);
  // Gives up every attempt whose time-out has passed (see above). Returns
  // the attempts given up; their workers stay busy with them until they
  // answer or go away.
  struct TimedOut {
    std::string task_id;
    int attempt = 0;
    WorkerRef worker;
  };
  std::vector<TimedOut> ExpireAttempts();
  // Commits again the results that arrived while the store was away (their
  // attempts wait, neither timed out nor requeued). Returns the ids of the
  // requests whose tasks have now all succeeded.
  std::vector<std::string> CommitReceivedResults();
  // The earliest instant at which an attempt times out or a back-off ends;
  // none when nothing is in flight or backing off.
  std::optional<Clock::MonotonicTime> NextDeadline() const;
  // Drops cancelled tasks from the queue and stops listening to their attempts.
  void Forget(const std::vector<std::string>& task_ids);

 private:
  // A successful RESULT, checked and spooled, as it goes into the store.
  struct ReceivedResult {
    int64_t records = 0;
    std::vector<store::ResultRecord> results;
    std::vector<store::OutcomeRecord> outcomes;
    std::vector<store::HoldRecord> holds;
  };
  struct InFlight {
    std::string request_id;
    std::string source;
    int attempt = 0;
    WorkerRef worker;
    // Time-out unless a message comes first; with `received`, when the
    // commit is tried again.
    Clock::MonotonicTime deadline{};
    std::optional<ReceivedResult> received{};  // arrived, not yet committed
  };
  struct Queued {
    std::string task_id;
    Clock::MonotonicTime not_before{};  // end of its back-off
  };
  Result<Dispatch> DispatchTask(const std::string& task_id, const WorkerRef& worker);
  Result<InFlight*> CurrentAttempt(const WorkerRef& worker, const nlohmann::json& header);
  // Commits `flight.received` with the task's success; true when all tasks
  // of the request have now succeeded. When the store is away the result is
  // kept and tried again (kUnavailable).
  Result<bool> CommitResult(const std::string& task_id, InFlight& flight);
  Status FailOrRetry(const std::string& task_id, InFlight flight, const std::string& code,
                     const std::string& message);
  Status StoreHold(store::StoreWriter& writer, const store::TaskRecord& task,
                   store::HoldRecord hold, const std::string& worker_name);
  Status Transition(store::StoreWriter& writer, store::TaskRecord& task, TaskEvent event,
                    const std::string& actor, nlohmann::json details);

  store::Store& store_;
  const Clock& clock_;
  ResultSpool& spool_;
  RetryPolicy policy_;
  std::map<std::string, std::deque<Queued>> pending_;  // by source, oldest first
  std::map<std::string, InFlight> in_flight_;          // task id → current attempt
};

}  // namespace dsr::workflow
