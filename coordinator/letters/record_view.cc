#include "coordinator/letters/views.h"
#include "coordinator/letters/wording.h"

namespace dsr::letters {
namespace {

using Json = nlohmann::json;

// Empty text becomes null, which the view leaves out: {{#key}} then skips it.
Json Str(const std::string& text) {
  return text.empty() ? Json(nullptr) : Json(text);
}

Json TextList(const std::vector<LocalizedText>& texts, std::string_view language) {
  Json list = Json::array();
  for (const auto& text : texts) {
    if (!text.In(language).empty()) list.push_back(text.In(language));
  }
  return list;
}

std::string Join(const std::vector<std::string>& parts) {
  std::string joined;
  for (const auto& part : parts) joined += (joined.empty() ? "" : "; ") + part;
  return joined;
}

Json CategoryView(const DataCategory& category, std::string_view language) {
  std::vector<std::string> bases;
  for (const LegalBasis basis : category.legal_bases)
    bases.push_back(LegalBasisLabel(basis, language));
  return {{"name", Str(category.name.In(language))},
          {"description", Str(category.description.In(language))},
          {"legal_basis", Str(Join(bases))},
          {"legal_basis_note", Str(category.legal_basis_note.In(language))},
          {"retention", Str(RetentionText(category.retention, language))}};
}

Json RecipientView(const Recipient& recipient, std::string_view language) {
  Json view = {{"name", recipient.name},
               {"kind", RecipientKindLabel(recipient.kind, language)},
               {"purpose", Str(recipient.purpose.In(language))},
               {"country", CountryName(recipient.country, language)},
               {"third_country", !IsInEea(recipient.country)},
               {"processor", recipient.kind == RecipientKind::kProcessor}};
  if (recipient.agreement) {
    view["agreement"] = {{"signed_on", FormatDate(recipient.agreement->signed_on, language)},
                         {"reference", Str(recipient.agreement->reference)}};
  }
  return view;
}

Json TransferView(const ThirdCountryTransfer& transfer, std::string_view language) {
  std::vector<std::string> safeguards;
  for (const Safeguard safeguard : transfer.safeguards) {
    safeguards.push_back(SafeguardLabel(safeguard, language));
  }
  return {{"country", CountryName(transfer.country, language)},
          {"recipient", transfer.recipient},
          {"safeguards", Str(Join(safeguards))},
          {"note", Str(transfer.note.In(language))}};
}

// Sets `key` to the list and has_<key> to whether it has items.
void SetList(const char* key, Json list, Json* view) {
  (*view)[std::string("has_") + key] = !list.empty();
  (*view)[key] = std::move(list);
}

}  // namespace

Json RecordView(const RecordOfProcessing& record, std::string_view language) {
  Json view = {{"activity", Str(record.activity.In(language))},
               {"storage_location", Str(record.storage_location.In(language))}};
  SetList("purposes", TextList(record.purposes, language), &view);
  SetList("data_subjects", TextList(record.data_subjects, language), &view);
  Json categories = Json::array();
  for (const auto& category : record.categories) {
    categories.push_back(CategoryView(category, language));
  }
  SetList("categories", std::move(categories), &view);
  // Departments of the controller are not recipients (Art. 4(9)): letters
  // list only `disclosed_to`; the record lists everyone.
  Json recipients = Json::array();
  Json disclosed_to = Json::array();
  for (const auto& recipient : record.recipients) {
    recipients.push_back(RecipientView(recipient, language));
    if (recipient.kind != RecipientKind::kInternal) disclosed_to.push_back(recipients.back());
  }
  SetList("recipients", std::move(recipients), &view);
  SetList("disclosed_to", std::move(disclosed_to), &view);
  Json transfers = Json::array();
  for (const auto& transfer : record.transfers)
    transfers.push_back(TransferView(transfer, language));
  SetList("transfers", std::move(transfers), &view);
  SetList("access", TextList(record.access, language), &view);
  SetList("measures", TextList(record.measures, language), &view);
  view["origin"] = {{"from_subject", record.origin.from_subject}};
  SetList("other_sources", TextList(record.origin.other_sources, language), &view["origin"]);
  view["automated"] = {{"used", record.automated_decisions.used},
                       {"logic", Str(record.automated_decisions.logic.In(language))},
                       {"consequences", Str(record.automated_decisions.consequences.In(language))}};
  return view;
}

void AddControllerView(const ControllerInfo& controller, Json* view) {
  Json& out = *view;
  out["controller_name"] = controller.name;
  out["controller_contact"] = Str(controller.contact);
  out["controller_address"] = Str(controller.address);
  out["has_dpo"] = !controller.dpo_name.empty() || !controller.dpo_contact.empty();
  out["dpo_name"] = Str(controller.dpo_name);
  out["dpo_contact"] = Str(controller.dpo_contact);
  out["has_authority"] = !controller.authority.name.empty();
  out["authority_name"] = Str(controller.authority.name);
  out["authority_address"] = Str(controller.authority.address);
  out["authority_url"] = Str(controller.authority.url);
}

}  // namespace dsr::letters
