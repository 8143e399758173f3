// Consistency across sources (accuracy, Art. 5(1)(d)): when the sources
// disagree about the subject's e-mail, phone, name or postal address, the
// agent sees where and how, and can file a rectification for the stale copies.
//
// Reads the canonical attributes the connectors reported with each confirmed
// record (envelope "attributes") from the request's spool files, compares
// them after normalising (case, spacing, phone notation) and returns the
// attributes with more than one value:
//   [{"attribute": "phone", "values": [{"value": "+49 30 1234567",
//     "sources": ["crm"]}, {"value": "030 7654321", "sources": ["tickets"]}]}]
// Thread-safe given a thread-safe Store.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "common/status.h"
#include "coordinator/store/store.h"

namespace dsr::workflow {

// `country_code` ("49") turns national phone numbers ("030 …") into
// international ones for the comparison.
Result<nlohmann::json> CompareAttributes(const store::Store& store, const std::string& request_id,
                                         const std::string& country_code);

// The value used to compare two spellings of an attribute.
std::string NormalizedAttribute(const std::string& attribute, const std::string& value,
                                const std::string& country_code);

// The international calling code of a region ("DE", "DE-BY" → "49"); empty
// when unknown.
std::string CountryCallingCode(const std::string& region);

}  // namespace dsr::workflow
