// Which messages belong to a data subject, decided from what a MailStore
// found by substring search: a message is the subject's (confirmed) when the
// subject's address is, without case, one of the addresses in its From,
// Reply-To, To or Cc. A message that only mentions the address in its text
// (match_body) is ambiguous: the subject is not a party to it, so it is
// first of all someone else's correspondence, and it is changed only when an
// agent accepts it. Other identities (name, phone) do not select mail.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "connectors/connector.h"
#include "connectors/mail/mail_config.h"
#include "connectors/mail/mail_store.h"

namespace dsr::connectors::mail {

inline constexpr char kBodyOnlyAmbiguity[] =
    "mentions email in the message text only; not a sender or recipient";

struct SubjectMessage {
  std::string key;
  std::string header;
  Match match = Match::kConfirmed;
  std::vector<std::string> matched_in;            // "from", "reply_to", "to", "cc", "body"
  std::map<std::string, std::string> attributes;  // "email" as written, "name" next to it
  std::optional<CivilDate> received;              // Candidate::received
};

// The subject's address, fit for searching: nullopt when the subject has no
// e-mail identity; kInvalidArgument when it holds control characters or
// non-ASCII bytes (which no IMAP quoted string can carry). Never echoes it.
Result<std::optional<std::string>> SearchableAddress(const Subject& subject);

// The folders an action covers: the configured ones, or every folder of the
// store under its derived collection name. kValidation when two folders
// would share a collection name.
Result<std::vector<FolderName>> ResolveFolders(MailStore& store, const MailConfig& config);

// The subject's messages in `folder`, in key order. Holds their headers
// only: a message read to decide a body match is let go at once, so memory
// does not grow with the folder's messages.
Result<std::vector<SubjectMessage>> FindSubjectMessages(MailStore& store, const std::string& folder,
                                                        const std::string& address, bool bodies);

// The export record of one message (reads it; the record then holds the
// only copy):
// SummarizeMessage plus matched_in, with the message itself as the original
// (OriginalName).
Result<FoundRecord> ExportRecord(MailStore& store, const FolderName& folder,
                                 const SubjectMessage& message);

// The file name of a message's original: its key with every character
// outside [A-Za-z0-9._-] as "_", plus ".eml" ("1700000000:42" → "1700000000_42.eml").
std::string OriginalName(const std::string& key);

// The calendar date of a header block's Date field, if readable.
std::optional<CivilDate> MessageDateOf(const std::string& header);

// Where a message's retention period starts: its Date, else when the store
// received it; nullopt when neither is known.
std::optional<CivilDate> RetentionStartOf(const std::string& header,
                                          const std::optional<CivilDate>& received);

}  // namespace dsr::connectors::mail
