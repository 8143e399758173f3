#include "connectors/mail/mail_eraser.h"

#include <algorithm>
#include <limits>

#include "connectors/mail/subject_messages.h"

namespace dsr::connectors::mail {
namespace {

CollectionOutcome Counted(const std::string& collection, OutcomeKind kind, int64_t records) {
  CollectionOutcome outcome;
  outcome.collection = collection;
  outcome.kind = kind;
  outcome.records = records;
  return outcome;
}

}  // namespace

Result<std::vector<CollectionOutcome>> MailEraser::Erase(const Subject& subject,
                                                         const ActionScope& scope,
                                                         RecordSink& untouched) {
  for (const auto& selected : scope.selection) {
    const std::string& collection = selected.first;
    const bool served = std::any_of(folders_.begin(), folders_.end(), [&](const FolderName& f) {
      return f.collection == collection;
    });
    if (!served) {
      return InvalidArgument("the scope names collection '" + collection +
                             "', which this source does not have");
    }
  }
  const bool only = scope.mode == ActionScope::Mode::kOnly;
  std::optional<std::string> address;
  if (!only) {
    auto searchable = SearchableAddress(subject);
    if (!searchable.ok()) return searchable.status();
    address = *searchable;
  }
  const bool deletes =
      config_.strategy == ErasureStrategy::kDelete || (only && scope.retention_ended);
  std::vector<CollectionOutcome> outcomes;
  for (const auto& folder : folders_) {
    Result<FolderScope> scoped = FolderScope();
    if (only) {
      scoped = ScopeOfKeys(folder, scope, deletes);
    } else if (address) {
      scoped = ScopeOfSubject(folder, *address, scope, untouched);
    }
    if (!scoped.ok()) return scoped.status();
    DSR_RETURN_IF_ERROR(EraseFolder(folder, *scoped, deletes, address, &outcomes));
  }
  return outcomes;
}

// The confirmed messages and those an agent accepted; the other ambiguous
// ones are reported as untouched before anything in the folder changes.
Result<MailEraser::FolderScope> MailEraser::ScopeOfSubject(const FolderName& folder,
                                                           const std::string& address,
                                                           const ActionScope& scope,
                                                           RecordSink& untouched) {
  auto messages = FindSubjectMessages(store_, folder.folder, address, config_.match_body);
  if (!messages.ok()) return messages.status();
  const auto accepted = scope.selection.find(folder.collection);
  FolderScope scoped;
  for (const auto& message : *messages) {
    const bool in_scope =
        message.match == Match::kConfirmed ||
        (accepted != scope.selection.end() && accepted->second.count(message.key));
    if (in_scope) {
      scoped.keys.insert(message.key);
      scoped.starts[message.key] = RetentionStartOf(message.header, message.received);
      continue;
    }
    auto record = ExportRecord(store_, folder, message);
    if (record.status().code() == StatusCode::kNotFound) continue;
    if (!record.ok()) return record.status();
    DSR_RETURN_IF_ERROR(untouched.Add(*record));
  }
  return scoped;
}

// Exactly the named messages that still exist (by key alone: the subject
// may no longer be findable).
Result<MailEraser::FolderScope> MailEraser::ScopeOfKeys(const FolderName& folder,
                                                        const ActionScope& scope, bool deletes) {
  FolderScope scoped;
  const auto named = scope.selection.find(folder.collection);
  if (named == scope.selection.end() || named->second.empty()) return scoped;
  if (deletes) {
    scoped.keys = named->second;  // Delete skips what is gone already
    return scoped;
  }
  auto headers = store_.ReadHeaders(folder.folder, named->second);
  if (!headers.ok()) return headers.status();
  for (auto& found : *headers) {
    scoped.keys.insert(found.key);
    scoped.starts[found.key] = RetentionStartOf(found.header, found.received);
  }
  return scoped;
}

Status MailEraser::EraseFolder(const FolderName& folder, const FolderScope& scoped, bool deletes,
                               const std::optional<std::string>& address,
                               std::vector<CollectionOutcome>* outcomes) {
  if (!deletes) {
    auto kept = Retain(folder, scoped);
    if (!kept.ok()) return kept.status();
    std::vector<CollectionOutcome> retained = std::move(kept.value());
    if (retained.empty()) retained.push_back(Counted(folder.collection, OutcomeKind::kNotFound, 0));
    outcomes->insert(outcomes->end(), retained.begin(), retained.end());
    return Status::Ok();
  }
  int64_t removed = 0;
  if (!scoped.keys.empty()) {
    auto deleted = store_.Delete(folder.folder, scoped.keys);
    if (!deleted.ok()) return deleted.status();
    removed = *deleted;
  }
  DSR_RETURN_IF_ERROR(Verify(folder, scoped.keys, address));
  outcomes->push_back(Counted(
      folder.collection, removed > 0 ? OutcomeKind::kErased : OutcomeKind::kNotFound, removed));
  return Status::Ok();
}

// One kRetained outcome per end date, earliest first. A hold needs an end:
// a message whose start is unknown (no readable Date and a store that does
// not say when it arrived) fails the erasure rather than being kept forever.
Result<std::vector<CollectionOutcome>> MailEraser::Retain(const FolderName& folder,
                                                          const FolderScope& scoped) const {
  std::map<int64_t, CollectionOutcome> groups;
  for (const auto& key : scoped.keys) {
    const auto start = scoped.starts.find(key);
    if (start == scoped.starts.end() || !start->second) {
      return Conflict("mail: a message in folder " + folder.collection +
                      " has neither a readable Date nor an arrival time, so its "
                      "retention period has no start; see connector.erasure");
    }
    const CivilDate until = RetainedUntil(*start->second, *config_.retain);
    CollectionOutcome& outcome = groups[until.DaysSinceEpoch()];
    if (outcome.records == 0) {
      outcome.collection = folder.collection;
      outcome.kind = OutcomeKind::kRetained;
      outcome.retained_until = until;
      outcome.legal_basis = config_.retain->legal_basis;
    }
    ++outcome.records;
    outcome.keys.push_back(key);
  }
  std::vector<CollectionOutcome> outcomes;
  for (auto& [group, outcome] : groups) outcomes.push_back(std::move(outcome));
  return outcomes;
}

// Nothing deleted may be left, and with a subject no confirmed message of
// theirs may be found any more (the delete strategy keeps none).
Status MailEraser::Verify(const FolderName& folder, const std::set<std::string>& deleted,
                          const std::optional<std::string>& address) {
  int64_t left = 0;
  if (!deleted.empty()) {
    auto remaining = store_.ReadHeaders(folder.folder, deleted);
    if (!remaining.ok()) return remaining.status();
    left = static_cast<int64_t>(remaining->size());
  }
  if (address && left == 0) {
    auto again = FindSubjectMessages(store_, folder.folder, *address, config_.match_body);
    if (!again.ok()) return again.status();
    for (const auto& message : *again) left += message.match == Match::kConfirmed ? 1 : 0;
  }
  if (left > 0) {
    return Internal("verification failed: folder '" + folder.folder + "' still holds " +
                    std::to_string(left) + " messages in scope");
  }
  return Status::Ok();
}

}  // namespace dsr::connectors::mail
