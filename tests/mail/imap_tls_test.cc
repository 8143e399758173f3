#include <doctest/doctest.h>

#include "connectors/mail/mail_connector.h"
#include "tests/mail/dovecot_server.h"

namespace dsr::connectors {
namespace {

using testing::ExpectedMatches;
using testing::ServedSampleMailbox;
using testing::SubjectOf;

TEST_SUITE("MailConnector IMAP over TLS") {
  TEST_CASE("imaps with the server's CA finds the messages; an untrusted certificate is refused") {
    ServedSampleMailbox mailbox(/*tls=*/true);
    const std::string email = mailbox.typical().email;
    testing::CollectingSink sink;
    REQUIRE(mailbox.Connect()->Export(SubjectOf(email), sink).ok());
    CHECK(mailbox.FileNames(sink.found()) == ExpectedMatches(mailbox.root, email));

    // Without the CA file the system's trust store does not know the
    // self-signed certificate.
    const std::string yaml = mailbox.server.ConnectorYaml();
    auto untrusted =
        NewMailConnector(testing::ConfigFromYaml(yaml.substr(0, yaml.find("  ca_file"))));
    REQUIRE(untrusted.ok());
    auto refused = (*untrusted)->Locate(SubjectOf(email));
    CHECK(refused.status().code() == StatusCode::kUnavailable);
    CHECK(refused.status().message().find("TLS handshake") != std::string::npos);

    auto unchecked = NewMailConnector(
        testing::ConfigFromYaml(yaml.substr(0, yaml.find("  ca_file")) + "  tls_verify: false\n"));
    REQUIRE(unchecked.ok());
    CHECK((*unchecked)->Locate(SubjectOf(email)).ok());
  }
}

}  // namespace
}  // namespace dsr::connectors
