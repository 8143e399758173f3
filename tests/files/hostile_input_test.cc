// Hostile and unlucky input: links out of the root, paths in scopes, huge
// lines and files, a rewrite that fails half-way, a file saved by someone
// else in between. Each is refused clearly and leaves the files as they were.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <filesystem>

#include "connectors/files/file_actions.h"
#include "connectors/files/files_config.h"
#include "connectors/files/source_tree.h"
#include "tests/files/files_test_support.h"

namespace dsr::connectors::testing {
namespace {

const char kRules[] = R"yaml(
max_line_bytes: 1024
files:
  - {glob: "lists/*.csv", format: csv, identities: {email: E-Mail}}
  - glob: "chat/**/*.jsonl"
    format: chat_jsonl
    fields: {email: visitor_email, session: session_id}
)yaml";

const std::string kList = "E-Mail;Name\r\nanna@example.com;Anna\r\nbernd@example.org;Bernd\r\n";

files::FilesConfig Parsed(const std::string& root) {
  auto config = files::ParseFilesConfig(FilesConfig(root, kRules));
  REQUIRE(config.ok());
  return config.value();
}

TEST_SUITE("Files connector: hostile input") {
  TEST_CASE("a link a glob matches is refused by name, and nothing outside the root is read") {
    TempRoot root, outside;
    outside.Write("secret.csv", "E-Mail;Name\r\nanna@example.com;Anna\r\n");
    root.Write("lists/real.csv", kList);
    std::filesystem::create_symlink(outside.File("secret.csv"), root.File("lists/secret.csv"));
    auto connector = Connect(FilesConfig(root.path(), kRules));
    auto report = connector->Locate({{"email", "anna@example.com"}});
    CHECK(report.status().code() == StatusCode::kConflict);
    CHECK(report.status().message().rfind("lists/secret.csv: matched by connector.files[0].glob",
                                          0) == 0);
    CHECK(outside.Read("secret.csv").find("anna") != std::string::npos);
  }

  TEST_CASE("a linked folder on a glob's way is refused too") {
    TempRoot root, outside;
    outside.Write("2025.jsonl", "{\"session_id\":\"s\",\"visitor_email\":\"anna@example.com\"}\n");
    root.Write("chat/local/2025.jsonl", "");
    std::filesystem::create_directory_symlink(outside.path(), root.File("chat/remote"));
    auto report =
        Connect(FilesConfig(root.path(), kRules))->Locate({{"email", "anna@example.com"}});
    CHECK(report.status().code() == StatusCode::kConflict);
    CHECK(report.status().message().rfind("chat/remote:", 0) == 0);
  }

  TEST_CASE(
      "a scope naming a path instead of a collection is refused; a path as key names nothing") {
    TempRoot root;
    root.Write("lists/real.csv", kList);
    auto connector = Connect(FilesConfig(root.path(), kRules));
    CollectingSink untouched;
    ActionScope scope;
    scope.mode = ActionScope::Mode::kOnly;
    scope.selection["../../etc/passwd"] = {"row-2-00000000"};
    auto refused = connector->Erase({}, scope, untouched);
    CHECK(refused.status().code() == StatusCode::kInvalidArgument);

    scope.selection = {{"lists_real_csv", {"../../etc/passwd"}}};
    const auto outcomes = MustErase(*connector, {}, scope);
    CHECK(outcomes.at(0).kind == OutcomeKind::kNotFound);
    scope.selection = {{"lists_real_csv", {std::string("row-2\n")}}};
    CHECK(connector->Erase({}, scope, untouched).status().code() == StatusCode::kInvalidArgument);
    CHECK(root.Read("lists/real.csv") == kList);
  }

  TEST_CASE("a line over max_line_bytes fails with the file and line, without its content") {
    TempRoot root;
    const std::string huge = "{\"session_id\":\"s\",\"text\":\"" + std::string(4000, 'x') + "\"}\n";
    root.Write("chat/2025/05.jsonl", "{\"session_id\":\"a\"}\n" + huge);
    auto report = Connect(FilesConfig(root.path(), kRules))->Locate({{"email", "a@example.com"}});
    CHECK(report.status().code() == StatusCode::kTooLarge);
    CHECK(report.status().message() ==
          "chat/2025/05.jsonl: line 2 is longer than connector.max_line_bytes (1024)");

    root.Write("chat/2025/05.jsonl", "");
    root.Write("lists/real.csv",
               "E-Mail;Name\r\n\"anna@example.com;" + std::string(2000, 'y') + "\r\n");
    report = Connect(FilesConfig(root.path(), kRules))->Locate({{"email", "a@example.com"}});
    CHECK(report.status().code() == StatusCode::kInvalidArgument);  // the quote never closes
    CHECK(report.status().message().find("anna") == std::string::npos);
  }

  TEST_CASE("a file over max_file_bytes is refused") {
    TempRoot root;
    root.Write("lists/real.csv", kList + std::string(3000, '\n'));
    auto config = FilesConfig(root.path(), kRules);
    config["max_file_bytes"] = 2048;
    auto report = Connect(config)->Locate({{"email", "anna@example.com"}});
    CHECK(report.status().code() == StatusCode::kTooLarge);
  }

  TEST_CASE("a rewrite that fails leaves the original and no partial file") {
    TempRoot root;
    root.Write("lists/real.csv", kList);
    const files::SourceTree tree(root.path());
    for (const auto fault :
         {files::ReplaceFault::kAfterWrite, files::ReplaceFault::kBeforeRename}) {
      auto snapshot = tree.Read("lists/real.csv", 1 << 20);
      REQUIRE(snapshot.ok());
      CHECK_FALSE(tree.Replace(*snapshot, "E-Mail;Name\r\n", fault).ok());
      CHECK(root.Read("lists/real.csv") == kList);
      CHECK(root.Entries() == std::vector<std::string>{"lists", "lists/real.csv"});
    }
    const files::FilesConfig config = Parsed(root.path());
    files::FileActions actions(config, tree, files::ReplaceFault::kBeforeRename);
    std::vector<FoundRecord> untouched;
    CHECK_FALSE(actions.Erase({{"email", "anna@example.com"}}, {}, &untouched).ok());
    CHECK(root.Read("lists/real.csv") == kList);
    CHECK(root.Entries() == std::vector<std::string>{"lists", "lists/real.csv"});
  }

  TEST_CASE("a file saved by someone else, or open in an editor, is not overwritten") {
    TempRoot root;
    root.Write("lists/real.csv", kList);
    const files::SourceTree tree(root.path());
    auto snapshot = tree.Read("lists/real.csv", 1 << 20);
    REQUIRE(snapshot.ok());
    root.Write("lists/real.csv", kList + "carla@example.com;Carla\r\n");
    const Status changed = tree.Replace(*snapshot, "E-Mail;Name\r\n");
    CHECK(changed.code() == StatusCode::kUnavailable);
    CHECK(root.Read("lists/real.csv") == kList + "carla@example.com;Carla\r\n");

    root.Write("lists/.~lock.real.csv#", "someone,host,2025");
    CollectingSink untouched;
    auto erased = Connect(FilesConfig(root.path(), kRules))
                      ->Erase({{"email", "anna@example.com"}}, {}, untouched);
    CHECK(erased.status().code() == StatusCode::kUnavailable);
    CHECK(root.Read("lists/real.csv") == kList + "carla@example.com;Carla\r\n");
  }

  TEST_CASE("a rewritten file keeps its permissions") {
    TempRoot root;
    root.Write("lists/real.csv", kList);
    REQUIRE(::chmod(root.File("lists/real.csv").c_str(), 0640) == 0);
    MustErase(*Connect(FilesConfig(root.path(), kRules)), {{"email", "anna@example.com"}});
    struct stat st {};
    REQUIRE(::stat(root.File("lists/real.csv").c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0640);
    CHECK(root.Read("lists/real.csv") == "E-Mail;Name\r\nbernd@example.org;Bernd\r\n");
  }

  TEST_CASE("a root that does not exist makes actions unavailable") {
    auto connector = Connect(FilesConfig("/nonexistent/dsr-files", kRules));
    CHECK(connector->Locate({{"email", "a@example.com"}}).status().code() ==
          StatusCode::kUnavailable);
  }
}

}  // namespace
}  // namespace dsr::connectors::testing
