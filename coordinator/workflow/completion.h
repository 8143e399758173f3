// Completion of a request: what goes into an access bundle after review, and
// recording the sealed bundle as the request's answer.
// BuildAccessAnswer only reads (thread-safe given the Store); CompleteRequest
// writes and belongs to the engine thread.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "coordinator/bundle/bundle.h"
#include "coordinator/store/store.h"
#include "coordinator/workflow/settings.h"

namespace dsr::workflow {

// What review withheld from one source's answer.
struct Withholding {
  int64_t other_people = 0;     // confirmed records excluded (Art. 15(4))
  int64_t uncertain = 0;        // ambiguous records not accepted as the subject's
  int64_t partly_redacted = 0;  // records given with some fields removed
};

struct AccessAnswer {
  bundle::BundleInput bundle;                   // without its letter yet
  std::map<std::string, Withholding> withheld;  // by source
};

// Every configured source's collections for the request, in source order,
// with the review decisions applied (the latest decision per record counts).
Result<AccessAnswer> BuildAccessAnswer(const store::Store& store,
                                       const std::vector<SourceSettings>& sources,
                                       const std::string& request_id, CivilDate answered_on);

// Records the sealed bundle and completes the request (in_review → completed).
Status CompleteRequest(store::Store& store, const Clock& clock, const std::string& request_id,
                       const bundle::BundleSummary& summary);

}  // namespace dsr::workflow
