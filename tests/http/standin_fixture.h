// A dsr-zendesk-standin (the local stand-in for Zendesk) started for one
// test, serving the sample ticket system of a small sample CRM, plus what
// tests need around it: the connector config for it, the data as written
// (for expectations computed independently of the connector), the server's
// dump, request counts and fault control.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "connectors/connector.h"
#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"
#include "tools/sample-crm/sample_crm_data.h"

namespace dsr::connectors::testing {

inline constexpr int kSampleCustomers = 300;
inline constexpr uint64_t kSampleSeed = 1;

class StandinFixture {
 public:
  // `extra_args` go to the stand-in (e.g. {"--max-page-size", "2"}).
  // `edit`, when given, changes the sample account before the stand-in loads it.
  explicit StandinFixture(std::vector<std::string> extra_args = {},
                          const std::function<void(nlohmann::json&)>& edit = {});
  ~StandinFixture();

  const std::string& url() const { return url_; }
  const std::string& token_file() const { return token_file_; }
  // A connector config for the stand-in with short retries.
  nlohmann::json Config() const;
  std::unique_ptr<Connector> NewConnector(const nlohmann::json& config) const;
  std::unique_ptr<Connector> NewConnector() const { return NewConnector(Config()); }

  const sample_crm::SampleCrmData& crm() const { return crm_; }
  // The first sample customer of `reason` ("typical", "mixed-case-email" ...).
  const sample_crm::SampleCustomer& Sample(const std::string& reason) const;
  const sample_crm::CustomerRow& Customer(const std::string& customer_number) const;
  // The data file as written, before any change.
  const nlohmann::json& data() const { return data_; }
  nlohmann::json Dump() const;   // GET /_standin/dump
  nlohmann::json Stats() const;  // GET /_standin/stats
  void SetFaults(const nlohmann::json& faults) const;

 private:
  dsr::testing::TempDir dir_;
  dsr::testing::ChildProcess process_;
  sample_crm::SampleCrmData crm_;
  nlohmann::json data_;
  std::string url_, token_file_;
};

// The subject's records computed from a data file alone: users with the
// e-mail address (without case), tickets they request or are copied on, and
// those tickets' comments; and of those, the tickets they request and the
// comments of these (what an erasure deletes). Ids as text.
struct ExpectedRecords {
  std::set<std::string> users, tickets, comments;
  std::set<std::string> requested, requested_comments;
};
ExpectedRecords ExpectedFor(const nlohmann::json& data, const std::string& email);

// The records of a dump's list ("users", "tickets", "comments") by id.
std::map<std::string, nlohmann::json> ById(const nlohmann::json& records);

// Checks that `after` is `before` without exactly the subject's users, the
// tickets they requested and those tickets' comments; every other record
// JSON-equal to what it was.
void CheckErasedOnly(const nlohmann::json& before, const nlohmann::json& after,
                     const ExpectedRecords& expected);

// The keys per collection of reported records.
std::map<std::string, std::set<std::string>> KeysOf(const std::vector<FoundRecord>& records);

// Collects reported records.
class CollectingSink final : public RecordSink {
 public:
  Status Add(const FoundRecord& found) override {
    records.push_back(found);
    return Status::Ok();
  }
  std::vector<FoundRecord> records;
};

std::string IdText(const nlohmann::json& id);
// The outcome for `collection`; fails the test when there is none.
CollectionOutcome OutcomeOf(const std::vector<CollectionOutcome>& outcomes,
                            const std::string& collection);

}  // namespace dsr::connectors::testing
