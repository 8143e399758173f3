#include "connectors/mail/mail_config.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "common/config_file.h"
#include "connectors/mail/mail_connector.h"
#include "tests/mail/mail_test_support.h"

namespace dsr::connectors {
namespace {

using testing::ConfigFromYaml;

// The problems of a config that must be refused, joined: message and details.
std::string Problems(const std::string& yaml) {
  auto connector = NewMailConnector(ConfigFromYaml(yaml));
  REQUIRE_FALSE(connector.ok());
  CHECK(connector.status().code() == StatusCode::kValidation);
  std::string all = connector.status().message();
  for (const auto& detail : connector.status().details()) all += "\n" + detail;
  return all;
}

constexpr char kImap[] =
    "kind: mail\nimap: {url: \"imaps://mail.example.org\", user: support, password_file: /p}\n";

TEST_SUITE("MailConfig") {
  TEST_CASE("the example worker config loads through the worker schema and builds a connector") {
    auto config = LoadConfigFile(testing::ExampleMailConfigPath(), "config/worker");
    REQUIRE_MESSAGE(config.ok(), config.status().ToString());
    CHECK((*config)["source"] == "mail");
    CHECK((*config)["coordinator"] == "tcp://127.0.0.1:5555");
    CHECK((*config)["connector"]["maildir"] == "/var/lib/dsr/sample-mailbox");
    auto connector = NewMailConnector((*config)["connector"]);
    REQUIRE_MESSAGE(connector.ok(), connector.status().ToString());
    CHECK((*connector)->kind() == "mail");
    auto parsed = mail::ParseMailConfig((*config)["connector"]);
    REQUIRE(parsed.ok());
    CHECK(parsed->strategy == mail::ErasureStrategy::kRetain);
    CHECK(parsed->retain->years == 6);
  }

  TEST_CASE("an imap url with defaults is parsed into host, port and TLS") {
    auto parsed = mail::ParseMailConfig(ConfigFromYaml(kImap));
    REQUIRE(parsed.ok());
    CHECK(parsed->imap->host == "mail.example.org");
    CHECK(parsed->imap->port == 993);
    CHECK(parsed->imap->tls);
    CHECK(parsed->imap->tls_verify);
    CHECK(parsed->strategy == mail::ErasureStrategy::kDelete);
    CHECK_FALSE(parsed->match_body);
  }

  TEST_CASE("errors name the config key") {
    CHECK(Problems("kind: mail\n").find("connector.imap: missing") != std::string::npos);
    CHECK(Problems(std::string(kImap) + "maildir: /var/mail\n").find("connector.maildir") !=
          std::string::npos);
    CHECK(Problems("kind: mail\nimap: {url: \"imap://mail.example.org\", user: u, password_file: "
                   "/p}\n")
              .find("connector.imap.url: plain imap:// is allowed only to a loopback") !=
          std::string::npos);
    CHECK(Problems("kind: mail\nimap: {url: \"imaps://h:99999\", user: u, password_file: /p}\n")
              .find("connector.imap.url: port") != std::string::npos);
    CHECK(Problems("kind: mail\nimap: {url: \"imaps://h/INBOX?x\", user: u, password_file: /p}\n")
              .find("imap.url") != std::string::npos);
    CHECK(Problems(std::string(kImap) + "erasure: {strategy: retain}\n")
              .find("connector.erasure.retain: missing") != std::string::npos);
    CHECK(Problems(std::string(kImap) +
                   "erasure: {strategy: delete, retain: {legal_basis: x, years: 6}}\n")
              .find("connector.erasure.retain: given") != std::string::npos);
    CHECK(Problems(std::string(kImap) + "folders: [INBOX, INBOX]\n")
              .find("connector.folders[1]: folder 'INBOX' is listed twice") != std::string::npos);
    CHECK(Problems(std::string(kImap) + "folders: [\"Sent.2024\", Sent_2024]\n")
              .find("connector.folders[1]: collection 'Sent_2024'") != std::string::npos);
    CHECK(
        Problems("kind: mail\nmaildir: /m\nfolders: [\"../etc\"]\n").find("connector.folders[0]") !=
        std::string::npos);
    CHECK(Problems(std::string(kImap) + "match_body: maybe\n").find("match_body") !=
          std::string::npos);
    CHECK(Problems(std::string(kImap) + "colour: blue\n").find("colour") != std::string::npos);
  }

  TEST_CASE("folder names become collection names that are safe on the wire") {
    CHECK(mail::CollectionNameOf("INBOX") == "INBOX");
    CHECK(mail::CollectionNameOf("Sent.2024") == "Sent_2024");
    CHECK(mail::CollectionNameOf("Entw&APw-rfe") == "Entw_APw-rfe");
    CHECK(mail::CollectionNameOf("2024") == "F2024");
    CHECK(mail::IsCollectionName(mail::CollectionNameOf(std::string(100, 'x'))));
    auto parsed = mail::ParseMailConfig(ConfigFromYaml(
        std::string(kImap) + "folders: [INBOX, {folder: \"Archiv.2023\", collection: archive}]\n"));
    REQUIRE(parsed.ok());
    CHECK(parsed->folders[0].collection == "INBOX");
    CHECK(parsed->folders[1].folder == "Archiv.2023");
    CHECK(parsed->folders[1].collection == "archive");
  }
}

}  // namespace
}  // namespace dsr::connectors
