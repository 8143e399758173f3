// BuildBundle and the review decisions: excluded lines, accepted ambiguous
// records and redacted fields (Art. 15(4)).
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "coordinator/bundle/bundle.h"
#include "tests/bundle/bundle_test_util.h"

namespace dsr::bundle {
namespace {

using testing::Envelope;
using testing::ReadText;
using testing::TempDir;
using testing::WriteText;
using Json = nlohmann::ordered_json;

const char kAnna[] = R"({"id":1,"name":"Anna Muster","email":"anna@example.de","note":"ok"})";
const char kBert[] = R"({"id":2,"name":"Bert Nachbar","email":"bert@example.de","note":"x"})";
const char kAnna2[] = R"({"id":3,"name":"A. Muster","email":"anna@example.de","note":"Tel. Bert"})";
const char kShared[] = R"({"id":4,"name":"Muster","phone":"+49 221 1234","note":"Haushalt"})";

// One collection of four lines (review lines 0-3): two confirmed records of
// the subject (0, 2), one confirmed record the reviewer withholds (1), one
// ambiguous record (3), excluded unless a test accepts it.
struct Fixture {
  TempDir dir;
  BundleInput input;
  std::string zip_path = dir / "bundle.zip";

  Fixture() {
    WriteText(dir / "customers.jsonl", Envelope(kAnna) + "\n" + Envelope(kBert) + "\n" +
                                           Envelope(kAnna2) + "\n" +
                                           Envelope(kShared, "ambiguous") + "\n");
    input.request_id = "6f1c2a9e-0000-4000-8000-000000000002";
    input.answered_on = CivilDate(2025, 3, 20);
    input.letter_html = "<html></html>\n";
    CollectionInput customers{"customers", dir / "customers.jsonl", 4};
    customers.excluded_lines = {1, 3};
    input.sources = {{"crm", {customers}}};
  }

  CollectionInput& customers() { return input.sources[0].collections[0]; }

  BundleSummary BuildAndExtract() {
    auto summary = BuildBundle(input, zip_path);
    REQUIRE_MESSAGE(summary.ok(), summary.status().ToString());
    const testing::Extraction extraction(zip_path, dir / "out");
    CHECK(extraction.errors() == 0);
    return *summary;
  }

  Json Records() const {
    return Json::parse(ReadText(dir / "out/sources/crm/customers/records.json"));
  }
  std::string Csv() const { return ReadText(dir / "out/sources/crm/customers/records.csv"); }

  // Builds, expecting failure; checks that nothing is left behind.
  Status BuildFails() {
    const std::set<std::string> before = testing::ListDir(dir.path());
    auto summary = BuildBundle(input, zip_path);
    REQUIRE_FALSE(summary.ok());
    CHECK(testing::ListDir(dir.path()) == before);
    return summary.status();
  }
};

TEST_SUITE("BuildBundle review decisions") {
  TEST_CASE("writes only the inner records of lines that are not excluded") {
    Fixture fixture;
    const BundleSummary summary = fixture.BuildAndExtract();
    CHECK(summary.records == 2);
    CHECK(RecordsToWrite(fixture.customers()) == 2);
    CHECK(fixture.Records() == Json::array({Json::parse(kAnna), Json::parse(kAnna2)}));
    const std::string csv = fixture.Csv();
    CHECK(csv.find("Bert Nachbar") == std::string::npos);
    CHECK(csv.find("+49 221 1234") == std::string::npos);
    CHECK(csv.find("\r\n1,Anna Muster,") != std::string::npos);
  }

  TEST_CASE("no envelope field reaches the files") {
    Fixture fixture;
    fixture.customers().excluded_lines = {1};
    fixture.customers().accepted_lines = {3};
    fixture.BuildAndExtract();
    const std::string json = ReadText(fixture.dir / "out/sources/crm/customers/records.json");
    for (const char* word : {"\"match\"", "\"ambiguity\"", "\"key\"", "ambiguous", "confirmed"}) {
      CHECK_MESSAGE(json.find(word) == std::string::npos, word);
      CHECK_MESSAGE(fixture.Csv().find(word) == std::string::npos, word);
    }
  }

  TEST_CASE("writes an ambiguous record that a reviewer accepted") {
    Fixture fixture;
    fixture.customers().excluded_lines = {1};
    fixture.customers().accepted_lines = {3};
    const BundleSummary summary = fixture.BuildAndExtract();
    CHECK(summary.records == 3);
    CHECK(RecordsToWrite(fixture.customers()) == 3);
    CHECK(fixture.Records().back() == Json::parse(kShared));
  }

  TEST_CASE("an ambiguous record nobody decided on fails the build instead of leaving") {
    Fixture fixture;
    fixture.customers().excluded_lines = {1};
    const Status status = fixture.BuildFails();
    CHECK(status.code() == StatusCode::kConflict);
    CHECK(status.message().find("customers.jsonl:4: ambiguous record (review line 3) neither "
                                "accepted nor excluded") != std::string::npos);
    CHECK(status.message().find("Haushalt") == std::string::npos);
  }

  TEST_CASE("an accepted line that is not ambiguous means the spool is not the one reviewed") {
    Fixture fixture;
    fixture.customers().accepted_lines = {0};
    const Status status = fixture.BuildFails();
    CHECK(status.code() == StatusCode::kConflict);
    CHECK(status.message().find("customers.jsonl:1: accepted as ambiguous (review line 0)") !=
          std::string::npos);
  }

  TEST_CASE("removes redacted fields from records.json and records.csv") {
    Fixture fixture;
    fixture.customers().redacted_fields = {{2, {"note"}}, {1, {"email"}}};
    fixture.BuildAndExtract();
    const Json records = fixture.Records();
    REQUIRE(records.size() == 2);
    CHECK(records[0] == Json::parse(kAnna));
    CHECK(records[1] == Json::parse(R"({"id":3,"name":"A. Muster","email":"anna@example.de"})"));
    const std::string csv = fixture.Csv();
    CHECK(csv.find("Tel. Bert") == std::string::npos);
    CHECK(csv.find("\r\n3,A. Muster,anna@example.de,\r\n") != std::string::npos);
  }

  TEST_CASE("a column that every written record had redacted leaves the CSV header") {
    Fixture fixture;
    fixture.customers().redacted_fields = {{0, {"note"}}, {2, {"note"}}};
    fixture.BuildAndExtract();
    CHECK(fixture.Csv().rfind("\xEF\xBB\xBFid,name,email\r\n", 0) == 0);
  }

  TEST_CASE("a redacted field the record lacks fails the build, naming the field, not values") {
    Fixture fixture;
    fixture.customers().redacted_fields = {{0, {"iban"}}};
    const Status status = fixture.BuildFails();
    CHECK(status.code() == StatusCode::kConflict);
    CHECK(status.message().find("customers.jsonl:1: no field 'iban' to redact (review line 0)") !=
          std::string::npos);
  }

  TEST_CASE("a collection whose lines are all excluded gets no files") {
    Fixture fixture;
    fixture.customers().excluded_lines = {0, 1, 2, 3};
    const BundleSummary summary = fixture.BuildAndExtract();
    CHECK(summary.records == 0);
    CHECK(RecordsToWrite(fixture.customers()) == 0);
    CHECK(testing::ListFilesRecursively(fixture.dir / "out") ==
          std::set<std::string>{"letter.html", "manifest.json"});
  }

  TEST_CASE("the line count covers every envelope, written or not") {
    Fixture fixture;
    fixture.customers().records = 5;  // what the worker reported; the spool holds 4
    fixture.customers().excluded_lines = {1, 3};
    const Status status = fixture.BuildFails();
    CHECK(status.code() == StatusCode::kInternal);
    CHECK(status.message().find("spool holds 4 records, expected 5") != std::string::npos);
  }

  TEST_CASE("rejects line numbers outside the spool and lines both excluded and accepted") {
    Fixture fixture;
    auto code_with = [&](auto change) {
      BundleInput input = fixture.input;
      change(&input.sources[0].collections[0]);
      return BuildBundle(input, fixture.zip_path).status().code();
    };
    CHECK(code_with([](CollectionInput* c) { c->excluded_lines.insert(-1); }) ==
          StatusCode::kInvalidArgument);
    CHECK(code_with([](CollectionInput* c) { c->excluded_lines.insert(4); }) ==
          StatusCode::kInvalidArgument);
    CHECK(code_with([](CollectionInput* c) { c->accepted_lines.insert(-1); }) ==
          StatusCode::kInvalidArgument);
    CHECK(code_with([](CollectionInput* c) { c->redacted_fields[9] = {"note"}; }) ==
          StatusCode::kInvalidArgument);
    CHECK(code_with([](CollectionInput* c) {
            c->excluded_lines = {1};
            c->accepted_lines = {3};
          }) == StatusCode::kOk);
    CHECK(code_with([](CollectionInput* c) {
            c->excluded_lines = {3};
            c->accepted_lines = {3};
          }) == StatusCode::kInvalidArgument);
  }
}

}  // namespace
}  // namespace dsr::bundle
