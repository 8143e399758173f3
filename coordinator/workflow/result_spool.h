// ResultSpool: writes the records a worker streams for a task to disk as the
// chunks arrive, so no export ever passes through memory whole.
//
// Layout: <root>/<request_id>/<task_id>/<collection>.jsonl (JSON Lines, one
// record envelope per line, as the worker sent it), and for a record whose
// original was streamed as piece lines (schemas/README.md), the decoded
// original in <collection>.originals/<line> (bundle::StreamedOriginalPath),
// written piece by piece as it arrives: no original is ever held in memory
// whole. A chunk is checked whole before any of it is written.
// One attempt per task is open at a time; Begin() of a new attempt discards
// what an earlier one left. Chunks must arrive in order (seq 0, 1, 2 …) and
// each must hold exactly the records its header announces, each a JSON
// object; Finish() checks the totals the worker reports and makes the files
// durable. Any mismatch is an error and the caller retries the task.
// Not thread-safe: owned by the engine thread.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/data_protection.h"
#include "common/status.h"
#include "coordinator/store/model.h"

namespace dsr::workflow {

class ResultSpool {
 public:
  // With `keys`, every file is encrypted (common/data_protection.h).
  explicit ResultSpool(std::string root, const DataKeyring* keys = nullptr);
  ~ResultSpool();

  Status Begin(const std::string& request_id, const std::string& task_id, int attempt);
  Status Append(const std::string& task_id, int attempt, int64_t seq, const std::string& collection,
                int64_t records, std::string_view payload);
  // `reported` is the worker's count of records per collection.
  Result<std::vector<store::ResultRecord>> Finish(const std::string& task_id, int attempt,
                                                  int64_t chunks,
                                                  const std::map<std::string, int64_t>& reported);
  // Drops the open attempt of a task and its files.
  void Abandon(const std::string& task_id);
  // Removes every spooled file of a request; adds the files and folders removed to
  // `removed` when given. Errors other than "not there" are kInternal.
  Status RemoveRequest(const std::string& request_id, int* removed = nullptr);

 private:
  struct OpenAttempt;
  struct OpenOriginal;
  Status OpenOriginalFile(OpenAttempt& open, const std::string& collection, int64_t line,
                          int64_t bytes);
  // Checks a chunk against the attempt's state; returns per record the size
  // of its streamed original, -1 for none.
  static Result<std::vector<int64_t>> CheckChunk(const OpenAttempt& open,
                                                 const std::string& collection, int64_t records,
                                                 std::string_view payload);
  Status AppendPiece(OpenAttempt& open, std::string_view text);
  static Status CloseOriginal(OpenOriginal& original);
  std::string root_;
  const DataKeyring* keys_;
  std::map<std::string, std::unique_ptr<OpenAttempt>> open_;  // by task id
};

}  // namespace dsr::workflow
