// OutcomeJournal: what a worker's erase and rectify actions did, kept on disk
// until the coordinator has surely stored it.
//
// Tasks are delivered at least once: a worker may take effect and then die
// (or its RESULT be given up) before the coordinator stores the result. The
// retry runs the idempotent action again, but it no longer finds what the
// first run changed (an anonymized customer matches no identity), so it would
// report `not_found` and the retained records' hold would be lost. The worker
// therefore writes each erase/rectify outcome list here, durably, before it
// sends the RESULT, and a retry of the same task merges it back in.
//
// One file per task, `<directory>/<task_id>.json`, replaced atomically. It
// holds the action, the attempt, when it was written and the outcomes
// (collections, kinds, counts, dates, legal bases and record keys), never an
// identity of the subject. Entries older than `keep` are removed: by then the
// coordinator has long stored the result. Used by one thread at a time.
#pragma once

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "common/clock.h"
#include "common/status.h"

namespace dsr::workers {

class OutcomeJournal {
 public:
  struct Entry {
    std::string action;  // "erase" or "rectify"
    int attempt = 0;
    nlohmann::json outcomes;  // as in RESULT.outcomes
  };

  // Creates `directory` (mode 0700) when it is missing.
  static Result<std::unique_ptr<OutcomeJournal>> Open(std::string directory,
                                                      std::chrono::hours keep, const Clock& clock);

  // The entry of `task_id`, or none. An entry that cannot be read is an
  // error: the task must not run without it.
  Result<std::optional<Entry>> Find(const std::string& task_id) const;
  // Writes (replaces) the entry of `task_id` durably: temporary file, fsync,
  // rename, fsync of the directory.
  Status Record(const std::string& task_id, const Entry& entry);
  // Removes the entries written more than `keep` ago; returns how many.
  int Prune();
  // Prune(), at most once an hour.
  void PruneIfDue();

  const std::string& directory() const { return directory_; }

 private:
  OutcomeJournal(std::string directory, std::chrono::hours keep, const Clock& clock)
      : directory_(std::move(directory)), keep_(keep), clock_(clock) {}
  Result<std::string> PathOf(const std::string& task_id) const;

  std::string directory_;
  std::chrono::hours keep_;
  const Clock& clock_;
  std::optional<Clock::MonotonicTime> last_pruned_;
};

}  // namespace dsr::workers
