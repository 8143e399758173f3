// Small helpers for config loaders: secrets kept in files of their own (so
// that a config can be shown without them), and whether a host is this machine.
#pragma once

#include <string>

#include "common/status.h"

namespace dsr {

// The content of a secret file (password, token, key) without a trailing
// line break. kValidation naming `key` (the config key, e.g.
// "notifications.email.password_file") when the file cannot be read, is
// empty or is larger than `max_bytes`.
Result<std::string> ReadSecretFile(const std::string& path, const std::string& key,
                                   size_t max_bytes = 4096);

// True for "localhost", 127.0.0.0/8 and ::1: traffic that never leaves the machine.
bool IsLoopbackHost(const std::string& host);

}  // namespace dsr
