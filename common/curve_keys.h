// CurveZMQ keys: generating a key pair, writing it to files and reading keys
// back from files or config strings.
//
// Key file format (docs/OPERATIONS.md, "Transport security"): text, one key
// as 40 characters of Z85 on a line of its own; empty lines, "#" and lines
// that start with "# " are ignored, so a file can say what it is ('#' alone
// may begin a key: it is a Z85 character). A secret key
// file is created with mode 0600 (never overwritten); a public key file
// with 0644.
#pragma once

#include <string>

#include "common/status.h"

namespace dsr {

inline constexpr size_t kZ85KeyLength = 40;

struct CurveKeyPair {
  std::string public_key;  // Z85, 40 characters
  std::string secret_key;  // Z85, 40 characters
};

// True when `text` is 40 characters of the Z85 alphabet that decode to 32 bytes.
bool IsZ85Key(const std::string& text);

// A fresh key pair from libzmq (libsodium's random source).
Result<CurveKeyPair> GenerateCurveKeyPair();

// The public key that belongs to a Z85 secret key.
Result<std::string> CurvePublicKeyOf(const std::string& secret_key);

// Reads the one key a key file holds. kValidation naming `key` (the config
// key) when the file cannot be read or holds no single Z85 key.
Result<std::string> ReadCurveKeyFile(const std::string& path, const std::string& key);

// As ReadCurveKeyFile, for a secret key: also refuses a file that others than
// its owner may read (mode beyond 0600), which would give the key away.
Result<std::string> ReadCurveSecretKeyFile(const std::string& path, const std::string& key);

// Writes `pair` to `secret_path` (created with O_EXCL and mode 0600 from the
// start) and `public_path` (mode 0644, also never overwritten). `comment` goes
// on a '#' line above each key. Nothing is left behind when it fails.
Status WriteCurveKeyPair(const CurveKeyPair& pair, const std::string& secret_path,
                         const std::string& public_path, const std::string& comment);

// A short, non-secret name for a public key in logs: its first 8 characters.
std::string KeyFingerprint(const std::string& public_key);

// The host of a ZeroMQ endpoint ("tcp://127.0.0.1:5555" → "127.0.0.1");
// empty for an endpoint without one.
std::string EndpointHost(const std::string& endpoint);

// True when traffic to or from `endpoint` never leaves this machine: tcp to
// a loopback address, ipc or inproc.
bool IsLocalEndpoint(const std::string& endpoint);

}  // namespace dsr
