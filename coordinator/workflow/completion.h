// Completion of an access request: what goes into its bundle, and recording
// the built bundle as the request's answer.
// Thread-safe given a thread-safe Store; CompleteRequest writes and belongs to
// the engine thread.
#pragma once

#include <string>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "coordinator/bundle/bundle.h"
#include "coordinator/store/store.h"
#include "coordinator/workflow/settings.h"

namespace dsr::workflow {

// Every source's collections for the request, in the order of `sources`.
Result<bundle::BundleInput> BundleInputFor(const store::Store& store,
                                           const ControllerSettings& controller,
                                           const std::vector<SourceSettings>& sources,
                                           const std::string& request_id, CivilDate answered_on);

// Records the bundle and moves the request to completed (in_progress → completed).
Status CompleteRequest(store::Store& store, const Clock& clock, const std::string& request_id,
                       const bundle::BundleSummary& summary);

}  // namespace dsr::workflow
