#include "common/data_protection.h"

#include <doctest/doctest.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/support/temp_dir.h"

namespace dsr {
namespace {

DataKeyring Ring(const std::vector<std::string>& keys) {
  auto ring = DataKeyring::FromKeys(keys);
  REQUIRE(ring.ok());
  return std::move(ring.value());
}

const std::string kKeyA(32, 'a');
const std::string kKeyB(32, 'b');

std::string RawFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

void Overwrite(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
}

// Content large enough for several frames, with a recognisable text inside.
std::string LargeContent() {
  std::string content;
  for (int i = 0; content.size() < 300 * 1024; ++i) {
    content += "line " + std::to_string(i) + " jane.doe@example.org\n";
  }
  return content;
}

Status WriteFile(const std::string& path, const std::string& content, const DataKeyring& ring) {
  auto writer = EncryptedFileWriter::Create(path, ring);
  if (!writer.ok()) return writer.status();
  // In uneven pieces, as a spool receives chunks.
  for (size_t at = 0; at < content.size(); at += 7001) {
    DSR_RETURN_IF_ERROR(writer->Append(std::string_view(content).substr(at, 7001)));
    if (at % 5 == 0) DSR_RETURN_IF_ERROR(writer->Sync());
  }
  return writer->Close();
}

}  // namespace

TEST_CASE("a sealed field opens with its context and key, and only then") {
  const DataKeyring ring = Ring({kKeyA});
  const std::string sealed = ring.Seal("jane.doe@example.org", "requests.subject:r1");
  CHECK(IsSealed(sealed));
  CHECK(SealedKeyId(sealed) == ring.current_id());
  CHECK(sealed.find("jane") == std::string::npos);
  CHECK(ring.Seal("jane.doe@example.org", "requests.subject:r1") != sealed);  // fresh nonce

  auto opened = ring.Open(sealed, "requests.subject:r1");
  REQUIRE(opened.ok());
  CHECK(*opened == "jane.doe@example.org");
  CHECK(ring.Seal("", "c").size() > 0);
  CHECK(ring.Open(ring.Seal("", "c"), "c").value() == "");

  SUBCASE("another row or column") {
    CHECK_FALSE(ring.Open(sealed, "requests.subject:r2").ok());
    CHECK_FALSE(ring.Open(sealed, "requests.note:r1").ok());
  }
  SUBCASE("a wrong key") {
    auto other = Ring({kKeyB});
    auto result = other.Open(sealed, "requests.subject:r1");
    REQUIRE_FALSE(result.ok());
    CHECK(result.status().message().find("not configured") != std::string::npos);
  }
  SUBCASE("a tampered byte") {
    for (size_t at = sealed.rfind(':') + 1; at < sealed.size(); at += 3) {
      std::string altered = sealed;
      altered[at] = altered[at] == 'A' ? 'B' : 'A';
      CHECK_FALSE(ring.Open(altered, "requests.subject:r1").ok());
    }
  }
  SUBCASE("not sealed at all") {
    CHECK_FALSE(IsSealed("jane.doe@example.org"));
    CHECK_FALSE(ring.Open("jane.doe@example.org", "c").ok());
  }
}

TEST_CASE("rotation: new fields use the current key, old ones still open") {
  const DataKeyring old_ring = Ring({kKeyA});
  const std::string old_sealed = old_ring.Seal("Jane Doe", "requests.subject:r1");
  const DataKeyring rotated = Ring({kKeyB, kKeyA});
  CHECK(rotated.current_id() != old_ring.current_id());
  CHECK(rotated.Open(old_sealed, "requests.subject:r1").value() == "Jane Doe");
  const std::string new_sealed = rotated.Seal("Jane Doe", "requests.subject:r1");
  CHECK(SealedKeyId(new_sealed) == rotated.current_id());
  CHECK_FALSE(old_ring.Open(new_sealed, "requests.subject:r1").ok());
  CHECK_FALSE(DataKeyring::FromKeys({kKeyA, kKeyA}).ok());
}

TEST_CASE("an encrypted file reads back whole, and not at all when damaged") {
  testing::TempDir dir;
  const DataKeyring ring = Ring({kKeyA});
  const std::string path = dir.File("records.jsonl");
  const std::string content = LargeContent();
  REQUIRE(WriteFile(path, content, ring).ok());

  const std::string raw = RawFile(path);
  CHECK(raw.find("jane.doe") == std::string::npos);
  CHECK(raw.find("line 1") == std::string::npos);
  struct stat info {};
  REQUIRE(stat(path.c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);

  auto back = ReadEncryptedFile(path, ring);
  REQUIRE(back.ok());
  CHECK(*back == content);

  SUBCASE("line by line through the stream") {
    auto in = DecryptingInputStream::Open(path, ring);
    REQUIRE(in.ok());
    std::string line;
    int lines = 0;
    while (std::getline(**in, line)) ++lines;
    CHECK((*in)->eof());
    CHECK_FALSE((*in)->bad());
    CHECK(lines == static_cast<int>(std::count(content.begin(), content.end(), '\n')));
  }
  SUBCASE("a wrong key") {
    auto result = ReadEncryptedFile(path, Ring({kKeyB}));
    REQUIRE_FALSE(result.ok());
    CHECK(result.status().message().find("not configured") != std::string::npos);
  }
  SUBCASE("a tampered byte anywhere") {
    for (size_t at : {size_t{20}, raw.size() / 3, raw.size() / 2, raw.size() - 1}) {
      std::string altered = raw;
      altered[at] = static_cast<char>(altered[at] ^ 0x01);
      Overwrite(path, altered);
      CHECK_FALSE(ReadEncryptedFile(path, ring).ok());
    }
  }
  SUBCASE("cut short, at a frame boundary or inside one") {
    for (size_t keep : {raw.size() - 1, raw.size() - 17, raw.size() / 2, size_t{40}, size_t{3}}) {
      Overwrite(path, raw.substr(0, keep));
      CHECK_FALSE(ReadEncryptedFile(path, ring).ok());
    }
    // Exactly the frames before the final one: well-formed, but not finished.
    auto writer = EncryptedFileWriter::Create(path, ring);
    REQUIRE(writer.ok());
    REQUIRE(writer->Append("complete frame").ok());
    REQUIRE(writer->Sync().ok());
    const std::string unfinished = RawFile(path);
    REQUIRE(writer->Close().ok());
    Overwrite(path, unfinished);
    auto result = ReadEncryptedFile(path, ring);
    REQUIRE_FALSE(result.ok());
    CHECK(result.status().message().find("cut short") != std::string::npos);
  }
  SUBCASE("the stream reports damage as a bad stream") {
    std::string altered = raw;
    altered[raw.size() / 2] = static_cast<char>(altered[raw.size() / 2] ^ 0x01);
    Overwrite(path, altered);
    auto in = DecryptingInputStream::Open(path, ring);
    REQUIRE(in.ok());
    std::string line;
    while (std::getline(**in, line)) {
    }
    CHECK((*in)->bad());
    CHECK_FALSE((*in)->error().ok());
  }
  SUBCASE("a plain file is no encrypted file") {
    Overwrite(path, content);
    CHECK_FALSE(ReadEncryptedFile(path, ring).ok());
  }
}

TEST_CASE("an empty encrypted file and the output stream") {
  testing::TempDir dir;
  const DataKeyring ring = Ring({kKeyA});
  REQUIRE(WriteEncryptedFileAtomically(dir.File("empty"), "", ring).ok());
  CHECK(ReadEncryptedFile(dir.File("empty"), ring).value().empty());

  auto out = EncryptingOutputStream::Create(dir.File("stream"), ring);
  REQUIRE(out.ok());
  const std::string content = LargeContent();
  **out << content << 'x';
  REQUIRE((*out)->Close().ok());
  CHECK(ReadEncryptedFile(dir.File("stream"), ring).value() == content + "x");
}

TEST_CASE("rewrap moves a file to the current key") {
  testing::TempDir dir;
  const std::string path = dir.File("letter.html");
  REQUIRE(WriteEncryptedFileAtomically(path, "Dear Jane", Ring({kKeyA})).ok());
  const DataKeyring rotated = Ring({kKeyB, kKeyA});
  auto rewrapped = RewrapEncryptedFile(path, rotated);
  REQUIRE(rewrapped.ok());
  CHECK(*rewrapped);
  CHECK_FALSE(RewrapEncryptedFile(path, rotated).value());
  CHECK(ReadEncryptedFile(path, Ring({kKeyB})).value() == "Dear Jane");
  CHECK_FALSE(ReadEncryptedFile(path, Ring({kKeyA})).ok());
}

TEST_CASE("key files: generated private, refused when others may read them") {
  testing::TempDir dir;
  const std::string path = dir.File("data.key");
  auto id = GenerateDataKeyFile(path);
  REQUIRE(id.ok());
  struct stat info {};
  REQUIRE(stat(path.c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);
  CHECK(RawFile(path).size() == 65);            // 64 hex digits and a line break
  CHECK_FALSE(GenerateDataKeyFile(path).ok());  // never overwritten

  auto ring = DataKeyring::Load(path, {});
  REQUIRE(ring.ok());
  CHECK(ring->current_id() == *id);

  SUBCASE("readable by the group") {
    chmod(path.c_str(), 0640);
    auto refused = DataKeyring::Load(path, {});
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.status().message().find("chmod 600") != std::string::npos);
    CHECK(refused.status().message().find("data_protection.key_file") != std::string::npos);
  }
  SUBCASE("malformed") {
    Overwrite(path, "not a key\n");
    CHECK_FALSE(DataKeyring::Load(path, {}).ok());
  }
  SUBCASE("missing") {
    CHECK_FALSE(DataKeyring::Load(dir.File("none.key"), {}).ok());
  }
  SUBCASE("previous keys") {
    const std::string old_path = dir.File("old.key");
    REQUIRE(GenerateDataKeyFile(old_path).ok());
    auto both = DataKeyring::Load(path, {old_path});
    REQUIRE(both.ok());
    CHECK(both->current_id() == *id);
    CHECK_FALSE(DataKeyring::Load(path, {path}).ok());  // the same key twice
  }
}

}  // namespace dsr
