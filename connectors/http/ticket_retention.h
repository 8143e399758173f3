// Retention periods of tickets kept under a legal obligation (config
// `erasure.retain`), reported the way the engine files retention holds: one
// kRetained outcome per collection and end date, with the keys of the records
// kept until then, so that each hold can be erased on its own when it ends.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/civil_date.h"
#include "connectors/connector.h"
#include "connectors/http/http_config.h"

namespace dsr::connectors::http {

// Collects the retained records of one collection. Value type.
class RetainedRecords {
 public:
  RetainedRecords(const char* collection, const RetentionPolicy& policy)
      : collection_(collection), policy_(policy) {}

  void Add(const std::string& key, CivilDate until);

  // One kRetained outcome per end date, earliest first; a single kNotFound
  // outcome when nothing was added.
  std::vector<CollectionOutcome> Outcomes() const;

 private:
  const char* collection_;
  const RetentionPolicy& policy_;
  std::map<CivilDate, std::vector<std::string>> keys_by_end_;
};

}  // namespace dsr::connectors::http
