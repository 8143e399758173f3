#include <doctest/doctest.h>

#include <algorithm>

#include "connectors/mail/mime_reader.h"
#include "connectors/mail/subject_messages.h"
#include "tests/mail/mail_test_support.h"

namespace dsr::connectors {
namespace {

using testing::ExpectedMatches;
using testing::MaildirConnector;
using testing::Names;
using testing::SubjectOf;

std::vector<FoundRecord> Exported(Connector& connector, const std::string& email) {
  testing::CollectingSink sink;
  const Status exported = connector.Export(SubjectOf(email), sink);
  REQUIRE_MESSAGE(exported.ok(), exported.ToString());
  return sink.found();
}

std::string Upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return std::toupper(c); });
  return text;
}

TEST_SUITE("MailConnector Maildir") {
  TEST_CASE(
      "finds exactly the messages that name each sample customer in From, To, Cc or Reply-To") {
    testing::SampleMailbox mailbox;
    auto connector = MaildirConnector(mailbox.root);
    for (const auto& sample : mailbox.data.samples) {
      CAPTURE(sample.reason);
      const auto expected = ExpectedMatches(mailbox.root, sample.email);
      const auto found = Exported(*connector, sample.email);
      CHECK(Names(found) == expected);
      auto located = connector->Locate(SubjectOf(sample.email));
      REQUIRE(located.ok());
      CHECK(located->ambiguous.empty());
      CHECK(located->confirmed["INBOX"] + located->confirmed["Sent"] ==
            static_cast<int64_t>(expected.size()));
      for (const auto& record : found) {
        CHECK(record.match == Match::kConfirmed);
        CHECK(Upper(record.attributes.at("email")) == Upper(sample.email));
      }
    }
  }

  TEST_CASE("addresses match without case, in To, Cc and Reply-To as well") {
    testing::SampleMailbox mailbox;
    auto connector = MaildirConnector(mailbox.root);
    const auto& typical = mailbox.typical();
    const auto found = Exported(*connector, Upper(typical.email));
    CHECK(Names(found) == ExpectedMatches(mailbox.root, typical.email));
    std::set<std::string> roles;
    for (const auto& record : found) {
      for (const auto& role : record.record["matched_in"]) roles.insert(role.get<std::string>());
    }
    CHECK(roles == std::set<std::string>{"from", "reply_to", "to", "cc"});
  }

  TEST_CASE("a sender whose address merely contains the subject's is someone else") {
    testing::SampleMailbox mailbox;
    auto connector = MaildirConnector(mailbox.root, "match_body: true\n");
    const auto& typical = mailbox.typical();
    for (const auto& record : Exported(*connector, typical.email)) {
      CHECK(record.record["from"].get<std::string>().find("k" + typical.email) ==
            std::string::npos);
    }
    // ... and is found as itself.
    CHECK(Exported(*connector, "k" + typical.email).size() == 1);
  }

  TEST_CASE(
      "messages that only mention the address in their text are found with match_body, as "
      "ambiguous") {
    testing::SampleMailbox mailbox;
    auto plain = MaildirConnector(mailbox.root);
    auto bodies = MaildirConnector(mailbox.root, "match_body: true\n");
    // samples[0] is mentioned in plain text, samples[1] in a base64-encoded text.
    for (const auto& sample : {mailbox.data.samples[0], mailbox.data.samples[1]}) {
      CAPTURE(sample.reason);
      const auto mentions = ExpectedMatches(mailbox.root, sample.email, true);
      REQUIRE(mentions.size() == 1);
      std::set<std::string> ambiguous, confirmed;
      for (const auto& record : Exported(*bodies, sample.email)) {
        const std::string name = record.collection + "/" + *record.key;
        (record.match == Match::kAmbiguous ? ambiguous : confirmed).insert(name);
        if (record.match == Match::kAmbiguous) {
          CHECK(record.ambiguity.find("not a sender or recipient") != std::string::npos);
          CHECK(record.record["matched_in"] == nlohmann::json::array({"body"}));
          CHECK(Upper(record.attributes.at("email")) == Upper(sample.email));
        }
      }
      CHECK(ambiguous == mentions);
      CHECK(confirmed == ExpectedMatches(mailbox.root, sample.email));
      CHECK(Names(Exported(*plain, sample.email)) == confirmed);
      auto located = bodies->Locate(SubjectOf(sample.email));
      REQUIRE(located.ok());
      CHECK(located->ambiguous["INBOX"] == 1);
    }
  }

  TEST_CASE("the export carries the stored message byte for byte and a readable summary") {
    testing::SampleMailbox mailbox;
    auto connector = MaildirConnector(mailbox.root);
    const auto stored = testing::SnapshotMaildir(mailbox.root);
    bool photo = false;
    for (const auto& record : Exported(*connector, mailbox.typical().email)) {
      REQUIRE(record.original.has_value());
      const std::string eml = record.original->bytes;
      CHECK(eml == stored.at(record.collection + "/" + *record.key));
      CHECK(record.original->name == mail::OriginalName(*record.key));
      CHECK(record.original->name.find(',') == std::string::npos);
      for (const char* field :
           {"date", "from", "to", "cc", "subject", "message_id", "attachments"}) {
        CHECK(record.record.contains(field));
      }
      CHECK(record.record["date"].get<std::string>().size() == 25);
      if (record.record["subject"] == "Damaged item / beschädigter Artikel") {
        photo = true;
        CHECK(record.record["attachments"] ==
              nlohmann::json::parse(
                  R"([{"filename":"foto-schaden.png","content_type":"image/png","bytes":67}])"));
        CHECK(record.attributes.at("name") == mailbox.typical().name);
      }
    }
    CHECK(photo);
  }

  TEST_CASE("rectification does not apply to any folder") {
    testing::SampleMailbox mailbox;
    auto connector = MaildirConnector(mailbox.root);
    testing::CollectingSink untouched;
    auto outcomes =
        connector->Rectify(SubjectOf(mailbox.typical().email),
                           nlohmann::json{{"email", "new@example.org"}}, ActionScope{}, untouched);
    REQUIRE(outcomes.ok());
    REQUIRE(outcomes->size() == 2);
    for (const auto& outcome : *outcomes) CHECK(outcome.kind == OutcomeKind::kNotApplicable);
    CHECK((*outcomes)[0].collection == "INBOX");
    CHECK((*outcomes)[1].collection == "Sent");
    CHECK(testing::SnapshotMaildir(mailbox.root).size() > 0);
  }

  TEST_CASE("discover reports the folders' headers and, with match_body, their text") {
    testing::SampleMailbox mailbox;
    auto places = MaildirConnector(mailbox.root, "match_body: true\n")->Discover();
    REQUIRE(places.ok());
    std::map<std::string, PersonalDataPlace> by_place;
    for (const auto& place : *places) by_place[place.place] = place;
    REQUIRE(by_place.count("INBOX"));
    REQUIRE(by_place.count("Sent"));
    REQUIRE(by_place.count("INBOX:body"));
    CHECK(by_place["INBOX"].kinds.count("email"));
    CHECK(by_place["INBOX"].occurrences > 0);
    for (const char* kind : {"email", "iban", "phone"})
      CHECK(by_place["INBOX:body"].kinds.count(kind));
    auto headers_only = MaildirConnector(mailbox.root, "discover_sample: 5\n")->Discover();
    REQUIRE(headers_only.ok());
    for (const auto& place : *headers_only) CHECK(place.place.find(":body") == std::string::npos);
  }

  TEST_CASE("an address with quotes or line breaks finds nothing and is never echoed") {
    testing::SampleMailbox mailbox;
    auto connector = MaildirConnector(mailbox.root, "match_body: true\n");
    CHECK(Exported(*connector, "a\" OR ALL \"@example.org").empty());
    auto crlf = connector->Locate(SubjectOf("a@example.org\r\nA1 LOGOUT"));
    REQUIRE_FALSE(crlf.ok());
    CHECK(crlf.status().code() == StatusCode::kInvalidArgument);
    CHECK(crlf.status().message().find("example.org") == std::string::npos);
    auto none = connector->Locate(Subject{{"phone", "+49 30 1234567"}});
    REQUIRE(none.ok());
    CHECK(none->confirmed.empty());
  }

  TEST_CASE("a Maildir that does not exist is unavailable") {
    auto connector = MaildirConnector("/nonexistent/dsr-mail");
    auto located = connector->Locate(SubjectOf("a@example.org"));
    REQUIRE_FALSE(located.ok());
    CHECK(located.status().code() == StatusCode::kUnavailable);
    auto missing =
        MaildirConnector("/tmp", "folders: [NoSuchFolder]\n")->Locate(SubjectOf("a@b.de"));
    CHECK(missing.status().code() == StatusCode::kUnavailable);
  }
}

}  // namespace
}  // namespace dsr::connectors
