// An e-mail larger than a CHUNK may be travels in pieces through the real
// worker and coordinator and reaches the bundle byte for byte.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "common/wire.h"
#include "tests/e2e/cluster.h"

namespace dsr::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kSubject = "anhang@example.org";

// A message from the subject whose base64 attachment makes it `size` bytes or a little more.
std::string LargeMessage(size_t size) {
  std::string message = std::string("From: Anhang <") + kSubject +
                        ">\r\nTo: support@example.com\r\nSubject: Scan\r\n"
                        "Date: Mon, 2 Nov 2026 10:00:00 +0100\r\nMessage-ID: <scan@example.org>\r\n"
                        "MIME-Version: 1.0\r\n"
                        "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
                        "--b\r\nContent-Type: text/plain\r\n\r\nDer Scan.\r\n"
                        "--b\r\nContent-Type: application/pdf; name=\"scan.pdf\"\r\n"
                        "Content-Disposition: attachment; filename=\"scan.pdf\"\r\n"
                        "Content-Transfer-Encoding: base64\r\n\r\n";
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (size_t line = 0; message.size() < size; ++line) {
    for (size_t i = 0; i < 76; ++i) message.push_back(alphabet[(line * 31 + i * 7) % 64]);
    message += "\r\n";
  }
  return message + "--b--\r\n";
}

void Deliver(const std::string& maildir, const std::string& key, const std::string& message) {
  for (const fs::path& folder : {fs::path(maildir), fs::path(maildir) / ".Sent"}) {
    for (const char* sub : {"cur", "new", "tmp"}) fs::create_directories(folder / sub);
  }
  std::ofstream(fs::path(maildir) / "cur" / (key + ":2,S"), std::ios::binary) << message;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

}  // namespace

TEST_SUITE("E2E: large originals") {
  TEST_CASE("an e-mail larger than a CHUNK's payload limit reaches the bundle byte for byte") {
    Cluster cluster;
    const std::string large = LargeMessage(wire::kMaxPayloadBytes + 4 * 1024 * 1024);
    REQUIRE(large.size() > wire::kMaxPayloadBytes);
    Deliver(cluster.mailbox_path(), "1793000001.M1P1.test", large);
    Deliver(cluster.mailbox_path(), "1793000002.M2P1.test", LargeMessage(1000));
    REQUIRE(cluster.StartCoordinator({"mail"}));
    REQUIRE(cluster.StartWorker("mail-1", "mail"));

    const auto request = cluster.SubmitAccess({{"email", kSubject}});
    REQUIRE(request.is_object());
    const std::string id = request.at("id").get<std::string>();
    const auto completed = cluster.ReviewAndApprove(id);
    REQUIRE(completed.is_object());
    REQUIRE(completed.at("status") == "completed");

    const std::string bundle = cluster.FetchBundle(id);
    REQUIRE_FALSE(bundle.empty());
    const std::string originals = bundle + "/sources/mail/INBOX/originals/";
    CHECK(ReadAll(originals + "1793000001.M1P1.test.eml") == large);
    CHECK(ReadAll(originals + "1793000002.M2P1.test.eml") == LargeMessage(1000));
  }
}

}  // namespace dsr::testing
