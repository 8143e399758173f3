// Line-oriented logging to stderr: "2026-11-28T13:57:04.123Z INFO broker: message".
//
// Never pass personal data (identities, record contents) to these functions:
// log ids, counts and codes instead. Thread-safe: each call writes one whole line.
#pragma once

#include <string>
#include <string_view>

namespace dsr {

enum class LogLevel { kDebug, kInfo, kWarn, kError };

// Messages below `level` are dropped. Default: kInfo.
void SetLogLevel(LogLevel level);
// Parses "debug", "info", "warn", "error"; returns false for anything else.
bool ParseLogLevel(std::string_view text, LogLevel* level);

void Log(LogLevel level, std::string_view component, std::string_view message);
inline void LogDebug(std::string_view c, std::string_view m) {
  Log(LogLevel::kDebug, c, m);
}
inline void LogInfo(std::string_view c, std::string_view m) {
  Log(LogLevel::kInfo, c, m);
}
inline void LogWarn(std::string_view c, std::string_view m) {
  Log(LogLevel::kWarn, c, m);
}
inline void LogError(std::string_view c, std::string_view m) {
  Log(LogLevel::kError, c, m);
}

}  // namespace dsr
