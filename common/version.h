// The version of dsr, reported by every binary and in READY messages.
#pragma once

namespace dsr {
inline constexpr const char* kDsrVersion = "0.1.0";
}  // namespace dsr
