// The sample support mailbox: a deterministic Maildir++ tree (the layout
// Dovecot reads) with German and English support mail to and from customers
// of the sample CRM, for demos and tests of the mail connector
// (deploy/examples/worker-mail.yaml).
//
// Folders: INBOX (the root's cur/new/tmp) and Sent (".Sent"). Every sample
// customer (data.samples) has several mails in both: their own, a contact
// form that names them in Reply-To, a shipping partner's mail with them in
// Cc, replies with attachments. Some other customers have a mail or two.
// Internal notes mention a sample customer's address only in the text (one
// base64-encoded), and one sender's address merely contains a sample
// customer's address ("k" + address). Messages use CRLF line ends, so IMAP
// serves them byte for byte as stored. Dates lie between 2019 and mid-2025.
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"
#include "tools/sample-crm/sample_crm_data.h"

namespace dsr::sample_crm {

// Writes the mailbox under `maildir_root`, which must not exist or be empty
// (else kConflict). The same data and seed give the same files, byte for
// byte, on every machine (no clock is read).
Status WriteSampleMailbox(const SampleCrmData& data, const std::string& maildir_root,
                          uint64_t seed);

}  // namespace dsr::sample_crm
