// JSON-lines chat logs: a session the subject took part in is removed whole,
// interleaved lines of other sessions stay byte-identical, IP addresses are
// identities, and Discover finds IP addresses the config does not name.
#include <doctest/doctest.h>

#include "tests/files/files_test_support.h"

namespace dsr::connectors::testing {
namespace {

const std::string kLine1 =
    R"({"ts":"2025-03-01T10:00:00Z","session_id":"s1","from":"visitor","visitor_ip":"203.0.113.7","visitor_email":"anna@example.com","visitor_name":"Anna Schmidt","text":"Hallo"})"
    "\n";
const std::string kLine2 =
    R"({"ts":"2025-03-01T10:00:05Z", "session_id":"s2", "from":"visitor", "visitor_ip":"2001:DB8:0:0::1", "text":"Grüße"})"
    "\n";
const std::string kLine3 =
    R"({"ts":"2025-03-01T10:00:09Z","session_id":"s1","from":"agent","text":"Gern"})"
    "\n";
const std::string kLine4 =
    R"({"ts":"2025-03-01T10:01:00Z","session_id":"s2","from":"agent","text":"Ja?"})"
    "\n";
const std::string kLine5 =
    R"({"ts":"2025-03-01T10:01:30Z","session_id":"s1","from":"visitor","visitor_ip":"203.0.113.7","text":"Meine Adresse: anna@example.com"})"
    "\n";
const std::string kLine6 = R"({"ts":"2025-03-01T10:02:00Z","from":"system","text":"Neustart"})"
                           "\n";
const std::string kLog = kLine1 + kLine2 + kLine3 + kLine4 + kLine5 + kLine6;

const char kRules[] = R"yaml(
files:
  - glob: "chat/*.jsonl"
    format: chat_jsonl
    fields: {email: visitor_email, ip_address: visitor_ip, name: visitor_name, session: session_id}
)yaml";

struct ChatFixture {
  ChatFixture() { root.Write("chat/2025-03.jsonl", kLog); }
  std::unique_ptr<Connector> connector() const { return Connect(FilesConfig(root.path(), kRules)); }
  std::string log() const { return root.Read("chat/2025-03.jsonl"); }
  TempRoot root;
};

TEST_SUITE("Files connector: chat logs") {
  TEST_CASE("every line of the subject's session goes, other sessions' lines stay byte-identical") {
    ChatFixture fixture;
    const auto found = MustExport(*fixture.connector(), {{"email", "Anna@Example.com"}});
    REQUIRE(found.size() == 1);
    CHECK(*found[0].key == "s1");
    CHECK(found[0].record["lines"].size() == 3);
    CHECK(found[0].attributes.at("name") == "Anna Schmidt");
    CHECK(found[0].attributes.count("ip_address") == 0);  // the wire has no such attribute

    const auto outcomes = MustErase(*fixture.connector(), {{"email", "anna@example.com"}});
    CHECK(outcomes.at(0).collection == "chat_2025-03_jsonl");
    CHECK(outcomes.at(0).records == 1);
    CHECK(fixture.log() == kLine2 + kLine4 + kLine6);
  }

  TEST_CASE(
      "an IP address finds the session in its canonical form, as ambiguous until an agent "
      "accepts it") {
    ChatFixture fixture;
    const Subject subject = {{"ip_address", "2001:db8::1"}};
    const auto found = MustExport(*fixture.connector(), subject);
    REQUIRE(found.size() == 1);
    CHECK(*found[0].key == "s2");
    // Addresses are shared and reassigned: an address alone never confirms.
    CHECK(found[0].match == Match::kAmbiguous);
    CHECK(found[0].ambiguity == "matches ip_address only; an IP address is shared and reassigned");
    MustErase(*fixture.connector(), subject);
    CHECK(fixture.log() == kLog);
    ActionScope accepted;
    accepted.selection[found[0].collection] = {*found[0].key};
    MustErase(*fixture.connector(), subject, accepted);
    CHECK(fixture.log() == kLine1 + kLine3 + kLine5 + kLine6);
  }

  TEST_CASE("a session matching the IP address under another e-mail address is ambiguous") {
    ChatFixture fixture;
    const Subject subject = {{"email", "someone@example.org"}, {"ip_address", "203.0.113.7"}};
    auto report = fixture.connector()->Locate(subject);
    REQUIRE(report.ok());
    CHECK(report->ambiguous.at("chat_2025-03_jsonl") == 1);
    CHECK(report->confirmed.empty());
  }

  TEST_CASE("rectification replaces only the bytes of the corrected value") {
    ChatFixture fixture;
    MustRectify(*fixture.connector(), {{"email", "anna@example.com"}},
                {{"email", "anna.schmidt@example.com"}});
    std::string line1 = kLine1;
    line1.replace(line1.find("\"anna@example.com\""), 18, "\"anna.schmidt@example.com\"");
    CHECK(fixture.log() == line1 + kLine2 + kLine3 + kLine4 + kLine5 + kLine6);
  }

  TEST_CASE("a last line still being written is left alone; a broken line elsewhere is refused") {
    ChatFixture fixture;
    fixture.root.Write("chat/2025-03.jsonl", kLog + R"({"ts":"2025-03-01T10:03)");
    MustErase(*fixture.connector(), {{"email", "anna@example.com"}});
    CHECK(fixture.log() == kLine2 + kLine4 + kLine6 + R"({"ts":"2025-03-01T10:03)");

    fixture.root.Write("chat/2025-03.jsonl", kLine1 + "{not json}\n" + kLine2);
    auto report = fixture.connector()->Locate({{"email", "anna@example.com"}});
    CHECK(report.status().code() == StatusCode::kInvalidArgument);
    CHECK(report.status().message() == "chat/2025-03.jsonl: line 2 is not a JSON object");
  }

  TEST_CASE("discover finds the chat IP addresses even when the config does not name the field") {
    ChatFixture fixture;
    fixture.root.Write("archive/old-chat.jsonl", kLine2);  // matched by no glob at all
    auto connector = Connect(FilesConfig(fixture.root.path(), R"yaml(
files: [{glob: "chat/*.jsonl", format: chat_jsonl, fields: {email: visitor_email, session: session_id}}]
)yaml"));
    auto places = connector->Discover();
    REQUIRE(places.ok());
    const auto place = [&](const std::string& name) -> const PersonalDataPlace* {
      for (const auto& found : *places) {
        if (found.place == name) return &found;
      }
      return nullptr;
    };
    REQUIRE(place("chat/2025-03.jsonl:visitor_ip") != nullptr);
    CHECK(place("chat/2025-03.jsonl:visitor_ip")->kinds == std::set<std::string>{"ip_address"});
    CHECK(place("chat/2025-03.jsonl:visitor_ip")->occurrences == 3);
    REQUIRE(place("archive/old-chat.jsonl:visitor_ip") != nullptr);
    REQUIRE(place("chat/2025-03.jsonl:text") != nullptr);
    CHECK(place("chat/2025-03.jsonl:text")->kinds.count("email") == 1);
    CHECK(place("chat/2025-03.jsonl:ts") == nullptr);
  }
}

}  // namespace
}  // namespace dsr::connectors::testing
