// Connector: the seam between dsr and one data source (CRM database, mailbox,
// ticketing system, files). A connector answers for one configured source.
//
// Every action is idempotent: running it twice leaves the source as running
// it once would (tasks are delivered at least once); a repeated erasure finds
// nothing left and says so. Actions never log personal data, and error
// messages name tables, columns and counts, never values.
// An instance is used by one thread at a time.
//
// Which records belong to the subject: a record that matches a given identity
// is *confirmed* when none of the other given identities contradicts it (the
// record holds a different, non-empty value for it); otherwise it is
// *ambiguous* — it may belong to someone else (a shared phone number, a
// household address). Records reached through references inherit the match of
// the records they hang from (confirmed if any parent is confirmed).
// Ambiguous records are reported for review but never changed by an action on
// their own: only a scope that names them (ActionScope) includes them.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/civil_date.h"
#include "common/status.h"

namespace dsr::connectors {

// Canonical identities of one data subject: "email", "phone", "name",
// "customer_id" → value as given by the agent (validated by schemas/common.json).
using Subject = std::map<std::string, std::string>;

enum class Match { kConfirmed, kAmbiguous };

// One record as a connector reports it.
struct FoundRecord {
  std::string collection;  // a table for SQL, a folder for mail, a file for spreadsheets
  // Stable id of the record within its collection (primary key, message UID);
  // absent when the source has none. Scopes name records by it.
  std::optional<std::string> key;
  nlohmann::json record = nlohmann::json::object();  // field → value
  Match match = Match::kConfirmed;
  // For an ambiguous record: why, naming attributes, never values
  // ("matches phone; email differs").
  std::string ambiguity;
  // The canonical attributes this record holds, as the source stores them
  // ("email", "phone", "name", "postal_address" as one line), so that the
  // coordinator can show where sources disagree about the subject.
  std::map<std::string, std::string> attributes;
  // The record as the source keeps it, when that is a document of its own
  // (an e-mail's .eml): the answer carries it as a file beside the summary
  // in `record`. `name` is [A-Za-z0-9._-], 1–100 characters, with extension.
  struct Original {
    std::string name;
    std::string bytes;
  };
  std::optional<Original> original{};  // {} lets callers brace-initialize the fields before it
};

// Receives reported records collection by collection. A non-ok Status from
// Add stops the action and is returned by it.
class RecordSink {
 public:
  virtual ~RecordSink() = default;
  virtual Status Add(const FoundRecord& found) = 0;
};

// Records named by key, per collection.
using RecordSelection = std::map<std::string, std::set<std::string>>;

struct CollectionOutcome;

// Which records an erasure or rectification applies to.
struct ActionScope {
  enum class Mode {
    kSubject,  // every confirmed record of the subject, plus `selection` (ambiguous
               // records an agent accepted as the subject's after review)
    kOnly,     // exactly the records in `selection`, located by key alone (the subject
               // may no longer be findable, e.g. after anonymization)
  };
  Mode mode = Mode::kSubject;
  RecordSelection selection;
  // With kOnly: the records' retention period has ended, so collections whose
  // erasure strategy is "retain" now apply their after-retention strategy.
  bool retention_ended = false;
  // When set, called with the action's outcomes right before they are made
  // permanent (a connector that changes its source in one transaction calls
  // it before the commit); a failure aborts the action, which then changes
  // nothing. The worker records there what is about to take effect, so that
  // a crash just after the commit cannot make a retry forget it. A connector
  // without such a point does not call it.
  std::function<Status(const std::vector<CollectionOutcome>&)> before_commit{};
};

// New values for canonical attributes ("email", "phone" as strings; "name" as
// {"given", "family"}; "postal_address" as {"street", "postal_code", "city",
// "country"}), validated by schemas/common.json#/definitions/corrections.
using Corrections = nlohmann::json;

// kInvalidArgument unless `corrections` is an object of those attributes as
// text. The worker validated them against the schema already; connectors
// check again so that a direct caller never reaches a source with anything else.
Status CheckCorrections(const Corrections& corrections);

enum class OutcomeKind {
  kErased,         // deleted
  kAnonymized,     // kept, but no longer identifies anyone
  kRetained,       // kept under a legal obligation, restricted, until `retained_until`
  kUpdated,        // rectified
  kNotFound,       // nothing of the subject there (any more)
  kNotApplicable,  // the action does not apply (e.g. nothing to correct in this collection)
};

std::string_view ToString(OutcomeKind kind);
Result<OutcomeKind> ParseOutcomeKind(std::string_view text);

// What an action did to one collection. A collection may have several
// kRetained outcomes, one per end date.
struct CollectionOutcome {
  std::string collection;
  OutcomeKind kind = OutcomeKind::kNotFound;
  int64_t records = 0;
  // kRetained only:
  std::optional<CivilDate> retained_until;
  std::string legal_basis;        // e.g. "HGB §257, AO §147"
  std::vector<std::string> keys;  // the retained records, for the erasure when the hold ends
  // Why, in plain words for the agent, where the kind alone does not say it
  // (kNotApplicable: "messages are records of what was written"). Never
  // personal data.
  std::string note{};
};

// A place in a source that holds personal data, found by Discover: a
// "table.column", a mail folder, a file (and field). `kinds` are from
// connectors/discovery.h: "email", "phone", "ip_address", "iban".
struct PersonalDataPlace {
  std::string place;
  std::set<std::string> kinds;
  int64_t occurrences = 0;  // values of those kinds seen there
};

struct LocateReport {
  // Records that belong to the subject, per collection; collections without
  // any are absent.
  std::map<std::string, int64_t> confirmed;
  std::map<std::string, int64_t> ambiguous;
};

class Connector {
 public:
  virtual ~Connector() = default;

  // The connector kind, as in the config's `kind` ("sql").
  virtual std::string_view kind() const = 0;

  // Finds the subject's records and counts them per collection, without
  // exporting anything. kUnavailable when the source cannot be reached.
  virtual Result<LocateReport> Locate(const Subject& subject) = 0;

  // Streams every record of the subject, confirmed and ambiguous, into `sink`.
  // An export is always whole: a retry starts again from the beginning.
  virtual Status Export(const Subject& subject, RecordSink& sink) = 0;

  // Erases the records in `scope` by each collection's configured strategy
  // (delete, anonymize, retain), dependents before the records they refer to,
  // then verifies by locating again: a record in scope that is still found and
  // not retained fails the action (kInternal, "verification failed: …").
  // Ambiguous records outside the scope are left alone and reported to
  // `untouched` for review; so are confirmed records that are not the
  // subject's to erase (another customer's ticket the subject is copied on),
  // so that the review shows where the subject still appears. Returns the
  // outcome per collection.
  virtual Result<std::vector<CollectionOutcome>> Erase(const Subject& subject,
                                                       const ActionScope& scope,
                                                       RecordSink& untouched) = 0;

  // Writes `corrections` into the mapped fields of every record in `scope`.
  // Ambiguous records outside the scope are left alone and reported to
  // `untouched`. Returns the outcome per collection (kUpdated or kNotApplicable).
  virtual Result<std::vector<CollectionOutcome>> Rectify(const Subject& subject,
                                                         const Corrections& corrections,
                                                         const ActionScope& scope,
                                                         RecordSink& untouched) = 0;

  // Scans the whole source (not one subject) for personal data and reports
  // where it sits, so that the record of processing can be checked against
  // reality. Reads only; may sample large places; never returns the values.
  virtual Result<std::vector<PersonalDataPlace>> Discover() = 0;
};

// Builds the connector named by `config["kind"]` after validating `config`
// against schemas/config/connector-<kind>.json. `config_origin` (a file name)
// prefixes every error. Fails for an unknown kind or an invalid config.
Result<std::unique_ptr<Connector>> NewConnector(const nlohmann::json& config,
                                                const std::string& config_origin);

}  // namespace dsr::connectors
