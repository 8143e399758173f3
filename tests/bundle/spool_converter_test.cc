#include "coordinator/bundle/spool_converter.h"

#include <doctest/doctest.h>

#include <filesystem>

#include "common/base64.h"
#include "common/digest.h"
#include "tests/bundle/bundle_test_util.h"

namespace dsr::bundle {
namespace {

std::string Field(std::string_view text, bool guard = true) {
  std::string out;
  AppendCsvField(text, guard, &out);
  return out;
}

TEST_SUITE("AppendCsvField") {
  TEST_CASE("leaves plain text alone") {
    CHECK(Field("Jürgen Müller") == "Jürgen Müller");
    CHECK(Field("") == "");
  }

  TEST_CASE("quotes commas, quotes and line breaks and doubles quotes") {
    CHECK(Field("a,b") == "\"a,b\"");
    CHECK(Field("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(Field("two\nlines") == "\"two\nlines\"");
    CHECK(Field("cr\rlf") == "\"cr\rlf\"");
  }

  TEST_CASE("puts an apostrophe before text a spreadsheet would run as a formula") {
    CHECK(Field("=1+2") == "'=1+2");
    CHECK(Field("+49 30 1234") == "'+49 30 1234");
    CHECK(Field("-2+3") == "'-2+3");
    CHECK(Field("@SUM(A1)") == "'@SUM(A1)");
    CHECK(Field("\t=1") == "'\t=1");
    CHECK(Field("\r=1") == "\"'\r=1\"");
    CHECK(Field("=HYPERLINK(\"x\",\"y\")") == "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"");
    CHECK(Field("a=1") == "a=1");
  }

  TEST_CASE("does not guard when told the text is not free text") {
    CHECK(Field("-12.5", false) == "-12.5");
  }
}

CollectionInput Spooled(const std::string& path) {
  CollectionInput collection;
  collection.name = "c";
  collection.records_path = path;
  return collection;
}

TEST_SUITE("ConvertSpool") {
  TEST_CASE("reports sizes and digests of the files it wrote") {
    testing::TempDir dir;
    testing::WriteText(dir / "in.jsonl", testing::Spool({"{\"a\":1}", "{\"b\":-2.5,\"a\":null}"}));
    auto converted =
        ConvertSpool(Spooled(dir / "in.jsonl"), dir / "r.json", dir / "r.csv", dir / "originals");
    REQUIRE(converted.ok());
    CHECK(converted->lines == 2);
    CHECK(converted->records == 2);
    const std::string json = testing::ReadText(dir / "r.json");
    const std::string csv = testing::ReadText(dir / "r.csv");
    CHECK(json == "[\n{\"a\":1},\n{\"b\":-2.5,\"a\":null}\n]\n");
    CHECK(csv ==
          "\xEF\xBB\xBF"
          "a,b\r\n1,\r\n,-2.5\r\n");
    CHECK(converted->json.bytes == static_cast<int64_t>(json.size()));
    CHECK(converted->json.sha256 == Sha256Hex(json));
    CHECK(converted->csv.bytes == static_cast<int64_t>(csv.size()));
    CHECK(converted->csv.sha256 == Sha256Hex(csv));
  }

  TEST_CASE("accepts CRLF line ends and a last line without one") {
    testing::TempDir dir;
    testing::WriteText(dir / "in.jsonl",
                       testing::Envelope("{\"a\":1}") + "\r\n" + testing::Envelope("{\"a\":2}"));
    auto converted =
        ConvertSpool(Spooled(dir / "in.jsonl"), dir / "r.json", dir / "r.csv", dir / "originals");
    REQUIRE(converted.ok());
    CHECK(converted->records == 2);
  }

  TEST_CASE("an empty spool path means no records") {
    testing::TempDir dir;
    auto converted = ConvertSpool(Spooled(""), dir / "r.json", dir / "r.csv", dir / "originals");
    REQUIRE(converted.ok());
    CHECK(converted->records == 0);
    CHECK(testing::ReadText(dir / "r.json") == "[]\n");
  }

  TEST_CASE("writes each original as a file the record names; a taken name gets the line") {
    testing::TempDir dir;
    const std::string eml = "From: a@example.org\r\nSubject: Hallo\r\n\r\nTschüss \xff\r\n";
    const std::string original =
        R"("original":{"name":"m1.eml","base64":")" + EncodeBase64(eml) + R"("})";
    testing::WriteText(dir / "in.jsonl",
                       R"({"key":"1","match":"confirmed","record":{"s":"x"},)" + original + "}\n" +
                           R"({"key":"2","match":"confirmed","record":{"s":"y"}})" + "\n" +
                           R"({"key":"3","match":"confirmed","record":{"s":"z"},)" + original +
                           "}\n");
    auto converted =
        ConvertSpool(Spooled(dir / "in.jsonl"), dir / "r.json", dir / "r.csv", dir / "originals");
    REQUIRE(converted.ok());
    REQUIRE(converted->originals.size() == 2);
    CHECK(converted->originals[0].name == "m1.eml");
    CHECK(converted->originals[1].name == "2-m1.eml");
    for (const auto& written : converted->originals) {
      const std::string bytes = testing::ReadText(dir / ("originals/" + written.name));
      CHECK(bytes == eml);
      CHECK(written.digest.bytes == static_cast<int64_t>(eml.size()));
      CHECK(written.digest.sha256 == Sha256Hex(eml));
    }
    CHECK(testing::ReadText(dir / "r.json") ==
          "[\n{\"s\":\"x\",\"original_file\":\"originals/m1.eml\"},\n{\"s\":\"y\"},\n"
          "{\"s\":\"z\",\"original_file\":\"originals/2-m1.eml\"}\n]\n");
  }

  TEST_CASE("a streamed original goes into the bundle from the spool's own file") {
    testing::TempDir dir;
    const std::string spool = dir / "INBOX.jsonl";
    testing::WriteText(spool, R"({"key":"1","match":"confirmed","record":{"s":"x"}})"
                              "\n"
                              R"({"key":"2","match":"confirmed","record":{"s":"y"},)"
                              R"("original":{"name":"2.eml","bytes":11}})"
                              "\n");
    std::filesystem::create_directories(dir / "INBOX.originals");
    CHECK(StreamedOriginalPath(spool, 1) == dir / "INBOX.originals/1");
    testing::WriteText(StreamedOriginalPath(spool, 1), "Hallo Welt!");
    auto converted = ConvertSpool(Spooled(spool), dir / "r.json", dir / "r.csv", dir / "originals");
    REQUIRE(converted.ok());
    REQUIRE(converted->originals.size() == 1);
    CHECK(converted->originals[0].name == "2.eml");
    CHECK(converted->originals[0].path == StreamedOriginalPath(spool, 1));
    CHECK(converted->originals[0].digest.bytes == 11);
    CHECK(converted->originals[0].digest.sha256 == Sha256Hex("Hallo Welt!"));
    CHECK_FALSE(std::filesystem::exists(dir / "originals"));  // nothing copied
    CHECK(testing::ReadText(dir / "r.json") ==
          "[\n{\"s\":\"x\"},\n{\"s\":\"y\",\"original_file\":\"originals/2.eml\"}\n]\n");

    // A spooled original of another size than its envelope says is not the one received.
    testing::WriteText(StreamedOriginalPath(spool, 1), "Hallo");
    auto mismatch = ConvertSpool(Spooled(spool), dir / "r.json", dir / "r.csv", dir / "originals");
    CHECK(mismatch.status().code() == StatusCode::kInternal);
    std::filesystem::remove(StreamedOriginalPath(spool, 1));
    auto missing = ConvertSpool(Spooled(spool), dir / "r.json", dir / "r.csv", dir / "originals");
    CHECK(missing.status().code() == StatusCode::kInternal);
  }

  TEST_CASE("a record with redacted fields goes without its original, which still holds them") {
    testing::TempDir dir;
    testing::WriteText(
        dir / "in.jsonl",
        R"({"key":"1","match":"confirmed","record":{"from":"a@example.org","cc":"neighbour@example.org"},"original":{"name":"m.eml","base64":"SGFsbG8="}})"
        "\n");
    CollectionInput collection = Spooled(dir / "in.jsonl");
    collection.redacted_fields[0] = {"cc"};
    auto converted = ConvertSpool(collection, dir / "r.json", dir / "r.csv", dir / "originals");
    REQUIRE(converted.ok());
    CHECK(converted->originals.empty());
    CHECK_FALSE(std::filesystem::exists(dir / "originals/m.eml"));
    CHECK(testing::ReadText(dir / "r.json") ==
          "[\n{\"from\":\"a@example.org\",\"original_file\":null}\n]\n");
  }

  TEST_CASE("an excluded record's original is not written") {
    testing::TempDir dir;
    testing::WriteText(
        dir / "in.jsonl",
        R"({"key":"1","match":"confirmed","record":{},"original":{"name":"m.eml","base64":"SGFsbG8="}})"
        "\n");
    CollectionInput collection = Spooled(dir / "in.jsonl");
    collection.excluded_lines = {0};
    auto converted = ConvertSpool(collection, dir / "r.json", dir / "r.csv", dir / "originals");
    REQUIRE(converted.ok());
    CHECK(converted->originals.empty());
    CHECK_FALSE(std::filesystem::exists(dir / "originals/m.eml"));
  }

  TEST_CASE("rejects empty lines, invalid UTF-8, text after the object and bare records") {
    testing::TempDir dir;
    const std::string a = testing::Envelope("{\"a\":1}");
    const std::pair<std::string, const char*> cases[] = {
        {a + "\n\n" + a + "\n", ":2: empty line"},
        {testing::Envelope("{\"a\":\"\xC3\x28\"}") + "\n", ":1: not valid JSON"},
        {a + "\n" + a + " x\n", ":2: not valid JSON"},
        {a + "\n{\"a\":1}\n", ":2: not a record envelope"},
        {R"({"match":"maybe","record":{}})"
         "\n",
         ":1: not a record envelope"},
        {R"({"match":"confirmed","record":[1]})"
         "\n",
         ":1: not a record envelope"},
    };
    for (const auto& [spool, problem] : cases) {
      testing::WriteText(dir / "in.jsonl", spool);
      auto converted =
          ConvertSpool(Spooled(dir / "in.jsonl"), dir / "r.json", dir / "r.csv", dir / "originals");
      REQUIRE_FALSE(converted.ok());
      CHECK(converted.status().code() == StatusCode::kInternal);
      CHECK_MESSAGE(converted.status().message().find(problem) != std::string::npos,
                    converted.status().message());
    }
  }
}

}  // namespace
}  // namespace dsr::bundle
