#include "connectors/files/file_actions.h"

#include <map>
#include <set>

#include "common/log.h"
#include "connectors/files/corrections.h"
#include "connectors/files/subject_matcher.h"

namespace dsr::connectors::files {
namespace {

constexpr char kLogComponent[] = "files-connector";
constexpr size_t kMaxKeyBytes = 256;

// The records of one file an action applies to.
struct Scoped {
  std::set<size_t> in_scope;
  std::vector<std::pair<size_t, RecordVerdict>> left_alone;  // ambiguous, outside the scope
  bool concerned = false;  // something located or named: the file gets an outcome
};

Scoped ResolveScope(const LoadedFile& file, const Subject& subject, const ActionScope& scope) {
  Scoped scoped;
  const std::vector<FileRecord>& records = file.document->records();
  std::set<size_t> named;
  if (const auto keys = scope.selection.find(file.entry.collection);
      keys != scope.selection.end()) {
    scoped.concerned = scope.mode == ActionScope::Mode::kOnly && !keys->second.empty();
    for (const auto& key : keys->second) {
      if (const auto index = FindRecord(records, key)) named.insert(*index);
    }
  }
  if (scope.mode == ActionScope::Mode::kOnly) {
    scoped.in_scope = std::move(named);
    return scoped;
  }
  const SubjectMatcher matcher(subject, file.document->identity_modes());
  if (matcher.empty()) return scoped;
  for (size_t i = 0; i < records.size(); ++i) {
    const RecordVerdict verdict = matcher.Judge(records[i]);
    if (!verdict.located) continue;
    scoped.concerned = true;
    if (verdict.match == Match::kConfirmed || named.count(i) != 0) {
      scoped.in_scope.insert(i);
    } else {
      scoped.left_alone.emplace_back(i, verdict);
    }
  }
  return scoped;
}

CollectionOutcome Outcome(const std::string& collection, OutcomeKind kind, size_t records) {
  CollectionOutcome outcome;
  outcome.collection = collection;
  outcome.kind = kind;
  outcome.records = static_cast<int64_t>(records);
  return outcome;
}

// "erased 3, not_applicable 1": counts only, for the log.
std::string CountsByKind(const std::vector<CollectionOutcome>& outcomes) {
  std::map<OutcomeKind, int64_t> counts;
  for (const auto& outcome : outcomes) counts[outcome.kind] += outcome.records;
  std::string text;
  for (const auto& [kind, count] : counts) {
    text += (text.empty() ? "" : ", ") + std::string(ToString(kind)) + " " + std::to_string(count);
  }
  return text.empty() ? "nothing found" : text;
}

bool IsPrintableKey(const std::string& key) {
  if (key.empty() || key.size() > kMaxKeyBytes) return false;
  for (const char c : key) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
  }
  return true;
}

}  // namespace

FoundRecord ReportedRecord(const LoadedFile& file, const FileRecord& record, Match match,
                           const std::string& ambiguity) {
  FoundRecord found;
  found.collection = file.entry.collection;
  found.key = record.key;
  found.record = record.record;
  found.record["file"] = file.entry.relative;
  found.match = match;
  found.ambiguity = ambiguity;
  found.attributes = record.attributes;
  return found;
}

Result<LoadedFile> FileActions::Load(const CatalogEntry& entry) const {
  auto snapshot = tree_.Read(entry.relative, config_.max_file_bytes);
  if (!snapshot.ok()) return snapshot.status();
  ParseLimits limits;
  limits.max_line_bytes = config_.max_line_bytes;
  limits.max_part_bytes = config_.max_file_bytes;
  auto document = ParseDocument(config_.files[entry.rule], &snapshot.value(), limits);
  if (!document.ok()) return document.status();
  return LoadedFile{entry, std::move(snapshot.value()), std::move(document.value())};
}

Status FileActions::ForEachLocated(const Subject& subject, const Visit& visit) {
  auto catalog = BuildCatalog(tree_, config_);
  if (!catalog.ok()) return catalog.status();
  for (const auto& entry : *catalog) {
    auto file = Load(entry);
    if (!file.ok()) return file.status();
    const SubjectMatcher matcher(subject, file->document->identity_modes());
    if (matcher.empty()) continue;
    for (const auto& record : file->document->records()) {
      const RecordVerdict verdict = matcher.Judge(record);
      if (!verdict.located) continue;
      DSR_RETURN_IF_ERROR(visit(ReportedRecord(*file, record, verdict.match, verdict.ambiguity)));
    }
  }
  return Status::Ok();
}

// Names come from the coordinator, which took them from an earlier answer;
// anything that is no collection name (a path, "..") is refused outright.
Status FileActions::CheckSelection(const ActionScope& scope) const {
  for (const auto& [collection, keys] : scope.selection) {
    if (!IsCollectionName(collection)) {
      return InvalidArgument(
          "the scope names a collection that is no collection name of this "
          "source (paths are not accepted)");
    }
    for (const auto& key : keys) {
      if (!IsPrintableKey(key)) {
        return InvalidArgument("the scope names a key of collection '" + collection +
                               "' that is empty, too long or holds control characters");
      }
    }
  }
  return Status::Ok();
}

Status FileActions::Verify(const LoadedFile& before, const std::set<size_t>& erased,
                           const Subject& subject, const ActionScope& scope) const {
  auto after = Load(before.entry);
  if (!after.ok()) return after.status().WithContext("verification failed");
  const std::vector<FileRecord>& records = after->document->records();
  size_t remaining = 0;
  for (const size_t index : erased) {
    if (FindRecord(records, before.document->records()[index].key)) ++remaining;
  }
  if (scope.mode == ActionScope::Mode::kSubject) {
    const SubjectMatcher matcher(subject, after->document->identity_modes());
    for (const auto& record : records) {
      const RecordVerdict verdict = matcher.Judge(record);
      if (verdict.located && verdict.match == Match::kConfirmed) ++remaining;
    }
  }
  if (remaining == 0) return Status::Ok();
  return Internal("verification failed: " + before.entry.collection + " still holds " +
                  std::to_string(remaining) + " record(s) in scope");
}

Result<std::vector<CollectionOutcome>> FileActions::Apply(const Subject& subject,
                                                          const ActionScope& scope,
                                                          OutcomeKind done, const Change& change,
                                                          std::vector<FoundRecord>* untouched) {
  auto catalog = BuildCatalog(tree_, config_);
  if (!catalog.ok()) return catalog.status();
  DSR_RETURN_IF_ERROR(CheckSelection(scope));
  std::vector<CollectionOutcome> outcomes;
  std::set<std::string> seen;
  for (const auto& entry : *catalog) {
    seen.insert(entry.collection);
    auto file = Load(entry);
    if (!file.ok()) return file.status();
    const Scoped scoped = ResolveScope(*file, subject, scope);
    for (const auto& [index, verdict] : scoped.left_alone) {
      untouched->push_back(ReportedRecord(*file, file->document->records()[index], verdict.match,
                                          verdict.ambiguity));
    }
    if (!scoped.concerned) continue;
    auto outcome = ApplyToFile(*file, scoped.in_scope, done, change, untouched);
    if (!outcome.ok()) return outcome.status();
    if (outcome->kind == OutcomeKind::kErased) {
      DSR_RETURN_IF_ERROR(Verify(*file, scoped.in_scope, subject, scope));
    }
    outcomes.push_back(std::move(outcome.value()));
  }
  for (const auto& [collection, keys] : scope.selection) {
    // A named file that is gone holds nothing of anyone any more.
    if (seen.count(collection) == 0 && !keys.empty()) {
      outcomes.push_back(Outcome(collection, OutcomeKind::kNotFound, 0));
    }
  }
  LogInfo(kLogComponent, std::string(done == OutcomeKind::kErased ? "erase: " : "rectify: ") +
                             CountsByKind(outcomes));
  return outcomes;
}

Result<CollectionOutcome> FileActions::ApplyToFile(const LoadedFile& file,
                                                   const std::set<size_t>& in_scope,
                                                   OutcomeKind done, const Change& change,
                                                   std::vector<FoundRecord>* untouched) const {
  const std::string& collection = file.entry.collection;
  const OutcomeKind nothing =
      done == OutcomeKind::kErased ? OutcomeKind::kNotFound : OutcomeKind::kNotApplicable;
  if (in_scope.empty()) return Outcome(collection, nothing, 0);
  std::set<size_t> changed;
  auto content = change(file, in_scope, &changed);
  if (!content.ok() && content.status().code() == StatusCode::kNotImplemented) {
    const std::string reason = content.status().message();
    LogWarn(kLogComponent, file.entry.relative + ": left unchanged: " + reason);
    for (const size_t index : in_scope) {
      untouched->push_back(ReportedRecord(file, file.document->records()[index], Match::kConfirmed,
                                          "left unchanged: " + reason));
    }
    CollectionOutcome left = Outcome(collection, OutcomeKind::kNotApplicable, in_scope.size());
    left.note = "left unchanged: " + reason;
    return left;
  }
  if (!content.ok()) return content.status();
  if (changed.empty()) return Outcome(collection, nothing, 0);
  DSR_RETURN_IF_ERROR(tree_.Replace(file.snapshot, *content, fault_));
  return Outcome(collection, done, changed.size());
}

Result<std::vector<CollectionOutcome>> FileActions::Erase(const Subject& subject,
                                                          const ActionScope& scope,
                                                          std::vector<FoundRecord>* untouched) {
  return Apply(
      subject, scope, OutcomeKind::kErased,
      [](const LoadedFile& file, const std::set<size_t>& indexes, std::set<size_t>* changed) {
        *changed = indexes;
        return file.document->Without(indexes);
      },
      untouched);
}

Result<std::vector<CollectionOutcome>> FileActions::Rectify(const Subject& subject,
                                                            const Corrections& corrections,
                                                            const ActionScope& scope,
                                                            std::vector<FoundRecord>* untouched) {
  // Checked once before any file: a bad correction must not leave half the files changed.
  DSR_RETURN_IF_ERROR(ReadCorrections(corrections).status());
  return Apply(
      subject, scope, OutcomeKind::kUpdated,
      [&](const LoadedFile& file, const std::set<size_t>& indexes, std::set<size_t>* changed) {
        return file.document->Rectified(indexes, corrections, subject, changed);
      },
      untouched);
}

}  // namespace dsr::connectors::files
