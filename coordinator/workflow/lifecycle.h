// The lifecycles of a request and of a task as explicit state machines:
// one table of (state, event) → state per lifecycle. Every state change in
// the coordinator goes through Next(), so an illegal change is a kConflict
// with a message that names the state and the event, never a silent write.
//
//   received ─▶ awaiting_identity ─▶ in_progress ─▶ in_review ─▶ completed
//       │              │                  ▲  │           │
//       │              │                  └──┼── revise ─┘
//       └──────────────┴────── rejected / cancelled (from any open state)
//
// Follow-up erasures filed by the engine when a hold ends skip identity and
// review: in_progress ─▶ completed.
// Pure functions; thread-safe.
#pragma once

#include <string_view>

#include "common/status.h"
#include "coordinator/store/model.h"

namespace dsr::workflow {

enum class RequestEvent {
  kAwaitIdentity,     // the identity must be checked before anything else happens
  kPlan,              // tasks were planned for every source (identity confirmed or not needed)
  kSettle,            // every task has succeeded: the agent reviews what was found and done
  kRevise,            // the agent accepted ambiguous records: follow-up tasks run
  kApprove,           // the agent approved; the answer is sealed
  kCompleteFollowUp,  // a follow-up erasure needs no review
  kReject,            // refused (Art. 12(5)), or identity not established
  kCancel,            // withdrawn by the data subject
};

enum class TaskEvent {
  kDispatch,  // handed to a worker
  kStart,     // the worker confirmed it is running the task
  kSucceed,   // the worker reported success and the result is stored
  kFail,      // the worker reported a failure that retrying will not mend
  kRequeue,   // the attempt was lost (worker gone, retryable failure): try again
  kRetry,     // an agent asks to run a failed task again
  kCancel,    // its request was rejected or cancelled
};

std::string_view ToString(RequestEvent event);
std::string_view ToString(TaskEvent event);
// The audit event kind that records a transition: "task.dispatched", "request.completed" …
std::string_view AuditKind(RequestEvent event);
std::string_view AuditKind(TaskEvent event);

Result<store::RequestStatus> Next(store::RequestStatus from, RequestEvent event);
Result<store::TaskStatus> Next(store::TaskStatus from, TaskEvent event);

}  // namespace dsr::workflow
