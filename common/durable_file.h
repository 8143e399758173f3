// Files written so that what was acknowledged survives a crash: appends go to
// a POSIX file descriptor, Sync() makes them durable, and WriteFileAtomically
// replaces a file whole (write new, fsync, rename, fsync the folder).
// Not thread-safe per instance.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace dsr {

class AppendOnlyFile {
 public:
  AppendOnlyFile() = default;
  ~AppendOnlyFile();
  AppendOnlyFile(AppendOnlyFile&& other) noexcept;
  AppendOnlyFile& operator=(AppendOnlyFile&& other) noexcept;
  AppendOnlyFile(const AppendOnlyFile&) = delete;
  AppendOnlyFile& operator=(const AppendOnlyFile&) = delete;

  // Creates `path` (truncating an existing file) with mode 0600.
  static Result<AppendOnlyFile> Create(const std::string& path);
  Status Append(std::string_view data);
  Status Sync();
  Status Close();

 private:
  explicit AppendOnlyFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  int fd_ = -1;
  std::string path_;
};

// Makes the directory entry of a created or renamed file durable.
Status SyncDirectory(const std::string& directory);
// Creates the directory and its parents with mode 0700 (they hold personal data).
Status MakePrivateDirectories(const std::string& directory);
Status WriteFileAtomically(const std::string& path, std::string_view content);

}  // namespace dsr
