#include "workers/chunking_sink.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "common/base64.h"

namespace dsr::workers {
namespace {

constexpr std::string_view kPieceStart = "{\"piece\":\"";
constexpr std::string_view kPieceEnd = "\"}\n";

// Original bytes per piece line: as many as fit the budget once encoded,
// a multiple of 3 so that only the last piece has base64 padding.
size_t PieceBytes(size_t chunk_bytes) {
  const size_t overhead = kPieceStart.size() + kPieceEnd.size();
  const size_t encoded = chunk_bytes > overhead ? chunk_bytes - overhead : 0;
  return std::max<size_t>(3, encoded / 4 * 3);
}

}  // namespace

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
                            {"bytes", found.original->bytes.size()}};
  }
  // Invalid UTF-8 from a source is replaced rather than failing the export.
  std::string line = envelope.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  line.push_back('\n');
  if (line.size() > wire::kMaxPayloadBytes) {
    return Internal("a record of collection " + collection_ + " is larger than " +
                    std::to_string(wire::kMaxPayloadBytes) + " bytes");
  }
  DSR_RETURN_IF_ERROR(AppendLine(line));
  ++buffered_records_;
  ++counts_[collection_];
  if (found.original) return AddPieces(found.original->bytes);
  return Status::Ok();
}

Status ChunkingSink::AppendLine(std::string_view line) {
  if (!buffer_.empty() && buffer_.size() + line.size() > chunk_bytes_) DSR_RETURN_IF_ERROR(Flush());
  buffer_ += line;
  return Status::Ok();
}

Status ChunkingSink::AddPieces(std::string_view original) {
  const size_t step = PieceBytes(chunk_bytes_);
  std::string line;
  for (size_t offset = 0; offset < original.size(); offset += step) {
    line.assign(kPieceStart);
    line += EncodeBase64(original.substr(offset, step));
    line += kPieceEnd;
    DSR_RETURN_IF_ERROR(AppendLine(line));
  }
  return Status::Ok();
}

Status ChunkingSink::Flush() {
  if (buffer_.empty()) return Status::Ok();
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
