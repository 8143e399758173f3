// SchemaRegistry: validates JSON documents against the JSON Schemas in
// schemas/, which are compiled into every binary (one written contract for
// wire messages, API bodies and configs).
//
// Schemas are named by their path under schemas/ without ".json", e.g.
// "wire/ready" or "api/request-create". References between schema files use
// the file name ("common.json#/definitions/uuid").
// Validate is thread-safe; the registry is built once on first use.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace dsr {

class SchemaRegistry {
 public:
  // The registry of the embedded schemas. Aborts at start-up if a schema does
  // not parse (that is a build defect, not an input error).
  static const SchemaRegistry& Embedded();

  // Ok when `document` satisfies the schema. Otherwise kValidation with one
  // detail per innermost violation, each "path: problem" (path like
  // "subject.email" or "sources[0].name", "(root)" for the document itself).
  // An unknown schema name is kInternal.
  Status Validate(std::string_view schema_name, const nlohmann::json& document) const;

  std::vector<std::string> Names() const;

  ~SchemaRegistry();
  SchemaRegistry(const SchemaRegistry&) = delete;
  SchemaRegistry& operator=(const SchemaRegistry&) = delete;

 private:
  SchemaRegistry();
  struct Impl;
  Impl* impl_;
};

// The raw text of an embedded schema file ("wire/ready.json"), or empty.
std::string_view EmbeddedSchemaText(std::string_view file_name);

}  // namespace dsr
