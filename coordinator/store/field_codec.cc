#include "coordinator/store/field_codec.h"

namespace dsr::store {
namespace {

std::string Context(std::string_view column, std::string_view row) {
  std::string context(column);
  context += ':';
  context += row;
  return context;
}

}  // namespace

std::string FieldCodec::Seal(std::string_view plain, std::string_view column,
                             std::string_view row) const {
  if (keys_ == nullptr) return std::string(plain);
  return keys_->Seal(plain, Context(column, row));
}

std::optional<std::string> FieldCodec::SealOptional(const std::optional<std::string>& plain,
                                                    std::string_view column,
                                                    std::string_view row) const {
  if (!plain) return std::nullopt;
  return Seal(std::string_view(*plain), column, row);
}

Result<std::string> FieldCodec::Open(const std::string& stored, std::string_view column,
                                     std::string_view row) const {
  if (!IsSealed(stored)) return stored;
  if (keys_ == nullptr) {
    return Internal("store: " + std::string(column) + " of " + std::string(row) +
                    " is sealed, and no data key is configured");
  }
  auto plain = keys_->Open(stored, Context(column, row));
  if (!plain.ok()) {
    return Internal("store: " + std::string(column) + " of " + std::string(row) + ": " +
                    plain.status().message());
  }
  return plain;
}

Result<std::optional<std::string>> FieldCodec::OpenOptional(
    const std::optional<std::string>& stored, std::string_view column, std::string_view row) const {
  if (!stored) return std::optional<std::string>();
  auto plain = Open(*stored, column, row);
  if (!plain.ok()) return plain.status();
  return std::optional<std::string>(std::move(plain.value()));
}

}  // namespace dsr::store
