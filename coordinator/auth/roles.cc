#include "coordinator/auth/roles.h"

#include <algorithm>

namespace dsr::auth {

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kAgent:
      return "agent";
    case Role::kDpo:
      return "dpo";
    case Role::kAdmin:
      return "admin";
    case Role::kAuditor:
      return "auditor";
  }
  return "auditor";
}

std::vector<Role> AllRoles() {
  return {Role::kAgent, Role::kDpo, Role::kAdmin, Role::kAuditor};
}

Result<Role> ParseRole(std::string_view text) {
  for (Role role : AllRoles()) {
    if (RoleName(role) == text) return role;
  }
  return ValidationError("unknown role '" + std::string(text) +
                         "'; use agent, dpo, admin or auditor");
}

std::string_view AccessName(Access access) {
  switch (access) {
    case Access::kPublic:
      return "public";
    case Access::kSignedIn:
      return "signed_in";
    case Access::kCaseWork:
      return "case_work";
    case Access::kCaseMetadata:
      return "case_metadata";
    case Access::kDpoDecision:
      return "dpo_decision";
    case Access::kAuditTrail:
      return "audit_trail";
    case Access::kSourceStatus:
      return "source_status";
    case Access::kAdministration:
      return "administration";
  }
  return "administration";
}

std::vector<Role> RolesOf(Access access) {
  switch (access) {
    case Access::kPublic:
      return {};
    case Access::kSignedIn:
      return AllRoles();
    case Access::kCaseWork:
      return {Role::kAgent, Role::kDpo};
    case Access::kCaseMetadata:
      return {Role::kAgent, Role::kDpo, Role::kAuditor};
    case Access::kDpoDecision:
      return {Role::kDpo};
    case Access::kAuditTrail:
      return {Role::kDpo, Role::kAuditor};
    case Access::kSourceStatus:
      return {Role::kAgent, Role::kDpo, Role::kAdmin};
    case Access::kAdministration:
      return {Role::kAdmin};
  }
  return {};
}

bool Allows(Access access, Role role) {
  const auto roles = RolesOf(access);
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

}  // namespace dsr::auth
