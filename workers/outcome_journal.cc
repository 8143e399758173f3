#include "workers/outcome_journal.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "common/durable_file.h"
#include "common/log.h"

namespace dsr::workers {
namespace {

constexpr auto kPruneEvery = std::chrono::hours(1);
constexpr const char* kSuffix = ".json";

// Task ids are UUIDs (schemas/common.json); anything else never becomes a
// file name.
bool IsTaskId(const std::string& text) {
  return text.size() == 36 && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == '-';
         });
}

int64_t UnixSeconds(Clock::WallTime time) {
  return std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
}

Result<nlohmann::json> ReadJson(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Unavailable("cannot read the outcome journal entry " + path);
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json parsed = nlohmann::json::parse(text.str(), nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    return Internal("the outcome journal entry " + path + " is not valid JSON");
  }
  return parsed;
}

}  // namespace

Result<std::unique_ptr<OutcomeJournal>> OutcomeJournal::Open(std::string directory,
                                                             std::chrono::hours keep,
                                                             const Clock& clock) {
  DSR_RETURN_IF_ERROR(MakePrivateDirectories(directory).WithContext("journal_dir"));
  return std::unique_ptr<OutcomeJournal>(new OutcomeJournal(std::move(directory), keep, clock));
}

Result<std::string> OutcomeJournal::PathOf(const std::string& task_id) const {
  if (!IsTaskId(task_id)) return InvalidArgument("a task id must be a UUID");
  return directory_ + "/" + task_id + kSuffix;
}

Result<std::optional<OutcomeJournal::Entry>> OutcomeJournal::Find(
    const std::string& task_id) const {
  auto path = PathOf(task_id);
  if (!path.ok()) return path.status();
  std::error_code error;
  if (!std::filesystem::exists(*path, error)) {
    if (error) return Unavailable("cannot look into the outcome journal " + directory_);
    return std::optional<Entry>();
  }
  auto parsed = ReadJson(*path);
  if (!parsed.ok()) return parsed.status();
  const nlohmann::json& json = *parsed;
  if (!json.contains("action") || !json["action"].is_string() || !json.contains("attempt") ||
      !json["attempt"].is_number_integer() || !json.contains("outcomes") ||
      !json["outcomes"].is_array()) {
    return Internal("the outcome journal entry " + *path + " lacks action, attempt or outcomes");
  }
  Entry entry;
  entry.action = json["action"].get<std::string>();
  entry.attempt = json["attempt"].get<int>();
  entry.outcomes = json["outcomes"];
  return std::optional<Entry>(std::move(entry));
}

Status OutcomeJournal::Record(const std::string& task_id, const Entry& entry) {
  auto path = PathOf(task_id);
  if (!path.ok()) return path.status();
  const nlohmann::json json = {{"task_id", task_id},
                               {"action", entry.action},
                               {"attempt", entry.attempt},
                               {"written_at", UnixSeconds(clock_.Now())},
                               {"outcomes", entry.outcomes}};
  const Status written = WriteFileAtomically(*path, json.dump(2) + "\n");
  if (!written.ok()) {
    return Unavailable("cannot write the outcome journal entry " + *path + ": " +
                       written.message());
  }
  return Status::Ok();
}

int OutcomeJournal::Prune() {
  last_pruned_ = clock_.Monotonic();
  const int64_t oldest_kept = UnixSeconds(clock_.Now() - keep_);
  int removed = 0;
  std::error_code error;
  std::filesystem::directory_iterator listing(directory_, error);
  if (error) {
    LogWarn("journal", "cannot list the outcome journal " + directory_ + ": " + error.message());
    return 0;
  }
  for (const auto& file : listing) {
    const std::string name = file.path().filename().string();
    const std::string stem = file.path().stem().string();
    if (file.path().extension() != kSuffix || !IsTaskId(stem)) continue;
    auto parsed = ReadJson(file.path().string());
    if (!parsed.ok() || !parsed->contains("written_at") ||
        !(*parsed)["written_at"].is_number_integer()) {
      // Left for the operator: it may be the only record of an erasure.
      LogWarn("journal", "cannot read outcome journal entry " + name + "; left in place");
      continue;
    }
    if ((*parsed)["written_at"].get<int64_t>() >= oldest_kept) continue;
    if (std::filesystem::remove(file.path(), error)) {
      ++removed;
    } else {
      LogWarn("journal", "cannot remove outcome journal entry " + name + ": " + error.message());
    }
  }
  if (removed > 0) {
    (void)SyncDirectory(directory_);
    LogInfo("journal", "removed " + std::to_string(removed) + " old outcome journal entries");
  }
  return removed;
}

void OutcomeJournal::PruneIfDue() {
  if (last_pruned_ && clock_.Monotonic() < *last_pruned_ + kPruneEvery) return;
  Prune();
}

}  // namespace dsr::workers
