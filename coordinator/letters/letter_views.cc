// LetterView: the values each letter template receives (templates/README.md).
#include <set>
#include <utility>

#include "coordinator/letters/views.h"
#include "coordinator/letters/wording.h"

namespace dsr::letters {
namespace {

using Json = nlohmann::json;

const std::string& TitleOf(const LetterSource& source) {
  return source.title.empty() ? source.name : source.title;
}

int64_t TotalRecords(const LetterSource& source) {
  int64_t total = 0;
  for (const auto& collection : source.collections) total += collection.records;
  return total;
}

// Art. 19: the recipients of every source in `changed`, each named once.
Json RecipientsToTell(const std::vector<const LetterSource*>& changed, std::string_view language) {
  Json recipients = Json::array();
  std::set<std::pair<std::string, std::string>> seen;
  for (const LetterSource* source : changed) {
    for (const auto& recipient : source->record.recipients) {
      if (recipient.kind == RecipientKind::kInternal) continue;
      if (!seen.insert({recipient.name, recipient.country}).second) continue;
      recipients.push_back({{"name", recipient.name},
                            {"kind", RecipientKindLabel(recipient.kind, language)},
                            {"country", CountryName(recipient.country, language)}});
    }
  }
  return recipients;
}

// "Where we looked": a source, its folder and its records per collection.
Json SearchedSourceView(const LetterSource& source, std::string_view language) {
  Json collections = Json::array();
  for (const auto& collection : source.collections) {
    if (collection.records == 0) continue;
    collections.push_back(
        {{"name", collection.name}, {"records", RecordsPhrase(collection.records, language)}});
  }
  const int64_t records = TotalRecords(source);
  return {{"title", TitleOf(source)},
          {"folder", source.name},
          {"found", records > 0},
          {"records", RecordsPhrase(records, language)},
          {"collections", std::move(collections)}};
}

// Art. 15(4): what was left out of `source`, and what was given with parts removed.
void AddWithheld(const LetterSource& source, std::string_view language, Json* withheld,
                 Json* redacted) {
  for (const auto& item : source.withheld) {
    if (item.records == 0) continue;
    withheld->push_back(
        {{"title", TitleOf(source)},
         {"records", RecordsPhrase(item.records, language)},
         {"concerns_other_people", item.reason == WithholdingReason::kConcernsOtherPeople},
         {"uncertain_match", item.reason == WithholdingReason::kUncertainMatch},
         {"trade_secrets", item.reason == WithholdingReason::kTradeSecrets}});
  }
  if (source.redacted_records > 0) {
    redacted->push_back({{"title", TitleOf(source)},
                         {"records", RecordsPhrase(source.redacted_records, language)}});
  }
}

void AccessView(const LetterInput& input, Json* view) {
  const std::string& language = input.request.language;
  int64_t total = 0;
  Json sources = Json::array(), processing = Json::array(), withheld = Json::array(),
       redacted = Json::array();
  for (const auto& source : input.sources) {
    total += TotalRecords(source);
    sources.push_back(SearchedSourceView(source, language));
    // Art. 15(1) speaks of data that is processed: sources without any
    // records of the subject add nothing to it.
    if (TotalRecords(source) > 0) {
      Json record = RecordView(source.record, language);
      record["title"] = TitleOf(source);
      processing.push_back(std::move(record));
    }
    AddWithheld(source, language, &withheld, &redacted);
  }
  (*view)["found"] = total > 0;
  (*view)["total"] = RecordsPhrase(total, language);
  (*view)["sources"] = std::move(sources);
  (*view)["processing"] = std::move(processing);
  (*view)["has_withheld"] = !withheld.empty() || !redacted.empty();
  (*view)["withheld"] = std::move(withheld);
  (*view)["redacted"] = std::move(redacted);
}

Json CorrectionView(const Correction& correction, std::string_view language) {
  Json parts = Json::array();
  const auto part = [&](const char* attribute, const std::string& value) {
    if (!value.empty())
      parts.push_back({{"label", AttributeLabel(attribute, language)}, {"value", value}});
  };
  Json view = {{"label", AttributeLabel(correction.attribute, language)}};
  if (const auto* text = std::get_if<std::string>(&correction.value)) {
    view["value"] = *text;
  } else if (const auto* name = std::get_if<PersonName>(&correction.value)) {
    part("given", name->given);
    part("family", name->family);
  } else if (const auto* address = std::get_if<PostalAddress>(&correction.value)) {
    part("street", address->street);
    part("postal_code", address->postal_code);
    part("city", address->city);
    if (!address->country.empty()) part("country", CountryName(address->country, language));
  }
  view["has_parts"] = !parts.empty();
  view["parts"] = std::move(parts);
  return view;
}

void RectificationView(const LetterInput& input, Json* view) {
  const std::string& language = input.request.language;
  Json corrections = Json::array(), changed = Json::array(), unchanged = Json::array();
  for (const auto& correction : input.corrections) {
    corrections.push_back(CorrectionView(correction, language));
  }
  std::vector<const LetterSource*> changed_sources;
  for (const auto& source : input.sources) {
    Json collections = Json::array();
    for (const auto& outcome : source.outcomes) {
      if (outcome.kind != OutcomeKind::kUpdated || outcome.records == 0) continue;
      collections.push_back(
          {{"name", outcome.collection}, {"records", RecordsPhrase(outcome.records, language)}});
    }
    if (collections.empty()) {
      unchanged.push_back({{"title", TitleOf(source)}});
      continue;
    }
    changed_sources.push_back(&source);
    changed.push_back({{"title", TitleOf(source)}, {"collections", std::move(collections)}});
  }
  (*view)["corrections"] = std::move(corrections);
  (*view)["has_changed"] = !changed.empty();
  (*view)["changed"] = std::move(changed);
  (*view)["has_unchanged"] = !unchanged.empty();
  (*view)["unchanged"] = std::move(unchanged);
  Json recipients = RecipientsToTell(changed_sources, language);
  (*view)["has_recipients"] = !recipients.empty();
  (*view)["recipients"] = std::move(recipients);
}

Json ErasureSourceView(const LetterSource& source, std::string_view language) {
  Json erased = Json::array(), anonymized = Json::array(), retained = Json::array();
  for (const auto& outcome : source.outcomes) {
    if (outcome.records == 0) continue;
    Json item = {{"collection", outcome.collection},
                 {"records", RecordsPhrase(outcome.records, language)}};
    if (outcome.kind == OutcomeKind::kErased) erased.push_back(std::move(item));
    if (outcome.kind == OutcomeKind::kAnonymized) anonymized.push_back(std::move(item));
    if (outcome.kind == OutcomeKind::kRetained) {
      item["until"] = FormatDate(*outcome.retained_until, language);
      item["legal_basis"] = outcome.legal_basis;
      retained.push_back(std::move(item));
    }
  }
  const bool nothing = erased.empty() && anonymized.empty() && retained.empty();
  Json view = {{"title", TitleOf(source)}, {"nothing_found", nothing}};
  view["has_erased"] = !erased.empty();
  view["erased"] = std::move(erased);
  view["has_anonymized"] = !anonymized.empty();
  view["anonymized"] = std::move(anonymized);
  view["has_retained"] = !retained.empty();
  view["retained"] = std::move(retained);
  return view;
}

void ErasureView(const LetterInput& input, Json* view) {
  const std::string& language = input.request.language;
  Json sources = Json::array();
  bool any_retained = false;
  std::vector<const LetterSource*> changed_sources;
  for (const auto& source : input.sources) {
    Json item = ErasureSourceView(source, language);
    any_retained = any_retained || item["has_retained"].get<bool>();
    if (!item["nothing_found"].get<bool>()) changed_sources.push_back(&source);
    sources.push_back(std::move(item));
  }
  (*view)["sources"] = std::move(sources);
  (*view)["has_retained"] = any_retained;
  (*view)["nothing_anywhere"] = changed_sources.empty();
  Json recipients = RecipientsToTell(changed_sources, language);
  (*view)["has_recipients"] = !recipients.empty();
  (*view)["recipients"] = std::move(recipients);
}

std::string RequestTypeLabel(RequestType type, std::string_view language) {
  static constexpr std::pair<const char*, const char*> kLabels[] = {
      {"Auskunft nach Art. 15 DSGVO", "access to your data, Art. 15 GDPR"},
      {"Berichtigung nach Art. 16 DSGVO", "rectification, Art. 16 GDPR"},
      {"Löschung nach Art. 17 DSGVO", "erasure, Art. 17 GDPR"},
      {"Einschränkung der Verarbeitung nach Art. 18 DSGVO",
       "restriction of processing, Art. 18 GDPR"},
      {"Datenübertragbarkeit nach Art. 20 DSGVO", "data portability, Art. 20 GDPR"},
      {"Widerspruch nach Art. 21 DSGVO", "objection, Art. 21 GDPR"},
  };
  const auto& label = kLabels[static_cast<size_t>(type)];
  return language == "de" ? label.first : label.second;
}

void RejectionView(const LetterInput& input, Json* view) {
  const Rejection& rejection = input.rejection;
  (*view)["request_type"] = RequestTypeLabel(rejection.request_type, input.request.language);
  (*view)["reason"] = rejection.reason;
  (*view)["manifestly_unfounded"] = rejection.ground == RejectionGround::kManifestlyUnfounded;
  (*view)["excessive"] = rejection.ground == RejectionGround::kExcessive;
  (*view)["identity_not_established"] =
      rejection.ground == RejectionGround::kIdentityNotEstablished;
  (*view)["other_ground"] = rejection.ground == RejectionGround::kOther;
}

void ExtensionView(const LetterInput& input, Json* view) {
  const Extension& extension = input.extension;
  const std::string& language = input.request.language;
  (*view)["request_type"] = RequestTypeLabel(extension.request_type, language);
  (*view)["original_due_on"] = FormatDate(extension.original_due_on, language);
  (*view)["extended_due_on"] = FormatDate(extension.extended_due_on, language);
  (*view)["reason"] = extension.reason;
}

}  // namespace

Json LetterView(const LetterInput& input) {
  const LetterRequest& request = input.request;
  Json view = {{"lang", request.language},
               {"request_id", request.id},
               {"received_on", FormatDate(request.received_on, request.language)},
               {"answered_on", FormatDate(request.answered_on, request.language)}};
  AddControllerView(input.controller, &view);
  switch (request.kind) {
    case LetterKind::kAccess:
      AccessView(input, &view);
      break;
    case LetterKind::kRectification:
      RectificationView(input, &view);
      break;
    case LetterKind::kErasure:
      ErasureView(input, &view);
      break;
    case LetterKind::kRejection:
      RejectionView(input, &view);
      break;
    case LetterKind::kExtension:
      ExtensionView(input, &view);
      break;
  }
  return view;
}

}  // namespace dsr::letters
