#include "coordinator/bundle/bundle.h"

#include <doctest/doctest.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "common/digest.h"
#include "tests/bundle/bundle_test_util.h"

namespace dsr::bundle {
namespace {

using testing::ReadText;
using testing::TempDir;
using testing::WriteText;
using Json = nlohmann::ordered_json;

const char kCustomer1[] =
    R"j({"id":1,"name":"Jürgen Müller","email":"j.mueller@example.de",)j"
    R"j("note":"=HYPERLINK(\"http://evil\")","tags":["vip","b2b"],"phone":"+49 30 1234",)j"
    R"j("balance":-12.5,"address":{"city":"München"},"deleted":null})j";
const char kCustomer2[] =
    R"j({"id":2,"name":"Ana \"Quote\", Comma","comment":"line1\nline2","email":"ana@example.org"})j";
const char kMessage[] = R"j({"subject":"@SUM(A1)","from":"kunde@example.de","body":"-minus"})j";

const char kLetter[] = "<!DOCTYPE html>\n<html lang=\"de\"><p>Auskunft, 5. März 2025</p></html>\n";

// Three sources: one with two collections (one of them empty), one with one
// collection, one where nothing was found.
struct Fixture {
  TempDir dir;
  BundleInput input;
  std::string zip_path = dir / "bundle.zip";

  Fixture() {
    WriteText(dir / "customers.jsonl", testing::Spool({kCustomer1, kCustomer2}));
    WriteText(dir / "orders.jsonl", "");
    WriteText(dir / "messages.jsonl", testing::Spool({kMessage}));
    input.request_id = "6f1c2a9e-0000-4000-8000-000000000001";
    input.answered_on = CivilDate(2025, 3, 20);
    input.letter_html = kLetter;
    input.sources = {
        {"crm", {{"customers", dir / "customers.jsonl", 2}, {"orders", dir / "orders.jsonl", 0}}},
        {"mail", {{"messages", dir / "messages.jsonl", 1}}},
        {"tickets", {}},
    };
  }

  // Builds the bundle and extracts it into dir/out.
  BundleSummary BuildAndExtract() {
    auto summary = BuildBundle(input, zip_path);
    REQUIRE_MESSAGE(summary.ok(), summary.status().ToString());
    const testing::Extraction extraction(zip_path, dir / "out");
    CHECK(extraction.errors() == 0);
    if (testing::HaveUnzip()) CHECK(testing::UnzipAccepts(zip_path));
    return *summary;
  }

  std::string Extracted(const std::string& name) const { return ReadText(dir / ("out/" + name)); }
};

Json ParseFile(const std::string& text) {
  return Json::parse(text);
}

TEST_SUITE("BuildBundle") {
  TEST_CASE("writes the letter, the manifest and two files per collection with records") {
    Fixture fixture;
    const BundleSummary summary = fixture.BuildAndExtract();
    const std::set<std::string> expected = {
        "letter.html",
        "manifest.json",
        "sources/crm/customers/records.csv",
        "sources/crm/customers/records.json",
        "sources/mail/messages/records.csv",
        "sources/mail/messages/records.json",
    };
    CHECK(testing::ListFilesRecursively(fixture.dir / "out") == expected);
    CHECK(summary.path == fixture.zip_path);
    CHECK(summary.files == 6);
    CHECK(summary.records == 3);
    CHECK(summary.bytes == static_cast<int64_t>(testing::fs::file_size(fixture.zip_path)));
    CHECK(summary.sha256 == *Sha256OfFile(fixture.zip_path));
  }

  TEST_CASE("records.json holds the spool's records one by one") {
    Fixture fixture;
    fixture.BuildAndExtract();
    const Json customers = ParseFile(fixture.Extracted("sources/crm/customers/records.json"));
    REQUIRE(customers.is_array());
    REQUIRE(customers.size() == 2);
    CHECK(customers[0] == Json::parse(kCustomer1));
    CHECK(customers[1] == Json::parse(kCustomer2));
    // Key order and umlauts survive as written, one record per line.
    const std::string text = fixture.Extracted("sources/crm/customers/records.json");
    CHECK(text.find("\"name\":\"Jürgen Müller\"") != std::string::npos);
    CHECK(text.rfind("[\n{\"id\":1,", 0) == 0);
    const Json messages = ParseFile(fixture.Extracted("sources/mail/messages/records.json"));
    CHECK(messages == Json::array({Json::parse(kMessage)}));
  }

  TEST_CASE("records.csv has a BOM, the union header, RFC 4180 quoting and the formula guard") {
    Fixture fixture;
    fixture.BuildAndExtract();
    const std::string expected =
        "\xEF\xBB\xBF"
        "id,name,email,note,tags,phone,balance,address,deleted,comment\r\n"
        "1,Jürgen Müller,j.mueller@example.de,\"'=HYPERLINK(\"\"http://evil\"\")\","
        "\"[\"\"vip\"\",\"\"b2b\"\"]\",'+49 30 1234,-12.5,\"{\"\"city\"\":\"\"München\"\"}\",,\r\n"
        "2,\"Ana \"\"Quote\"\", Comma\",ana@example.org,,,,,,,\"line1\nline2\"\r\n";
    CHECK(fixture.Extracted("sources/crm/customers/records.csv") == expected);
    CHECK(fixture.Extracted("sources/mail/messages/records.csv") ==
          "\xEF\xBB\xBFsubject,from,body\r\n'@SUM(A1),kunde@example.de,'-minus\r\n");
  }

  TEST_CASE("the manifest lists every other file with the size and SHA-256 of its bytes") {
    Fixture fixture;
    fixture.BuildAndExtract();
    const Json manifest = ParseFile(fixture.Extracted("manifest.json"));
    CHECK(manifest["request_id"] == fixture.input.request_id);
    CHECK(manifest["created"] == "2025-03-20");
    std::set<std::string> listed;
    for (const auto& file : manifest["files"]) {
      const std::string path = file["path"].get<std::string>();
      const std::string bytes = fixture.Extracted(path);
      CHECK_MESSAGE(file["sha256"] == Sha256Hex(bytes), path);
      CHECK_MESSAGE(file["bytes"] == bytes.size(), path);
      listed.insert(path);
    }
    CHECK(manifest["files"][0]["path"] == "letter.html");
    std::set<std::string> others = testing::ListFilesRecursively(fixture.dir / "out");
    others.erase("manifest.json");
    CHECK(listed == others);
  }

  TEST_CASE("stores the rendered letter unchanged as letter.html") {
    Fixture fixture;
    fixture.BuildAndExtract();
    CHECK(fixture.Extracted("letter.html") == kLetter);
  }

  TEST_CASE("a bundle without any records holds the letter and the manifest only") {
    Fixture fixture;
    fixture.input.sources[0].collections = {{"orders", fixture.dir / "orders.jsonl", 0}};
    fixture.input.sources[1].collections[0] = {"messages", "", 0};
    const BundleSummary summary = fixture.BuildAndExtract();
    CHECK(summary.records == 0);
    CHECK(summary.files == 2);
    CHECK(testing::ListFilesRecursively(fixture.dir / "out") ==
          std::set<std::string>{"letter.html", "manifest.json"});
  }

  TEST_CASE("a bundle with no sources at all is valid") {
    Fixture fixture;
    fixture.input.sources.clear();
    CHECK(fixture.BuildAndExtract().files == 2);
  }

  TEST_CASE("a malformed spool line fails with file and line and leaves nothing behind") {
    Fixture fixture;
    WriteText(fixture.dir / "messages.jsonl",
              testing::Spool({kMessage, kMessage}) + "{\"name\":\"Geheim\n");
    fixture.input.sources[1].collections[0].records = 3;
    const std::set<std::string> before = testing::ListDir(fixture.dir.path());
    const auto summary = BuildBundle(fixture.input, fixture.zip_path);
    REQUIRE_FALSE(summary.ok());
    CHECK(summary.status().code() == StatusCode::kInternal);
    CHECK(summary.status().message().find(fixture.dir / "messages.jsonl:3:") != std::string::npos);
    CHECK(summary.status().message().find("Geheim") == std::string::npos);
    CHECK(testing::ListDir(fixture.dir.path()) == before);
  }

  TEST_CASE("a line that is JSON but not an object is malformed too") {
    Fixture fixture;
    WriteText(fixture.dir / "messages.jsonl", "[1,2]\n");
    const auto summary = BuildBundle(fixture.input, fixture.zip_path);
    REQUIRE_FALSE(summary.ok());
    CHECK(summary.status().message().find("messages.jsonl:1: not a JSON object") !=
          std::string::npos);
  }

  TEST_CASE("a spool with fewer records than announced fails instead of answering with less") {
    Fixture fixture;
    fixture.input.sources[0].collections[0].records = 3;
    const auto summary = BuildBundle(fixture.input, fixture.zip_path);
    REQUIRE_FALSE(summary.ok());
    CHECK(summary.status().code() == StatusCode::kInternal);
    CHECK(summary.status().message().find("crm/customers: spool holds 2 records, expected 3") !=
          std::string::npos);
    CHECK_FALSE(testing::fs::exists(fixture.zip_path));
  }

  TEST_CASE("a failed build keeps the bundle that was there before") {
    Fixture fixture;
    WriteText(fixture.zip_path, "previous bundle");
    fixture.input.sources[1].collections[0].records_path = fixture.dir / "missing.jsonl";
    const std::set<std::string> before = testing::ListDir(fixture.dir.path());
    CHECK(BuildBundle(fixture.input, fixture.zip_path).status().code() == StatusCode::kInternal);
    CHECK(ReadText(fixture.zip_path) == "previous bundle");
    CHECK(testing::ListDir(fixture.dir.path()) == before);
  }

  TEST_CASE("rejects unsafe or repeated names, a missing letter or request id and unset dates") {
    Fixture fixture;
    auto code_with = [&](auto change) {
      BundleInput input = fixture.input;
      change(&input);
      return BuildBundle(input, fixture.zip_path).status().code();
    };
    CHECK(code_with([](BundleInput* in) { in->sources[0].name = "../etc"; }) ==
          StatusCode::kInvalidArgument);
    CHECK(code_with([](BundleInput* in) { in->sources[1].name = "crm"; }) ==
          StatusCode::kInvalidArgument);
    CHECK(code_with([](BundleInput* in) { in->sources[0].collections[1].name = "customers"; }) ==
          StatusCode::kInvalidArgument);
    CHECK(code_with([](BundleInput* in) { in->sources[0].collections[0].name = "a/b"; }) ==
          StatusCode::kInvalidArgument);
    CHECK(code_with([](BundleInput* in) { in->letter_html.clear(); }) ==
          StatusCode::kInvalidArgument);
    CHECK(code_with([](BundleInput* in) { in->request_id.clear(); }) ==
          StatusCode::kInvalidArgument);
    CHECK(code_with([](BundleInput* in) { in->answered_on = CivilDate(); }) ==
          StatusCode::kInvalidArgument);
    CHECK_FALSE(testing::fs::exists(fixture.zip_path));
  }

  TEST_CASE("the bundle is readable by its owner only") {
    Fixture fixture;
    fixture.BuildAndExtract();
    struct stat info {};
    REQUIRE(::stat(fixture.zip_path.c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0600);
  }

  TEST_CASE("writes ZIP64 records even for a small bundle, so entries over 4 GiB stay valid") {
    Fixture fixture;
    fixture.BuildAndExtract();
    const std::string zip = ReadText(fixture.zip_path);
    CHECK(zip.find(std::string("PK\x06\x06", 4)) != std::string::npos);        // ZIP64 end record
    CHECK(zip.find(std::string("PK\x06\x07", 4)) != std::string::npos);        // and its locator
    CHECK(zip.find(std::string("\x01\x00\x10\x00", 4)) != std::string::npos);  // extra field
  }
}

}  // namespace
}  // namespace dsr::bundle
