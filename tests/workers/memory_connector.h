// An in-memory connector for the worker tests: exports a fixed list of
// records, and can be told to fail with a Status or to throw part-way.
#pragma once

#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "connectors/connector.h"

namespace dsr::workers::testing {

class MemoryConnector final : public connectors::Connector {
 public:
  using Record = std::pair<std::string, nlohmann::json>;  // collection, record

  explicit MemoryConnector(std::vector<Record> records = {}) : records_(std::move(records)) {}

  // After `after` records, Export returns `status`.
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
    for (const auto& record : records_) ++report.records_per_collection[record.first];
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
      DSR_RETURN_IF_ERROR(sink.Add(records_[i].first, records_[i].second));
    }
    return Status::Ok();
  }

  // The subjects Export was called with, in order (thread-safe).
  std::vector<connectors::Subject> subjects() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return subjects_;
  }

 private:
  std::vector<Record> records_;
  std::optional<Status> failure_;
  std::optional<std::string> throw_text_;
  size_t fail_after_ = 0;
  mutable std::mutex mutex_;
  std::vector<connectors::Subject> subjects_;
};

inline std::vector<MemoryConnector::Record> SampleRecords() {
  return {{"orders", {{"id", 1}, {"total", 19.99}, {"item", "Wanderschuhe"}}},
          {"orders", {{"id", 2}, {"total", 5}, {"item", "Socken"}}},
          {"orders", {{"id", 3}, {"total", 120}, {"item", "Rucksack"}}},
          {"contacts", {{"email", "jürgen.müller@example.org"}, {"kind", "primary"}}},
          {"contacts", {{"phone", "+49 30 1234567"}, {"kind", "mobile"}}}};
}

inline nlohmann::json SampleTask(int attempt = 1) {
  return {{"task_id", "0f8fad5b-d9cb-469f-a165-70867728950e"},
          {"attempt", attempt},
          {"request_id", "7d7c2c6e-8b53-4a43-9d1a-0c6f1f4f0a11"},
          {"action", "export"},
          {"subject", {{"email", "jürgen.müller@example.org"}, {"name", "Jürgen Müller"}}}};
}

}  // namespace dsr::workers::testing
