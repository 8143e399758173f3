// Identity values crafted against IMAP SEARCH (a quote that ends the string,
// CRLF followed by a command, literal syntax), SQL, paths and search syntax,
// used as the subject's e-mail address: on the real Dovecot server and on a
// Maildir, the connector finds no one or refuses the value, and no message
// is expunged, moved or changed.
#include <doctest/doctest.h>

#include "tests/mail/dovecot_server.h"
#include "tests/support/hostile_identities.h"

namespace dsr::connectors::testing {
namespace {

// What a crafted address may lead to: nothing found, or a refusal of the
// value itself (control characters cannot be searched for).
void CheckFindsNoOne(Connector& connector, const std::string& address) {
  const Subject subject = {{"email", address}};
  auto located = connector.Locate(subject);
  if (!located.ok()) {
    CHECK(located.status().code() == StatusCode::kInvalidArgument);
  } else {
    CHECK(located->confirmed.empty());
    CHECK(located->ambiguous.empty());
  }
  CollectingSink exported;
  const Status export_status = connector.Export(subject, exported);
  CHECK((export_status.ok() || export_status.code() == StatusCode::kInvalidArgument));
  CHECK(exported.found().empty());
  CollectingSink untouched;
  auto erased = connector.Erase(subject, {}, untouched);
  if (!erased.ok()) {
    CHECK(erased.status().code() == StatusCode::kInvalidArgument);
  } else {
    for (const auto& outcome : *erased) CHECK(outcome.records == 0);
  }
}

}  // namespace

TEST_SUITE("MailConnector: identity injection") {
  TEST_CASE("IMAP: crafted addresses find no one and expunge nothing on the real server") {
    ServedSampleMailbox mailbox;
    const auto before = SnapshotMaildir(mailbox.root);
    const auto files_before = MessageFiles(mailbox.root);
    for (const char* extra : {"", "match_body: true\n"}) {
      auto connector = mailbox.Connect(extra);
      for (const auto& hostile : dsr::testing::HostileIdentityValues()) {
        CAPTURE(extra);
        CAPTURE(hostile.what);
        CheckFindsNoOne(*connector, hostile.value);
      }
    }
    CHECK(SnapshotMaildir(mailbox.root) == before);
    CHECK(MessageFiles(mailbox.root) == files_before);
    for (const auto& session : mailbox.server.Sessions()) CHECK(session.expunged == 0);
    // The server is still there and still answers the real subject.
    auto connector = mailbox.Connect();
    auto located = connector->Locate(SubjectOf(mailbox.typical().email));
    REQUIRE(located.ok());
    CHECK_FALSE(located->confirmed.empty());
  }

  TEST_CASE("Maildir: crafted addresses find no one and change no file") {
    SampleMailbox mailbox;
    const auto before = SnapshotMaildir(mailbox.root);
    const auto files_before = MessageFiles(mailbox.root);
    for (const char* extra : {"", "match_body: true\n"}) {
      auto connector = MaildirConnector(mailbox.root, extra);
      for (const auto& hostile : dsr::testing::HostileIdentityValues()) {
        CAPTURE(extra);
        CAPTURE(hostile.what);
        CheckFindsNoOne(*connector, hostile.value);
      }
    }
    CHECK(SnapshotMaildir(mailbox.root) == before);
    CHECK(MessageFiles(mailbox.root) == files_before);
  }
}

}  // namespace dsr::connectors::testing
