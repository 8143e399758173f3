// Parsing of the `record_of_processing` and `controller` config objects.
// The schema (schemas/config/coordinator.json) has checked types, required
// keys and enumerations already, so this file only maps names to values.
#include "coordinator/letters/record_of_processing.h"

#include <fnmatch.h>

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>
#include <utility>

namespace dsr::letters {
namespace {

using Json = nlohmann::json;

constexpr std::array<std::string_view, 16> kLegalBasisNames{
    "art6_1_a", "art6_1_b", "art6_1_c", "art6_1_d", "art6_1_e", "art6_1_f", "art9_2_a", "art9_2_b",
    "art9_2_c", "art9_2_d", "art9_2_e", "art9_2_f", "art9_2_g", "art9_2_h", "art9_2_i", "art9_2_j"};
constexpr std::array<std::string_view, 4> kRecipientKindNames{"processor", "controller",
                                                              "authority", "internal"};
constexpr std::array<std::string_view, 6> kSafeguardNames{
    "adequacy_decision",       "standard_contractual_clauses",
    "binding_corporate_rules", "code_of_conduct",
    "certification",           "derogation"};

template <typename Enum, size_t N>
Result<Enum> ParseName(const std::array<std::string_view, N>& names, std::string_view text,
                       const char* what) {
  for (size_t i = 0; i < N; ++i) {
    if (names[i] == text) return static_cast<Enum>(i);
  }
  return InvalidArgument(std::string("unknown ") + what + " '" + std::string(text) + "'");
}

template <typename Enum, size_t N>
std::string_view NameOf(const std::array<std::string_view, N>& names, Enum value) {
  const auto index = static_cast<size_t>(value);
  return index < N ? names[index] : "?";
}

// A text is a string (every language) or {"de": …, "en": …}.
LocalizedText Text(const Json& object, const char* key) {
  LocalizedText text;
  const auto found = object.find(key);
  if (found == object.end()) return text;
  if (found->is_string()) {
    text.Set("", found->get<std::string>());
  } else {
    for (const auto& [language, value] : found->items())
      text.Set(language, value.get<std::string>());
  }
  return text;
}

std::vector<LocalizedText> Texts(const Json& object, const char* key) {
  std::vector<LocalizedText> texts;
  const auto found = object.find(key);
  if (found == object.end()) return texts;
  for (const auto& item : *found) {
    const Json holder = {{"text", item}};
    texts.push_back(Text(holder, "text"));
  }
  return texts;
}

// Values the schema guarantees to be in the enumeration; an unknown one
// (schema and code out of step) is dropped rather than guessed.
template <typename Enum, size_t N>
std::vector<Enum> Enums(const Json& object, const char* key,
                        const std::array<std::string_view, N>& names) {
  std::vector<Enum> values;
  for (const auto& item : object.value(key, Json::array())) {
    auto value = ParseName<Enum>(names, item.get<std::string>(), key);
    if (value.ok()) values.push_back(*value);
  }
  return values;
}

DataCategory ParseCategory(const Json& json) {
  DataCategory category;
  category.name = Text(json, "name");
  category.description = Text(json, "description");
  category.legal_bases = Enums<LegalBasis>(json, "legal_basis", kLegalBasisNames);
  category.legal_basis_note = Text(json, "legal_basis_note");
  if (json.contains("retention")) {
    const Json& retention = json.at("retention");
    if (retention.contains("years")) category.retention.years = retention.at("years").get<int>();
    category.retention.text = Text(retention, "text");
  }
  return category;
}

Result<Recipient> ParseRecipient(const Json& json, const std::string& where) {
  Recipient recipient;
  recipient.name = json.at("name").get<std::string>();
  auto kind = ParseName<RecipientKind>(kRecipientKindNames, json.at("kind").get<std::string>(),
                                       "recipient kind");
  if (!kind.ok()) return ValidationError(where + ".kind: " + kind.status().message());
  recipient.kind = *kind;
  recipient.purpose = Text(json, "purpose");
  recipient.country = json.at("country").get<std::string>();
  if (json.contains("data_processing_agreement")) {
    const Json& agreement = json.at("data_processing_agreement");
    auto signed_on = CivilDate::Parse(agreement.at("signed_on").get<std::string>());
    if (!signed_on.ok()) {
      return ValidationError(
          where + ".data_processing_agreement.signed_on: " + signed_on.status().message());
    }
    recipient.agreement = DataProcessingAgreement{*signed_on, agreement.value("reference", "")};
  }
  return recipient;
}

ThirdCountryTransfer ParseTransfer(const Json& json) {
  ThirdCountryTransfer transfer;
  transfer.country = json.at("country").get<std::string>();
  transfer.recipient = json.at("recipient").get<std::string>();
  transfer.safeguards = Enums<Safeguard>(json, "safeguards", kSafeguardNames);
  transfer.note = Text(json, "note");
  return transfer;
}

}  // namespace

LocalizedText::LocalizedText(std::string text) {
  Set("", std::move(text));
}

LocalizedText::LocalizedText(const char* text) : LocalizedText(std::string(text)) {}

LocalizedText LocalizedText::Of(std::string de, std::string en) {
  LocalizedText text;
  text.Set("de", std::move(de));
  text.Set("en", std::move(en));
  return text;
}

void LocalizedText::Set(const std::string& language, std::string text) {
  if (text.empty()) {
    texts_.erase(language);
  } else {
    texts_[language] = std::move(text);
  }
}

const std::string& LocalizedText::In(std::string_view language) const {
  static const std::string kEmpty;
  for (const std::string_view candidate :
       {language, std::string_view(), std::string_view("en"), std::string_view("de")}) {
    const auto found = texts_.find(candidate);
    if (found != texts_.end()) return found->second;
  }
  return texts_.empty() ? kEmpty : texts_.begin()->second;
}

std::string_view ToString(LegalBasis basis) {
  return NameOf(kLegalBasisNames, basis);
}

Result<LegalBasis> ParseLegalBasis(std::string_view text) {
  return ParseName<LegalBasis>(kLegalBasisNames, text, "legal basis");
}

std::string_view ToString(RecipientKind kind) {
  return NameOf(kRecipientKindNames, kind);
}

std::string_view ToString(Safeguard safeguard) {
  return NameOf(kSafeguardNames, safeguard);
}

Result<RecordOfProcessing> ParseRecordOfProcessing(const nlohmann::json& json,
                                                   const std::string& where) {
  const std::string path = where + ".record_of_processing";
  RecordOfProcessing record;
  record.activity = Text(json, "activity");
  record.purposes = Texts(json, "purposes");
  record.data_subjects = Texts(json, "data_subjects");
  for (const auto& category : json.value("categories", Json::array())) {
    record.categories.push_back(ParseCategory(category));
  }
  const Json recipients = json.value("recipients", Json::array());
  for (size_t i = 0; i < recipients.size(); ++i) {
    auto recipient = ParseRecipient(recipients[i], path + ".recipients[" + std::to_string(i) + "]");
    if (!recipient.ok()) return recipient.status();
    record.recipients.push_back(std::move(*recipient));
  }
  record.storage_location = Text(json, "storage_location");
  if (json.contains("data_locations")) {
    record.data_locations = json.at("data_locations").get<std::vector<std::string>>();
  }
  for (const auto& transfer : json.value("third_country_transfers", Json::array())) {
    record.transfers.push_back(ParseTransfer(transfer));
  }
  record.access = Texts(json, "access");
  record.measures = Texts(json, "measures");
  if (json.contains("origin")) {
    record.origin.from_subject = json.at("origin").value("from_subject", true);
    record.origin.other_sources = Texts(json.at("origin"), "other_sources");
  }
  if (json.contains("automated_decisions")) {
    const Json& decisions = json.at("automated_decisions");
    record.automated_decisions.used = decisions.value("used", false);
    record.automated_decisions.logic = Text(decisions, "logic");
    record.automated_decisions.consequences = Text(decisions, "consequences");
  }
  return record;
}

ControllerInfo ParseControllerInfo(const nlohmann::json& json) {
  ControllerInfo controller;
  controller.name = json.value("name", "");
  controller.contact = json.value("contact", "");
  controller.address = json.value("address", "");
  const Json dpo = json.value("dpo", Json::object());
  controller.dpo_name = dpo.value("name", "");
  controller.dpo_contact = dpo.value("contact", "");
  const Json authority = json.value("supervisory_authority", Json::object());
  controller.authority.name = authority.value("name", "");
  controller.authority.address = authority.value("address", "");
  controller.authority.url = authority.value("url", "");
  return controller;
}

std::vector<std::string> UnlistedPlaces(const RecordOfProcessing& record,
                                        const std::vector<std::string>& places) {
  std::vector<std::string> unlisted;
  for (const auto& place : places) {
    const bool listed = std::any_of(record.data_locations.begin(), record.data_locations.end(),
                                    [&](const std::string& pattern) {
                                      return fnmatch(pattern.c_str(), place.c_str(), 0) == 0;
                                    });
    if (!listed) unlisted.push_back(place);
  }
  return unlisted;
}

}  // namespace dsr::letters
