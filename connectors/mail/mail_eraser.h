// Erasure in a mailbox: the messages in scope are deleted, or, under a
// retention obligation, kept and reported per end date with their keys; when
// the engine later erases exactly those keys with retention_ended, they are
// deleted. Then the folder is searched again to verify. Per folder: the
// messages of one folder are removed before the next folder is touched, so
// a failure leaves earlier folders done and later ones untouched (a retry
// finds nothing left where it was done).
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/status.h"
#include "connectors/connector.h"
#include "connectors/mail/mail_config.h"
#include "connectors/mail/mail_store.h"

namespace dsr::connectors::mail {

class MailEraser {
 public:
  MailEraser(MailStore& store, const MailConfig& config, std::vector<FolderName> folders)
      : store_(store), config_(config), folders_(std::move(folders)) {}

  // One or more outcomes per folder (kNotFound when nothing was in scope).
  // kInvalidArgument when the scope names a collection that is not served.
  Result<std::vector<CollectionOutcome>> Erase(const Subject& subject, const ActionScope& scope,
                                               RecordSink& untouched);

 private:
  struct FolderScope {
    std::set<std::string> keys;
    // key → where the retention period starts (RetentionStartOf)
    std::map<std::string, std::optional<CivilDate>> starts;
  };

  Result<FolderScope> ScopeOfSubject(const FolderName& folder, const std::string& address,
                                     const ActionScope& scope, RecordSink& untouched);
  Result<FolderScope> ScopeOfKeys(const FolderName& folder, const ActionScope& scope, bool deletes);
  Status EraseFolder(const FolderName& folder, const FolderScope& scoped, bool deletes,
                     const std::optional<std::string>& address,
                     std::vector<CollectionOutcome>* outcomes);
  Result<std::vector<CollectionOutcome>> Retain(const FolderName& folder,
                                                const FolderScope& scoped) const;
  Status Verify(const FolderName& folder, const std::set<std::string>& deleted,
                const std::optional<std::string>& address);

  MailStore& store_;
  const MailConfig& config_;
  std::vector<FolderName> folders_;
};

}  // namespace dsr::connectors::mail
