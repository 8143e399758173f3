// LetterWriter: the letter of a request, rendered from its stored state, the
// sources' records of processing and the controller's details.
//
// RenderAccess renders the cover letter of an access bundle about to be
// sealed. Write renders the letter of a closed erasure, rectification or
// rejected request into <data_dir>/letters/<id>.html (mode 0600, atomically),
// records its path and appends "letter.written". WriteExtension does the same
// for the notice of an extended deadline, <id>.extension.html. Not
// thread-safe: engine thread (both write to the store).
#pragma once

#include <string>

#include "common/clock.h"
#include "common/status.h"
#include "coordinator/store/store.h"
#include "coordinator/workflow/completion.h"
#include "coordinator/workflow/engine.h"

namespace dsr::workflow {

// The letters themselves, from the stored state; they only read, so they are
// thread-safe given the Store. The cover letter of an access answer, dated
// its answered_on; and the letter of an erasure or rectification (with every
// outcome stored so far) or of a rejected request, dated `today`.
Result<std::string> RenderAccessLetter(const EngineSettings& settings,
                                       const store::RequestRecord& request,
                                       const AccessAnswer& answer);
Result<std::string> RenderClosingLetter(const store::Store& store, const EngineSettings& settings,
                                        const store::RequestRecord& request, CivilDate today);

class LetterWriter {
 public:
  LetterWriter(store::Store& store, const Clock& clock, const EngineSettings& settings)
      : store_(store), clock_(clock), settings_(settings) {}

  Result<std::string> RenderAccess(const store::RequestRecord& request,
                                   const AccessAnswer& answer) const;
  Status Write(const std::string& request_id);
  Status WriteExtension(const std::string& request_id);

 private:
  Result<std::string> RenderClosing(const store::RequestRecord& request) const;
  Result<std::string> RenderExtension(const store::RequestRecord& request) const;
  // Writes `html` as <data_dir>/letters/<file_name>, then records its path
  // (the extension letter's or the closing letter's, by `kind`) and the event.
  Status Keep(const std::string& request_id, letters::LetterKind kind, const std::string& file_name,
              const std::string& html);

  store::Store& store_;
  const Clock& clock_;
  const EngineSettings& settings_;
};

}  // namespace dsr::workflow
