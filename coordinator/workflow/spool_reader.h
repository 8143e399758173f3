// Reading the records a task reported, from its spool files (JSON Lines of
// envelopes {key, match, ambiguity, record}), for review and sealing.
// Streams: memory does not grow with the file. Thread-safe (no shared state).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "common/data_protection.h"
#include "common/status.h"

namespace dsr::workflow {

struct SpooledRecord {
  int64_t line = 0;  // 0-based
  std::optional<std::string> key;
  bool ambiguous = false;
  std::string ambiguity;
  nlohmann::json record;
  std::map<std::string, std::string> attributes;  // canonical attributes the connector saw
};

// Calls `visit` for lines [offset, offset + limit) of the file; stops early
// when `visit` returns false. An encrypted spool needs `keys`. kInternal for
// an unreadable, altered or malformed file.
Status ReadSpool(const std::string& path, const DataKeyring* keys, int64_t offset, int64_t limit,
                 const std::function<bool(const SpooledRecord&)>& visit);

// The record on `line`; kNotFound past the end.
Result<SpooledRecord> ReadSpoolLine(const std::string& path, const DataKeyring* keys, int64_t line);

}  // namespace dsr::workflow
