// RunTask: carries out one TASK with a connector and reports it the way the
// protocol says: PROGRESS (running), then CHUNKs, then exactly one RESULT,
// succeeded or failed with a code and a message free of personal data.
// Runs on the worker's executor thread; `emit` hands each message on.
//
// With a `journal`, an erase or rectify records its outcomes there before its
// RESULT is sent (a task whose outcomes cannot be recorded fails as
// `unavailable`), and a retry of the same task merges the earlier run's
// outcomes back in: what the earlier run changed it no longer finds.
#pragma once

#include <cstddef>
#include <nlohmann/json_fwd.hpp>

#include "connectors/connector.h"
#include "workers/chunking_sink.h"
#include "workers/outcome_journal.h"

namespace dsr::workers {

inline constexpr size_t kDefaultChunkBytes = 256 * 1024;

void RunTask(connectors::Connector& connector, const nlohmann::json& task, const EmitMessage& emit,
             size_t chunk_bytes = kDefaultChunkBytes, OutcomeJournal* journal = nullptr);

// The outcomes of a retry with those of an earlier run of the same task: per
// collection, where the retry changed nothing (`not_found`, `not_applicable`
// or absent) but the earlier run did (erased, anonymized, retained, updated),
// the earlier run's outcomes stand; everything else is the retry's.
nlohmann::json MergeOutcomes(const nlohmann::json& earlier, const nlohmann::json& now);

}  // namespace dsr::workers
