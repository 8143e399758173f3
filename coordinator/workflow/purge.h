// Purge: deletes the personal data of closed requests once
// `purge_after_days` (data_protection) have passed since they were closed
// (completed, rejected or cancelled), on the engine's clock.
//
// What goes: the request's spooled results (records and originals), its
// bundle, its letters, and every personal field in the store (identities,
// corrections, notes and reasons, the values the sources disagreed on; see
// StoreWriter::PurgeRequest). What stays: the skeleton (id, type, dates,
// states, tasks and their counts, outcomes, holds with their record keys)
// and the audit trail, which gains a "request.purged" event.
//
// A request with an active retention hold keeps its (sealed) identities:
// when the hold ends the engine files a follow-up erasure for the same
// subject. They are cleared as soon as no hold of it is active any more.
//
// Files go first, then the store is marked in one transaction: a crash
// between the two leaves a request whose next purge finds no files and only
// marks it. After a purge the store's files are compacted so deleted values
// do not linger (Store::CompactAfterPurge). Not thread-safe: engine thread.
#pragma once

#include <string>

#include "common/clock.h"
#include "common/status.h"
#include "coordinator/store/store.h"
#include "coordinator/workflow/result_spool.h"

namespace dsr::workflow {

class Purger {
 public:
  Purger(store::Store& store, const Clock& clock, ResultSpool& spool, int purge_after_days)
      : store_(store), clock_(clock), spool_(spool), purge_after_days_(purge_after_days) {}

  // Purges every request due; returns how many were purged (identities
  // cleared later for a hold count too).
  Result<int> PurgeDue();

 private:
  Status PurgeRequest(const std::string& request_id, const std::string& now);
  Status ClearKeptSubject(const std::string& request_id, const std::string& now);

  store::Store& store_;
  const Clock& clock_;
  ResultSpool& spool_;
  int purge_after_days_;
};

}  // namespace dsr::workflow
