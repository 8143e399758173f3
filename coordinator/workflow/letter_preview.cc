#include "coordinator/workflow/letter_preview.h"

#include "coordinator/workflow/completion.h"
#include "coordinator/workflow/letter_writer.h"

namespace dsr::workflow {
namespace {

// kConflict unless every task of the request has succeeded.
Status CheckTasksSettled(const store::Store& store, const std::string& request_id) {
  auto tasks = store.TasksOfRequest(request_id);
  if (!tasks.ok()) return tasks.status();
  int running = 0;
  std::string failed;
  for (const auto& task : *tasks) {
    switch (task.status) {
      case store::TaskStatus::kPending:
      case store::TaskStatus::kDispatched:
      case store::TaskStatus::kRunning:
        ++running;
        break;
      case store::TaskStatus::kFailed:
        if (failed.empty()) failed = task.source;
        break;
      case store::TaskStatus::kSucceeded:
      case store::TaskStatus::kCancelled:
        break;
    }
  }
  if (running > 0) {
    return Conflict("there is no letter to preview yet: " + std::to_string(running) + " of " +
                    std::to_string(tasks->size()) +
                    " tasks are still running, and the letter would leave out what they find");
  }
  if (!failed.empty()) {
    return Conflict("there is no letter to preview yet: the task of source " + failed +
                    " failed; retry it first, or the letter would leave that source out");
  }
  return Status::Ok();
}

}  // namespace

Result<std::string> PreviewLetter(const store::Store& store, const EngineSettings& settings,
                                  store::RequestRecord request, const std::string& language,
                                  CivilDate today) {
  if (!settings.letter_templates) return Internal("no letter templates are loaded");
  request.language = language;
  switch (request.status) {
    case store::RequestStatus::kReceived:
    case store::RequestStatus::kAwaitingIdentity:
      return Conflict(
          "there is no letter to preview yet: the identity is not checked, so no source has been "
          "searched");
    case store::RequestStatus::kCancelled:
      return Conflict("a cancelled request gets no letter");
    case store::RequestStatus::kRejected:
      return RenderClosingLetter(store, settings, request, today);
    case store::RequestStatus::kInProgress:
    case store::RequestStatus::kInReview:
    case store::RequestStatus::kCompleted:
      break;
  }
  DSR_RETURN_IF_ERROR(CheckTasksSettled(store, request.id));
  if (request.type != store::RequestType::kAccess) {
    return RenderClosingLetter(store, settings, request, today);
  }
  auto answer = BuildAccessAnswer(store, settings.sources, request.id, today);
  if (!answer.ok()) return answer.status();
  return RenderAccessLetter(settings, request, *answer);
}

}  // namespace dsr::workflow
