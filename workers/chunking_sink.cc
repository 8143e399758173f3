#include "workers/chunking_sink.h"

#include <nlohmann/json.hpp>

#include "common/base64.h"

namespace dsr::workers {

ChunkingSink::ChunkingSink(std::string task_id, int attempt, size_t chunk_bytes, EmitMessage emit)
    : task_id_(std::move(task_id)),
      attempt_(attempt),
      chunk_bytes_(chunk_bytes),
      emit_(std::move(emit)) {}

Status ChunkingSink::Add(const connectors::FoundRecord& found) {
  if (!found.record.is_object())
    return Internal("connector produced a record that is not an object");
  if (found.collection != collection_) {
    DSR_RETURN_IF_ERROR(Flush());
    collection_ = found.collection;
  }
  nlohmann::json envelope = {
      {"key", found.key ? nlohmann::json(*found.key) : nlohmann::json(nullptr)},
      {"match", found.match == connectors::Match::kConfirmed ? "confirmed" : "ambiguous"},
      {"record", found.record}};
  if (found.match == connectors::Match::kAmbiguous) envelope["ambiguity"] = found.ambiguity;
  if (!found.attributes.empty()) envelope["attributes"] = found.attributes;
  if (found.original) {
    envelope["original"] = {{"name", found.original->name},
                            {"base64", EncodeBase64(found.original->bytes)}};
  }
  // Invalid UTF-8 from a source is replaced rather than failing the export.
  std::string line = envelope.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  line.push_back('\n');
  if (line.size() > wire::kMaxPayloadBytes) {
    return Internal("a record of collection " + collection_ + " is larger than " +
                    std::to_string(wire::kMaxPayloadBytes) + " bytes");
  }
  if (!buffer_.empty() && buffer_.size() + line.size() > chunk_bytes_) DSR_RETURN_IF_ERROR(Flush());
  buffer_ += line;
  ++buffered_records_;
  ++counts_[collection_];
  return Status::Ok();
}

Status ChunkingSink::Flush() {
  if (buffered_records_ == 0) return Status::Ok();
  wire::Message chunk;
  chunk.command = wire::Command::kChunk;
  chunk.header = {{"task_id", task_id_},
                  {"attempt", attempt_},
                  {"seq", next_seq_},
                  {"collection", collection_},
                  {"records", buffered_records_}};
  chunk.payload.push_back(std::move(buffer_));
  buffer_.clear();
  buffered_records_ = 0;
  // Only a chunk handed on counts: the RESULT reports what was sent.
  DSR_RETURN_IF_ERROR(emit_(chunk));
  ++next_seq_;
  return Status::Ok();
}

}  // namespace dsr::workers
