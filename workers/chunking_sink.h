// ChunkingSink: a RecordSink that turns reported records into CHUNK messages
// of JSON Lines — one envelope {key, match, ambiguity, record} per line
// (schemas/wire/envelope.json) — each at most about `chunk_bytes`, one
// collection at a time, numbered 0, 1, 2 … for one task attempt.
//
// A record's original document travels after its envelope as piece lines
// {"piece":"<base64>"}, each small enough for a chunk, so an original of any
// size fits the wire and no chunk holds more than the budget. The envelope
// names the original and its size: "original": {"name", "bytes"}.
// Not thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "common/wire.h"
#include "connectors/connector.h"

namespace dsr::workers {

using EmitMessage = std::function<Status(const wire::Message&)>;

class ChunkingSink final : public connectors::RecordSink {
 public:
  ChunkingSink(std::string task_id, int attempt, size_t chunk_bytes, EmitMessage emit);

  Status Add(const connectors::FoundRecord& found) override;
  // Sends what is still buffered. Call once after a successful export.
  Status Flush();

  int64_t chunks_sent() const { return next_seq_; }
  // Records per collection, in the RESULT's form.
  const std::map<std::string, int64_t>& records_per_collection() const { return counts_; }

 private:
  // Adds one line to the buffer, sending the buffer first when the line
  // would take it over the budget.
  Status AppendLine(std::string_view line);
  Status AddPieces(std::string_view original);

  std::string task_id_;
  int attempt_;
  size_t chunk_bytes_;
  EmitMessage emit_;
  std::string collection_;
  std::string buffer_;
  int64_t buffered_records_ = 0;
  int64_t next_seq_ = 0;
  std::map<std::string, int64_t> counts_;
};

}  // namespace dsr::workers
