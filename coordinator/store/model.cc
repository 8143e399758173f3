#include "coordinator/store/model.h"

#include <array>
#include <utility>

#include "common/digest.h"

namespace dsr::store {
namespace {

template <typename Enum, size_t N>
using Names = std::array<std::pair<Enum, std::string_view>, N>;

constexpr Names<RequestType, 3> kRequestTypes{{{RequestType::kAccess, "access"},
                                               {RequestType::kRectification, "rectification"},
                                               {RequestType::kErasure, "erasure"}}};
constexpr Names<RequestStatus, 7> kRequestStatuses{
    {{RequestStatus::kReceived, "received"},
     {RequestStatus::kAwaitingIdentity, "awaiting_identity"},
     {RequestStatus::kInProgress, "in_progress"},
     {RequestStatus::kInReview, "in_review"},
     {RequestStatus::kCompleted, "completed"},
     {RequestStatus::kRejected, "rejected"},
     {RequestStatus::kCancelled, "cancelled"}}};
constexpr Names<TaskStatus, 6> kTaskStatuses{{{TaskStatus::kPending, "pending"},
                                              {TaskStatus::kDispatched, "dispatched"},
                                              {TaskStatus::kRunning, "running"},
                                              {TaskStatus::kSucceeded, "succeeded"},
                                              {TaskStatus::kFailed, "failed"},
                                              {TaskStatus::kCancelled, "cancelled"}}};
constexpr Names<TaskAction, 3> kTaskActions{{{TaskAction::kExport, "export"},
                                             {TaskAction::kErase, "erase"},
                                             {TaskAction::kRectify, "rectify"}}};
constexpr Names<RequestOrigin, 2> kOrigins{
    {{RequestOrigin::kAgent, "agent"}, {RequestOrigin::kHold, "hold"}}};
constexpr Names<ReviewDecision, 3> kDecisions{{{ReviewDecision::kExclude, "exclude"},
                                               {ReviewDecision::kInclude, "include"},
                                               {ReviewDecision::kRedactFields, "redact_fields"}}};
constexpr Names<HoldStatus, 2> kHoldStatuses{
    {{HoldStatus::kActive, "active"}, {HoldStatus::kEnded, "ended"}}};
constexpr Names<NotificationStatus, 2> kNotificationStatuses{
    {{NotificationStatus::kPending, "pending"}, {NotificationStatus::kSent, "sent"}}};

template <typename Enum, size_t N>
std::string_view NameOf(const Names<Enum, N>& names, Enum value) {
  for (const auto& [candidate, name] : names) {
    if (candidate == value) return name;
  }
  return "?";
}

template <typename Enum, size_t N>
Result<Enum> Parse(const Names<Enum, N>& names, std::string_view text, const char* what) {
  for (const auto& [value, name] : names) {
    if (name == text) return value;
  }
  return InvalidArgument(std::string("unknown ") + what + " '" + std::string(text) + "'");
}

}  // namespace

std::string_view ToString(RequestType type) {
  return NameOf(kRequestTypes, type);
}
std::string_view ToString(RequestStatus status) {
  return NameOf(kRequestStatuses, status);
}
std::string_view ToString(TaskStatus status) {
  return NameOf(kTaskStatuses, status);
}
std::string_view ToString(TaskAction action) {
  return NameOf(kTaskActions, action);
}
std::string_view ToString(RequestOrigin origin) {
  return NameOf(kOrigins, origin);
}
std::string_view ToString(ReviewDecision decision) {
  return NameOf(kDecisions, decision);
}
std::string_view ToString(HoldStatus status) {
  return NameOf(kHoldStatuses, status);
}
std::string_view ToString(NotificationStatus status) {
  return NameOf(kNotificationStatuses, status);
}

Result<RequestType> ParseRequestType(std::string_view text) {
  return Parse(kRequestTypes, text, "request type");
}
Result<RequestStatus> ParseRequestStatus(std::string_view text) {
  return Parse(kRequestStatuses, text, "request status");
}
Result<TaskStatus> ParseTaskStatus(std::string_view text) {
  return Parse(kTaskStatuses, text, "task status");
}
Result<TaskAction> ParseTaskAction(std::string_view text) {
  return Parse(kTaskActions, text, "task action");
}
Result<RequestOrigin> ParseRequestOrigin(std::string_view text) {
  return Parse(kOrigins, text, "request origin");
}
Result<ReviewDecision> ParseReviewDecision(std::string_view text) {
  return Parse(kDecisions, text, "review decision");
}
Result<HoldStatus> ParseHoldStatus(std::string_view text) {
  return Parse(kHoldStatuses, text, "hold status");
}
Result<NotificationStatus> ParseNotificationStatus(std::string_view text) {
  return Parse(kNotificationStatuses, text, "notification status");
}

bool IsFinal(RequestStatus status) {
  return status == RequestStatus::kCompleted || status == RequestStatus::kRejected ||
         status == RequestStatus::kCancelled;
}

CivilDate EffectiveDueOn(const RequestRecord& request) {
  return request.extended_due_on.value_or(request.due_on);
}

TaskAction ActionFor(RequestType type) {
  switch (type) {
    case RequestType::kAccess:
      return TaskAction::kExport;
    case RequestType::kErasure:
      return TaskAction::kErase;
    case RequestType::kRectification:
      return TaskAction::kRectify;
  }
  return TaskAction::kExport;
}

std::string ChainHash(const EventRecord& event) {
  // Fields are length-prefixed so that no two different events hash alike.
  Sha256 hash;
  auto field = [&hash](std::string_view value) {
    hash.Update(std::to_string(value.size()));
    hash.Update(":");
    hash.Update(value);
  };
  field(event.prev_hash);
  field(event.request_id.value_or(""));
  field(event.at);
  field(event.kind);
  field(event.actor);
  field(event.details);
  return hash.HexDigest();
}

}  // namespace dsr::store
