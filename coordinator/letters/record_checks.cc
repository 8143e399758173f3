// CheckRecordsOfProcessing: the gaps in a record that a supervisory authority
// would ask about first (Art. 30(1), 28(3), 44–46) and that would leave a
// letter to a data subject without something Art. 15(1) requires.
#include <string>
#include <utility>
#include <vector>

#include "coordinator/letters/record_of_processing.h"
#include "coordinator/letters/wording.h"

namespace dsr::letters {
namespace {

class WarningList {
 public:
  WarningList(const std::string& source, std::string path)
      : source_(source), path_(std::move(path)) {}

  void Add(const std::string& below, std::string de, std::string en) {
    warnings_.push_back({source_, path_ + below, std::move(de), std::move(en)});
  }
  std::vector<RecordWarning> Take() { return std::move(warnings_); }

 private:
  std::string source_;
  std::string path_;
  std::vector<RecordWarning> warnings_;
};

void CheckCategories(const RecordOfProcessing& record, WarningList* warnings) {
  for (size_t i = 0; i < record.categories.size(); ++i) {
    const DataCategory& category = record.categories[i];
    const std::string at = ".categories[" + std::to_string(i) + "]";
    const std::string de = "Datenkategorie „" + category.name.In("de") + "“";
    const std::string en = "Data category '" + category.name.In("en") + "'";
    if (category.legal_bases.empty()) {
      warnings->Add(at + ".legal_basis", de + " hat keine Rechtsgrundlage (Art. 6 DSGVO).",
                    en + " has no legal basis (Art. 6 GDPR).");
    }
    if (category.retention.empty()) {
      warnings->Add(at + ".retention",
                    de + " hat keine Speicherdauer und keine Löschfrist (Art. 30 Abs. 1 lit. f "
                         "DSGVO).",
                    en + " has no storage period or time limit for erasure (Art. 30(1)(f) "
                         "GDPR).");
    }
  }
}

bool HasTransferTo(const RecordOfProcessing& record, const Recipient& recipient) {
  for (const auto& transfer : record.transfers) {
    if (transfer.recipient == recipient.name && transfer.country == recipient.country) return true;
  }
  return false;
}

void CheckRecipients(const RecordOfProcessing& record, WarningList* warnings) {
  for (size_t i = 0; i < record.recipients.size(); ++i) {
    const Recipient& recipient = record.recipients[i];
    const std::string at = ".recipients[" + std::to_string(i) + "]";
    if (recipient.kind == RecipientKind::kProcessor && !recipient.agreement) {
      warnings->Add(
          at + ".data_processing_agreement",
          "Auftragsverarbeiter „" + recipient.name +
              "“ hat keinen Auftragsverarbeitungsvertrag (Art. 28 Abs. 3 DSGVO).",
          "Processor '" + recipient.name + "' has no data processing agreement (Art. 28(3) GDPR).");
    }
    if (!IsInEea(recipient.country) && !HasTransferTo(record, recipient)) {
      warnings->Add(
          at + ".country",
          "Empfänger „" + recipient.name + "“ sitzt in " + CountryName(recipient.country, "de") +
              ", außerhalb des EWR, aber keine Drittlandübermittlung nennt ihn "
              "(third_country_transfers).",
          "Recipient '" + recipient.name + "' is in " + CountryName(recipient.country, "en") +
              ", outside the EEA, but no third-country transfer names it "
              "(third_country_transfers).");
    }
  }
}

void CheckTransfers(const RecordOfProcessing& record, WarningList* warnings) {
  for (size_t i = 0; i < record.transfers.size(); ++i) {
    const ThirdCountryTransfer& transfer = record.transfers[i];
    if (!transfer.safeguards.empty()) continue;
    warnings->Add(
        ".third_country_transfers[" + std::to_string(i) + "].safeguards",
        "Übermittlung an „" + transfer.recipient + "“ (" + CountryName(transfer.country, "de") +
            ") hat keine Garantien (Art. 44–49 DSGVO).",
        "Transfer to '" + transfer.recipient + "' (" + CountryName(transfer.country, "en") +
            ") has no safeguards (Art. 44–49 GDPR).");
  }
}

std::vector<RecordWarning> CheckSource(const SourceRecord& source, size_t index) {
  const std::string path = "sources[" + std::to_string(index) + "].record_of_processing";
  WarningList warnings(source.name, path);
  if (!source.record) {
    warnings.Add("", "Quelle „" + source.name + "“ hat kein Verarbeitungsverzeichnis.",
                 "Source '" + source.name + "' has no record of processing.");
    return warnings.Take();
  }
  const RecordOfProcessing& record = *source.record;
  if (record.purposes.empty()) {
    warnings.Add(".purposes",
                 "Quelle „" + source.name + "“ nennt keine Zwecke (Art. 30 Abs. 1 lit. b DSGVO).",
                 "Source '" + source.name + "' names no purposes (Art. 30(1)(b) GDPR).");
  }
  CheckCategories(record, &warnings);
  CheckRecipients(record, &warnings);
  CheckTransfers(record, &warnings);
  return warnings.Take();
}

}  // namespace

std::vector<RecordWarning> CheckRecordsOfProcessing(const ControllerInfo& controller,
                                                    const std::vector<SourceRecord>& sources) {
  std::vector<RecordWarning> warnings;
  if (controller.authority.name.empty()) {
    warnings.push_back({"", "controller.supervisory_authority",
                        "Keine Aufsichtsbehörde angegeben: Briefe können sie nicht nennen "
                        "(Art. 15 Abs. 1 lit. f, Art. 12 Abs. 4 DSGVO).",
                        "No supervisory authority configured: letters cannot name it "
                        "(Art. 15(1)(f), Art. 12(4) GDPR)."});
  }
  for (size_t i = 0; i < sources.size(); ++i) {
    for (auto& warning : CheckSource(sources[i], i)) warnings.push_back(std::move(warning));
  }
  return warnings;
}

}  // namespace dsr::letters
