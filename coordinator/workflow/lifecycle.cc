#include "coordinator/workflow/lifecycle.h"

namespace dsr::workflow {
namespace {

using store::RequestStatus;
using store::TaskStatus;

struct RequestTransition {
  RequestStatus from;
  RequestEvent event;
  RequestStatus to;
};

constexpr RequestTransition kRequestTransitions[] = {
    {RequestStatus::kReceived, RequestEvent::kAwaitIdentity, RequestStatus::kAwaitingIdentity},
    {RequestStatus::kReceived, RequestEvent::kPlan, RequestStatus::kInProgress},
    {RequestStatus::kAwaitingIdentity, RequestEvent::kPlan, RequestStatus::kInProgress},
    {RequestStatus::kInProgress, RequestEvent::kSettle, RequestStatus::kInReview},
    {RequestStatus::kInReview, RequestEvent::kRevise, RequestStatus::kInProgress},
    {RequestStatus::kInReview, RequestEvent::kApprove, RequestStatus::kCompleted},
    {RequestStatus::kInProgress, RequestEvent::kCompleteFollowUp, RequestStatus::kCompleted},
    {RequestStatus::kReceived, RequestEvent::kReject, RequestStatus::kRejected},
    {RequestStatus::kAwaitingIdentity, RequestEvent::kReject, RequestStatus::kRejected},
    {RequestStatus::kInProgress, RequestEvent::kReject, RequestStatus::kRejected},
    {RequestStatus::kInReview, RequestEvent::kReject, RequestStatus::kRejected},
    {RequestStatus::kReceived, RequestEvent::kCancel, RequestStatus::kCancelled},
    {RequestStatus::kAwaitingIdentity, RequestEvent::kCancel, RequestStatus::kCancelled},
    {RequestStatus::kInProgress, RequestEvent::kCancel, RequestStatus::kCancelled},
    {RequestStatus::kInReview, RequestEvent::kCancel, RequestStatus::kCancelled},
};

struct TaskTransition {
  TaskStatus from;
  TaskEvent event;
  TaskStatus to;
};

constexpr TaskTransition kTaskTransitions[] = {
    {TaskStatus::kPending, TaskEvent::kDispatch, TaskStatus::kDispatched},
    {TaskStatus::kDispatched, TaskEvent::kStart, TaskStatus::kRunning},
    // A RESULT may overtake a lost PROGRESS; the result is what counts.
    {TaskStatus::kDispatched, TaskEvent::kSucceed, TaskStatus::kSucceeded},
    {TaskStatus::kRunning, TaskEvent::kSucceed, TaskStatus::kSucceeded},
    {TaskStatus::kDispatched, TaskEvent::kFail, TaskStatus::kFailed},
    {TaskStatus::kRunning, TaskEvent::kFail, TaskStatus::kFailed},
    {TaskStatus::kDispatched, TaskEvent::kRequeue, TaskStatus::kPending},
    {TaskStatus::kRunning, TaskEvent::kRequeue, TaskStatus::kPending},
    {TaskStatus::kFailed, TaskEvent::kRetry, TaskStatus::kPending},
    {TaskStatus::kPending, TaskEvent::kCancel, TaskStatus::kCancelled},
    {TaskStatus::kDispatched, TaskEvent::kCancel, TaskStatus::kCancelled},
    {TaskStatus::kRunning, TaskEvent::kCancel, TaskStatus::kCancelled},
    {TaskStatus::kFailed, TaskEvent::kCancel, TaskStatus::kCancelled},
};

struct RequestEventName {
  RequestEvent event;
  std::string_view name;
  std::string_view audit_kind;
};

constexpr RequestEventName kRequestEventNames[] = {
    {RequestEvent::kAwaitIdentity, "await identity", "request.awaiting_identity"},
    {RequestEvent::kPlan, "plan", "request.planned"},
    {RequestEvent::kSettle, "go to review", "request.in_review"},
    {RequestEvent::kRevise, "revise", "request.revised"},
    {RequestEvent::kApprove, "be approved", "request.completed"},
    {RequestEvent::kCompleteFollowUp, "complete", "request.completed"},
    {RequestEvent::kReject, "be rejected", "request.rejected"},
    {RequestEvent::kCancel, "be cancelled", "request.cancelled"},
};

struct TaskEventName {
  TaskEvent event;
  std::string_view name;
  std::string_view audit_kind;
};

constexpr TaskEventName kTaskEventNames[] = {
    {TaskEvent::kDispatch, "dispatch", "task.dispatched"},
    {TaskEvent::kStart, "start", "task.started"},
    {TaskEvent::kSucceed, "succeed", "task.succeeded"},
    {TaskEvent::kFail, "fail", "task.failed"},
    {TaskEvent::kRequeue, "requeue", "task.requeued"},
    {TaskEvent::kRetry, "be retried", "task.retried"},
    {TaskEvent::kCancel, "be cancelled", "task.cancelled"},
};

}  // namespace

std::string_view ToString(RequestEvent event) {
  for (const auto& row : kRequestEventNames) {
    if (row.event == event) return row.name;
  }
  return "?";
}

std::string_view ToString(TaskEvent event) {
  for (const auto& row : kTaskEventNames) {
    if (row.event == event) return row.name;
  }
  return "?";
}

std::string_view AuditKind(RequestEvent event) {
  for (const auto& row : kRequestEventNames) {
    if (row.event == event) return row.audit_kind;
  }
  return "request.?";
}

std::string_view AuditKind(TaskEvent event) {
  for (const auto& row : kTaskEventNames) {
    if (row.event == event) return row.audit_kind;
  }
  return "task.?";
}

Result<RequestStatus> Next(RequestStatus from, RequestEvent event) {
  for (const auto& transition : kRequestTransitions) {
    if (transition.from == from && transition.event == event) return transition.to;
  }
  return Conflict("a request that is " + std::string(store::ToString(from)) + " cannot " +
                  std::string(ToString(event)));
}

Result<TaskStatus> Next(TaskStatus from, TaskEvent event) {
  for (const auto& transition : kTaskTransitions) {
    if (transition.from == from && transition.event == event) return transition.to;
  }
  return Conflict("a task that is " + std::string(store::ToString(from)) + " cannot " +
                  std::string(ToString(event)));
}

}  // namespace dsr::workflow
