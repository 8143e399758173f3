// SubjectMatcher: whether a file record belongs to the data subject, by the
// rule of connectors/connector.h and the SQL connector: a record that holds
// one of the subject's identities is confirmed unless another identity the
// file maps holds a different, non-empty value there; then it is ambiguous
// ("matches phone; email differs"). A record holding several values of one
// identity (a vCard's EMAILs) matches when any of them does, and differs
// only when none does. Value type; thread-compatible.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/connector.h"
#include "connectors/files/file_document.h"
#include "connectors/files/files_config.h"

namespace dsr::connectors::files {

// `value` as `mode` compares it: surrounding white space dropped and runs of
// white space made one space; then ASCII letters lower-cased
// (kCaseInsensitive), separators removed (kDigits), or the address printed
// canonically (kIpAddress; text that is no address is only lower-cased).
// Empty when nothing is left to compare.
std::string NormalizeIdentity(std::string_view value, MatchMode mode);

struct RecordVerdict {
  bool located = false;  // holds at least one of the subject's identities
  Match match = Match::kConfirmed;
  std::string ambiguity;  // attribute names only
};

class SubjectMatcher {
 public:
  // Only the subject's non-empty identities that `modes` maps take part.
  SubjectMatcher(const Subject& subject, const std::map<std::string, FieldMapping>& modes);

  // Whether the file maps none of the subject's identities.
  bool empty() const { return given_.empty(); }
  RecordVerdict Judge(const FileRecord& record) const;

 private:
  struct Given {
    std::string attribute;
    std::string value;  // normalized
    MatchMode mode = MatchMode::kExact;
  };
  std::vector<Given> given_;
};

}  // namespace dsr::connectors::files
