// MailStore: the mail connector's seam between what it decides (which
// messages are the subject's, what erasure does) and where the messages are
// (an IMAP server or a Maildir tree). A store is opened for one action and
// closed with it (IMAP: one logged-in connection).
//
// Keys name a message within its folder: "<UIDVALIDITY>:<UID>" over IMAP (a
// key from before the folder's UIDVALIDITY changed names nothing any more),
// the file's unique name (before ":2,") in a Maildir. Errors: kUnavailable
// when the server or a folder cannot be reached; messages never appear in
// error texts. Not thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/civil_date.h"
#include "common/status.h"
#include "connectors/mail/mail_config.h"

namespace dsr::connectors::mail {

// A message that may involve the address: the store found it by a substring
// search, the caller decides by reading the header (and body).
struct Candidate {
  std::string key;
  std::string header;           // the raw header block
  bool body_may_match = false;  // the text search found the address (match_body only)
  // When the store received the message (IMAP INTERNALDATE; Maildir: the
  // delivery time in the file's name, else its modification time): where a
  // retention period starts when the message has no readable Date.
  std::optional<CivilDate> received{};
};

struct SampledMessage {
  std::string header;
  std::string message;  // the whole message (up to a size) when bodies were asked for, else ""
};

class MailStore {
 public:
  virtual ~MailStore() = default;

  // Every selectable folder, by its name in the store ("INBOX", "Sent").
  virtual Result<std::vector<std::string>> ListFolders() = 0;

  // Messages of `folder` whose From, To, Cc or Reply-To contain `address`
  // (without case), and with `bodies` also those whose text does: a superset
  // of the matches, read without downloading any message that contains
  // nothing like the address. `address` holds no control characters.
  virtual Result<std::vector<Candidate>> FindCandidates(const std::string& folder,
                                                        const std::string& address,
                                                        bool bodies) = 0;

  // The whole message as stored, byte for byte; kNotFound when it is gone.
  virtual Result<std::string> ReadMessage(const std::string& folder, const std::string& key) = 0;

  // The header blocks of those of `keys` that exist, by key.
  virtual Result<std::vector<Candidate>> ReadHeaders(const std::string& folder,
                                                     const std::set<std::string>& keys) = 0;

  // Removes the messages with `keys` (IMAP: \Deleted, then UID EXPUNGE of
  // exactly those). Keys that name nothing are skipped. Returns how many
  // messages were removed.
  virtual Result<int64_t> Delete(const std::string& folder, const std::set<std::string>& keys) = 0;

  // Up to `count` messages spread over the folder (headers; with `bodies`
  // also the messages, each cut at a size).
  virtual Result<std::vector<SampledMessage>> Sample(const std::string& folder, int count,
                                                     bool bodies) = 0;
};

// Opens the store the config names: connects and logs in (IMAP, reading the
// password file now) or checks that the Maildir root exists.
Result<std::unique_ptr<MailStore>> OpenMailStore(const MailConfig& config);

Result<std::unique_ptr<MailStore>> OpenMaildirStore(const std::string& root);
Result<std::unique_ptr<MailStore>> OpenImapStore(const ImapSettings& settings);

}  // namespace dsr::connectors::mail
