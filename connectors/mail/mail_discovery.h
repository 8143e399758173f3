// Discover for mailboxes: per folder, a sample of messages spread over the
// folder is read and its personal data counted (connectors/discovery.h):
// place "<collection>" for the header fields that name people and their
// machines, and with match_body "<collection>:body" for the text. Counts
// only; no value leaves this function.
#pragma once

#include <vector>

#include "common/status.h"
#include "connectors/connector.h"
#include "connectors/mail/mail_config.h"
#include "connectors/mail/mail_store.h"

namespace dsr::connectors::mail {

Result<std::vector<PersonalDataPlace>> DiscoverMail(MailStore& store, const MailConfig& config,
                                                    const std::vector<FolderName>& folders);

}  // namespace dsr::connectors::mail
