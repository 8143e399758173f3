// GET /api/v1/requests/{id}/letter-preview?lang=de|en: the letter the request
// would get if it were answered now (workflow/letter_preview.h), as HTML the
// web interface shows in a frame. Nothing in the store changes.
#include "coordinator/api/handlers.h"
#include "coordinator/workflow/letter_preview.h"

namespace dsr::api {
namespace {

ApiResponse LetterPreview(const ApiContext& context, const ApiRequest& request) {
  if (context.letter_settings == nullptr)
    return ErrorResponse(Internal("letter previews are not configured"));
  auto found = context.store.GetRequest(request.params.at("id"));
  if (!found.ok()) return ErrorResponse(found.status());
  if (found->purged_at) return PurgedResponse(found->id, *found->purged_at, "letter");
  std::string language = found->language;
  if (auto lang = request.query.find("lang"); lang != request.query.end()) {
    if (lang->second != "de" && lang->second != "en")
      return ErrorResponse(InvalidArgument("lang must be de or en"));
    language = lang->second;
  }
  auto html = workflow::PreviewLetter(context.store, *context.letter_settings, *found, language,
                                      DeadlinesNow(context).today);
  if (!html.ok()) return ErrorResponse(html.status());
  ApiResponse response;
  response.raw_body = std::move(html.value());
  response.content_type = "text/html; charset=utf-8";
  AllowInFrame(response);
  return response;
}

}  // namespace

std::vector<Route> LetterPreviewRoutes(const ApiContext& context) {
  const ApiContext* c = &context;
  return {{"GET", "/api/v1/requests/{id}/letter-preview", auth::Access::kCaseWork,
           [c](const ApiRequest& r) { return LetterPreview(*c, r); }}};
}

}  // namespace dsr::api
