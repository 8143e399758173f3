#include "coordinator/workflow/purge.h"

#include <filesystem>
#include <nlohmann/json.hpp>

#include "common/log.h"
#include "coordinator/workflow/request_changes.h"

namespace dsr::workflow {
namespace {

// A few hundred per pass keeps one pass short; the rest follow on the next.
constexpr int kPurgeBatch = 200;

// Removes `path` and what a crashed write may have left beside it; counts
// what was there. An error other than "not there" fails the purge.
Status RemoveFile(const std::string& path, int* removed) {
  for (const std::string& candidate : {path, path + ".partial"}) {
    std::error_code error;
    if (std::filesystem::remove(candidate, error)) ++*removed;
    if (error) return Internal("purge: cannot remove " + candidate + ": " + error.message());
  }
  return Status::Ok();
}

}  // namespace

Result<int> Purger::PurgeDue() {
  const auto now_instant = clock_.Now();
  const std::string now = FormatUtc(now_instant);
  const std::string closed_before =
      FormatUtc(now_instant - std::chrono::hours(24) * purge_after_days_);
  int purged = 0;
  auto due = store_.RequestsDueForPurge(closed_before, kPurgeBatch);
  if (!due.ok()) return due.status();
  for (const auto& id : *due) {
    DSR_RETURN_IF_ERROR(PurgeRequest(id, now));
    ++purged;
  }
  auto kept = store_.PurgedRequestsKeepingSubject();
  if (!kept.ok()) return kept.status();
  for (const auto& id : *kept) {
    DSR_RETURN_IF_ERROR(ClearKeptSubject(id, now));
    ++purged;
  }
  if (purged > 0) DSR_RETURN_IF_ERROR(store_.CompactAfterPurge());
  return purged;
}

Status Purger::PurgeRequest(const std::string& request_id, const std::string& now) {
  auto request = store_.GetRequest(request_id);
  if (!request.ok()) return request.status();
  store::HoldFilter filter;
  filter.status = store::HoldStatus::kActive;
  filter.request_id = request_id;
  auto holds = store_.ListHolds(filter);
  if (!holds.ok()) return holds.status();
  const bool keep_subject = !holds->empty();

  int paths_removed = 0;
  DSR_RETURN_IF_ERROR(spool_.RemoveRequest(request_id, &paths_removed));
  if (request->bundle) DSR_RETURN_IF_ERROR(RemoveFile(request->bundle->path, &paths_removed));
  if (request->letter_path) DSR_RETURN_IF_ERROR(RemoveFile(*request->letter_path, &paths_removed));
  if (request->extension_letter_path) {
    DSR_RETURN_IF_ERROR(RemoveFile(*request->extension_letter_path, &paths_removed));
  }
  DSR_RETURN_IF_ERROR(store_.Write([&](store::StoreWriter& writer) -> Status {
    DSR_RETURN_IF_ERROR(writer.PurgeRequest(request_id, now, keep_subject));
    nlohmann::json details = {{"paths_removed", paths_removed},
                              {"closed_at", request->completed_at.value_or("")},
                              {"identities_kept_for_holds", keep_subject}};
    return writer.AppendEvent(MakeEvent(request_id, now, "request.purged", "system", details));
  }));
  LogInfo("purge", "request " + request_id + ": personal data purged (" +
                       std::to_string(paths_removed) + " files and folders)" +
                       (keep_subject ? "; identities kept until its holds end" : ""));
  return Status::Ok();
}

Status Purger::ClearKeptSubject(const std::string& request_id, const std::string& now) {
  DSR_RETURN_IF_ERROR(store_.Write([&](store::StoreWriter& writer) -> Status {
    DSR_RETURN_IF_ERROR(writer.ClearKeptSubject(request_id));
    return writer.AppendEvent(
        MakeEvent(request_id, now, "request.purged", "system", {{"identities_cleared", true}}));
  }));
  LogInfo("purge", "request " + request_id + ": identities kept for its holds cleared");
  return Status::Ok();
}

}  // namespace dsr::workflow
