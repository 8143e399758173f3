// Helpers for the mail connector tests: a sink that keeps what it gets, the
// mailbox on disk as the tests see it (snapshots, Dovecot's UID list), and
// an independent scan of the generated mail (regular expressions over the
// raw files, not the connector's parser) that says which messages a subject
// must be found in.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "connectors/connector.h"
#include "tests/support/temp_dir.h"
#include "tools/sample-crm/sample_crm_data.h"

namespace dsr::connectors::testing {

class CollectingSink final : public RecordSink {
 public:
  Status Add(const FoundRecord& found) override {
    found_.push_back(found);
    return Status::Ok();
  }
  const std::vector<FoundRecord>& found() const { return found_; }

 private:
  std::vector<FoundRecord> found_;
};

// "INBOX/<unique name>" or "Sent/<unique name>" → file content, for every
// message in cur/ and new/ of the Maildir++ tree at `root`.
std::map<std::string, std::string> SnapshotMaildir(const std::string& root);
// "INBOX/<unique name>" → the file's path.
std::map<std::string, std::string> MessageFiles(const std::string& root);

// Dovecot's dovecot-uidlist of `folder`: "<UIDVALIDITY>:<UID>" → unique name.
std::map<std::string, std::string> DovecotKeys(const std::string& root, const std::string& folder);

// The messages ("INBOX/<unique name>") whose From, To, Cc or Reply-To hold
// `address` as a whole address, without case; with `bodies` instead those
// whose text (after undoing base64 and quoted-printable) mentions it and
// whose header does not.
std::set<std::string> ExpectedMatches(const std::string& root, const std::string& address,
                                      bool bodies = false);

// A connector config from YAML (the `connector:` section's content).
nlohmann::json ConfigFromYaml(const std::string& yaml);

// Collection "/" key of each record: comparable with ExpectedMatches for
// Maildir keys; for IMAP keys map them through DovecotKeys first.
std::set<std::string> Names(const std::vector<FoundRecord>& found);

// The repository's deploy/examples/worker-mail.yaml.
std::string ExampleMailConfigPath();

// The sample CRM (400 customers, seed 7) and its mailbox in a temporary
// directory.
struct SampleMailbox {
  SampleMailbox();
  sample_crm::SampleCrmData data;
  dsr::testing::TempDir dir;
  std::string root;
  const sample_crm::SampleCustomer& typical() const { return data.samples.at(0); }
};

// A connector on the Maildir at `root`; `extra` is more YAML for the section.
std::unique_ptr<Connector> MaildirConnector(const std::string& root, const std::string& extra = "");

Subject SubjectOf(const std::string& email);

// The outcome of `collection` of the given kind, or nullptr.
const CollectionOutcome* OutcomeOf(const std::vector<CollectionOutcome>& outcomes,
                                   const std::string& collection, OutcomeKind kind);

}  // namespace dsr::connectors::testing
