#include "tools/sample-crm/sample_mailbox.h"

#include <doctest/doctest.h>

#include <filesystem>

#include "tests/mail/mail_test_support.h"
#include "tests/support/temp_dir.h"

namespace dsr::sample_crm {
namespace {

using connectors::testing::ExpectedMatches;
using connectors::testing::SnapshotMaildir;

TEST_SUITE("SampleMailbox") {
  TEST_CASE("the same data and seed give the same files, byte for byte") {
    const SampleCrmData data = GenerateSampleCrm(400, 7);
    dsr::testing::TempDir dir;
    REQUIRE(WriteSampleMailbox(data, dir.File("a"), 7).ok());
    REQUIRE(WriteSampleMailbox(data, dir.File("b"), 7).ok());
    REQUIRE(WriteSampleMailbox(data, dir.File("c"), 8).ok());
    const auto a = SnapshotMaildir(dir.File("a"));
    CHECK(a.size() > 50);
    CHECK(a == SnapshotMaildir(dir.File("b")));
    CHECK(a != SnapshotMaildir(dir.File("c")));
    CHECK(std::filesystem::exists(dir.File("a/.Sent/maildirfolder")));
    CHECK(WriteSampleMailbox(data, dir.File("a"), 7).code() == StatusCode::kConflict);
  }

  TEST_CASE("every sample customer has several mails in INBOX and in Sent") {
    const SampleCrmData data = GenerateSampleCrm(400, 7);
    dsr::testing::TempDir dir;
    REQUIRE(WriteSampleMailbox(data, dir.File("mail"), 7).ok());
    REQUIRE_FALSE(data.samples.empty());
    CHECK(data.samples[0].reason == "typical");
    for (const auto& sample : data.samples) {
      int inbox = 0, sent = 0;
      for (const auto& name : ExpectedMatches(dir.File("mail"), sample.email)) {
        (name.rfind("INBOX/", 0) == 0 ? inbox : sent) += 1;
      }
      CHECK_MESSAGE(inbox >= 3, sample.reason);
      CHECK_MESSAGE(sent >= 3, sample.reason);
    }
    // Some mail only mentions the typical customer in its text.
    CHECK(ExpectedMatches(dir.File("mail"), data.samples[0].email, true).size() == 1);
    bool umlauts = false, attachment = false;
    for (const auto& [name, content] : SnapshotMaildir(dir.File("mail"))) {
      umlauts |= content.find("=C3=BC") != std::string::npos;
      attachment |= content.find("Content-Disposition: attachment") != std::string::npos;
      CHECK(content.find("\r\n\r\n") != std::string::npos);
    }
    CHECK(umlauts);
    CHECK(attachment);
  }
}

}  // namespace
}  // namespace dsr::sample_crm
