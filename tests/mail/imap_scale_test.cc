#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "connectors/mail/mail_connector.h"
#include "tests/mail/dovecot_server.h"

namespace dsr::connectors {
namespace {

using testing::DovecotServer;
using testing::SubjectOf;

constexpr int kMessages = 20000;
constexpr char kSubject[] = "anna.beispiel@example.org";

// A support INBOX of 20,000 messages of about 1.6 KB. The subject wrote 10
// of them, is in Cc of 5, is only mentioned in the text of 4, and 4 come
// from an address that merely contains theirs.
struct LargeMailbox {
  LargeMailbox() {
    namespace fs = std::filesystem;
    for (const char* sub : {"cur", "new", "tmp"}) fs::create_directories(fs::path(root) / sub);
    const std::string filler(1400, 'x');
    for (int i = 0; i < kMessages; ++i) {
      std::string from = "kunde" + std::to_string(i) + "@example.net", cc, body = "Frage " + filler;
      if (i % 2000 == 17) from = kSubject, ++from_subject;
      if (i % 4000 == 33) cc = std::string("Cc: Anna <") + kSubject + ">\r\n", ++copied;
      if (i % 5000 == 49) body = std::string("Bitte an ") + kSubject + " antworten.", ++mentions;
      if (i % 6000 == 51) from = std::string("h") + kSubject, ++lookalikes;
      const std::string message =
          "From: " + from + "\r\nTo: support@beispiel-shop.example\r\n" + cc + "Subject: Anfrage " +
          std::to_string(i) + "\r\nDate: Mon, 3 Jun 2024 10:00:00 +0200\r\n\r\n" + body + "\r\n";
      total_bytes += static_cast<int64_t>(message.size());
      std::ofstream(root + "/cur/" + std::to_string(1700000000 + i) + ".M" + std::to_string(i) +
                        "P1.scale:2,S",
                    std::ios::binary)
          << message;
    }
    testing::HandMaildirToServer(root);
  }
  dsr::testing::TempDir dir;
  std::string root = dir.File("mail");
  int from_subject = 0, copied = 0, mentions = 0, lookalikes = 0;
  int64_t total_bytes = 0;
};

std::unique_ptr<Connector> NewMailConnectorOrDie(const DovecotServer& server,
                                                 const std::string& extra) {
  auto connector = NewMailConnector(testing::ConfigFromYaml(server.ConnectorYaml(extra)));
  REQUIRE_MESSAGE(connector.ok(), connector.status().ToString());
  return std::move(connector.value());
}

// Runs one action on a fresh connector and returns what Dovecot counted for
// its session.
template <typename Action>
testing::ImapSessionStats Measured(DovecotServer& server, const std::string& extra, Action action) {
  const size_t sessions = server.Sessions().size();
  auto connector = NewMailConnectorOrDie(server, extra);
  action(*connector);
  const auto after = server.Sessions(sessions + 1);
  REQUIRE(after.size() == sessions + 1);
  return after.back();
}

TEST_SUITE("MailConnector IMAP scale") {
  TEST_CASE(
      "a mailbox of 20,000 messages is searched without fetching messages that do not match") {
    REQUIRE(testing::DovecotInstalled());
    LargeMailbox mailbox;
    DovecotServer server;
    REQUIRE_MESSAGE(server.Start(mailbox.root), server.error());
    const int64_t matches = mailbox.from_subject + mailbox.copied;
    REQUIRE(matches == 15);

    // Locating reads headers of the server's candidates only (the 15 and
    // the look-alike senders), and no message body at all.
    const auto located = Measured(server, "", [&](Connector& connector) {
      auto report = connector.Locate(SubjectOf(kSubject));
      REQUIRE(report.ok());
      CHECK(report->confirmed["INBOX"] == matches);
    });
    CHECK(located.body_fetches == 0);
    CHECK(located.header_fetches == matches + mailbox.lookalikes);

    // Exporting fetches exactly the matching messages once each.
    testing::CollectingSink sink;
    const auto exported = Measured(server, "", [&](Connector& connector) {
      REQUIRE(connector.Export(SubjectOf(kSubject), sink).ok());
    });
    CHECK(sink.found().size() == static_cast<size_t>(matches));
    CHECK(exported.body_fetches == matches);
    CHECK(exported.header_fetches == matches + mailbox.lookalikes);
    // What crossed the wire is a tiny part of the mailbox: the search
    // answers and the candidates' headers and messages.
    CHECK(exported.bytes_out < mailbox.total_bytes / 200);

    // With match_body the server searches the text too; the 4 mentions are
    // fetched to check them and again to export them, so that the connector
    // never holds more than one message, however many mention the subject.
    testing::CollectingSink with_bodies;
    const auto bodies = Measured(server, "match_body: true\n", [&](Connector& connector) {
      REQUIRE(connector.Export(SubjectOf(kSubject), with_bodies).ok());
    });
    CHECK(with_bodies.found().size() == static_cast<size_t>(matches + mailbox.mentions));
    CHECK(bodies.body_fetches == matches + 2 * mailbox.mentions);
  }
}

}  // namespace
}  // namespace dsr::connectors
