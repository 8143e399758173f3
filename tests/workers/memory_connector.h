// An in-memory connector for the worker tests: exports a fixed list of
// records (erasing empties it, rectifying counts), and can be told to fail
// with a Status or to throw part-way through an export.
#pragma once

#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "connectors/connector.h"
#include "connectors/discovery.h"

namespace dsr::workers::testing {

class MemoryConnector final : public connectors::Connector {
 public:
  using Record = std::pair<std::string, nlohmann::json>;  // collection, record

  explicit MemoryConnector(std::vector<Record> records = {}) : records_(std::move(records)) {}

  // After `after` records, Export returns `status`.
  // The next erasure commits and then fails, as a worker that dies between
  // its source's commit and its RESULT.
  void CrashAfterCommit() { crash_after_commit_ = true; }
  void FailWith(Status status, size_t after = 0) {
    failure_ = std::move(status);
    fail_after_ = after;
  }
  // After `after` records, Export throws std::runtime_error(text).
  void ThrowWith(std::string text, size_t after = 0) {
    throw_text_ = std::move(text);
    fail_after_ = after;
  }

  std::string_view kind() const override { return "memory"; }

  Result<connectors::LocateReport> Locate(const connectors::Subject&) override {
    connectors::LocateReport report;
    for (const auto& record : records_) ++report.confirmed[record.first];
    return report;
  }

  Status Export(const connectors::Subject& subject, connectors::RecordSink& sink) override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      subjects_.push_back(subject);
    }
    for (size_t i = 0; i <= records_.size(); ++i) {
      if (i == fail_after_ && failure_) return *failure_;
      if (i == fail_after_ && throw_text_) throw std::runtime_error(*throw_text_);
      if (i == records_.size()) break;
      connectors::FoundRecord found;
      found.collection = records_[i].first;
      found.key = std::to_string(i);
      found.record = records_[i].second;
      DSR_RETURN_IF_ERROR(sink.Add(found));
    }
    return Status::Ok();
  }

  Result<std::vector<connectors::CollectionOutcome>> Erase(const connectors::Subject&,
                                                           const connectors::ActionScope& scope,
                                                           connectors::RecordSink&) override {
    last_scope_ = scope;
    std::vector<connectors::CollectionOutcome> outcomes;
    if (records_.empty()) {
      // Like a real source after an erasure: the subject is not found any more.
      for (const auto& collection : erased_collections_) {
        outcomes.push_back(
            {collection, connectors::OutcomeKind::kNotFound, 0, std::nullopt, "", {}});
      }
      return outcomes;
    }
    std::map<std::string, int64_t> counts;
    for (const auto& record : records_) ++counts[record.first];
    for (const auto& [collection, records] : counts) {
      outcomes.push_back(
          {collection, connectors::OutcomeKind::kErased, records, std::nullopt, "", {}});
    }
    outcomes.push_back({"invoices",
                        connectors::OutcomeKind::kRetained,
                        2,
                        CivilDate(2033, 12, 31),
                        "HGB §257",
                        {"17", "18"}});
    if (scope.before_commit) DSR_RETURN_IF_ERROR(scope.before_commit(outcomes));
    // The commit: from here on the erasure has taken effect.
    records_.clear();
    for (const auto& outcome : outcomes) erased_collections_.insert(outcome.collection);
    if (crash_after_commit_) return Unavailable("the worker died right after the commit");
    return outcomes;
  }

  Result<std::vector<connectors::CollectionOutcome>> Rectify(
      const connectors::Subject&, const connectors::Corrections& corrections,
      const connectors::ActionScope& scope, connectors::RecordSink&) override {
    last_scope_ = scope;
    last_corrections_ = corrections;
    return std::vector<connectors::CollectionOutcome>{
        {"contacts", connectors::OutcomeKind::kUpdated, 1, std::nullopt, "", {}}};
  }

  Result<std::vector<connectors::PersonalDataPlace>> Discover() override {
    std::map<std::string, connectors::PersonalDataPlace> places;
    for (const auto& [collection, record] : records_) {
      for (const auto& [field, value] : record.items()) {
        if (!value.is_string()) continue;
        const auto found = connectors::DetectPersonalData(value.get<std::string>());
        if (found.kinds.empty()) continue;
        auto& place = places[collection + "." + field];
        place.place = collection + "." + field;
        place.kinds.insert(found.kinds.begin(), found.kinds.end());
        place.occurrences += found.occurrences;
      }
    }
    std::vector<connectors::PersonalDataPlace> list;
    for (auto& entry : places) list.push_back(std::move(entry.second));
    return list;
  }

  const connectors::ActionScope& last_scope() const { return last_scope_; }
  const nlohmann::json& last_corrections() const { return last_corrections_; }

  // The subjects Export was called with, in order (thread-safe).
  std::vector<connectors::Subject> subjects() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return subjects_;
  }

 private:
  std::vector<Record> records_;
  std::set<std::string> erased_collections_;
  bool crash_after_commit_ = false;
  std::optional<Status> failure_;
  std::optional<std::string> throw_text_;
  size_t fail_after_ = 0;
  mutable std::mutex mutex_;
  std::vector<connectors::Subject> subjects_;
  connectors::ActionScope last_scope_;
  nlohmann::json last_corrections_;
};

inline std::vector<MemoryConnector::Record> SampleRecords() {
  return {{"orders", {{"id", 1}, {"total", 19.99}, {"item", "Wanderschuhe"}}},
          {"orders", {{"id", 2}, {"total", 5}, {"item", "Socken"}}},
          {"orders", {{"id", 3}, {"total", 120}, {"item", "Rucksack"}}},
          {"contacts", {{"email", "jürgen.müller@example.org"}, {"kind", "primary"}}},
          {"contacts", {{"phone", "+49 30 1234567"}, {"kind", "mobile"}}}};
}

inline nlohmann::json SampleEraseTask(int attempt = 1) {
  return {{"task_id", "0f8fad5b-d9cb-469f-a165-70867728950e"},
          {"attempt", attempt},
          {"request_id", "7d7c2c6e-8b53-4a43-9d1a-0c6f1f4f0a11"},
          {"action", "erase"},
          {"subject", {{"email", "jürgen.müller@example.org"}}},
          {"scope", {{"mode", "subject"}}},
          {"credit", 64}};
}

inline nlohmann::json SampleTask(int attempt = 1) {
  return {{"task_id", "0f8fad5b-d9cb-469f-a165-70867728950e"},
          {"attempt", attempt},
          {"request_id", "7d7c2c6e-8b53-4a43-9d1a-0c6f1f4f0a11"},
          {"action", "export"},
          {"subject", {{"email", "jürgen.müller@example.org"}, {"name", "Jürgen Müller"}}},
          {"credit", 64}};
}

}  // namespace dsr::workers::testing
