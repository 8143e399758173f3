// The mail connector: finds, exports and erases a data subject's messages in
// a support mailbox, over IMAP (imaps://, or plain imap:// on loopback) or
// in a Maildir++ tree on disk. See schemas/config/connector-mail.json and
// deploy/examples/worker-mail.yaml for the config.
//
// Collections are folders (INBOX, Sent ...); a record is one message, keyed
// by "<UIDVALIDITY>:<UID>" (IMAP) or the Maildir file's unique name. A
// message is the subject's (confirmed) when their e-mail address is in From,
// Reply-To, To or Cc; one that only mentions it in its text (match_body) is
// ambiguous (connectors/mail/subject_messages.h). Export sends each message
// as {date, from, to, cc, subject, message_id, attachments, matched_in}
// with the message itself, byte for byte, as the record's original (.eml),
// and the attributes "email" and "name" as written in it.
// Erase deletes (IMAP: \Deleted and UID EXPUNGE of exactly those UIDs) or
// retains with an end date per message; Rectify is not applicable (messages
// are records of what was written; they are not corrected).
#pragma once

#include <memory>
#include <nlohmann/json_fwd.hpp>

#include "connectors/connector.h"

namespace dsr::connectors {

// Builds the connector from the `connector:` section of a worker config
// (already converted to JSON). Checks the config (schema and the rules a
// schema cannot express) and fails with kValidation naming the key; does not
// connect. Each action opens its own IMAP session (reading the password file
// then) and logs out at its end, so a server that is down only fails the
// actions that need it (kUnavailable). Reading actions never change a flag
// (EXAMINE, BODY.PEEK); searches run on the server, and only candidates'
// headers and exported messages are downloaded.
Result<std::unique_ptr<Connector>> NewMailConnector(const nlohmann::json& config);

}  // namespace dsr::connectors
