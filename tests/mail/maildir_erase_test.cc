#include <doctest/doctest.h>

#include <fstream>
#include <regex>

#include "tests/mail/mail_test_support.h"

namespace dsr::connectors {
namespace {

using testing::ExpectedMatches;
using testing::MaildirConnector;
using testing::OutcomeOf;
using testing::SnapshotMaildir;
using testing::SubjectOf;

constexpr char kRetain[] =
    "erasure:\n  strategy: retain\n  retain: {legal_basis: \"§257 HGB: Handelsbriefe\", years: "
    "6}\n";

void WriteFile(const std::string& path, const std::string& content) {
  std::ofstream(path, std::ios::binary) << content;
}

std::vector<CollectionOutcome> Erased(Connector& connector, const Subject& subject,
                                      const ActionScope& scope,
                                      testing::CollectingSink* untouched) {
  testing::CollectingSink ignored;
  auto outcomes = connector.Erase(subject, scope, untouched ? *untouched : ignored);
  REQUIRE_MESSAGE(outcomes.ok(), outcomes.status().ToString());
  return *outcomes;
}

// "INBOX/<key>" → the last day it must be kept: the end of the year of its
// Date header plus six years, read with a regular expression.
std::map<std::string, CivilDate> ExpectedHolds(const std::map<std::string, std::string>& files,
                                               const std::set<std::string>& names) {
  static const std::regex kDate(R"((^|\r\n)Date: \w+, \d+ \w+ (\d{4}) )");
  std::map<std::string, CivilDate> holds;
  for (const auto& name : names) {
    std::smatch match;
    REQUIRE(std::regex_search(files.at(name), match, kDate));
    holds.emplace(name, CivilDate(std::stoi(match[2]) + 6, 12, 31));
  }
  return holds;
}

TEST_SUITE("MailConnector Maildir erasure") {
  TEST_CASE("delete removes exactly the subject's messages and leaves every other file as it was") {
    testing::SampleMailbox mailbox;
    auto connector = MaildirConnector(mailbox.root);
    const auto before = SnapshotMaildir(mailbox.root);
    const auto expected = ExpectedMatches(mailbox.root, mailbox.typical().email);
    const auto outcomes = Erased(*connector, SubjectOf(mailbox.typical().email), {}, nullptr);
    int64_t erased = 0;
    for (const auto& outcome : outcomes) {
      CHECK(outcome.kind == OutcomeKind::kErased);
      erased += outcome.records;
    }
    CHECK(erased == static_cast<int64_t>(expected.size()));
    auto remaining = before;
    for (const auto& name : expected) remaining.erase(name);
    CHECK(SnapshotMaildir(mailbox.root) == remaining);
    // Idempotent: nothing is left to erase, and nothing else changes.
    for (const auto& outcome :
         Erased(*connector, SubjectOf(mailbox.typical().email), {}, nullptr)) {
      CHECK(outcome.kind == OutcomeKind::kNotFound);
    }
    CHECK(SnapshotMaildir(mailbox.root) == remaining);
  }

  TEST_CASE("ambiguous mentions are reported untouched unless an agent accepted them") {
    testing::SampleMailbox mailbox;
    auto connector = MaildirConnector(mailbox.root, "match_body: true\n");
    const std::string email = mailbox.typical().email;
    const auto mention = *ExpectedMatches(mailbox.root, email, true).begin();
    testing::CollectingSink untouched;
    Erased(*connector, SubjectOf(email), {}, &untouched);
    REQUIRE(untouched.found().size() == 1);
    CHECK(untouched.found()[0].match == Match::kAmbiguous);
    CHECK(SnapshotMaildir(mailbox.root).count(mention) == 1);
    ActionScope accepted;
    accepted.selection["INBOX"] = {mention.substr(6)};
    const auto outcomes = Erased(*connector, SubjectOf(email), accepted, nullptr);
    CHECK(OutcomeOf(outcomes, "INBOX", OutcomeKind::kErased)->records == 1);
    CHECK(SnapshotMaildir(mailbox.root).count(mention) == 0);
  }

  TEST_CASE(
      "retain keeps the messages and reports them per end date; the hold's end deletes exactly "
      "those") {
    testing::SampleMailbox mailbox;
    auto connector = MaildirConnector(mailbox.root, kRetain);
    const auto before = SnapshotMaildir(mailbox.root);
    const std::string email = mailbox.typical().email;
    const auto expected = ExpectedHolds(before, ExpectedMatches(mailbox.root, email));
    ActionScope ended;
    ended.mode = ActionScope::Mode::kOnly;
    ended.retention_ended = true;
    std::set<std::string> reported;
    for (const auto& outcome : Erased(*connector, SubjectOf(email), {}, nullptr)) {
      if (outcome.kind != OutcomeKind::kRetained) continue;
      CHECK(outcome.legal_basis == "§257 HGB: Handelsbriefe");
      CHECK(outcome.records == static_cast<int64_t>(outcome.keys.size()));
      for (const auto& key : outcome.keys) {
        const std::string name = outcome.collection + "/" + key;
        reported.insert(name);
        REQUIRE(expected.count(name));
        CHECK(*outcome.retained_until == expected.at(name));
        if (outcome.retained_until->year() < 2030) ended.selection[outcome.collection].insert(key);
      }
    }
    CHECK(reported.size() == expected.size());
    CHECK(SnapshotMaildir(mailbox.root) == before);
    REQUIRE_FALSE(ended.selection.empty());
    // The engine erases the holds that have ended, by key alone.
    const auto outcomes = Erased(*connector, Subject{}, ended, nullptr);
    auto remaining = before;
    int64_t erased = 0;
    for (const auto& [collection, keys] : ended.selection) {
      for (const auto& key : keys) remaining.erase(collection + "/" + key);
      erased += OutcomeOf(outcomes, collection, OutcomeKind::kErased)->records;
    }
    CHECK(erased == static_cast<int64_t>(before.size() - remaining.size()));
    CHECK(SnapshotMaildir(mailbox.root) == remaining);
    for (const auto& outcome : Erased(*connector, Subject{}, ended, nullptr)) {
      CHECK(outcome.kind == OutcomeKind::kNotFound);
    }
  }

  TEST_CASE("a message without a readable Date is held from when it was delivered") {
    testing::SampleMailbox mailbox;
    const std::string email = mailbox.typical().email;
    // Delivered 2021-03-04 (1614816000 s): the time starts the Maildir name.
    const std::string undated = mailbox.root + "/cur/1614816000.M1P1.host:2,S";
    const std::string garbled = mailbox.root + "/cur/1614816001.M2P1.host:2,S";
    WriteFile(undated, "From: <" + email + ">\r\nSubject: no date\r\n\r\nHallo\r\n");
    WriteFile(garbled,
              "From: <" + email + ">\r\nDate: someday soon\r\nSubject: bad date\r\n\r\nx\r\n");
    auto connector = MaildirConnector(mailbox.root, kRetain);
    std::map<std::string, CivilDate> until;
    for (const auto& outcome : Erased(*connector, SubjectOf(email), {}, nullptr)) {
      if (outcome.kind != OutcomeKind::kRetained) continue;
      for (const auto& key : outcome.keys) until[key] = *outcome.retained_until;
    }
    CHECK(until.at("1614816000.M1P1.host") == CivilDate(2027, 12, 31));
    CHECK(until.at("1614816001.M2P1.host") == CivilDate(2027, 12, 31));
  }

  TEST_CASE("a scope naming a collection the source does not have is refused") {
    testing::SampleMailbox mailbox;
    ActionScope scope;
    scope.selection["Archive"] = {"x"};
    testing::CollectingSink untouched;
    auto outcomes = MaildirConnector(mailbox.root)->Erase(SubjectOf("a@b.de"), scope, untouched);
    CHECK(outcomes.status().code() == StatusCode::kInvalidArgument);
  }
}

}  // namespace
}  // namespace dsr::connectors
