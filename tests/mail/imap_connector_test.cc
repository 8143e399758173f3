#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>

#include "connectors/mail/mime_reader.h"
#include "tests/mail/dovecot_server.h"

namespace dsr::connectors {
namespace {

using testing::ExpectedMatches;
using testing::MessageFiles;
using testing::OutcomeOf;
using testing::ServedSampleMailbox;
using testing::SnapshotMaildir;
using testing::SubjectOf;

std::vector<FoundRecord> Exported(Connector& connector, const std::string& email) {
  testing::CollectingSink sink;
  const Status exported = connector.Export(SubjectOf(email), sink);
  REQUIRE_MESSAGE(exported.ok(), exported.ToString());
  return sink.found();
}

std::vector<CollectionOutcome> Erased(Connector& connector, const Subject& subject,
                                      const ActionScope& scope = {}) {
  testing::CollectingSink untouched;
  auto outcomes = connector.Erase(subject, scope, untouched);
  REQUIRE_MESSAGE(outcomes.ok(), outcomes.status().ToString());
  return *outcomes;
}

TEST_SUITE("MailConnector IMAP") {
  TEST_CASE("finds exactly each sample customer's messages and exports them byte for byte") {
    ServedSampleMailbox mailbox;
    auto connector = mailbox.Connect();
    const auto files_before = MessageFiles(mailbox.root);
    const auto stored = SnapshotMaildir(mailbox.root);
    for (const auto& sample : mailbox.data.samples) {
      CAPTURE(sample.reason);
      const auto found = Exported(*connector, sample.email);
      CHECK(mailbox.FileNames(found) == ExpectedMatches(mailbox.root, sample.email));
      for (const auto& record : found) {
        CHECK(std::regex_match(*record.key, std::regex(R"(\d+:\d+)")));
        REQUIRE(record.original.has_value());
        const std::string eml = record.original->bytes;
        CHECK(eml == stored.at(*mailbox.FileNames({record}).begin()));
      }
      auto located = connector->Locate(SubjectOf(sample.email));
      REQUIRE(located.ok());
      CHECK(located->confirmed["INBOX"] + located->confirmed["Sent"] ==
            static_cast<int64_t>(found.size()));
    }
    // Reading set no flag: every file keeps its name (new/ stays new/, no 'S').
    CHECK(MessageFiles(mailbox.root) == files_before);
  }

  TEST_CASE("body mentions are found by the server's search, decoded, as ambiguous") {
    ServedSampleMailbox mailbox;
    auto connector = mailbox.Connect("match_body: true\n");
    for (const auto& sample : {mailbox.data.samples[0], mailbox.data.samples[1]}) {
      std::vector<FoundRecord> ambiguous;
      for (const auto& record : Exported(*connector, sample.email)) {
        if (record.match == Match::kAmbiguous) ambiguous.push_back(record);
      }
      CHECK(mailbox.FileNames(ambiguous) == ExpectedMatches(mailbox.root, sample.email, true));
    }
  }

  TEST_CASE(
      "erase expunges exactly the subject's messages; every other message stays byte for byte") {
    ServedSampleMailbox mailbox;
    auto connector = mailbox.Connect();
    const auto before = SnapshotMaildir(mailbox.root);
    const auto expected = ExpectedMatches(mailbox.root, mailbox.typical().email);
    int64_t erased = 0;
    for (const auto& outcome : Erased(*connector, SubjectOf(mailbox.typical().email))) {
      CHECK(outcome.kind == OutcomeKind::kErased);
      erased += outcome.records;
    }
    CHECK(erased == static_cast<int64_t>(expected.size()));
    auto remaining = before;
    for (const auto& name : expected) remaining.erase(name);
    CHECK(SnapshotMaildir(mailbox.root) == remaining);
    for (const auto& outcome : Erased(*connector, SubjectOf(mailbox.typical().email))) {
      CHECK(outcome.kind == OutcomeKind::kNotFound);
    }
    CHECK(SnapshotMaildir(mailbox.root) == remaining);
  }

  TEST_CASE(
      "retained messages are reported with their UIDs; the hold's end expunges exactly those") {
    ServedSampleMailbox mailbox;
    auto connector = mailbox.Connect(
        "erasure: {strategy: retain, retain: {legal_basis: \"§257 HGB\", years: 6}}\n");
    const auto before = SnapshotMaildir(mailbox.root);
    ActionScope ended;
    ended.mode = ActionScope::Mode::kOnly;
    ended.retention_ended = true;
    std::vector<FoundRecord> retained;
    for (const auto& outcome : Erased(*connector, SubjectOf(mailbox.typical().email))) {
      REQUIRE(outcome.kind == OutcomeKind::kRetained);
      CHECK(outcome.retained_until->month() == 12);
      for (const auto& key : outcome.keys) {
        ended.selection[outcome.collection].insert(key);
        retained.push_back(FoundRecord{outcome.collection, key, {}, Match::kConfirmed, "", {}});
      }
    }
    const auto names = mailbox.FileNames(retained);
    CHECK(names == ExpectedMatches(mailbox.root, mailbox.typical().email));
    CHECK(SnapshotMaildir(mailbox.root) == before);
    Erased(*connector, Subject{}, ended);
    auto remaining = before;
    for (const auto& name : names) remaining.erase(name);
    CHECK(SnapshotMaildir(mailbox.root) == remaining);
    for (const auto& outcome : Erased(*connector, Subject{}, ended)) {
      CHECK(outcome.kind == OutcomeKind::kNotFound);
    }
  }

  TEST_CASE("a message without a readable Date is held from the server's INTERNALDATE") {
    ServedSampleMailbox mailbox;
    const std::string email = mailbox.typical().email;
    // Dovecot takes a Maildir message's INTERNALDATE from the file's mtime.
    const std::string path = mailbox.root + "/cur/1700000000.M9P9.host:2,S";
    std::ofstream(path, std::ios::binary)
        << "From: <" << email << ">\r\nSubject: no date\r\n\r\nHallo\r\n";
    const auto march_2021 =
        std::filesystem::file_time_type::clock::now() -
        (std::chrono::system_clock::now() - std::chrono::system_clock::from_time_t(1614859200));
    std::filesystem::last_write_time(path, march_2021);
    testing::HandMaildirToServer(mailbox.root);
    auto connector = mailbox.Connect(
        "erasure: {strategy: retain, retain: {legal_basis: \"§257 HGB\", years: 6}}\n");
    std::vector<FoundRecord> undated;
    for (const auto& outcome : Erased(*connector, SubjectOf(email))) {
      REQUIRE(outcome.kind == OutcomeKind::kRetained);
      for (const auto& key : outcome.keys) {
        const FoundRecord record{outcome.collection, key, {}, Match::kConfirmed, "", {}};
        if (*mailbox.FileNames({record}).begin() == "INBOX/1700000000.M9P9.host")
          CHECK(*outcome.retained_until == CivilDate(2027, 12, 31));
        undated.push_back(record);
      }
    }
    CHECK(mailbox.FileNames(undated).count("INBOX/1700000000.M9P9.host") == 1);
  }

  TEST_CASE("keys from before a folder's UIDVALIDITY changed are a conflict, not deleted") {
    ServedSampleMailbox mailbox;
    ActionScope ended;
    ended.mode = ActionScope::Mode::kOnly;
    ended.retention_ended = true;
    ended.selection["INBOX"] = {"1:1"};
    testing::CollectingSink untouched;
    const auto before = SnapshotMaildir(mailbox.root);
    auto outcomes = mailbox.Connect()->Erase(Subject{}, ended, untouched);
    CHECK(outcomes.status().code() == StatusCode::kConflict);
    CHECK(SnapshotMaildir(mailbox.root) == before);
  }

  TEST_CASE("IMAP SEARCH injection in the address is harmless") {
    ServedSampleMailbox mailbox;
    auto connector = mailbox.Connect("match_body: true\n");
    const auto before = SnapshotMaildir(mailbox.root);
    for (const std::string email : {"a\" OR ALL \"@example.org", "x\\\" OR ALL \\\"@y.de",
                                    "\" ALL UID STORE 1:* +FLAGS (\\Deleted) \"@z.de"}) {
      CAPTURE(email);
      CHECK(Exported(*connector, email).empty());
      for (const auto& outcome : Erased(*connector, SubjectOf(email))) {
        CHECK(outcome.kind == OutcomeKind::kNotFound);
      }
    }
    testing::CollectingSink untouched;
    auto crlf = connector->Erase(SubjectOf("a@b.de\r\nD9 UID EXPUNGE 1:*"), {}, untouched);
    CHECK(crlf.status().code() == StatusCode::kInvalidArgument);
    CHECK(SnapshotMaildir(mailbox.root) == before);
  }

  TEST_CASE("discover and rectify cover every folder the server lists") {
    ServedSampleMailbox mailbox;
    auto places = mailbox.Connect("match_body: true\n")->Discover();
    REQUIRE(places.ok());
    std::set<std::string> names;
    for (const auto& place : *places) {
      names.insert(place.place);
      CHECK(place.kinds.count("email"));
    }
    // Sent mail bodies of the sample hold no personal data; Discover reports
    // only places where it found some.
    CHECK(names == std::set<std::string>{"INBOX", "INBOX:body", "Sent"});
    testing::CollectingSink untouched;
    auto rectified = mailbox.Connect()->Rectify(SubjectOf(mailbox.typical().email),
                                                nlohmann::json::object(), {}, untouched);
    REQUIRE(rectified.ok());
    CHECK(OutcomeOf(*rectified, "INBOX", OutcomeKind::kNotApplicable));
    CHECK(OutcomeOf(*rectified, "Sent", OutcomeKind::kNotApplicable));
  }

  TEST_CASE("a refused login, a missing folder and a stopped server are unavailable") {
    ServedSampleMailbox mailbox;
    {
      std::ofstream(mailbox.server.password_file()) << "wrong\n";
      auto located = mailbox.Connect()->Locate(SubjectOf("a@b.de"));
      CHECK(located.status().code() == StatusCode::kUnavailable);
      CHECK(located.status().message().find("connector.imap.password_file") != std::string::npos);
      CHECK(located.status().message().find("wrong") == std::string::npos);
      std::ofstream(mailbox.server.password_file()) << "s3cret \"quoted\"\n";
    }
    auto folder = mailbox.Connect("folders: [INBOX, Archiv]\n")->Locate(SubjectOf("a@b.de"));
    CHECK(folder.status().code() == StatusCode::kUnavailable);
    CHECK(folder.status().message().find("Archiv") != std::string::npos);
    mailbox.server.Stop();
    auto stopped = mailbox.Connect()->Locate(SubjectOf("a@b.de"));
    CHECK(stopped.status().code() == StatusCode::kUnavailable);
  }
}

}  // namespace
}  // namespace dsr::connectors
