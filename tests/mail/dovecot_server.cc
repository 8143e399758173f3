#include "tests/mail/dovecot_server.h"

#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <grp.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "connectors/mail/mail_connector.h"

namespace dsr::connectors::testing {
namespace {

constexpr char kDovecot[] = "/usr/sbin/dovecot";

int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  bind(fd, reinterpret_cast<sockaddr*>(&address), length);
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

bool Accepts(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(port));
  const bool connected = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  close(fd);
  return connected;
}

void Write(const std::string& path, const std::string& content) {
  std::ofstream(path, std::ios::binary) << content;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

// The uid and gid the server's mail processes run as.
std::pair<uid_t, gid_t> MailOwner() {
  if (geteuid() != 0) return {geteuid(), getegid()};
  const passwd* mail = getpwnam("mail");
  return mail ? std::make_pair(mail->pw_uid, mail->pw_gid) : std::make_pair(uid_t{8}, gid_t{8});
}

}  // namespace

bool DovecotInstalled() {
  return access(kDovecot, X_OK) == 0;
}

void HandMaildirToServer(const std::string& path) {
  namespace fs = std::filesystem;
  const auto [uid, gid] = MailOwner();
  chmod(fs::path(path).parent_path().c_str(), 0755);
  chmod(path.c_str(), 0755);
  if (lchown(path.c_str(), uid, gid) != 0) return;
  for (const auto& entry : fs::recursive_directory_iterator(path)) {
    if (lchown(entry.path().c_str(), uid, gid) != 0) return;
  }
}

DovecotServer::~DovecotServer() {
  Stop();
}

void DovecotServer::Stop() {
  if (process_.running()) process_.Stop(SIGTERM);
}

std::string DovecotServer::Url() const {
  return (tls_ ? "imaps://localhost:" : "imap://127.0.0.1:") + std::to_string(port_);
}

bool DovecotServer::WriteConfig(const std::string& maildir, bool tls) {
  const std::string& dir = dir_.path();
  chmod(dir.c_str(), 0755);
  for (const char* sub : {"run", "state", "home"})
    std::filesystem::create_directories(dir_.File(sub));
  const auto [uid, gid] = MailOwner();
  if (lchown(dir_.File("home").c_str(), uid, gid) != 0) return false;
  Write(dir_.File("passwd"), "dsr:{PLAIN}s3cret \"quoted\"\n");
  Write(password_file(), "s3cret \"quoted\"\n");
  if (tls) {
    const std::string command =
        "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost -addext "
        "subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout " +
        dir_.File("key.pem") + " -out " + ca_file() + " >" + dir_.File("openssl.log") + " 2>&1";
    if (std::system(command.c_str()) != 0) return false;
  }
  std::string config =
      "base_dir = " + dir + "/run\nstate_dir = " + dir + "/state\nlog_path = " + dir +
      "/dovecot.log\nprotocols = imap\nlisten = 127.0.0.1\n"
      "disable_plaintext_auth = no\nauth_mechanisms = plain login\nfirst_valid_uid = 1\n"
      "auth_failure_delay = 0\n"
      "mail_location = maildir:" +
      maildir +
      "\n"
      "passdb {\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u " +
      dir + "/passwd\n}\nuserdb {\n  driver = static\n  args = uid=" + std::to_string(uid) +
      " gid=" + std::to_string(gid) + " home=" + dir +
      "/home\n}\n"
      "imap_logout_format = out=%o fetch_hdr=%{fetch_hdr_count}/%{fetch_hdr_bytes} "
      "fetch_body=%{fetch_body_count}/%{fetch_body_bytes} expunged=%{expunged}\n";
  if (geteuid() != 0) {
    const std::string me = getpwuid(geteuid())->pw_name;
    config += "default_internal_user = " + me + "\ndefault_login_user = " + me +
              "\ndefault_internal_group = " + getgrgid(getegid())->gr_name + "\n";
  }
  const std::string port = std::to_string(port_);
  if (tls) {
    config += "ssl = required\nssl_cert = <" + ca_file() + "\nssl_key = <" + dir_.File("key.pem") +
              "\nservice imap-login {\n  inet_listener imap {\n    port = 0\n  }\n"
              "  inet_listener imaps {\n    address = 127.0.0.1\n    port = " +
              port + "\n    ssl = yes\n  }\n}\n";
  } else {
    config +=
        "ssl = no\nservice imap-login {\n  inet_listener imap {\n    address = 127.0.0.1\n"
        "    port = " +
        port + "\n  }\n  inet_listener imaps {\n    port = 0\n  }\n}\n";
  }
  Write(dir_.File("dovecot.conf"), config);
  return true;
}

bool DovecotServer::Start(const std::string& maildir, bool tls) {
  tls_ = tls;
  port_ = FreePort();
  if (!WriteConfig(maildir, tls)) {
    error_ = "cannot write the server's config or certificate";
    return false;
  }
  if (!process_.Start(kDovecot, {"-F", "-c", dir_.File("dovecot.conf")}, dir_.File("stdout.log"))) {
    error_ = "cannot start " + std::string(kDovecot);
    return false;
  }
  if (!dsr::testing::WaitFor([&] { return Accepts(port_); }, std::chrono::seconds(15))) {
    error_ = "dovecot did not listen: " + ReadAll(dir_.File("stdout.log")) +
             ReadAll(dir_.File("dovecot.log"));
    return false;
  }
  return true;
}

std::vector<ImapSessionStats> DovecotServer::Sessions(size_t at_least) const {
  static const std::regex kLine(
      R"(out=(\d+) fetch_hdr=(\d+)/(\d+) fetch_body=(\d+)/(\d+) expunged=(\d+))");
  std::vector<ImapSessionStats> sessions;
  dsr::testing::WaitFor(
      [&] {
        sessions.clear();
        std::istringstream log(ReadAll(dir_.File("dovecot.log")));
        std::smatch match;
        for (std::string line; std::getline(log, line);) {
          if (!std::regex_search(line, match, kLine)) continue;
          sessions.push_back({std::stoll(match[1]), std::stoll(match[2]), std::stoll(match[3]),
                              std::stoll(match[4]), std::stoll(match[5]), std::stoll(match[6])});
        }
        return sessions.size() >= at_least;
      },
      std::chrono::seconds(10));
  return sessions;
}

std::string DovecotServer::ConnectorYaml(const std::string& extra) const {
  std::string yaml = "kind: mail\nimap:\n  url: \"" + Url() +
                     "\"\n  user: dsr\n  password_file: " + password_file() +
                     "\n  timeout_ms: 20000\n";
  if (tls_) yaml += "  ca_file: " + ca_file() + "\n";
  return yaml + extra;
}

ServedSampleMailbox::ServedSampleMailbox(bool tls) {
  REQUIRE_MESSAGE(DovecotInstalled(), "dovecot-imapd is missing: run deploy/setup.sh");
  HandMaildirToServer(root);
  REQUIRE_MESSAGE(server.Start(root, tls), server.error());
}

std::unique_ptr<Connector> ServedSampleMailbox::Connect(const std::string& extra) const {
  auto connector = NewMailConnector(ConfigFromYaml(server.ConnectorYaml(extra)));
  REQUIRE_MESSAGE(connector.ok(), connector.status().ToString());
  return std::move(connector.value());
}

std::set<std::string> ServedSampleMailbox::FileNames(const std::vector<FoundRecord>& found) const {
  std::map<std::string, std::map<std::string, std::string>> keys;
  std::set<std::string> names;
  for (const auto& record : found) {
    if (!keys.count(record.collection))
      keys[record.collection] = DovecotKeys(root, record.collection);
    const auto& folder = keys[record.collection];
    const auto name = folder.find(record.key.value_or(""));
    names.insert(record.collection + "/" +
                 (name == folder.end() ? "?" + *record.key : name->second));
  }
  return names;
}

}  // namespace dsr::connectors::testing
