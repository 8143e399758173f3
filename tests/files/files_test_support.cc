#include "tests/files/files_test_support.h"

#include <doctest/doctest.h>
#include <stdlib.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/config_file.h"
#include "connectors/files/files_connector.h"

namespace dsr::connectors::testing {

TempRoot::TempRoot() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern =
      std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/dsr-files-test-XXXXXX";
  REQUIRE(mkdtemp(pattern.data()) != nullptr);
  path_ = pattern;
}

TempRoot::~TempRoot() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

void TempRoot::Write(std::string_view relative, std::string_view content) const {
  const std::filesystem::path path = File(relative);
  std::filesystem::create_directories(path.parent_path());
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file.write(content.data(), static_cast<std::streamsize>(content.size()));
  REQUIRE(file.good());
}

std::string TempRoot::Read(std::string_view relative) const {
  return ReadBinary(File(relative));
}

std::vector<std::string> TempRoot::Entries() const {
  std::vector<std::string> entries;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(path_)) {
    entries.push_back(std::filesystem::relative(entry.path(), path_).string());
  }
  std::sort(entries.begin(), entries.end());
  return entries;
}

std::string ReadBinary(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  REQUIRE_MESSAGE(file.good(), "cannot read " << path);
  std::ostringstream content;
  content << file.rdbuf();
  return content.str();
}

std::vector<std::string> CollectingSink::Keys(std::string_view collection) const {
  std::vector<std::string> keys;
  for (const auto& found : found_) {
    if (found.collection == collection) keys.push_back(found.key.value_or(""));
  }
  return keys;
}

nlohmann::json FilesConfig(const std::string& root, const std::string& yaml) {
  auto config = YamlToJson(yaml);
  REQUIRE_MESSAGE(config.ok(), config.status().ToString());
  config.value()["kind"] = "files";
  config.value()["root"] = root;
  return config.value();
}

std::unique_ptr<Connector> Connect(const nlohmann::json& config) {
  auto connector = NewFilesConnector(config);
  REQUIRE_MESSAGE(connector.ok(), connector.status().ToString());
  return std::move(connector.value());
}

std::vector<CollectionOutcome> MustErase(Connector& connector, const Subject& subject,
                                         const ActionScope& scope, RecordSink* untouched) {
  CollectingSink ignored;
  auto outcomes = connector.Erase(subject, scope, untouched != nullptr ? *untouched : ignored);
  REQUIRE_MESSAGE(outcomes.ok(), outcomes.status().ToString());
  return outcomes.value();
}

std::vector<CollectionOutcome> MustRectify(Connector& connector, const Subject& subject,
                                           const Corrections& corrections, const ActionScope& scope,
                                           RecordSink* untouched) {
  CollectingSink ignored;
  auto outcomes =
      connector.Rectify(subject, corrections, scope, untouched != nullptr ? *untouched : ignored);
  REQUIRE_MESSAGE(outcomes.ok(), outcomes.status().ToString());
  return outcomes.value();
}

std::vector<FoundRecord> MustExport(Connector& connector, const Subject& subject) {
  CollectingSink sink;
  const Status status = connector.Export(subject, sink);
  REQUIRE_MESSAGE(status.ok(), status.ToString());
  return sink.found();
}

const CollectionOutcome* OutcomeOf(const std::vector<CollectionOutcome>& outcomes,
                                   const std::string& collection) {
  for (const auto& outcome : outcomes) {
    if (outcome.collection == collection) return &outcome;
  }
  return nullptr;
}

std::string SourceDir() {
  const char* source_dir = std::getenv("DSR_SOURCE_DIR");
  if (source_dir != nullptr && *source_dir != '\0') return source_dir;
  return std::filesystem::path(__FILE__).parent_path().parent_path().parent_path().string();
}

std::vector<std::string> PythonRecords(const std::vector<std::string>& arguments) {
  std::string command = "python3 '" + SourceDir() + "/tests/files/expected_records.py'";
  for (const auto& argument : arguments) {
    std::string quoted = "'";
    for (const char c : argument) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    command += " " + quoted + "'";
  }
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string output;
  char buffer[4096];
  while (size_t got = std::fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, got);
  REQUIRE_MESSAGE(pclose(pipe) == 0, "python3 failed: " << command);
  std::vector<std::string> lines;
  std::istringstream in(output);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string Without(const std::string& text, size_t begin, size_t end) {
  return text.substr(0, begin) + text.substr(end);
}

std::string WithoutPart(const std::string& text, const std::string& part) {
  const size_t at = text.find(part);
  REQUIRE(at != std::string::npos);
  REQUIRE(text.find(part, at + 1) == std::string::npos);
  return Without(text, at, at + part.size());
}

}  // namespace dsr::connectors::testing
