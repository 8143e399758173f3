// Roles and access levels of the HTTP API.
//
// Every user has one role. Every route states one Access level; the router
// lets a call through only when the caller's role is among the level's roles.
// There is deliberately no "unrestricted" or default level: kPublic is the
// one way to skip authentication, and it is written out in the route table.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace dsr::auth {

enum class Role {
  kAgent,    // handles requests day to day
  kDpo,      // the data protection officer: everything an agent may, and the decisions
  kAdmin,    // users, tokens, sources; never the subjects' personal data
  kAuditor,  // reads the audit trail, reports and request metadata
};

std::string_view RoleName(Role role);
Result<Role> ParseRole(std::string_view text);
std::vector<Role> AllRoles();

enum class Access {
  kPublic,         // no credentials: /healthz, logging in
  kSignedIn,       // any role: who am I, logging out, the route table
  kCaseWork,       // agent, dpo: filing and working on requests, their records and bundles
  kCaseMetadata,   // agent, dpo, auditor: listing requests and reading their metadata
  kDpoDecision,    // dpo: extensions, refusals, the record of processing, notifications
  kAuditTrail,     // dpo, auditor: events, dashboard, reports
  kSourceStatus,   // agent, dpo, admin: the sources and their workers
  kAdministration  // admin: users and tokens
};

std::string_view AccessName(Access access);
// The roles that may call a route of this level (none for kPublic: no one
// needs to sign in).
std::vector<Role> RolesOf(Access access);
bool Allows(Access access, Role role);

// Who is calling: the user behind a valid API token or session.
struct Principal {
  std::string name;
  Role role = Role::kAuditor;
  bool via_session = false;
  std::optional<std::string> expires_at;  // RFC 3339 UTC; none for a token without expiry
};

// What the router asks to turn an Authorization header into a Principal:
// kUnauthenticated for missing or invalid credentials, kUnavailable when the
// store cannot be asked.
class CredentialCheck {
 public:
  virtual ~CredentialCheck() = default;
  virtual Result<Principal> Authenticate(const std::string& authorization) const = 0;
};

}  // namespace dsr::auth
