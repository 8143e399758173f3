// A real Dovecot IMAP server for one test: its own config in a temporary
// directory, passwd-file authentication (user "dsr"), mail_location at a
// Maildir the test made, listening on 127.0.0.1 at a free port; with TLS, a
// self-signed certificate for "localhost" and 127.0.0.1 (made with the
// openssl command). Stopped when the object goes. Its log has one line per
// logged-out session with what the session fetched, which the tests read to
// prove what crossed the wire.
#pragma once

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "connectors/connector.h"
#include "tests/mail/mail_test_support.h"
#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

namespace dsr::connectors::testing {

// What Dovecot counted for one session (imap_logout_format).
struct ImapSessionStats {
  int64_t bytes_out = 0;  // sent to the client
  int64_t header_fetches = 0, header_bytes = 0;
  int64_t body_fetches = 0, body_bytes = 0;  // messages whose body was sent
  int64_t expunged = 0;
};

class DovecotServer {
 public:
  DovecotServer() = default;
  ~DovecotServer();
  DovecotServer(const DovecotServer&) = delete;
  DovecotServer& operator=(const DovecotServer&) = delete;

  // Starts the server for `maildir` (made readable by the mail user) and
  // waits, bounded, for its port. False (with a reason in `error()`) when it
  // did not come up.
  bool Start(const std::string& maildir, bool tls = false);
  void Stop();

  int port() const { return port_; }
  std::string Url() const;  // imap://127.0.0.1:<port> or imaps://localhost:<port>
  std::string password_file() const { return dir_.File("imap.pass"); }
  std::string ca_file() const { return dir_.File("cert.pem"); }
  const std::string& error() const { return error_; }

  // The sessions that have logged out so far, oldest first. Waits (bounded)
  // until at least `at_least` are in the log.
  std::vector<ImapSessionStats> Sessions(size_t at_least = 0) const;

  // The connector config of this server (kind mail, imap section).
  std::string ConnectorYaml(const std::string& extra = "") const;

 private:
  bool WriteConfig(const std::string& maildir, bool tls);

  dsr::testing::TempDir dir_;
  dsr::testing::ChildProcess process_;
  int port_ = 0;
  bool tls_ = false;
  std::string error_;
};

// The sample mailbox served by a Dovecot of its own.
struct ServedSampleMailbox : SampleMailbox {
  explicit ServedSampleMailbox(bool tls = false);
  // A connector on the server; `extra` is more YAML for the connector section.
  std::unique_ptr<Connector> Connect(const std::string& extra = "") const;
  // "INBOX/<unique name>" for each record (IMAP keys mapped through Dovecot's UID lists).
  std::set<std::string> FileNames(const std::vector<FoundRecord>& found) const;
  DovecotServer server;
};

// True when /usr/sbin/dovecot is installed (deploy/setup.sh installs it).
bool DovecotInstalled();

// Gives the mail user (as root) or this user the tree under `path`, and
// lets it pass through the directories above it.
void HandMaildirToServer(const std::string& path);

}  // namespace dsr::connectors::testing
