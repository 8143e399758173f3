#include "coordinator/workflow/lifecycle.h"

#include <doctest/doctest.h>

#include <optional>
#include <string>

namespace dsr::workflow {
namespace {

using store::RequestStatus;
using store::TaskStatus;

constexpr RequestStatus kRequestStates[] = {
    RequestStatus::kReceived, RequestStatus::kAwaitingIdentity, RequestStatus::kInProgress,
    RequestStatus::kInReview, RequestStatus::kCompleted,        RequestStatus::kRejected,
    RequestStatus::kCancelled};
constexpr RequestEvent kRequestEvents[] = {
    RequestEvent::kAwaitIdentity, RequestEvent::kPlan,    RequestEvent::kSettle,
    RequestEvent::kRevise,        RequestEvent::kApprove, RequestEvent::kCompleteFollowUp,
    RequestEvent::kReject,        RequestEvent::kCancel};
constexpr TaskStatus kTaskStates[] = {TaskStatus::kPending, TaskStatus::kDispatched,
                                      TaskStatus::kRunning, TaskStatus::kSucceeded,
                                      TaskStatus::kFailed,  TaskStatus::kCancelled};
constexpr TaskEvent kTaskEvents[] = {TaskEvent::kDispatch, TaskEvent::kStart,   TaskEvent::kSucceed,
                                     TaskEvent::kFail,     TaskEvent::kRequeue, TaskEvent::kRetry,
                                     TaskEvent::kCancel};

// The request lifecycle of DESIGN.md and lifecycle.h, written out again.
std::optional<RequestStatus> ExpectedNext(RequestStatus from, RequestEvent event) {
  const bool open = !store::IsFinal(from);
  switch (event) {
    case RequestEvent::kAwaitIdentity:
      if (from == RequestStatus::kReceived) return RequestStatus::kAwaitingIdentity;
      break;
    case RequestEvent::kPlan:
      if (from == RequestStatus::kReceived || from == RequestStatus::kAwaitingIdentity) {
        return RequestStatus::kInProgress;
      }
      break;
    case RequestEvent::kSettle:
      if (from == RequestStatus::kInProgress) return RequestStatus::kInReview;
      break;
    case RequestEvent::kRevise:
      if (from == RequestStatus::kInReview) return RequestStatus::kInProgress;
      break;
    case RequestEvent::kApprove:
      if (from == RequestStatus::kInReview) return RequestStatus::kCompleted;
      break;
    case RequestEvent::kCompleteFollowUp:
      if (from == RequestStatus::kInProgress) return RequestStatus::kCompleted;
      break;
    case RequestEvent::kReject:
      if (open) return RequestStatus::kRejected;
      break;
    case RequestEvent::kCancel:
      if (open) return RequestStatus::kCancelled;
      break;
  }
  return std::nullopt;
}

std::optional<TaskStatus> ExpectedNext(TaskStatus from, TaskEvent event) {
  const bool attempt_open = from == TaskStatus::kDispatched || from == TaskStatus::kRunning;
  switch (event) {
    case TaskEvent::kDispatch:
      if (from == TaskStatus::kPending) return TaskStatus::kDispatched;
      break;
    case TaskEvent::kStart:
      if (from == TaskStatus::kDispatched) return TaskStatus::kRunning;
      break;
    case TaskEvent::kSucceed:
      if (attempt_open) return TaskStatus::kSucceeded;
      break;
    case TaskEvent::kFail:
      if (attempt_open) return TaskStatus::kFailed;
      break;
    case TaskEvent::kRequeue:
      if (attempt_open) return TaskStatus::kPending;
      break;
    case TaskEvent::kRetry:
      if (from == TaskStatus::kFailed) return TaskStatus::kPending;
      break;
    case TaskEvent::kCancel:
      if (attempt_open || from == TaskStatus::kPending || from == TaskStatus::kFailed) {
        return TaskStatus::kCancelled;
      }
      break;
  }
  return std::nullopt;
}

bool Contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

template <typename State, typename Event, size_t S, size_t E>
int CheckTable(const State (&states)[S], const Event (&events)[E]) {
  int allowed = 0;
  for (State from : states) {
    for (Event event : events) {
      const std::string pair =
          std::string(store::ToString(from)) + " + " + std::string(ToString(event));
      CAPTURE(pair);
      const auto expected = ExpectedNext(from, event);
      const auto next = Next(from, event);
      if (expected) {
        ++allowed;
        REQUIRE(next.ok());
        CHECK(*next == *expected);
      } else {
        REQUIRE_FALSE(next.ok());
        CHECK(next.status().code() == StatusCode::kConflict);
        CHECK(Contains(next.status().message(), store::ToString(from)));
        CHECK(Contains(next.status().message(), ToString(event)));
      }
    }
  }
  return allowed;
}

}  // namespace

TEST_SUITE("Lifecycle") {
  TEST_CASE("a request follows its table; every other pair is a conflict naming state and event") {
    CHECK(CheckTable(kRequestStates, kRequestEvents) == 15);
  }

  TEST_CASE("a task follows its table; every other pair is a conflict naming state and event") {
    CHECK(CheckTable(kTaskStates, kTaskEvents) == 13);
  }

  TEST_CASE("closed requests and finished tasks change no more") {
    for (RequestStatus closed :
         {RequestStatus::kCompleted, RequestStatus::kRejected, RequestStatus::kCancelled}) {
      CHECK(store::IsFinal(closed));
      for (RequestEvent event : kRequestEvents) CHECK_FALSE(Next(closed, event).ok());
    }
    for (TaskStatus done : {TaskStatus::kSucceeded, TaskStatus::kCancelled}) {
      for (TaskEvent event : kTaskEvents) CHECK_FALSE(Next(done, event).ok());
    }
  }

  TEST_CASE("events have stable audit kinds") {
    CHECK(AuditKind(RequestEvent::kAwaitIdentity) == "request.awaiting_identity");
    CHECK(AuditKind(RequestEvent::kPlan) == "request.planned");
    CHECK(AuditKind(RequestEvent::kSettle) == "request.in_review");
    CHECK(AuditKind(RequestEvent::kRevise) == "request.revised");
    CHECK(AuditKind(RequestEvent::kApprove) == "request.completed");
    CHECK(AuditKind(RequestEvent::kCompleteFollowUp) == "request.completed");
    CHECK(AuditKind(RequestEvent::kReject) == "request.rejected");
    CHECK(AuditKind(RequestEvent::kCancel) == "request.cancelled");
    CHECK(AuditKind(TaskEvent::kDispatch) == "task.dispatched");
    CHECK(AuditKind(TaskEvent::kStart) == "task.started");
    CHECK(AuditKind(TaskEvent::kSucceed) == "task.succeeded");
    CHECK(AuditKind(TaskEvent::kFail) == "task.failed");
    CHECK(AuditKind(TaskEvent::kRequeue) == "task.requeued");
    CHECK(AuditKind(TaskEvent::kRetry) == "task.retried");
    CHECK(AuditKind(TaskEvent::kCancel) == "task.cancelled");
  }
}

}  // namespace dsr::workflow
