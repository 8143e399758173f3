#include "coordinator/workflow/lifecycle.h"

#include <doctest/doctest.h>

#include <optional>
#include <string>

namespace dsr::workflow {
namespace {

using store::RequestStatus;
using store::TaskStatus;

constexpr RequestStatus kRequestStates[] = {RequestStatus::kReceived, RequestStatus::kInProgress,
                                            RequestStatus::kCompleted};
constexpr RequestEvent kRequestEvents[] = {RequestEvent::kPlan, RequestEvent::kComplete};
constexpr TaskStatus kTaskStates[] = {TaskStatus::kPending, TaskStatus::kDispatched,
                                      TaskStatus::kRunning, TaskStatus::kSucceeded,
                                      TaskStatus::kFailed};
constexpr TaskEvent kTaskEvents[] = {TaskEvent::kDispatch, TaskEvent::kStart, TaskEvent::kSucceed,
                                     TaskEvent::kFail, TaskEvent::kRequeue};

// The request table as DESIGN.md and lifecycle.h describe it, written out again.
std::optional<RequestStatus> ExpectedNext(RequestStatus from, RequestEvent event) {
  if (from == RequestStatus::kReceived && event == RequestEvent::kPlan) {
    return RequestStatus::kInProgress;
  }
  if (from == RequestStatus::kInProgress && event == RequestEvent::kComplete) {
    return RequestStatus::kCompleted;
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
  }
  return std::nullopt;
}

bool Contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_SUITE("Lifecycle") {
  TEST_CASE("a request moves received → in_progress → completed and nowhere else") {
    int allowed = 0;
    for (RequestStatus from : kRequestStates) {
      for (RequestEvent event : kRequestEvents) {
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
    CHECK(allowed == 2);
  }

  TEST_CASE("a task follows its table; every other pair is a conflict naming state and event") {
    int allowed = 0;
    for (TaskStatus from : kTaskStates) {
      for (TaskEvent event : kTaskEvents) {
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
    CHECK(allowed == 8);
  }

  TEST_CASE("a finished task stays finished") {
    for (TaskStatus done : {TaskStatus::kSucceeded, TaskStatus::kFailed}) {
      for (TaskEvent event : kTaskEvents) CHECK_FALSE(Next(done, event).ok());
    }
  }

  TEST_CASE("events have stable names and audit kinds") {
    CHECK(ToString(RequestEvent::kPlan) == "plan");
    CHECK(ToString(RequestEvent::kComplete) == "complete");
    CHECK(AuditKind(RequestEvent::kPlan) == "request.planned");
    CHECK(AuditKind(RequestEvent::kComplete) == "request.completed");

    CHECK(ToString(TaskEvent::kDispatch) == "dispatch");
    CHECK(ToString(TaskEvent::kStart) == "start");
    CHECK(ToString(TaskEvent::kSucceed) == "succeed");
    CHECK(ToString(TaskEvent::kFail) == "fail");
    CHECK(ToString(TaskEvent::kRequeue) == "requeue");
    CHECK(AuditKind(TaskEvent::kDispatch) == "task.dispatched");
    CHECK(AuditKind(TaskEvent::kStart) == "task.started");
    CHECK(AuditKind(TaskEvent::kSucceed) == "task.succeeded");
    CHECK(AuditKind(TaskEvent::kFail) == "task.failed");
    CHECK(AuditKind(TaskEvent::kRequeue) == "task.requeued");
  }
}

}  // namespace dsr::workflow
