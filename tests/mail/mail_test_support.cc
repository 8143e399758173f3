#include "tests/mail/mail_test_support.h"

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "common/config_file.h"
#include "connectors/mail/mail_connector.h"
#include "tests/support/child_process.h"
#include "tools/sample-crm/sample_mailbox.h"

namespace dsr::connectors::testing {
namespace {

namespace fs = std::filesystem;

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

std::string Escaped(const std::string& text) {
  static const std::regex kSpecial(R"([.^$|()\[\]{}*+?\\])");
  return std::regex_replace(text, kSpecial, R"(\$&)");
}

// Undoes base64 (when the whole body is) and quoted-printable, crudely but
// independently of the connector.
std::string PlainBody(const std::string& header, const std::string& body) {
  static const std::regex kBase64(R"(Content-Transfer-Encoding:\s*base64)", std::regex::icase);
  static const std::regex kMultipart(R"(Content-Type:\s*multipart)", std::regex::icase);
  if (std::regex_search(header, kBase64) && !std::regex_search(header, kMultipart)) {
    static const std::string kAlphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string decoded;
    int bits = 0;
    unsigned buffer = 0;
    for (const char c : body) {
      const size_t value = kAlphabet.find(c);
      if (value == std::string::npos) continue;
      buffer = (buffer << 6) | static_cast<unsigned>(value);
      bits += 6;
      if (bits >= 8) decoded.push_back(static_cast<char>((buffer >> (bits -= 8)) & 0xFF));
    }
    return decoded;
  }
  return std::regex_replace(body, std::regex("=\r?\n"), "");
}

}  // namespace

std::map<std::string, std::string> MessageFiles(const std::string& root) {
  std::map<std::string, std::string> files;
  for (const auto& [folder, directory] :
       {std::make_pair(std::string("INBOX"), fs::path(root)),
        std::make_pair(std::string("Sent"), fs::path(root) / ".Sent")}) {
    for (const char* sub : {"cur", "new"}) {
      if (!fs::is_directory(directory / sub)) continue;
      for (const auto& entry : fs::directory_iterator(directory / sub)) {
        const std::string name = entry.path().filename().string();
        files[folder + "/" + name.substr(0, name.find(':'))] = entry.path().string();
      }
    }
  }
  return files;
}

std::map<std::string, std::string> SnapshotMaildir(const std::string& root) {
  std::map<std::string, std::string> snapshot;
  for (const auto& [name, path] : MessageFiles(root)) snapshot[name] = ReadAll(path);
  return snapshot;
}

std::map<std::string, std::string> DovecotKeys(const std::string& root, const std::string& folder) {
  const fs::path directory = folder == "INBOX" ? fs::path(root) : fs::path(root) / ("." + folder);
  std::istringstream list(ReadAll(directory / "dovecot-uidlist"));
  std::string line, validity;
  std::getline(list, line);  // "3 V<uidvalidity> N<next uid> G<guid>"
  static const std::regex kValidity(R"( V(\d+))");
  std::smatch match;
  if (std::regex_search(line, match, kValidity)) validity = match[1];
  std::map<std::string, std::string> keys;
  while (std::getline(list, line)) {
    const size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    const std::string name = line.substr(colon + 1);
    keys[validity + ":" + line.substr(0, line.find(' '))] = name.substr(0, name.find(':'));
  }
  return keys;
}

std::set<std::string> ExpectedMatches(const std::string& root, const std::string& address,
                                      bool bodies) {
  const std::string around = R"((^|[^A-Za-z0-9._%+\-]))";
  const std::regex whole(around + Escaped(address) + R"(($|\.?[^A-Za-z0-9_%+\-]|\.$))",
                         std::regex::icase);
  const std::regex party(R"((^|\n)(From|To|Cc|Reply-To):[^\n]*)", std::regex::icase);
  std::set<std::string> expected;
  for (const auto& [name, path] : MessageFiles(root)) {
    const std::string content = ReadAll(path);
    const size_t end = content.find("\r\n\r\n");
    const std::string header =
        std::regex_replace(content.substr(0, end), std::regex("\r\n[ \t]"), " ");
    bool in_header = false;
    for (std::sregex_iterator field(header.begin(), header.end(), party), none; field != none;
         ++field) {
      in_header |= std::regex_search(field->str(), whole);
    }
    const bool in_body = std::regex_search(PlainBody(header, content.substr(end + 4)), whole);
    if (bodies ? (in_body && !in_header) : in_header) expected.insert(name);
  }
  return expected;
}

nlohmann::json ConfigFromYaml(const std::string& yaml) {
  return YamlToJson(yaml).value();
}

std::set<std::string> Names(const std::vector<FoundRecord>& found) {
  std::set<std::string> names;
  for (const auto& record : found) names.insert(record.collection + "/" + record.key.value_or(""));
  return names;
}

SampleMailbox::SampleMailbox()
    : data(sample_crm::GenerateSampleCrm(400, 7)), root(dir.File("mail")) {
  const Status written = sample_crm::WriteSampleMailbox(data, root, 7);
  if (!written.ok() || data.samples.size() < 2) std::abort();  // a fixture bug
}

std::unique_ptr<Connector> MaildirConnector(const std::string& root, const std::string& extra) {
  auto connector = NewMailConnector(ConfigFromYaml("kind: mail\nmaildir: " + root + "\n" + extra));
  if (!connector.ok()) std::abort();  // a fixture bug
  return std::move(connector.value());
}

Subject SubjectOf(const std::string& email) {
  return {{"email", email}, {"name", "Irrelevant"}};
}

const CollectionOutcome* OutcomeOf(const std::vector<CollectionOutcome>& outcomes,
                                   const std::string& collection, OutcomeKind kind) {
  for (const auto& outcome : outcomes) {
    if (outcome.collection == collection && outcome.kind == kind) return &outcome;
  }
  return nullptr;
}

std::string ExampleMailConfigPath() {
  return dsr::testing::SourceDir() + "/deploy/examples/worker-mail.yaml";
}

}  // namespace dsr::connectors::testing
