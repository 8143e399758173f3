// Identity values crafted as paths (../../etc/passwd, absolute, NUL), SQL,
// IMAP and search syntax against CSV lists, vCard books and chat logs: the
// files connector finds no one, exports nothing, erases and rectifies
// nothing, leaves every file as it was and creates none, inside its root or
// above it.
#include <doctest/doctest.h>

#include "tests/files/files_test_support.h"
#include "tests/support/hostile_identities.h"

namespace dsr::connectors::testing {
namespace {

const char kRules[] = R"yaml(
files:
  - glob: "lists/*.csv"
    format: csv
    identities: {email: E-Mail, phone: Telefon, name: [Vorname, Nachname]}
  - {glob: "contacts/*.vcf", format: vcard, erasure: delete_contact}
  - glob: "chat/*.jsonl"
    format: chat_jsonl
    fields: {email: visitor_email, ip_address: visitor_ip, name: visitor_name, session: session_id}
)yaml";

const std::string kList =
    "E-Mail;Vorname;Nachname;Telefon\r\nanna@example.com;Anna;Schmidt;+49 30 1234567\r\n"
    "etc@example.org;Etc;Passwd;030 999\r\n";
const std::string kBook =
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Anna Schmidt\r\nN:Schmidt;Anna;;;\r\n"
    "EMAIL:anna@example.com\r\nTEL:+49 30 1234567\r\nEND:VCARD\r\n";
const std::string kChat =
    R"({"ts":"2025-03-01T10:00:00Z","session_id":"s1","from":"visitor","visitor_ip":"203.0.113.7","visitor_email":"anna@example.com","visitor_name":"Anna Schmidt","text":"../../etc/passwd"})"
    "\n";

}  // namespace

TEST_SUITE("Files connector: identity injection") {
  TEST_CASE("crafted identity values find no one, change no file and create none") {
    // The connector's root sits two levels below `outer`, so a value used
    // as a relative path ("../../etc/passwd") would land inside `outer`.
    TempRoot outer;
    outer.Write("data/root/lists/customers.csv", kList);
    outer.Write("data/root/contacts/book.vcf", kBook);
    outer.Write("data/root/chat/2025-03.jsonl", kChat);
    const auto entries_before = outer.Entries();
    auto connector = Connect(FilesConfig(outer.File("data/root"), kRules));
    for (const auto& hostile : dsr::testing::HostileIdentityValues()) {
      for (const char* identity : {"email", "phone", "name", "ip_address"}) {
        CAPTURE(hostile.what);
        CAPTURE(identity);
        const Subject subject = {{identity, hostile.value}};
        auto report = connector->Locate(subject);
        REQUIRE_MESSAGE(report.ok(), report.status().ToString());
        CHECK(report->confirmed.empty());
        CHECK(report->ambiguous.empty());
        CHECK(MustExport(*connector, subject).empty());
        for (const auto& outcome : MustErase(*connector, subject)) CHECK(outcome.records == 0);
        const Corrections corrections = {{"email", "changed@example.org"}};
        for (const auto& outcome : MustRectify(*connector, subject, corrections)) {
          CHECK(outcome.records == 0);
        }
      }
    }
    CHECK(outer.Entries() == entries_before);
    CHECK(outer.Read("data/root/lists/customers.csv") == kList);
    CHECK(outer.Read("data/root/contacts/book.vcf") == kBook);
    CHECK(outer.Read("data/root/chat/2025-03.jsonl") == kChat);
    // The real subject is still found in all three files.
    auto real = connector->Locate({{"email", "anna@example.com"}});
    REQUIRE(real.ok());
    CHECK(real->confirmed.size() == 3);
  }
}

}  // namespace dsr::connectors::testing
