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
constexpr Names<RequestStatus, 3> kRequestStatuses{{{RequestStatus::kReceived, "received"},
                                                    {RequestStatus::kInProgress, "in_progress"},
                                                    {RequestStatus::kCompleted, "completed"}}};
constexpr Names<TaskStatus, 5> kTaskStatuses{{{TaskStatus::kPending, "pending"},
                                              {TaskStatus::kDispatched, "dispatched"},
                                              {TaskStatus::kRunning, "running"},
                                              {TaskStatus::kSucceeded, "succeeded"},
                                              {TaskStatus::kFailed, "failed"}}};
constexpr Names<TaskAction, 1> kTaskActions{{{TaskAction::kExport, "export"}}};

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
