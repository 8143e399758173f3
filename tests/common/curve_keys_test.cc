#include "common/curve_keys.h"

#include <doctest/doctest.h>
#include <sys/stat.h>

#include <fstream>

#include "tests/support/temp_dir.h"

namespace dsr {
namespace {

unsigned ModeOf(const std::string& path) {
  struct stat info {};
  REQUIRE(::stat(path.c_str(), &info) == 0);
  return info.st_mode & 07777;
}

// Runs `body` with the process umask set to `mask`, then restores it.
template <typename Body>
void WithUmask(mode_t mask, Body&& body) {
  const mode_t before = ::umask(mask);
  body();
  ::umask(before);
}

}  // namespace

TEST_SUITE("curve keys") {
  TEST_CASE("a key pair is written with 0600 for the secret and 0644 for the public key") {
    for (mode_t mask : {mode_t{0}, mode_t{022}, mode_t{077}}) {
      CAPTURE(mask);
      testing::TempDir dir;
      auto pair = GenerateCurveKeyPair();
      REQUIRE(pair.ok());
      WithUmask(mask, [&] {
        REQUIRE(WriteCurveKeyPair(*pair, dir.File("w.key"), dir.File("w.pub"), "test").ok());
      });
      CHECK(ModeOf(dir.File("w.key")) == 0600);
      CHECK(ModeOf(dir.File("w.pub")) == 0644);
      auto secret = ReadCurveSecretKeyFile(dir.File("w.key"), "secret");
      REQUIRE(secret.ok());
      CHECK(*secret == pair->secret_key);
      auto public_key = ReadCurveKeyFile(dir.File("w.pub"), "public");
      REQUIRE(public_key.ok());
      CHECK(*public_key == pair->public_key);
      CHECK(CurvePublicKeyOf(*secret).value() == pair->public_key);
    }
  }

  TEST_CASE("an existing key file is never overwritten and nothing half is left") {
    testing::TempDir dir;
    auto first = GenerateCurveKeyPair().value();
    auto second = GenerateCurveKeyPair().value();
    REQUIRE(WriteCurveKeyPair(first, dir.File("a.key"), dir.File("a.pub"), "a").ok());
    const Status again = WriteCurveKeyPair(second, dir.File("a.key"), dir.File("b.pub"), "a");
    CHECK_FALSE(again.ok());
    CHECK(again.message().find("refusing to overwrite") != std::string::npos);
    CHECK(ReadCurveKeyFile(dir.File("a.key"), "k").value() == first.secret_key);
    CHECK_FALSE(std::ifstream(dir.File("b.pub")).good());

    // The public file exists: the secret one is not created either.
    const Status public_taken =
        WriteCurveKeyPair(second, dir.File("c.key"), dir.File("a.pub"), "c");
    CHECK_FALSE(public_taken.ok());
    CHECK_FALSE(std::ifstream(dir.File("c.key")).good());
    CHECK(ReadCurveKeyFile(dir.File("a.pub"), "k").value() == first.public_key);
  }

  TEST_CASE("a secret key others may read is refused") {
    testing::TempDir dir;
    auto pair = GenerateCurveKeyPair().value();
    REQUIRE(WriteCurveKeyPair(pair, dir.File("s.key"), dir.File("s.pub"), "s").ok());
    ::chmod(dir.File("s.key").c_str(), 0640);
    auto read = ReadCurveSecretKeyFile(dir.File("s.key"), "curve.secret_key_file");
    REQUIRE_FALSE(read.ok());
    CHECK(read.status().message().find("curve.secret_key_file") != std::string::npos);
    CHECK(read.status().message().find("0640") != std::string::npos);
  }

  TEST_CASE("key files: comments are skipped, anything but one Z85 key is refused") {
    testing::TempDir dir;
    const std::string key = GenerateCurveKeyPair().value().public_key;
    std::ofstream(dir.File("ok.pub")) << "# the crm worker\n#\n\n" << key << "\n";
    CHECK(ReadCurveKeyFile(dir.File("ok.pub"), "k").value() == key);
    std::ofstream(dir.File("two.pub")) << key << "\n" << key << "\n";
    CHECK(ReadCurveKeyFile(dir.File("two.pub"), "k").status().message().find("more than one") !=
          std::string::npos);
    std::ofstream(dir.File("short.pub")) << key.substr(1) << "\n";
    CHECK_FALSE(ReadCurveKeyFile(dir.File("short.pub"), "k").ok());
    CHECK_FALSE(ReadCurveKeyFile(dir.File("missing.pub"), "k").ok());
    CHECK(IsZ85Key(key));
    CHECK_FALSE(IsZ85Key(std::string(40, ' ')));
    CHECK_FALSE(IsZ85Key(std::string(40, '#')));  // decodes beyond 32 bits per group
  }

  TEST_CASE("endpoints on this machine") {
    CHECK(IsLocalEndpoint("tcp://127.0.0.1:5555"));
    CHECK(IsLocalEndpoint("tcp://localhost:5555"));
    CHECK(IsLocalEndpoint("tcp://[::1]:5555"));
    CHECK(IsLocalEndpoint("tcp://127.0.0.1:*"));
    CHECK(IsLocalEndpoint("ipc:///run/dsr.sock"));
    CHECK_FALSE(IsLocalEndpoint("tcp://0.0.0.0:5555"));
    CHECK_FALSE(IsLocalEndpoint("tcp://*:5555"));
    CHECK_FALSE(IsLocalEndpoint("tcp://dsr.example.org:5555"));
    CHECK_FALSE(IsLocalEndpoint("tcp://10.0.0.1:5555"));
    CHECK(EndpointHost("tcp://dsr.example.org:5555") == "dsr.example.org");
  }
}

}  // namespace dsr
