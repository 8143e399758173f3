// FieldCodec: how the store keeps columns that hold personal data (the
// subject's identities, corrections, notes and reasons an agent typed, the
// values the sources disagree on): sealed with the data key
// (common/data_protection.h), bound to table, column and row id so a sealed
// value cannot be moved to another row. Without a key ring (tools that only
// read the audit chain, tests of the store alone) values pass through as
// they are. A stored value that is not sealed (written before encryption at
// rest) is read as it is. Internal to the store; thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/data_protection.h"
#include "common/status.h"

namespace dsr::store {

class FieldCodec {
 public:
  explicit FieldCodec(std::shared_ptr<const DataKeyring> keys = nullptr) : keys_(std::move(keys)) {}

  // `column` is "table.column", `row` the row's id.
  std::string Seal(std::string_view plain, std::string_view column, std::string_view row) const;
  std::optional<std::string> SealOptional(const std::optional<std::string>& plain,
                                          std::string_view column, std::string_view row) const;
  Result<std::string> Open(const std::string& stored, std::string_view column,
                           std::string_view row) const;
  Result<std::optional<std::string>> OpenOptional(const std::optional<std::string>& stored,
                                                  std::string_view column,
                                                  std::string_view row) const;
  const DataKeyring* keys() const { return keys_.get(); }

 private:
  std::shared_ptr<const DataKeyring> keys_;
};

}  // namespace dsr::store
