// The records the store keeps: requests, their tasks, task results and the
// audit events. Plain value types; enum ⇄ text conversions are the only logic.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/civil_date.h"
#include "common/status.h"

namespace dsr::store {

enum class RequestType { kAccess, kRectification, kErasure };
enum class RequestStatus {
  kReceived,
  kAwaitingIdentity,
  kInProgress,
  kInReview,
  kCompleted,
  kRejected,
  kCancelled,
};
enum class TaskStatus { kPending, kDispatched, kRunning, kSucceeded, kFailed, kCancelled };
enum class TaskAction { kExport, kErase, kRectify };
// Who filed a request: an agent, or the engine when a retention hold ended.
enum class RequestOrigin { kAgent, kHold };
enum class ReviewDecision { kExclude, kInclude, kRedactFields };
enum class HoldStatus { kActive, kEnded };
// A notification waits in the outbox until its channel accepted it.
enum class NotificationStatus { kPending, kSent };

std::string_view ToString(RequestType type);
std::string_view ToString(RequestStatus status);
std::string_view ToString(TaskStatus status);
std::string_view ToString(TaskAction action);
std::string_view ToString(RequestOrigin origin);
std::string_view ToString(ReviewDecision decision);
std::string_view ToString(HoldStatus status);
std::string_view ToString(NotificationStatus status);
Result<RequestType> ParseRequestType(std::string_view text);
Result<RequestStatus> ParseRequestStatus(std::string_view text);
Result<TaskStatus> ParseTaskStatus(std::string_view text);
Result<TaskAction> ParseTaskAction(std::string_view text);
Result<RequestOrigin> ParseRequestOrigin(std::string_view text);
Result<ReviewDecision> ParseReviewDecision(std::string_view text);
Result<HoldStatus> ParseHoldStatus(std::string_view text);
Result<NotificationStatus> ParseNotificationStatus(std::string_view text);

// A request in a final state changes no more.
bool IsFinal(RequestStatus status);
// The action a request type runs at each source.
TaskAction ActionFor(RequestType type);

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
  CivilDate received_on;   // local date in the controller's time zone
  CivilDate due_on;        // shifted by paused days
  std::string created_at;  // RFC 3339 UTC
  std::string updated_at;
  std::optional<std::string> completed_at;
  std::optional<BundleInfo> bundle;
  std::optional<std::string> corrections;  // JSON object, rectification requests
  RequestOrigin origin = RequestOrigin::kAgent;
  std::optional<std::string> follow_up_of;  // the request whose hold ended
  std::optional<CivilDate> paused_since;    // the clock stands still since then
  int paused_days = 0;                      // days of finished pauses
  std::optional<std::string> approved_at;
  std::optional<std::string> closing_ground;  // why rejected: "manifestly_unfounded" …
  std::optional<std::string> closing_reason;  // the agent's words on rejection or cancellation
  std::optional<std::string> letter_path;     // the letter, once written
  // Where the sources disagree about the subject's attributes (JSON list),
  // found when the tasks settled.
  std::optional<std::string> consistency;
  // The one extension by two further months (Art. 12(3)), once decided:
  // the extended due date (shifted by paused days like due_on), when and why
  // (the reasons the data subject is told), and the notice to the subject.
  std::optional<CivilDate> extended_due_on;
  std::optional<std::string> extended_at;  // RFC 3339 UTC
  std::optional<std::string> extension_reason;
  std::optional<std::string> extension_letter_path;
  // When its personal data was purged (RFC 3339 UTC): spool, bundle, letters
  // and personal fields are gone; the skeleton and the audit trail stay.
  std::optional<std::string> purged_at;
  // Purged while a retention hold of it was active: the (sealed) subject
  // stays until the hold's follow-up erasure has been filed.
  bool subject_kept = false;
};

// The date the request must be answered by: the extended due date once the
// deadline was extended, else due_on.
CivilDate EffectiveDueOn(const RequestRecord& request);

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
  std::optional<int64_t> records;  // reported records, once succeeded
  std::string created_at;
  std::string updated_at;
  std::optional<std::string> scope;  // JSON ActionScope for erase and rectify
  int round = 1;                     // 2, 3 … for follow-up tasks after a review
  // A pending task waiting out its back-off is not handed out before this
  // instant (UTC, RFC 3339); none when it may go at once.
  std::optional<std::string> retry_at;
};

// An agent's record of how the data subject's identity was checked.
struct IdentityCheckRecord {
  std::string id;
  std::string request_id;
  std::string at;
  std::string actor;
  std::string method;   // "email_reply", "customer_login", "id_document" …
  std::string outcome;  // "confirmed" | "failed"
  std::optional<std::string> note;
};

// A time the deadline clock stood still while the data subject was asked.
struct PauseRecord {
  std::string id;
  std::string request_id;
  CivilDate started_on;
  std::optional<CivilDate> ended_on;
  std::string reason;
  std::string actor;
};

// What an erasure or rectification task did to one collection.
struct OutcomeRecord {
  std::string task_id;
  std::string collection;
  std::string kind;  // connectors::OutcomeKind name: "erased", "retained" …
  int64_t records = 0;
  std::optional<CivilDate> retained_until;
  std::optional<std::string> legal_basis;
  std::optional<std::string> note{};  // why, for the agent (CollectionOutcome::note)
};

// Records kept under a legal obligation until a date; when it passes the
// engine files their erasure.
struct HoldRecord {
  std::string id;
  std::string request_id;
  std::string source;
  std::string collection;
  CivilDate retained_until;
  std::string legal_basis;
  std::vector<std::string> keys;
  HoldStatus status = HoldStatus::kActive;
  std::optional<std::string> follow_up_request_id;
  std::string created_at;
};

// An agent's decision on one reported record during review: exclude it (or
// some of its fields) as data of other people (Art. 15(4)), or include an
// ambiguous record as the subject's.
struct ReviewDecisionRecord {
  std::string id;
  std::string request_id;
  std::string task_id;
  std::string collection;
  int64_t line = 0;  // 0-based line of the record in the task's spool file
  std::optional<std::string> record_key;
  ReviewDecision decision = ReviewDecision::kExclude;
  std::vector<std::string> fields;  // kRedactFields: the fields withheld
  std::string reason;
  std::string actor;
  std::string at;
};

// A reminder or escalation for the DPO on one channel. `event_key` names the
// event ("reminder:<request>:<due_on>:<days>") and is unique per channel, so
// that an event is queued once however often the engine looks for it.
struct NotificationRecord {
  std::string id;  // also the Message-ID / delivery id receivers may deduplicate on
  std::string event_key;
  std::string channel;  // "email" | "webhook"
  std::string kind;     // "reminder" | "overdue" | "source_failed"
  std::optional<std::string> request_id;
  std::string payload = "{}";  // JSON facts of the event, never personal data
  NotificationStatus status = NotificationStatus::kPending;
  int attempts = 0;             // deliveries tried
  std::string next_attempt_at;  // RFC 3339 UTC: not before
  std::optional<std::string> last_error;
  std::string created_at;
  std::optional<std::string> sent_at;
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
