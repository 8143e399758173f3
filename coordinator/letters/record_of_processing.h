// Record of processing activities (GDPR Art. 30, "Verarbeitungsverzeichnis"):
// one record per configured source, written by the DPO into the coordinator's
// config (`sources[].record_of_processing`, schemas/config/coordinator.json).
//
// The same records feed the Art. 15(1) information of every access letter and
// the Art. 19 recipients of rectification and erasure letters, so that what
// a data subject is told and what the DPO documents cannot drift apart.
//
// Texts the operator writes (purposes, category names …) may be given per
// language; LocalizedText picks the one a letter needs.
//
// Parsing takes JSON that already passed the schema and returns kValidation
// only for what a schema cannot check (a date that does not exist). Checks
// return warnings, never errors: an incomplete record must not stop the
// coordinator from answering requests on time. All functions are pure and
// thread-safe; the types are plain values.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/civil_date.h"
#include "common/status.h"

namespace dsr::letters {

// Text in one or several languages. In() returns the text of the requested
// language, else the language-neutral text, else English, else German, else
// any: a letter shows what the operator wrote rather than nothing.
class LocalizedText {
 public:
  LocalizedText() = default;
  LocalizedText(std::string text);  // NOLINT: the same text in every language
  LocalizedText(const char* text);  // NOLINT: as above
  static LocalizedText Of(std::string de, std::string en);

  // `language` "" sets the language-neutral text.
  void Set(const std::string& language, std::string text);
  const std::string& In(std::string_view language) const;
  bool empty() const { return texts_.empty(); }

 private:
  std::map<std::string, std::string, std::less<>> texts_;
};

// Art. 6(1)(a)–(f) and, for special categories of data, Art. 9(2)(a)–(j).
enum class LegalBasis {
  kConsent,              // 6(1)(a)
  kContract,             // 6(1)(b)
  kLegalObligation,      // 6(1)(c)
  kVitalInterests,       // 6(1)(d)
  kPublicTask,           // 6(1)(e)
  kLegitimateInterests,  // 6(1)(f)
  kArt9ExplicitConsent,  // 9(2)(a)
  kArt9Employment,       // 9(2)(b)
  kArt9VitalInterests,   // 9(2)(c)
  kArt9NonProfit,        // 9(2)(d)
  kArt9MadePublic,       // 9(2)(e)
  kArt9LegalClaims,      // 9(2)(f)
  kArt9PublicInterest,   // 9(2)(g)
  kArt9HealthCare,       // 9(2)(h)
  kArt9PublicHealth,     // 9(2)(i)
  kArt9Archiving,        // 9(2)(j)
};
// Config names: "art6_1_a" … "art6_1_f", "art9_2_a" … "art9_2_j".
std::string_view ToString(LegalBasis basis);
Result<LegalBasis> ParseLegalBasis(std::string_view text);

struct Retention {
  std::optional<int> years;  // e.g. 10 (§ 147 AO); the text says from when
  LocalizedText text;        // "10 years from the end of the calendar year …"
  bool empty() const { return !years && text.empty(); }
};

struct DataCategory {
  LocalizedText name;         // "Contact data"
  LocalizedText description;  // optional examples: "name, postal address, e-mail"
  std::vector<LegalBasis> legal_bases;
  LocalizedText legal_basis_note;  // optional: "§ 147 AO, § 257 HGB"
  Retention retention;
};

enum class RecipientKind { kProcessor, kController, kAuthority, kInternal };
std::string_view ToString(RecipientKind kind);

struct DataProcessingAgreement {  // Art. 28(3)
  CivilDate signed_on;
  std::string reference;  // optional: where the contract is filed
};

struct Recipient {
  std::string name;
  RecipientKind kind = RecipientKind::kProcessor;
  LocalizedText purpose;                             // what they receive the data for
  std::string country;                               // ISO 3166-1 alpha-2, e.g. "DE"
  std::optional<DataProcessingAgreement> agreement;  // processors only
};

// Transfer mechanisms of Chapter V.
enum class Safeguard {
  kAdequacyDecision,            // Art. 45
  kStandardContractualClauses,  // Art. 46(2)(c)
  kBindingCorporateRules,       // Art. 47
  kCodeOfConduct,               // Art. 46(2)(e)
  kCertification,               // Art. 46(2)(f)
  kDerogation,                  // Art. 49
};
std::string_view ToString(Safeguard safeguard);

struct ThirdCountryTransfer {
  std::string country;    // ISO 3166-1 alpha-2, e.g. "US"
  std::string recipient;  // as in Recipient::name
  std::vector<Safeguard> safeguards;
  LocalizedText note;  // optional: which clauses, supplementary measures, where to get a copy
};

struct DataOrigin {  // Art. 14(2)(f), 15(1)(g)
  bool from_subject = true;
  std::vector<LocalizedText> other_sources;
};

struct AutomatedDecisions {  // Art. 22, 15(1)(h)
  bool used = false;
  LocalizedText logic;
  LocalizedText consequences;
};

struct RecordOfProcessing {
  LocalizedText activity;
  std::vector<LocalizedText> purposes;
  std::vector<LocalizedText> data_subjects;
  std::vector<DataCategory> categories;
  std::vector<Recipient> recipients;
  LocalizedText storage_location;
  // Where in the source the data sits, as shell-style patterns over the
  // places Discover reports ("customers.*", "chat/*.jsonl:visitor_ip").
  std::vector<std::string> data_locations;
  std::vector<ThirdCountryTransfer> transfers;
  std::vector<LocalizedText> access;    // who has access
  std::vector<LocalizedText> measures;  // technical and organisational measures, Art. 32
  DataOrigin origin;
  AutomatedDecisions automated_decisions;
};

// A configured source and its record; `record` is empty when the config has none.
struct SourceRecord {
  std::string name;   // "crm"
  std::string title;  // "Kundendatenbank (CRM)"
  std::optional<RecordOfProcessing> record;
};

struct SupervisoryAuthority {
  std::string name;
  std::string address;  // may span lines
  std::string url;
};

// The controller as letters and the record present it. Only name and contact
// are required; empty fields are left out.
struct ControllerInfo {
  std::string name;
  std::string contact;  // e-mail or postal address (may span lines)
  std::string address;  // postal address (may span lines)
  std::string dpo_name;
  std::string dpo_contact;
  SupervisoryAuthority authority;
};

// `record` is the validated `record_of_processing` object. kValidation for a
// date that does not exist, naming its path below `where` (e.g. "sources[0]").
Result<RecordOfProcessing> ParseRecordOfProcessing(const nlohmann::json& record,
                                                   const std::string& where);
// `controller` is the validated `controller` object of the coordinator config.
ControllerInfo ParseControllerInfo(const nlohmann::json& controller);

// The places (from Connector::Discover) that none of the record's
// data_locations patterns covers: personal data the record does not list.
std::vector<std::string> UnlistedPlaces(const RecordOfProcessing& record,
                                        const std::vector<std::string>& places);

// Something the DPO should complete; never an error.
struct RecordWarning {
  std::string source;  // "crm"; empty for the controller
  std::string path;    // in the config: "sources[0].record_of_processing.categories[1]"
  std::string message_de;
  std::string message_en;
  const std::string& Message(std::string_view language) const {
    return language == "de" ? message_de : message_en;
  }
};

// Warns about a source without a record or without purposes, a category
// without legal basis or retention, a processor without a data processing
// agreement, a recipient outside the EEA without a listed transfer, a transfer
// without safeguards, and a controller without a supervisory authority.
// `sources` must be in config order: paths use their index.
std::vector<RecordWarning> CheckRecordsOfProcessing(const ControllerInfo& controller,
                                                    const std::vector<SourceRecord>& sources);

// A printable record of processing activities in "de" or "en": controller and
// DPO, the warnings at the top, one section per source. kInvalidArgument for
// another language.
Result<std::string> RecordOfProcessingHtml(const std::vector<SourceRecord>& sources,
                                           const ControllerInfo& controller,
                                           const std::string& language);

// The same as CSV (RFC 4180, UTF-8 with BOM, CRLF): one row per source and
// data category (a source without categories gets one row), multiple values
// joined by "; ", cells a spreadsheet would run as formulas prefixed with an
// apostrophe. kInvalidArgument for a language other than "de" or "en".
Result<std::string> RecordOfProcessingCsv(const std::vector<SourceRecord>& sources,
                                          const std::string& language);

}  // namespace dsr::letters
