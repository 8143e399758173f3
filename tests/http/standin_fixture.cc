#include "tests/http/standin_fixture.h"

#include <doctest/doctest.h>
#include <signal.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

#include "connectors/http/http_connector.h"
#include "tests/support/http_call.h"
#include "tools/sample-crm/sample_tickets.h"

namespace dsr::connectors::testing {
namespace {

nlohmann::json ReadJson(const std::string& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return nlohmann::json::parse(text.str(), nullptr, false);
}

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

bool Lists(const nlohmann::json& ids, const nlohmann::json& id) {
  return ids.is_array() && std::find(ids.begin(), ids.end(), id) != ids.end();
}

}  // namespace

StandinFixture::StandinFixture(std::vector<std::string> extra_args,
                               const std::function<void(nlohmann::json&)>& edit)
    : crm_(sample_crm::GenerateSampleCrm(kSampleCustomers, kSampleSeed)) {
  const std::string data_file = dir_.File("tickets.json");
  REQUIRE(sample_crm::WriteSampleTickets(crm_, data_file, kSampleSeed).ok());
  data_ = ReadJson(data_file);
  if (edit) {
    edit(data_);
    std::ofstream(data_file, std::ios::trunc) << data_.dump();
  }
  token_file_ = dir_.File("token");
  std::ofstream(token_file_) << "test-token-0123456789\n";
  std::vector<std::string> args = {
      "--data",          data_file,  "--token-file", token_file_,    "--auth-email",
      "dsr@example.com", "--listen", "127.0.0.1:0",  "--ready-file", dir_.File("ready.json")};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  REQUIRE(process_.Start(dsr::testing::BinDir() + "/dsr-zendesk-standin", args,
                         dir_.File("standin.log")));
  REQUIRE_MESSAGE(
      dsr::testing::WaitFor([&] { return ReadJson(dir_.File("ready.json")).is_object(); },
                            std::chrono::seconds(20)),
      "the stand-in did not start; see its log");
  url_ = ReadJson(dir_.File("ready.json")).at("url").get<std::string>();
}

StandinFixture::~StandinFixture() {
  process_.Stop(SIGTERM);
}

nlohmann::json StandinFixture::Config() const {
  return {{"kind", "http"},
          {"profile", "zendesk"},
          {"base_url", url_},
          {"auth", {{"email", "dsr@example.com"}, {"token_file", token_file_}}},
          {"timeout_ms", 5000},
          {"max_retries", 2},
          {"retry_backoff_ms", 1},
          {"tls_verify", true}};
}

std::unique_ptr<Connector> StandinFixture::NewConnector(const nlohmann::json& config) const {
  auto connector = NewHttpConnector(config);
  REQUIRE_MESSAGE(connector.ok(), connector.status().ToString());
  return std::move(connector.value());
}

const sample_crm::SampleCustomer& StandinFixture::Sample(const std::string& reason) const {
  for (const auto& sample : crm_.samples) {
    if (sample.reason.rfind(reason, 0) == 0) return sample;
  }
  FAIL("no sample customer of kind " << reason);
  return crm_.samples.front();
}

const sample_crm::CustomerRow& StandinFixture::Customer(const std::string& customer_number) const {
  for (const auto& customer : crm_.customers) {
    if (customer.customer_number == customer_number) return customer;
  }
  FAIL("no customer " << customer_number);
  return crm_.customers.front();
}

nlohmann::json StandinFixture::Dump() const {
  const auto answer = dsr::testing::HttpCall(url_, "GET", "/_standin/dump");
  REQUIRE(answer.status == 200);
  return nlohmann::json::parse(answer.body);
}

nlohmann::json StandinFixture::Stats() const {
  const auto answer = dsr::testing::HttpCall(url_, "GET", "/_standin/stats");
  REQUIRE(answer.status == 200);
  return nlohmann::json::parse(answer.body);
}

void StandinFixture::SetFaults(const nlohmann::json& faults) const {
  const auto answer = dsr::testing::HttpCall(url_, "POST", "/_standin/faults", faults.dump());
  REQUIRE_MESSAGE(answer.status == 200, answer.body);
}

std::string IdText(const nlohmann::json& id) {
  return std::to_string(id.get<long long>());
}

ExpectedRecords ExpectedFor(const nlohmann::json& data, const std::string& email) {
  ExpectedRecords expected;
  std::set<long long> users;
  for (const auto& user : data.at("users")) {
    if (user.at("email").is_string() &&
        Lower(user.at("email").get<std::string>()) == Lower(email)) {
      users.insert(user.at("id").get<long long>());
      expected.users.insert(IdText(user.at("id")));
    }
  }
  for (const auto& ticket : data.at("tickets")) {
    for (const long long user : users) {
      if (ticket.at("requester_id") == user || Lists(ticket.at("collaborator_ids"), user) ||
          Lists(ticket.at("email_cc_ids"), user)) {
        expected.tickets.insert(IdText(ticket.at("id")));
      }
      if (ticket.at("requester_id") == user) expected.requested.insert(IdText(ticket.at("id")));
    }
  }
  for (const auto& comment : data.at("comments")) {
    const std::string ticket = IdText(comment.at("ticket_id"));
    if (expected.tickets.count(ticket) != 0) expected.comments.insert(IdText(comment.at("id")));
    if (expected.requested.count(ticket) != 0) {
      expected.requested_comments.insert(IdText(comment.at("id")));
    }
  }
  return expected;
}

std::map<std::string, nlohmann::json> ById(const nlohmann::json& records) {
  std::map<std::string, nlohmann::json> by_id;
  for (const auto& record : records) by_id[IdText(record.at("id"))] = record;
  return by_id;
}

void CheckErasedOnly(const nlohmann::json& before, const nlohmann::json& after,
                     const ExpectedRecords& expected) {
  const auto without = [&](const char* list, const std::set<std::string>& gone) {
    auto records = ById(before.at(list));
    for (const auto& id : gone) CHECK_MESSAGE(records.erase(id) == 1, list << " " << id);
    return records;
  };
  CHECK(ById(after.at("users")) == without("users", expected.users));
  CHECK(ById(after.at("tickets")) == without("tickets", expected.requested));
  CHECK(ById(after.at("comments")) == without("comments", expected.requested_comments));
}

std::map<std::string, std::set<std::string>> KeysOf(const std::vector<FoundRecord>& records) {
  std::map<std::string, std::set<std::string>> keys;
  for (const auto& record : records) keys[record.collection].insert(record.key.value_or(""));
  return keys;
}

CollectionOutcome OutcomeOf(const std::vector<CollectionOutcome>& outcomes,
                            const std::string& collection) {
  for (const auto& outcome : outcomes) {
    if (outcome.collection == collection) return outcome;
  }
  FAIL("no outcome for " << collection);
  return {};
}

}  // namespace dsr::connectors::testing
