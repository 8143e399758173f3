// Letters to the data subject: the answer to an access, rectification or
// erasure request, the refusal of a request, or the notice that the deadline
// is extended (Art. 12(3)), in German or English, as one
// self-contained HTML page (inline CSS, no external assets) in clear and plain
// language (GDPR Art. 12(1)).
//
// The wording lives in mustache templates, coordinator/letters/templates/
// <kind>.<language>.html, compiled into the library; templates/README.md lists
// the values each template receives. An operator may replace any of them with
// a file of the same name in `letters.template_dir`. Every value from outside
// is HTML-escaped whatever tag a template uses.
//
// The Art. 15(1) information of an access letter and the recipients told of a
// rectification or erasure (Art. 19) come from the records of processing of
// the sources (record_of_processing.h).
//
// LetterTemplates is immutable after Load and thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/civil_date.h"
#include "common/status.h"
#include "coordinator/letters/record_of_processing.h"

namespace dsr::letters {

enum class LetterKind { kAccess, kRectification, kErasure, kRejection, kExtension };
std::string_view ToString(LetterKind kind);  // "access" … (the template's file name)
Result<LetterKind> ParseLetterKind(std::string_view text);

// The kind of request a rejection letter refuses or an extension letter delays.
enum class RequestType {
  kAccess,
  kRectification,
  kErasure,
  kRestriction,
  kPortability,
  kObjection
};

struct LetterRequest {
  std::string id;
  LetterKind kind = LetterKind::kAccess;
  std::string language = "en";  // "de" or "en"
  CivilDate received_on;
  CivilDate answered_on;  // the date of the letter
};

// Access: records of one collection in the bundle, after anything withheld.
struct CollectionCount {
  std::string name;
  int64_t records = 0;
};

// Erasure and rectification: what happened to one collection. A collection
// may have several outcomes (some records erased, others retained until
// different dates).
enum class OutcomeKind { kErased, kAnonymized, kRetained, kUpdated, kNotFound, kNotApplicable };
struct CollectionOutcome {
  std::string collection;
  OutcomeKind kind = OutcomeKind::kNotFound;
  int64_t records = 0;
  // kRetained only, both required: the end of the retention obligation and
  // its legal basis, e.g. "§ 147 AO, § 257 HGB".
  std::optional<CivilDate> retained_until;
  std::string legal_basis;
};

// Access: why records were left out of the copy (Art. 15(4)).
enum class WithholdingReason {
  kConcernsOtherPeople,  // the record is mainly about someone else
  kUncertainMatch,       // it may belong to someone else with the same details
  kTradeSecrets,         // it would disclose trade secrets or others' rights (recital 63)
};
struct WithheldRecords {
  WithholdingReason reason = WithholdingReason::kConcernsOtherPeople;
  int64_t records = 0;
};

struct LetterSource {
  std::string name;   // folder in the bundle, "crm"
  std::string title;  // "Kundendatenbank (CRM)"; empty: the name
  RecordOfProcessing record;
  std::vector<CollectionCount> collections;  // access
  std::vector<WithheldRecords> withheld;     // access
  int64_t redacted_records = 0;              // access: records given with parts removed
  std::vector<CollectionOutcome> outcomes;   // rectification, erasure
};

// Rectification (Art. 16): the new value of one canonical attribute, as in
// schemas/common.json#/definitions/corrections.
struct PersonName {
  std::string given;
  std::string family;
};
struct PostalAddress {
  std::string street;
  std::string postal_code;
  std::string city;
  std::string country;  // ISO 3166-1 alpha-2
};
struct Correction {
  std::string attribute;  // "email", "phone", "name", "postal_address", …
  std::variant<std::string, PersonName, PostalAddress> value;
};

enum class RejectionGround {
  kManifestlyUnfounded,     // Art. 12(5)
  kExcessive,               // Art. 12(5)
  kIdentityNotEstablished,  // Art. 12(6), 11(2)
  kOther,
};
struct Rejection {
  RejectionGround ground = RejectionGround::kOther;
  RequestType request_type = RequestType::kAccess;
  std::string reason;  // the controller's reasons, in the letter's language (required)
};

// The deadline is extended by two further months (Art. 12(3)).
struct Extension {
  RequestType request_type = RequestType::kAccess;
  CivilDate original_due_on;  // the first deadline
  CivilDate extended_due_on;  // the new one (required, after original_due_on)
  std::string reason;         // the controller's reasons, in the letter's language (required)
};

struct LetterInput {
  ControllerInfo controller;
  LetterRequest request;
  // Every source that was searched, in the order to show. Access letters give
  // the Art. 15(1) information of those with records; rectification and
  // erasure letters name the Art. 19 recipients of those whose data changed.
  std::vector<LetterSource> sources;
  std::vector<Correction> corrections;  // rectification: at least one
  Rejection rejection;                  // rejection
  Extension extension;                  // extension
};

class LetterTemplates {
 public:
  // Loads the compiled-in templates, replacing each by the file of the same
  // name in `template_dir` when there is one. kValidation naming the file for
  // an unreadable or broken template (mustache syntax, an unescaped tag) and
  // for an .html file in `template_dir` that is no template's name (a typo
  // would otherwise silently keep the built-in letter); kNotFound when
  // `template_dir` is not a directory.
  static Result<LetterTemplates> Load(std::optional<std::string> template_dir);

  // The letter for `input.request.kind`. kInvalidArgument for input the letter
  // cannot be honest about: an unsupported language, a missing request id,
  // controller name or contact, dates out of order, a retained outcome
  // without end date or legal basis, a rectification without corrections, a
  // rejection or an extension without a reason, an extended date that is not
  // after the original one.
  Result<std::string> Render(const LetterInput& input) const;

  // Where a template came from: "built-in" or the override's path.
  std::string Origin(LetterKind kind, const std::string& language) const;

 private:
  Status LoadOverrides(const std::string& template_dir);
  Status LoadOverrideFiles(const std::string& template_dir);

  struct Template {
    std::string text;
    std::string origin;
  };
  std::map<std::string, Template> templates_;  // by file name, "access.de.html"
};

}  // namespace dsr::letters
