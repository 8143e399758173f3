// The canonical attributes a row of a table with identities holds, as the
// database stores them (FoundRecord::attributes), so that the coordinator can
// show where sources disagree about a subject. Pure; thread-safe.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "connectors/sql/sql_config.h"
#include "connectors/sql/table_catalog.h"

namespace dsr::connectors::sql {

// "email", "phone" and "customer_id" from the columns their identities map;
// "name" from the name identity's columns joined with one space; "postal_address"
// from rectify.postal_address as one line, "street, postal_code city, country".
// Where identities do not map email, phone or name, rectify's columns are used.
// NULL and blank parts are left out, and so are attributes without any value.
// Empty for tables without identities. `record` is a row as ReadLocatedRows
// reads it (column name as the database spells it → value).
std::map<std::string, std::string> RecordAttributes(const TableConfig& table,
                                                    const TableColumns& columns,
                                                    const nlohmann::json& record);

}  // namespace dsr::connectors::sql
