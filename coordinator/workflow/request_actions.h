// RequestActions: every change an agent, the DPO or the engine makes to a
// request, each a small named action that checks the lifecycle (lifecycle.h),
// writes the change and its audit event in one transaction, and tells the
// engine what follows (tasks to queue or drop, a bundle to seal, a letter).
//
// Audit events never hold personal data in clear: identities appear as keyed
// hashes, free-text reasons as the SHA-256 of the text kept in its own table.
// Not thread-safe: called by the engine thread (the store's single writer).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/keyed_hash.h"
#include "common/status.h"
#include "coordinator/deadlines/holiday_calendar.h"
#include "coordinator/store/store.h"
#include "coordinator/workflow/intake.h"
#include "coordinator/workflow/settings.h"

namespace dsr::workflow {

// What the engine does after an action.
struct ActionEffects {
  std::vector<store::TaskRecord> enqueue;    // tasks that became pending
  std::vector<std::string> cancelled_tasks;  // drop from the queue; ignore their results
  bool seal_bundle = false;                  // an approved access request needs its bundle
  bool write_letter = false;                 // the request closed: its letter is due
  bool write_extension_letter = false;       // the deadline was extended: tell the subject
};

struct Submitted {
  std::string request_id;
  ActionEffects effects;
};

struct IdentityCheckInput {
  std::string method;   // how the agent checked: "email_reply", "id_document" …
  std::string outcome;  // "confirmed" | "failed"
  std::optional<std::string> note;
};

struct DecisionInput {
  std::string task_id;
  std::string collection;
  int64_t line = 0;
  store::ReviewDecision decision = store::ReviewDecision::kExclude;
  std::vector<std::string> fields;  // kRedactFields
  std::string reason;
};

// Why a request is refused (Art. 12(5), 12(6)).
inline constexpr const char* kRejectionGrounds[] = {"manifestly_unfounded", "excessive",
                                                    "identity_not_established", "other"};

struct ActionContext {
  store::Store& store;
  const Clock& clock;
  const deadlines::HolidayCalendar& calendar;
  const WorkflowPolicy& policy;
  const std::vector<SourceSettings>& sources;
  const KeyedHasher& hasher;
};

class RequestActions {
 public:
  explicit RequestActions(ActionContext context) : c_(context) {}

  // Stores a new request: awaiting_identity when the policy asks for a check,
  // otherwise in_progress with one pending task per source.
  Result<Submitted> Submit(const NewRequest& input, const std::string& actor);
  // A confirmed identity starts the tasks; a failed one rejects the request.
  Result<ActionEffects> RecordIdentityCheck(const std::string& id, const IdentityCheckInput& check,
                                            const std::string& actor);
  // Stops the deadline clock while the data subject is asked for more information.
  Status Pause(const std::string& id, const std::string& reason, const std::string& actor);
  // Restarts the clock; the due date moves by the policy's pause mode.
  Status Resume(const std::string& id, const std::string& actor);
  // Extends the deadline once by two further months (Art. 12(3)), shifted by
  // paused days (deadlines::ExtendedDueDateAfterPauses); the notice to the data
  // subject follows. kValidation for a blank reason; kConflict when the
  // request is closed, was extended already, or its first deadline has
  // passed (a paused clock stands still, as in deadlines::StandingOf).
  Result<ActionEffects> Extend(const std::string& id, const std::string& reason,
                               const std::string& actor);
  // Every task of the request has succeeded: review (or, for follow-ups, done).
  Result<ActionEffects> Settle(const std::string& id);
  Status Decide(const std::string& id, const DecisionInput& decision, const std::string& actor);
  // Seals the answer, or, when accepted ambiguous records still need their
  // erasure or rectification, runs those first (in_review → in_progress).
  Result<ActionEffects> Approve(const std::string& id, const std::optional<std::string>& note,
                                const std::string& actor);
  Result<ActionEffects> Reject(const std::string& id, const std::string& ground,
                               const std::string& reason, const std::string& actor);
  Result<ActionEffects> Cancel(const std::string& id, const std::string& reason,
                               const std::string& actor);
  Result<ActionEffects> RetryTask(const std::string& id, const std::string& task_id,
                                  const std::string& actor);
  // Files the erasure of records whose retention ended (no identity check, no review).
  Result<Submitted> FileFollowUp(const store::HoldRecord& hold);

 private:
  ActionContext c_;
};

}  // namespace dsr::workflow
