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
    {RequestStatus::kReceived, RequestEvent::kPlan, RequestStatus::kInProgress},
    {RequestStatus::kInProgress, RequestEvent::kComplete, RequestStatus::kCompleted},
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
};

}  // namespace

std::string_view ToString(RequestEvent event) {
  switch (event) {
    case RequestEvent::kPlan:
      return "plan";
    case RequestEvent::kComplete:
      return "complete";
  }
  return "?";
}

std::string_view ToString(TaskEvent event) {
  switch (event) {
    case TaskEvent::kDispatch:
      return "dispatch";
    case TaskEvent::kStart:
      return "start";
    case TaskEvent::kSucceed:
      return "succeed";
    case TaskEvent::kFail:
      return "fail";
    case TaskEvent::kRequeue:
      return "requeue";
  }
  return "?";
}

std::string_view AuditKind(RequestEvent event) {
  switch (event) {
    case RequestEvent::kPlan:
      return "request.planned";
    case RequestEvent::kComplete:
      return "request.completed";
  }
  return "request.?";
}

std::string_view AuditKind(TaskEvent event) {
  switch (event) {
    case TaskEvent::kDispatch:
      return "task.dispatched";
    case TaskEvent::kStart:
      return "task.started";
    case TaskEvent::kSucceed:
      return "task.succeeded";
    case TaskEvent::kFail:
      return "task.failed";
    case TaskEvent::kRequeue:
      return "task.requeued";
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
