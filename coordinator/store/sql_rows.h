// Helpers between SOCI rows/parameters and the store's records. Internal to
// the store; the only place that knows how columns map to fields.
#pragma once

#include <soci/soci.h>

#include <optional>
#include <string>

#include "common/status.h"
#include "coordinator/store/field_codec.h"
#include "coordinator/store/model.h"

namespace dsr::store {

// A nullable text parameter for soci::use(value, indicator).
struct NullableText {
  explicit NullableText(const std::optional<std::string>& source)
      : value(source.value_or("")), indicator(source ? soci::i_ok : soci::i_null) {}
  std::string value;
  soci::indicator indicator;
};

// A nullable integer parameter.
struct NullableInt {
  explicit NullableInt(const std::optional<int64_t>& source)
      : value(source.value_or(0)), indicator(source ? soci::i_ok : soci::i_null) {}
  long long value;
  soci::indicator indicator;
};

std::string TextColumn(const soci::row& row, const std::string& name);
std::optional<std::string> OptionalTextColumn(const soci::row& row, const std::string& name);
int64_t IntColumn(const soci::row& row, const std::string& name);
std::optional<int64_t> OptionalIntColumn(const soci::row& row, const std::string& name);

// Sealed columns are opened with `codec` (field_codec.h).
Result<RequestRecord> RequestFromRow(const soci::row& row, const FieldCodec& codec);
Result<TaskRecord> TaskFromRow(const soci::row& row);
ResultRecord ResultFromRow(const soci::row& row);
EventRecord EventFromRow(const soci::row& row);

Result<IdentityCheckRecord> IdentityCheckFromRow(const soci::row& row, const FieldCodec& codec);
Result<PauseRecord> PauseFromRow(const soci::row& row, const FieldCodec& codec);
Result<OutcomeRecord> OutcomeFromRow(const soci::row& row);
Result<HoldRecord> HoldFromRow(const soci::row& row);
Result<ReviewDecisionRecord> ReviewDecisionFromRow(const soci::row& row, const FieldCodec& codec);
Result<NotificationRecord> NotificationFromRow(const soci::row& row);

std::string StringListToJson(const std::vector<std::string>& values);
Result<std::vector<std::string>> StringListFromJson(const std::string& text);
std::string SubjectToJson(const SubjectIdentities& subject);
Result<SubjectIdentities> SubjectFromJson(const std::string& text);

// Whether the error says the connection to the server is gone (refused,
// dropped, or never reopened), as opposed to a lock, a deadlock or bad SQL.
bool IsLostConnection(const soci::soci_error& error);

// Turns a SOCI error into a Status without echoing SQL or bound values
// (they may hold personal data).
Status StatusFromSociError(const soci::soci_error& error, const std::string& what);

}  // namespace dsr::store
