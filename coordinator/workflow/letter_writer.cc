#include "coordinator/workflow/letter_writer.h"

#include <nlohmann/json.hpp>

#include "common/digest.h"
#include "common/durable_file.h"
#include "connectors/connector.h"

namespace dsr::workflow {
namespace {

letters::LetterKind KindOf(const store::RequestRecord& request) {
  if (request.status == store::RequestStatus::kRejected) return letters::LetterKind::kRejection;
  switch (request.type) {
    case store::RequestType::kAccess:
      return letters::LetterKind::kAccess;
    case store::RequestType::kRectification:
      return letters::LetterKind::kRectification;
    case store::RequestType::kErasure:
      return letters::LetterKind::kErasure;
  }
  return letters::LetterKind::kAccess;
}

letters::RequestType LetterRequestType(store::RequestType type) {
  switch (type) {
    case store::RequestType::kAccess:
      return letters::RequestType::kAccess;
    case store::RequestType::kRectification:
      return letters::RequestType::kRectification;
    case store::RequestType::kErasure:
      return letters::RequestType::kErasure;
  }
  return letters::RequestType::kAccess;
}

letters::RejectionGround GroundOf(const std::string& ground) {
  if (ground == "manifestly_unfounded") return letters::RejectionGround::kManifestlyUnfounded;
  if (ground == "excessive") return letters::RejectionGround::kExcessive;
  if (ground == "identity_not_established")
    return letters::RejectionGround::kIdentityNotEstablished;
  return letters::RejectionGround::kOther;
}

letters::OutcomeKind LetterOutcome(const std::string& kind) {
  auto parsed = connectors::ParseOutcomeKind(kind);
  switch (parsed.ok() ? *parsed : connectors::OutcomeKind::kNotApplicable) {
    case connectors::OutcomeKind::kErased:
      return letters::OutcomeKind::kErased;
    case connectors::OutcomeKind::kAnonymized:
      return letters::OutcomeKind::kAnonymized;
    case connectors::OutcomeKind::kRetained:
      return letters::OutcomeKind::kRetained;
    case connectors::OutcomeKind::kUpdated:
      return letters::OutcomeKind::kUpdated;
    case connectors::OutcomeKind::kNotFound:
      return letters::OutcomeKind::kNotFound;
    case connectors::OutcomeKind::kNotApplicable:
      return letters::OutcomeKind::kNotApplicable;
  }
  return letters::OutcomeKind::kNotApplicable;
}

std::vector<letters::Correction> CorrectionsOf(const std::optional<std::string>& text) {
  std::vector<letters::Correction> corrections;
  if (!text) return corrections;
  const auto json = nlohmann::json::parse(*text, nullptr, false);
  if (!json.is_object()) return corrections;
  for (const auto& [attribute, value] : json.items()) {
    if (attribute == "name") {
      corrections.push_back(
          {attribute, letters::PersonName{value.value("given", ""), value.value("family", "")}});
    } else if (attribute == "postal_address") {
      corrections.push_back(
          {attribute,
           letters::PostalAddress{value.value("street", ""), value.value("postal_code", ""),
                                  value.value("city", ""), value.value("country", "")}});
    } else if (value.is_string()) {
      corrections.push_back({attribute, value.get<std::string>()});
    }
  }
  return corrections;
}

// The sources with their records of processing, in config order.
std::vector<letters::LetterSource> SourcesOf(const EngineSettings& settings) {
  std::vector<letters::LetterSource> sources;
  for (const auto& record : settings.records_of_processing) {
    letters::LetterSource source;
    source.name = record.name;
    source.title = record.title;
    source.record = record.record.value_or(letters::RecordOfProcessing{});
    sources.push_back(std::move(source));
  }
  return sources;
}

letters::LetterInput BaseInput(const EngineSettings& settings, const store::RequestRecord& request,
                               CivilDate today) {
  letters::LetterInput input;
  input.controller = settings.controller_info;
  input.request = {request.id, KindOf(request), request.language, request.received_on, today};
  input.sources = SourcesOf(settings);
  return input;
}

}  // namespace

Result<std::string> RenderAccessLetter(const EngineSettings& settings,
                                       const store::RequestRecord& request,
                                       const AccessAnswer& answer) {
  letters::LetterInput input = BaseInput(settings, request, answer.bundle.answered_on);
  input.request.kind = letters::LetterKind::kAccess;
  for (auto& source : input.sources) {
    for (const auto& bundled : answer.bundle.sources) {
      if (bundled.name != source.name) continue;
      for (const auto& collection : bundled.collections) {
        source.collections.push_back({collection.name, bundle::RecordsToWrite(collection)});
      }
    }
    const auto withheld = answer.withheld.find(source.name);
    if (withheld == answer.withheld.end()) continue;
    if (withheld->second.other_people > 0) {
      source.withheld.push_back(
          {letters::WithholdingReason::kConcernsOtherPeople, withheld->second.other_people});
    }
    if (withheld->second.uncertain > 0) {
      source.withheld.push_back(
          {letters::WithholdingReason::kUncertainMatch, withheld->second.uncertain});
    }
    source.redacted_records = withheld->second.partly_redacted;
  }
  return settings.letter_templates->Render(input);
}

Result<std::string> RenderClosingLetter(const store::Store& store, const EngineSettings& settings,
                                        const store::RequestRecord& request, CivilDate today) {
  letters::LetterInput input = BaseInput(settings, request, today);
  if (input.request.kind == letters::LetterKind::kRejection) {
    input.rejection = {GroundOf(request.closing_ground.value_or("other")),
                       LetterRequestType(request.type), request.closing_reason.value_or("")};
    return settings.letter_templates->Render(input);
  }
  auto tasks = store.TasksOfRequest(request.id);
  auto outcomes = store.OutcomesOfRequest(request.id);
  if (!tasks.ok()) return tasks.status();
  if (!outcomes.ok()) return outcomes.status();
  for (auto& source : input.sources) {
    for (const auto& task : *tasks) {
      if (task.source != source.name) continue;
      for (const auto& outcome : *outcomes) {
        if (outcome.task_id != task.id) continue;
        source.outcomes.push_back({outcome.collection, LetterOutcome(outcome.kind), outcome.records,
                                   outcome.retained_until, outcome.legal_basis.value_or("")});
      }
    }
  }
  input.corrections = CorrectionsOf(request.corrections);
  return settings.letter_templates->Render(input);
}

Result<std::string> LetterWriter::RenderAccess(const store::RequestRecord& request,
                                               const AccessAnswer& answer) const {
  return RenderAccessLetter(settings_, request, answer);
}

Result<std::string> LetterWriter::RenderClosing(const store::RequestRecord& request) const {
  return RenderClosingLetter(store_, settings_, request, LocalDate(clock_.Now()));
}

Result<std::string> LetterWriter::RenderExtension(const store::RequestRecord& request) const {
  if (!request.extended_due_on || !request.extension_reason) {
    return Conflict("the deadline of request " + request.id + " was not extended");
  }
  letters::LetterInput input = BaseInput(settings_, request, LocalDate(clock_.Now()));
  input.request.kind = letters::LetterKind::kExtension;
  input.extension = {LetterRequestType(request.type), request.due_on, *request.extended_due_on,
                     *request.extension_reason};
  return settings_.letter_templates->Render(input);
}

Status LetterWriter::Write(const std::string& request_id) {
  auto request = store_.GetRequest(request_id);
  if (!request.ok()) return request.status();
  auto html = RenderClosing(*request);
  if (!html.ok()) return html.status().WithContext("letter for request " + request_id);
  return Keep(request_id, KindOf(*request), request_id + ".html", *html);
}

Status LetterWriter::WriteExtension(const std::string& request_id) {
  auto request = store_.GetRequest(request_id);
  if (!request.ok()) return request.status();
  auto html = RenderExtension(*request);
  if (!html.ok()) return html.status().WithContext("extension letter for request " + request_id);
  return Keep(request_id, letters::LetterKind::kExtension, request_id + ".extension.html", *html);
}

Status LetterWriter::Keep(const std::string& request_id, letters::LetterKind kind,
                          const std::string& file_name, const std::string& html) {
  const std::string folder = settings_.data_dir + "/letters";
  DSR_RETURN_IF_ERROR(MakePrivateDirectories(folder));
  const std::string path = folder + "/" + file_name;
  DSR_RETURN_IF_ERROR(WriteFileAtomically(path, html, store_.data_keys()));
  const std::string now = FormatUtc(clock_.Now());
  return store_.Write([&](store::StoreWriter& writer) -> Status {
    auto current = writer.GetRequest(request_id);
    if (!current.ok()) return current.status();
    if (kind == letters::LetterKind::kExtension) {
      current->extension_letter_path = path;
    } else {
      current->letter_path = path;
    }
    current->updated_at = now;
    DSR_RETURN_IF_ERROR(writer.UpdateRequest(*current));
    store::EventRecord event;
    event.request_id = request_id;
    event.at = now;
    event.kind = "letter.written";
    event.actor = "system";
    event.details = nlohmann::json{{"kind", std::string(letters::ToString(kind))},
                                   {"language", current->language},
                                   {"sha256", Sha256Hex(html)}}
                        .dump();
    return writer.AppendEvent(std::move(event));
  });
}

}  // namespace dsr::workflow
