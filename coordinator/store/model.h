// The records the store keeps: requests, their tasks, task results and the
// audit events. Plain value types; enum ⇄ text conversions are the only logic.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/civil_date.h"
#include "common/status.h"

namespace dsr::store {

enum class RequestType { kAccess, kRectification, kErasure };
enum class RequestStatus { kReceived, kInProgress, kCompleted };
enum class TaskStatus { kPending, kDispatched, kRunning, kSucceeded, kFailed };
enum class TaskAction { kExport };

std::string_view ToString(RequestType type);
std::string_view ToString(RequestStatus status);
std::string_view ToString(TaskStatus status);
std::string_view ToString(TaskAction action);
Result<RequestType> ParseRequestType(std::string_view text);
Result<RequestStatus> ParseRequestStatus(std::string_view text);
Result<TaskStatus> ParseTaskStatus(std::string_view text);
Result<TaskAction> ParseTaskAction(std::string_view text);

// Canonical identities of the data subject ("email" → "a@b.example").
using SubjectIdentities = std::map<std::string, std::string>;

struct BundleInfo {
  std::string path;
  std::string sha256;
  int64_t bytes = 0;
};

struct RequestRecord {
  std::string id;
  RequestType type = RequestType::kAccess;
  RequestStatus status = RequestStatus::kReceived;
  SubjectIdentities subject;
  std::string language;  // "de" | "en"
  std::optional<std::string> channel;
  std::optional<std::string> note;
  CivilDate received_on;  // local date in the controller's time zone
  CivilDate due_on;
  std::string created_at;  // RFC 3339 UTC
  std::string updated_at;
  std::optional<std::string> completed_at;
  std::optional<BundleInfo> bundle;
};

struct TaskRecord {
  std::string id;
  std::string request_id;
  std::string source;
  TaskAction action = TaskAction::kExport;
  TaskStatus status = TaskStatus::kPending;
  int attempts = 0;                   // dispatches so far; the current attempt number
  std::optional<std::string> worker;  // name of the worker of the current attempt
  std::optional<std::string> error_code;
  std::optional<std::string> error_message;
  std::optional<int64_t> records;  // exported records, once succeeded
  std::string created_at;
  std::string updated_at;
};

// One collection (table, folder, file) of a succeeded task, spooled on disk.
struct ResultRecord {
  std::string task_id;
  std::string collection;
  int64_t records = 0;
  std::string path;  // JSON Lines file
  std::string sha256;
  int64_t bytes = 0;
};

// One entry of the append-only, hash-chained audit log. `details` is a JSON
// object that never holds personal data.
struct EventRecord {
  int64_t seq = 0;
  std::optional<std::string> request_id;
  std::string at;     // RFC 3339 UTC
  std::string kind;   // e.g. "request.received", "task.succeeded"
  std::string actor;  // "system", "worker:crm-1", later user names
  std::string details = "{}";
  std::string prev_hash;
  std::string hash;
};

// The chain hash of an event: SHA-256 over the previous hash and the event's
// content, so that any later change or removal breaks every following hash.
std::string ChainHash(const EventRecord& event);
// The prev_hash of the first event.
inline constexpr std::string_view kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

}  // namespace dsr::store
