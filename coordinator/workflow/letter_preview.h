// PreviewLetter: the letter a request would get if it were answered now, for
// the agent to read before approving. It renders from the stored state as the
// engine does when it answers (LetterWriter), and writes nothing: for an
// access request the cover letter of the records found so far with review's
// decisions applied (the spools are only read); for an erasure or
// rectification the outcomes so far; for a rejected request its rejection.
//
// kConflict when no honest letter can be shown yet: the identity is not
// checked (no source was searched), a task is still running or failed (the
// letter would leave out what it finds), or the request was cancelled (it
// gets no letter). Thread-safe given the Store.
#pragma once

#include <string>

#include "common/civil_date.h"
#include "common/status.h"
#include "coordinator/store/store.h"
#include "coordinator/workflow/engine.h"

namespace dsr::workflow {

// `request` as read from the store and not purged; `language` "de" or "en".
Result<std::string> PreviewLetter(const store::Store& store, const EngineSettings& settings,
                                  store::RequestRecord request, const std::string& language,
                                  CivilDate today);

}  // namespace dsr::workflow
