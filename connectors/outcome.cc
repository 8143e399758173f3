#include <array>
#include <utility>

#include "connectors/connector.h"

namespace dsr::connectors {
namespace {

constexpr std::array<std::pair<OutcomeKind, std::string_view>, 6> kOutcomeNames{{
    {OutcomeKind::kErased, "erased"},
    {OutcomeKind::kAnonymized, "anonymized"},
    {OutcomeKind::kRetained, "retained"},
    {OutcomeKind::kUpdated, "updated"},
    {OutcomeKind::kNotFound, "not_found"},
    {OutcomeKind::kNotApplicable, "not_applicable"},
}};

}  // namespace

std::string_view ToString(OutcomeKind kind) {
  for (const auto& [candidate, name] : kOutcomeNames) {
    if (candidate == kind) return name;
  }
  return "?";
}

Result<OutcomeKind> ParseOutcomeKind(std::string_view text) {
  for (const auto& [kind, name] : kOutcomeNames) {
    if (name == text) return kind;
  }
  return InvalidArgument("unknown outcome '" + std::string(text) + "'");
}

}  // namespace dsr::connectors
