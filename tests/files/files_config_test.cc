// Config checks of the files connector: the example config loads as the
// worker loads it, and every error names the config key it is about.
#include <doctest/doctest.h>

#include "common/config_file.h"
#include "connectors/files/files_connector.h"
#include "tests/files/files_test_support.h"

namespace dsr::connectors::testing {
namespace {

// The error of building a connector from `yaml`, as one text: message and details.
std::string ErrorOf(const std::string& yaml) {
  auto config = YamlToJson(yaml);
  REQUIRE(config.ok());
  auto connector = NewFilesConnector(config.value());
  REQUIRE_FALSE(connector.ok());
  CHECK(connector.status().code() == StatusCode::kValidation);
  std::string text = connector.status().message();
  for (const auto& detail : connector.status().details()) text += "\n" + detail;
  return text;
}

bool Mentions(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST_SUITE("Files connector: config") {
  TEST_CASE("the example config loads through the worker schema and builds a connector") {
    auto config =
        LoadConfigFile(SourceDir() + "/deploy/examples/worker-files.yaml", "config/worker");
    REQUIRE_MESSAGE(config.ok(), config.status().ToString());
    CHECK(config.value()["source"] == "files");
    CHECK(config.value()["connector"]["root"] == "/var/lib/dsr/sample-files");
    auto connector = NewFilesConnector(config.value()["connector"]);
    REQUIRE_MESSAGE(connector.ok(), connector.status().ToString());
    CHECK(connector.value()->kind() == "files");
  }

  TEST_CASE("schema violations name the key") {
    const std::string text = ErrorOf(R"yaml(
kind: files
root: relative/path
files: [{glob: "a/*.csv", format: ods, identities: {email: E-Mail}}]
)yaml");
    CHECK(Mentions(text, "connector.root"));
    CHECK(Mentions(text, "connector.files[0].format"));
  }

  TEST_CASE("keys of another format are named with the format they belong to") {
    const std::string text = ErrorOf(R"yaml(
kind: files
root: /srv/files
files:
  - {glob: "a/*.csv", format: csv, sheet: Tabelle1, identities: {email: E-Mail}}
  - {glob: "b/*.vcf", format: vcard, identities: {email: EMAIL}, erasure: delete_row}
)yaml");
    CHECK(Mentions(text, "connector.files[0].sheet: only for format xlsx, not for format csv"));
    CHECK(Mentions(text, "connector.files[1].identities: only for formats csv and xlsx"));
    CHECK(Mentions(text, "connector.files[1].erasure: delete_row does not fit format vcard"));
  }

  TEST_CASE("a chat log needs its session field and at least one identity") {
    const std::string text = ErrorOf(R"yaml(
kind: files
root: /srv/files
files: [{glob: "chat/*.jsonl", format: chat_jsonl, fields: {ip_address: visitor_ip}}]
)yaml");
    CHECK(Mentions(text, "connector.files[0].fields.session: missing"));
  }

  TEST_CASE("a spreadsheet needs identities, and a glob must stay below the root") {
    const std::string text = ErrorOf(R"yaml(
kind: files
root: /srv/files
files:
  - {glob: "lists/../../etc/*.csv", format: csv, identities: {email: E-Mail}}
  - {glob: "events/*.xlsx", format: xlsx}
)yaml");
    CHECK(Mentions(text,
                   "connector.files[0].glob: 'lists/../../etc/*.csv' must name files below root"));
    CHECK(Mentions(text, "connector.files[1].identities: missing"));
  }

  TEST_CASE("an absolute glob is a schema violation") {
    CHECK(Mentions(ErrorOf(R"yaml(
kind: files
root: /srv/files
files: [{glob: "/etc/*.csv", format: csv, identities: {email: E-Mail}}]
)yaml"),
                   "connector.files[0].glob"));
  }
}

}  // namespace
}  // namespace dsr::connectors::testing
