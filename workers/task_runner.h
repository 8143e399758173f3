// RunTask: carries out one TASK with a connector and reports it the way the
// protocol says: PROGRESS (running), then CHUNKs, then exactly one RESULT,
// succeeded or failed with a code and a message free of personal data.
// Runs on the worker's executor thread; `emit` hands each message on.
#pragma once

#include <cstddef>
#include <nlohmann/json_fwd.hpp>

#include "connectors/connector.h"
#include "workers/chunking_sink.h"

namespace dsr::workers {

inline constexpr size_t kDefaultChunkBytes = 256 * 1024;

void RunTask(connectors::Connector& connector, const nlohmann::json& task, const EmitMessage& emit,
             size_t chunk_bytes = kDefaultChunkBytes);

}  // namespace dsr::workers
