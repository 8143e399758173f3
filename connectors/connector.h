// Connector: the seam between dsr and one data source (CRM database, mailbox,
// ticketing system, files). A connector answers for one configured source.
//
// Every action is idempotent: running it twice leaves the source as running
// it once would (tasks are delivered at least once). Actions do not log
// personal data. An instance is used by one thread at a time.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace dsr::connectors {

// Canonical identities of one data subject: "email", "phone", "name",
// "customer_id" → value as given by the agent (validated by schemas/common.json).
using Subject = std::map<std::string, std::string>;

// Receives exported records collection by collection (a table for SQL, a folder
// for mail, a file for spreadsheets). A non-ok Status from Add stops the export
// and is returned by Export.
class RecordSink {
 public:
  virtual ~RecordSink() = default;
  // `record` is a JSON object: field name → value.
  virtual Status Add(std::string_view collection, const nlohmann::json& record) = 0;
};

struct LocateReport {
  // Records that belong to the subject, per collection; collections without
  // any are absent.
  std::map<std::string, int64_t> records_per_collection;
};

class Connector {
 public:
  virtual ~Connector() = default;

  // The connector kind, as in the config's `kind` ("sql").
  virtual std::string_view kind() const = 0;

  // Finds the subject's records and counts them per collection, without
  // exporting anything. kUnavailable when the source cannot be reached.
  virtual Result<LocateReport> Locate(const Subject& subject) = 0;

  // Streams every record of the subject into `sink`. An export is always whole:
  // a retry starts again from the beginning.
  virtual Status Export(const Subject& subject, RecordSink& sink) = 0;
};

// Builds the connector named by `config["kind"]` after validating `config`
// against schemas/config/connector-<kind>.json. `config_origin` (a file name)
// prefixes every error. Fails for an unknown kind or an invalid config.
Result<std::unique_ptr<Connector>> NewConnector(const nlohmann::json& config,
                                                const std::string& config_origin);

}  // namespace dsr::connectors
