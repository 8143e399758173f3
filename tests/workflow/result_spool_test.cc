#include "coordinator/workflow/result_spool.h"

#include <doctest/doctest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/data_protection.h"
#include "common/digest.h"
#include "coordinator/bundle/bundle.h"
#include "coordinator/bundle/spool_converter.h"
#include "coordinator/workflow/spool_reader.h"
#include "tests/support/temp_dir.h"

namespace dsr::workflow {
namespace {

constexpr const char* kRequest = "7d7c2c6e-8b53-4a43-9d1a-0c6f1f4f0a11";
constexpr const char* kTask = "0f8fad5b-d9cb-469f-a165-70867728950e";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

unsigned ModeOf(const std::string& path) {
  struct stat info {};
  REQUIRE(::stat(path.c_str(), &info) == 0);
  return info.st_mode & 07777;
}

struct SpoolFixture {
  dsr::testing::TempDir dir;
  std::string root = dir.File("results");
  ResultSpool spool{root};

  std::string FileOf(const std::string& collection) const {
    return root + "/" + kRequest + "/" + kTask + "/" + collection + ".jsonl";
  }
};

}  // namespace

TEST_SUITE("ResultSpool") {
  TEST_CASE("writes chunks in order to one JSON Lines file per collection with its SHA-256") {
    SpoolFixture f;
    REQUIRE(f.spool.Begin(kRequest, kTask, 1).ok());
    const std::string orders1 =
        "{\"key\":null,\"match\":\"confirmed\",\"record\":{\"id\":1,\"total\":9.5}}\n{\"key\":null,"
        "\"match\":\"confirmed\",\"record\":{\"id\":2,\"total\":3}}\n";
    const std::string orders2 =
        "{\"key\":null,\"match\":\"confirmed\",\"record\":{\"id\":3,\"note\":\"Grüße\"}}\n";
    const std::string contacts =
        "{\"key\":null,\"match\":\"confirmed\",\"record\":{\"email\":\"a@example.org\"}}\n";
    REQUIRE(f.spool.Append(kTask, 1, 0, "orders", 2, orders1).ok());
    REQUIRE(f.spool.Append(kTask, 1, 1, "orders", 1, orders2).ok());
    REQUIRE(f.spool.Append(kTask, 1, 2, "contacts", 1, contacts).ok());

    auto results = f.spool.Finish(kTask, 1, 3, {{"orders", 3}, {"contacts", 1}});
    REQUIRE(results.ok());
    REQUIRE(results->size() == 2);
    for (const auto& result : *results) {
      CAPTURE(result.collection);
      const std::string expected = result.collection == "orders" ? orders1 + orders2 : contacts;
      CHECK(result.task_id == kTask);
      CHECK(result.path == f.FileOf(result.collection));
      CHECK(ReadFile(result.path) == expected);
      CHECK(result.sha256 == Sha256Hex(expected));
      CHECK(result.bytes == static_cast<int64_t>(expected.size()));
      CHECK(result.records == (result.collection == "orders" ? 3 : 1));
    }
  }

  TEST_CASE("keeps its files private: files 0600, folders 0700") {
    SpoolFixture f;
    REQUIRE(f.spool.Begin(kRequest, kTask, 1).ok());
    REQUIRE(f.spool
                .Append(kTask, 1, 0, "orders", 1,
                        "{\"key\":null,\"match\":\"confirmed\",\"record\":{\"id\":1}}\n")
                .ok());
    REQUIRE(f.spool.Finish(kTask, 1, 1, {{"orders", 1}}).ok());
    CHECK(ModeOf(f.FileOf("orders")) == 0600);
    CHECK(ModeOf(f.root + "/" + kRequest + "/" + kTask) == 0700);
    CHECK(ModeOf(f.root + "/" + kRequest) == 0700);
    CHECK(ModeOf(f.root) == 0700);
  }

  TEST_CASE("refuses a chunk that breaks the rules") {
    SpoolFixture f;
    REQUIRE(f.spool.Begin(kRequest, kTask, 2).ok());
    Status status;
    SUBCASE("out of order") {
      status = f.spool.Append(kTask, 2, 1, "orders", 1,
                              "{\"key\":null,\"match\":\"confirmed\",\"record\":{\"id\":1}}\n");
    }
    SUBCASE("a record that is an array") {
      status =
          f.spool.Append(kTask, 2, 0, "orders", 2,
                         "{\"key\":null,\"match\":\"confirmed\",\"record\":{\"id\":1}}\n[1,2]\n");
    }
    SUBCASE("a record that is not JSON") {
      status = f.spool.Append(kTask, 2, 0, "orders", 1, "id=1\n");
    }
    SUBCASE("an empty line") {
      status = f.spool.Append(kTask, 2, 0, "orders", 1, "\n");
    }
    SUBCASE("fewer records than announced") {
      status = f.spool.Append(kTask, 2, 0, "orders", 3,
                              "{\"key\":null,\"match\":\"confirmed\",\"record\":{\"id\":1}}\n{"
                              "\"key\":null,\"match\":\"confirmed\",\"record\":{\"id\":2}}\n");
    }
    SUBCASE("more records than announced") {
      status = f.spool.Append(kTask, 2, 0, "orders", 1,
                              "{\"key\":null,\"match\":\"confirmed\",\"record\":{\"id\":1}}\n{"
                              "\"key\":null,\"match\":\"confirmed\",\"record\":{\"id\":2}}\n");
    }
    SUBCASE("no trailing newline") {
      status = f.spool.Append(kTask, 2, 0, "orders", 1,
                              "{\"key\":null,\"match\":\"confirmed\",\"record\":{\"id\":1}}");
    }
    SUBCASE("an empty payload") {
      status = f.spool.Append(kTask, 2, 0, "orders", 1, "");
    }
    SUBCASE("an original whose name would leave its folder") {
      status = f.spool.Append(kTask, 2, 0, "orders", 1,
                              R"({"key":"1","match":"confirmed","record":{},)"
                              R"("original":{"name":"../x.eml","base64":"SGFsbG8="}})"
                              "\n");
    }
    SUBCASE("an original that is not base64") {
      status = f.spool.Append(kTask, 2, 0, "orders", 1,
                              R"({"key":"1","match":"confirmed","record":{},)"
                              R"("original":{"name":"m.eml","base64":"Hallo Welt!"}})"
                              "\n");
    }
    SUBCASE("a piece line with no streamed original before it") {
      status = f.spool.Append(kTask, 2, 0, "orders", 0, "{\"piece\":\"SGFsbG8=\"}\n");
    }
    SUBCASE("a piece that is not base64") {
      status = f.spool.Append(kTask, 2, 0, "orders", 1,
                              R"({"key":"1","match":"confirmed","record":{},)"
                              R"("original":{"name":"m.eml","bytes":5}})"
                              "\n{\"piece\":\"Hallo!\"}\n");
    }
    SUBCASE("more original bytes than announced") {
      status = f.spool.Append(kTask, 2, 0, "orders", 1,
                              R"({"key":"1","match":"confirmed","record":{},)"
                              R"("original":{"name":"m.eml","bytes":4}})"
                              "\n{\"piece\":\"SGFsbG8=\"}\n");
    }
    SUBCASE("a record before the streamed original is complete") {
      status = f.spool.Append(kTask, 2, 0, "orders", 2,
                              R"({"key":"1","match":"confirmed","record":{},)"
                              R"("original":{"name":"m.eml","bytes":10}})"
                              "\n{\"piece\":\"SGFsbG8=\"}\n"
                              R"({"key":"2","match":"confirmed","record":{}})"
                              "\n");
    }
    SUBCASE("a streamed original with a negative size") {
      status = f.spool.Append(kTask, 2, 0, "orders", 1,
                              R"({"key":"1","match":"confirmed","record":{},)"
                              R"("original":{"name":"m.eml","bytes":-1}})"
                              "\n");
    }
    SUBCASE("an original with a field too many") {
      status = f.spool.Append(kTask, 2, 0, "orders", 1,
                              R"({"key":"1","match":"confirmed","record":{},)"
                              R"("original":{"name":"m.eml","base64":"SGFsbG8=","path":"/etc"}})"
                              "\n");
    }
    CHECK(status.code() == StatusCode::kInvalidArgument);
    // Nothing was written, and the expected chunk is still seq 0.
    CHECK_FALSE(std::filesystem::exists(f.FileOf("orders")));
    CHECK(f.spool
              .Append(kTask, 2, 0, "orders", 1,
                      "{\"key\":null,\"match\":\"confirmed\",\"record\":{\"id\":1}}\n")
              .ok());
  }

  TEST_CASE("accepts a record with its original document") {
    SpoolFixture f;
    REQUIRE(f.spool.Begin(kRequest, kTask, 1).ok());
    const std::string line = R"({"key":"1","match":"confirmed","record":{"subject":"Hallo"},)"
                             R"("original":{"name":"1700000000_42.eml","base64":"SGFsbG8="}})"
                             "\n";
    REQUIRE(f.spool.Append(kTask, 1, 0, "INBOX", 1, line).ok());
    CHECK(ReadFile(f.FileOf("INBOX")) == line);
  }

  TEST_CASE("writes a streamed original, decoded, to its own file as its pieces arrive") {
    SpoolFixture f;
    REQUIRE(f.spool.Begin(kRequest, kTask, 1).ok());
    const std::string first = R"({"key":"1","match":"confirmed","record":{"subject":"Hallo"},)"
                              R"("original":{"name":"1.eml","bytes":11}})"
                              "\n";
    const std::string empty = R"({"key":"2","match":"confirmed","record":{},)"
                              R"("original":{"name":"2.eml","bytes":0}})"
                              "\n";
    const std::string plain = R"({"key":"3","match":"confirmed","record":{}})"
                              "\n";
    // "Hallo Welt!" in three pieces over three chunks; the middle chunk holds no record.
    REQUIRE(f.spool.Append(kTask, 1, 0, "INBOX", 1, first + "{\"piece\":\"SGFs\"}\n").ok());
    const std::string path = bundle::StreamedOriginalPath(f.FileOf("INBOX"), 0);
    CHECK(ReadFile(path) == "Hal");
    REQUIRE(f.spool.Append(kTask, 1, 1, "INBOX", 0, "{\"piece\":\"bG8g\"}\n").ok());
    // The original is incomplete: a chunk of another collection, or the RESULT, is refused.
    CHECK(f.spool.Append(kTask, 1, 2, "Sent", 1, plain).code() == StatusCode::kInvalidArgument);
    CHECK(f.spool.Finish(kTask, 1, 2, {{"INBOX", 1}}).status().code() ==
          StatusCode::kInvalidArgument);
    const Status last =
        f.spool.Append(kTask, 1, 2, "INBOX", 2, "{\"piece\":\"V2VsdCE=\"}\n" + empty + plain);
    REQUIRE_MESSAGE(last.ok(), last.ToString());
    auto finished = f.spool.Finish(kTask, 1, 3, {{"INBOX", 3}});
    REQUIRE(finished.ok());
    REQUIRE(finished->size() == 1);
    // The collection's spool holds the envelopes alone, one line per record.
    CHECK(ReadFile(f.FileOf("INBOX")) == first + empty + plain);
    CHECK(finished->at(0).records == 3);
    CHECK(ReadFile(path) == "Hallo Welt!");
    CHECK(ModeOf(path) == 0600);
    CHECK(ReadFile(bundle::StreamedOriginalPath(f.FileOf("INBOX"), 1)).empty());
    CHECK_FALSE(std::filesystem::exists(bundle::StreamedOriginalPath(f.FileOf("INBOX"), 2)));
  }

  TEST_CASE("refuses chunks and results for an attempt that is not open") {
    SpoolFixture f;
    CHECK(f.spool
              .Append(kTask, 1, 0, "orders", 1,
                      "{\"key\":null,\"match\":\"confirmed\",\"record\":{\"id\":1}}\n")
              .code() == StatusCode::kConflict);
    REQUIRE(f.spool.Begin(kRequest, kTask, 2).ok());
    CHECK(f.spool
              .Append(kTask, 1, 0, "orders", 1,
                      "{\"key\":null,\"match\":\"confirmed\",\"record\":{\"id\":1}}\n")
              .code() == StatusCode::kConflict);
    CHECK(f.spool.Finish(kTask, 1, 0, {}).status().code() == StatusCode::kConflict);
    CHECK_FALSE(std::filesystem::exists(f.FileOf("orders")));
  }

  TEST_CASE("Finish checks the worker's totals against the chunks received") {
    SpoolFixture f;
    REQUIRE(f.spool.Begin(kRequest, kTask, 1).ok());
    REQUIRE(f.spool
                .Append(kTask, 1, 0, "orders", 2,
                        "{\"key\":null,\"match\":\"confirmed\",\"record\":{\"id\":1}}\n{\"key\":"
                        "null,\"match\":\"confirmed\",\"record\":{\"id\":2}}\n")
                .ok());
    Result<std::vector<store::ResultRecord>> finished = Internal("not run");
    SUBCASE("wrong chunk total") {
      finished = f.spool.Finish(kTask, 1, 2, {{"orders", 2}});
    }
    SUBCASE("wrong record count") {
      finished = f.spool.Finish(kTask, 1, 1, {{"orders", 3}});
    }
    SUBCASE("collection missing from the result") {
      finished = f.spool.Finish(kTask, 1, 1, {});
    }
    SUBCASE("a collection reported but never sent") {
      finished = f.spool.Finish(kTask, 1, 1, {{"orders", 2}, {"invoices", 4}});
    }
    CHECK(finished.status().code() == StatusCode::kInvalidArgument);
  }

  TEST_CASE("Finish accepts a reported collection with no records and no chunks") {
    SpoolFixture f;
    REQUIRE(f.spool.Begin(kRequest, kTask, 1).ok());
    auto finished = f.spool.Finish(kTask, 1, 0, {{"orders", 0}});
    REQUIRE(finished.ok());
    CHECK(finished->empty());
  }

  TEST_CASE("Begin of a new attempt removes the files of the old one") {
    SpoolFixture f;
    REQUIRE(f.spool.Begin(kRequest, kTask, 1).ok());
    REQUIRE(f.spool
                .Append(kTask, 1, 0, "orders", 1,
                        "{\"key\":null,\"match\":\"confirmed\",\"record\":{\"id\":1}}\n")
                .ok());
    REQUIRE(f.spool
                .Append(kTask, 1, 1, "contacts", 1,
                        "{\"key\":null,\"match\":\"confirmed\",\"record\":{\"id\":1}}\n")
                .ok());
    REQUIRE(std::filesystem::exists(f.FileOf("orders")));

    REQUIRE(f.spool.Begin(kRequest, kTask, 2).ok());
    CHECK_FALSE(std::filesystem::exists(f.FileOf("orders")));
    CHECK_FALSE(std::filesystem::exists(f.FileOf("contacts")));
    REQUIRE(f.spool
                .Append(kTask, 2, 0, "orders", 1,
                        "{\"key\":null,\"match\":\"confirmed\",\"record\":{\"id\":9}}\n")
                .ok());
    auto finished = f.spool.Finish(kTask, 2, 1, {{"orders", 1}});
    REQUIRE(finished.ok());
    REQUIRE(finished->size() == 1);
    CHECK(ReadFile(f.FileOf("orders")) ==
          "{\"key\":null,\"match\":\"confirmed\",\"record\":{\"id\":9}}\n");
  }

  TEST_CASE("Abandon and RemoveRequest delete the spooled files") {
    SpoolFixture f;
    REQUIRE(f.spool.Begin(kRequest, kTask, 1).ok());
    REQUIRE(f.spool
                .Append(kTask, 1, 0, "orders", 1,
                        "{\"key\":null,\"match\":\"confirmed\",\"record\":{\"id\":1}}\n")
                .ok());
    f.spool.Abandon(kTask);
    CHECK_FALSE(std::filesystem::exists(f.root + "/" + kRequest + "/" + kTask));
    CHECK(f.spool
              .Append(kTask, 1, 1, "orders", 1,
                      "{\"key\":null,\"match\":\"confirmed\",\"record\":{\"id\":1}}\n")
              .code() == StatusCode::kConflict);

    REQUIRE(f.spool.Begin(kRequest, kTask, 2).ok());
    REQUIRE(f.spool
                .Append(kTask, 2, 0, "orders", 1,
                        "{\"key\":null,\"match\":\"confirmed\",\"record\":{\"id\":1}}\n")
                .ok());
    REQUIRE(f.spool.Finish(kTask, 2, 1, {{"orders", 1}}).ok());
    int removed = 0;
    CHECK(f.spool.RemoveRequest(kRequest, &removed).ok());
    CHECK(removed > 0);
    CHECK_FALSE(std::filesystem::exists(f.root + "/" + kRequest));
    CHECK(f.spool.RemoveRequest(kRequest).ok());  // nothing left: still fine
  }

  TEST_CASE("with a data key every spooled file is encrypted and reads back, as does the bundle") {
    dsr::testing::TempDir dir;
    const std::string root = dir.File("results");
    const auto keys = std::move(DataKeyring::FromKeys({std::string(32, 'k')}).value());
    ResultSpool spool(root, &keys);
    REQUIRE(spool.Begin(kRequest, kTask, 1).ok());
    const std::string chunk =
        "{\"key\":\"1\",\"match\":\"confirmed\",\"record\":{\"email\":\"jane.doe@example."
        "org\"},\"original\":{\"name\":\"mail.eml\",\"bytes\":11}}\n"
        "{\"piece\":\"aGVsbG8gamFuZSE=\"}\n";  // "hello jane!"
    REQUIRE(spool.Append(kTask, 1, 0, "messages", 1, chunk).ok());
    auto results = spool.Finish(kTask, 1, 1, {{"messages", 1}});
    REQUIRE(results.ok());
    const std::string records = results->at(0).path;
    const std::string original = bundle::StreamedOriginalPath(records, 0);
    for (const auto& path : {records, original}) {
      CHECK(IsEncryptedFile(path));
      CHECK(ReadFile(path).find("jane") == std::string::npos);
      CHECK(ModeOf(path) == 0600);
    }
    CHECK(ReadEncryptedFile(original, keys).value() == "hello jane!");
    CHECK(results->at(0).sha256 == Sha256Hex(chunk.substr(0, chunk.find('\n') + 1)));

    int seen = 0;
    REQUIRE(ReadSpool(records, &keys, 0, 10, [&](const SpooledRecord& record) {
              CHECK(record.record.at("email") == "jane.doe@example.org");
              return ++seen > 0;
            }).ok());
    CHECK(seen == 1);
    CHECK_FALSE(ReadSpool(records, nullptr, 0, 10, [](const SpooledRecord&) { return true; }).ok());

    bundle::BundleInput input;
    input.request_id = kRequest;
    input.answered_on = CivilDate(2026, 3, 2);
    input.letter_html = "<p>Dear Jane</p>";
    input.sources = {{"mail", {{"messages", records, 1}}}};
    input.keys = &keys;
    const std::string zip = dir.File("bundle.zip");
    auto summary = bundle::BuildBundle(input, zip);
    REQUIRE(summary.ok());
    CHECK(IsEncryptedFile(zip));
    const std::string raw = ReadFile(zip);
    CHECK(raw.find("Jane") == std::string::npos);
    CHECK(raw.find("jane") == std::string::npos);
    const std::string plain = ReadEncryptedFile(zip, keys).value();
    CHECK(plain.substr(0, 4) == std::string("PK\x03\x04", 4));
    CHECK(static_cast<int64_t>(plain.size()) == summary->bytes);
    CHECK(Sha256Hex(plain) == summary->sha256);
    // No temporary file of the build is left, encrypted or not.
    for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
      CHECK(entry.path().filename().string().find("parts") == std::string::npos);
    }
    if (std::system("command -v unzip >/dev/null 2>&1") == 0) {
      const std::string decrypted = dir.File("plain.zip");
      std::ofstream(decrypted, std::ios::binary) << plain;
      CHECK(std::system(("unzip -tq '" + decrypted + "' >/dev/null 2>&1").c_str()) == 0);
      CHECK(std::system(("unzip -p '" + decrypted +
                         "' sources/mail/messages/originals/mail.eml | grep -q 'hello jane!'")
                            .c_str()) == 0);
    }
  }
}

}  // namespace dsr::workflow
