// The mail connector's configuration as a typed model, parsed from the
// `connector:` section of a worker config (schemas/config/connector-mail.json).
//
// ParseMailConfig validates against the schema, then checks what a schema
// cannot express (exactly one of imap and maildir, plain imap:// only to a
// loopback address, retention settings that fit the strategy, folder and
// collection names that are unique). Every error names the config key, e.g.
// "connector.imap.url: ...". Files (password, CA) are read later, when an
// action first needs them. Thread-compatible value types.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "connectors/retention.h"

namespace dsr::connectors::mail {

struct ImapSettings {
  std::string host;
  int port = 993;
  bool tls = true;  // imaps://; plain imap:// only on loopback
  std::string user;
  std::string password_file;
  bool tls_verify = true;
  std::optional<std::string> ca_file;  // otherwise the system's trust store
  std::chrono::milliseconds timeout{30000};
};

// A mail folder and the collection name it is reported under (collection
// names travel on the wire and in bundle paths, so they are restricted to
// letters, digits, '_' and '-').
struct FolderName {
  std::string folder;
  std::string collection;
};

// Keeping messages under a legal obligation, e.g. business letters for 6
// years (HGB §257); the period starts from the message's date.
using RetentionPolicy = connectors::RetentionPolicy;

enum class ErasureStrategy { kDelete, kRetain };

inline constexpr int kDefaultDiscoverSample = 200;

struct MailConfig {
  std::optional<ImapSettings> imap;    // exactly one of imap and maildir
  std::optional<std::string> maildir;  // the Maildir++ root (INBOX); subfolders are ".Name"
  std::vector<FolderName> folders;     // empty: every selectable folder
  bool match_body = false;
  int discover_sample = kDefaultDiscoverSample;  // messages per folder that Discover reads
  ErasureStrategy strategy = ErasureStrategy::kDelete;
  std::optional<RetentionPolicy> retain;  // with strategy kRetain
};

// kValidation with the first problem as message and every problem as a detail.
Result<MailConfig> ParseMailConfig(const nlohmann::json& config);

// The collection name of a folder that the config does not name explicitly:
// every character other than a letter, digit, '_' or '-' becomes '_', and a
// name that does not start with a letter gets an "F" in front ("Sent.2024" →
// "Sent_2024"). Stable, so that keys kept for a retention period still name
// the same collection years later.
std::string CollectionNameOf(const std::string& folder);
bool IsCollectionName(const std::string& name);

}  // namespace dsr::connectors::mail
