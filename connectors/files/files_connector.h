// The files connector: finds, exports, erases and rectifies a data subject's
// records in a folder of CSV and XLSX spreadsheets, vCard address books and
// JSON-lines chat logs, and discovers personal data in every file below the
// folder (schemas/config/connector-files.json, deploy/examples/worker-files.yaml).
//
// Records are rows, cards and chat sessions; each file is one collection,
// named after its path (file_catalog.h), and every record carries the real
// path as "file". Erase and Rectify rewrite a file atomically and only when
// something in it changes, keeping every byte of other people's records
// (each format's .cc says how); what a file cannot take safely is left alone
// and reported (kNotApplicable, and the records to `untouched` with the
// reason). Nothing outside the root is read or written; symbolic links are
// not followed. Errors and logs name paths, config keys and counts, never
// values.
#pragma once

#include <memory>
#include <nlohmann/json_fwd.hpp>

#include "connectors/connector.h"

namespace dsr::connectors {

// Builds the connector from its validated config (the worker config's
// `connector:` section). Fails with kValidation naming the key for what the
// schema cannot check. The root is not touched until the first action; a
// root that cannot be opened then fails that action with kUnavailable.
Result<std::unique_ptr<Connector>> NewFilesConnector(const nlohmann::json& config);

}  // namespace dsr::connectors
