#include "coordinator/workflow/result_spool.h"

#include <filesystem>
#include <nlohmann/json.hpp>

#include "common/base64.h"
#include "common/digest.h"
#include "common/durable_file.h"

namespace dsr::workflow {

struct CollectionFile {
  AppendOnlyFile file;
  Sha256 hash;
  std::string path;
  int64_t records = 0;
  int64_t bytes = 0;
};

struct ResultSpool::OpenAttempt {
  std::string directory;
  int attempt = 0;
  int64_t next_seq = 0;
  std::map<std::string, CollectionFile> collections;
};

namespace {

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

// {"name": "[A-Za-z0-9._-]{1,100}", "base64": "…"}: the name becomes a file
// name in the bundle, so nothing else may pass.
bool IsOriginal(const nlohmann::json& original) {
  if (!original.is_object() || original.size() != 2) return false;
  const auto name = original.find("name");
  const auto base64 = original.find("base64");
  if (name == original.end() || !name->is_string() || base64 == original.end() ||
      !base64->is_string() || !IsCanonicalBase64(base64->get_ref<const std::string&>())) {
    return false;
  }
  const auto& text = name->get_ref<const std::string&>();
  if (text.empty() || text.size() > 100 || text == "." || text == "..") return false;
  for (const char c : text) {
    const bool safe = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '.' || c == '_' || c == '-';
    if (!safe) return false;
  }
  return true;
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

// Counts the payload's lines and checks that each is one record envelope.
Status CheckRecords(std::string_view payload, int64_t announced) {
  if (payload.empty() || payload.back() != '\n') {
    return InvalidArgument("chunk payload does not end with a newline");
  }
  int64_t lines = 0;
  size_t start = 0;
  while (start < payload.size()) {
    const size_t end = payload.find('\n', start);
    const auto line = payload.substr(start, end - start);
    const auto envelope = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!IsEnvelope(envelope)) {
      return InvalidArgument("chunk line " + std::to_string(lines + 1) +
                             " is not a record envelope {key, match, record}");
    }
    ++lines;
    start = end + 1;
  }
  if (lines != announced) {
    return InvalidArgument("chunk announces " + std::to_string(announced) + " records but holds " +
                           std::to_string(lines));
  }
  return Status::Ok();
}

}  // namespace

ResultSpool::ResultSpool(std::string root) : root_(std::move(root)) {}
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
  DSR_RETURN_IF_ERROR(CheckRecords(payload, records));
  auto entry = open.collections.find(collection);
  if (entry == open.collections.end()) {
    CollectionFile created;
    created.path = open.directory + "/" + collection + ".jsonl";
    auto file = AppendOnlyFile::Create(created.path);
    if (!file.ok()) return file.status();
    created.file = std::move(file.value());
    entry = open.collections.emplace(collection, std::move(created)).first;
  }
  CollectionFile& target = entry->second;
  DSR_RETURN_IF_ERROR(target.file.Append(payload));
  target.hash.Update(payload);
  target.records += records;
  target.bytes += static_cast<int64_t>(payload.size());
  ++open.next_seq;
  return Status::Ok();
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

void ResultSpool::RemoveRequest(const std::string& request_id) {
  std::error_code ignored;
  std::filesystem::remove_all(root_ + "/" + request_id, ignored);
}

}  // namespace dsr::workflow
