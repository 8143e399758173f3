#include "coordinator/workflow/result_spool.h"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "common/base64.h"
#include "common/data_protection.h"
#include "common/digest.h"
#include "common/durable_file.h"
#include "coordinator/bundle/spool_converter.h"

namespace dsr::workflow {

struct CollectionFile {
  AppendFile file;
  Sha256 hash;
  std::string path;
  int64_t records = 0;
  int64_t bytes = 0;
};

// The streamed original that the next piece lines belong to.
struct ResultSpool::OpenOriginal {
  AppendFile file;
  std::string collection;
  int64_t line = 0;       // its record's line in the collection's spool
  int64_t remaining = 0;  // bytes still to come
};

struct ResultSpool::OpenAttempt {
  std::string directory;
  int attempt = 0;
  int64_t next_seq = 0;
  std::map<std::string, CollectionFile> collections;
  std::optional<OpenOriginal> original;
  std::set<std::string> originals_dirs;
};

namespace {

// schemas/wire/envelope.json: originals up to 1 GiB.
constexpr uint64_t kMaxOriginalBytes = uint64_t{1} << 30;
constexpr std::string_view kPieceStart = "{\"piece\":\"";
constexpr std::string_view kPieceEnd = "\"}\n";

// A piece line of a streamed original, exactly {"piece":"<base64>"} and its
// newline; parsed by hand, as it is most of an export's bytes.
bool IsPieceLine(std::string_view line) {
  return line.size() >= kPieceStart.size() + kPieceEnd.size() &&
         line.substr(0, kPieceStart.size()) == kPieceStart &&
         line.substr(line.size() - kPieceEnd.size()) == kPieceEnd;
}

std::string_view PieceText(std::string_view line) {
  return line.substr(kPieceStart.size(), line.size() - kPieceStart.size() - kPieceEnd.size());
}

// The bytes canonical base64 `text` decodes to.
int64_t DecodedSize(std::string_view text) {
  const size_t padding = text.size() - text.find_last_not_of('=') - 1;
  return static_cast<int64_t>(text.size() / 4 * 3 - padding);
}

// schemas/wire/envelope.json, checked by hand: this runs for every record.
bool IsAttributeMap(const nlohmann::json& attributes) {
  if (!attributes.is_object() || attributes.size() > 5) return false;
  for (const auto& [name, value] : attributes.items()) {
    const bool known = name == "email" || name == "phone" || name == "name" ||
                       name == "postal_address" || name == "customer_id";
    if (!known || !value.is_string() || value.get_ref<const std::string&>().size() > 1000) {
      return false;
    }
  }
  return true;
}

bool IsOriginalName(const nlohmann::json& name) {
  if (!name.is_string()) return false;
  const auto& text = name.get_ref<const std::string&>();
  if (text.empty() || text.size() > 100 || text == "." || text == "..") return false;
  for (const char c : text) {
    const bool safe = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '.' || c == '_' || c == '-';
    if (!safe) return false;
  }
  return true;
}

// Streamed {"name", "bytes"} or inline {"name", "base64"}: the name becomes
// a file name in the bundle, so nothing else may pass.
bool IsOriginal(const nlohmann::json& original) {
  if (!original.is_object() || original.size() != 2) return false;
  const auto name = original.find("name");
  if (name == original.end() || !IsOriginalName(*name)) return false;
  const auto bytes = original.find("bytes");
  if (bytes != original.end()) {
    return bytes->is_number_unsigned() && bytes->get<uint64_t>() <= kMaxOriginalBytes;
  }
  const auto base64 = original.find("base64");
  return base64 != original.end() && base64->is_string() &&
         IsCanonicalBase64(base64->get_ref<const std::string&>());
}

bool IsEnvelope(const nlohmann::json& envelope) {
  if (!envelope.is_object()) return false;
  const auto record = envelope.find("record");
  const auto match = envelope.find("match");
  const auto key = envelope.find("key");
  const auto ambiguity = envelope.find("ambiguity");
  const auto attributes = envelope.find("attributes");
  const auto original = envelope.find("original");
  const size_t expected = 3 + (ambiguity != envelope.end()) + (attributes != envelope.end()) +
                          (original != envelope.end());
  return envelope.size() == expected && record != envelope.end() && record->is_object() &&
         match != envelope.end() && (*match == "confirmed" || *match == "ambiguous") &&
         key != envelope.end() &&
         (key->is_null() ||
          (key->is_string() && key->get_ref<const std::string&>().size() <= 256)) &&
         (ambiguity == envelope.end() || ambiguity->is_string()) &&
         (attributes == envelope.end() || IsAttributeMap(*attributes)) &&
         (original == envelope.end() || IsOriginal(*original));
}

}  // namespace

ResultSpool::ResultSpool(std::string root, const DataKeyring* keys)
    : root_(std::move(root)), keys_(keys) {}
ResultSpool::~ResultSpool() = default;

Status ResultSpool::Begin(const std::string& request_id, const std::string& task_id, int attempt) {
  auto opened = std::make_unique<OpenAttempt>();
  opened->directory = root_ + "/" + request_id + "/" + task_id;
  opened->attempt = attempt;
  open_.erase(task_id);
  std::error_code ignored;
  std::filesystem::remove_all(opened->directory, ignored);
  DSR_RETURN_IF_ERROR(MakePrivateDirectories(opened->directory));
  open_[task_id] = std::move(opened);
  return Status::Ok();
}

Status ResultSpool::Append(const std::string& task_id, int attempt, int64_t seq,
                           const std::string& collection, int64_t records,
                           std::string_view payload) {
  auto found = open_.find(task_id);
  if (found == open_.end() || found->second->attempt != attempt) {
    return Conflict("no open attempt " + std::to_string(attempt) + " for task " + task_id);
  }
  OpenAttempt& open = *found->second;
  if (seq != open.next_seq) {
    return InvalidArgument("chunk " + std::to_string(seq) + " arrived, expected " +
                           std::to_string(open.next_seq));
  }
  // Checked whole before anything is written, so a refused chunk changes nothing.
  auto streamed = CheckChunk(open, collection, records, payload);
  if (!streamed.ok()) return streamed.status();
  auto entry = open.collections.find(collection);
  if (entry == open.collections.end()) {
    CollectionFile created;
    created.path = open.directory + "/" + collection + ".jsonl";
    auto file = AppendFile::Create(created.path, keys_);
    if (!file.ok()) return file.status();
    created.file = std::move(file.value());
    entry = open.collections.emplace(collection, std::move(created)).first;
  }
  // Envelopes go to the collection's file, pieces decoded to their original's.
  CollectionFile& target = entry->second;
  size_t next_envelope = 0;
  for (size_t start = 0; start < payload.size();) {
    const size_t end = payload.find('\n', start);
    const std::string_view line = payload.substr(start, end - start + 1);  // with its newline
    start = end + 1;
    if (IsPieceLine(line)) {
      DSR_RETURN_IF_ERROR(AppendPiece(open, PieceText(line)));
      continue;
    }
    const int64_t original_bytes = (*streamed)[next_envelope++];
    if (original_bytes >= 0) {
      DSR_RETURN_IF_ERROR(OpenOriginalFile(open, collection, target.records, original_bytes));
    }
    DSR_RETURN_IF_ERROR(target.file.Append(line));
    target.hash.Update(line);
    target.bytes += static_cast<int64_t>(line.size());
    ++target.records;
  }
  ++open.next_seq;
  return Status::Ok();
}

Result<std::vector<int64_t>> ResultSpool::CheckChunk(const OpenAttempt& open,
                                                     const std::string& collection, int64_t records,
                                                     std::string_view payload) {
  if (payload.empty() || payload.back() != '\n') {
    return InvalidArgument("chunk payload does not end with a newline");
  }
  if (open.original && open.original->collection != collection) {
    return InvalidArgument("chunk of collection " + collection + " while the original on line " +
                           std::to_string(open.original->line + 1) + " of collection " +
                           open.original->collection + " is incomplete");
  }
  // Bytes the streamed original being received still expects; -1: none open.
  int64_t remaining = open.original ? open.original->remaining : -1;
  std::vector<int64_t> streamed;  // per envelope: its streamed original's size, or -1
  for (size_t start = 0; start < payload.size();) {
    const size_t end = payload.find('\n', start);
    const std::string_view line = payload.substr(start, end - start + 1);
    start = end + 1;
    if (IsPieceLine(line)) {
      const std::string_view text = PieceText(line);
      if (text.empty() || !IsCanonicalBase64(text)) {
        return InvalidArgument("a piece line is not {\"piece\":\"<base64>\"}");
      }
      if (remaining <= 0) return InvalidArgument("a piece line follows no streamed original");
      remaining -= DecodedSize(text);
      if (remaining < 0) {
        return InvalidArgument("a streamed original has more bytes than its envelope announced");
      }
      continue;
    }
    if (remaining > 0) {
      return InvalidArgument("a record arrived before the streamed original was complete");
    }
    const auto envelope =
        nlohmann::json::parse(line.substr(0, line.size() - 1), nullptr, /*allow_exceptions=*/false);
    if (!IsEnvelope(envelope)) {
      return InvalidArgument("chunk record " + std::to_string(streamed.size() + 1) +
                             " is not a record envelope {key, match, record}");
    }
    const auto original = envelope.find("original");
    const bool streams = original != envelope.end() && original->contains("bytes");
    remaining = streams ? original->at("bytes").get<int64_t>() : -1;
    streamed.push_back(remaining);
  }
  if (static_cast<int64_t>(streamed.size()) != records) {
    return InvalidArgument("chunk announces " + std::to_string(records) + " records but holds " +
                           std::to_string(streamed.size()));
  }
  return streamed;
}

Status ResultSpool::OpenOriginalFile(OpenAttempt& open, const std::string& collection, int64_t line,
                                     int64_t bytes) {
  const std::string records_path = open.directory + "/" + collection + ".jsonl";
  const std::string path = bundle::StreamedOriginalPath(records_path, line);
  const std::string dir = path.substr(0, path.rfind('/'));
  if (open.originals_dirs.insert(dir).second) DSR_RETURN_IF_ERROR(MakePrivateDirectories(dir));
  auto file = AppendFile::Create(path, keys_);
  if (!file.ok()) return file.status();
  OpenOriginal original{std::move(file.value()), collection, line, bytes};
  if (bytes == 0) return CloseOriginal(original);
  open.original = std::move(original);
  return Status::Ok();
}

Status ResultSpool::AppendPiece(OpenAttempt& open, std::string_view text) {
  OpenOriginal& original = *open.original;  // CheckChunk made sure
  const std::string bytes = DecodeBase64(text);
  DSR_RETURN_IF_ERROR(original.file.Append(bytes));
  original.remaining -= static_cast<int64_t>(bytes.size());
  if (original.remaining > 0) return Status::Ok();
  Status closed = CloseOriginal(original);
  open.original.reset();
  return closed;
}

Status ResultSpool::CloseOriginal(OpenOriginal& original) {
  DSR_RETURN_IF_ERROR(original.file.Sync());
  return original.file.Close();
}

Result<std::vector<store::ResultRecord>> ResultSpool::Finish(
    const std::string& task_id, int attempt, int64_t chunks,
    const std::map<std::string, int64_t>& reported) {
  auto found = open_.find(task_id);
  if (found == open_.end() || found->second->attempt != attempt) {
    return Conflict("no open attempt " + std::to_string(attempt) + " for task " + task_id);
  }
  OpenAttempt& open = *found->second;
  if (chunks != open.next_seq) {
    return InvalidArgument("result reports " + std::to_string(chunks) + " chunks, received " +
                           std::to_string(open.next_seq));
  }
  if (open.original) {
    return InvalidArgument("the original on line " + std::to_string(open.original->line + 1) +
                           " of collection " + open.original->collection + " is incomplete");
  }
  std::vector<store::ResultRecord> results;
  for (auto& [name, collection] : open.collections) {
    const auto count = reported.find(name);
    if (count == reported.end() || count->second != collection.records) {
      return InvalidArgument("result's record count for collection " + name +
                             " does not match the chunks received");
    }
    DSR_RETURN_IF_ERROR(collection.file.Sync());
    DSR_RETURN_IF_ERROR(collection.file.Close());
    results.push_back({task_id, name, collection.records, collection.path,
                       collection.hash.HexDigest(), collection.bytes});
  }
  for (const auto& [name, count] : reported) {
    if (count != 0 && open.collections.count(name) == 0) {
      return InvalidArgument("result reports records for collection " + name +
                             " that no chunk carried");
    }
  }
  for (const auto& dir : open.originals_dirs) DSR_RETURN_IF_ERROR(SyncDirectory(dir));
  DSR_RETURN_IF_ERROR(SyncDirectory(open.directory));
  open_.erase(found);
  return results;
}

void ResultSpool::Abandon(const std::string& task_id) {
  auto found = open_.find(task_id);
  if (found == open_.end()) return;
  std::error_code ignored;
  std::filesystem::remove_all(found->second->directory, ignored);
  open_.erase(found);
}

Status ResultSpool::RemoveRequest(const std::string& request_id, int* removed) {
  std::error_code error;
  const auto count = std::filesystem::remove_all(root_ + "/" + request_id, error);
  if (error) {
    return Internal("cannot remove the spool of request " + request_id + ": " + error.message());
  }
  if (removed != nullptr && count != static_cast<std::uintmax_t>(-1)) {
    *removed += static_cast<int>(count);
  }
  return Status::Ok();
}

}  // namespace dsr::workflow
