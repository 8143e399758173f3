// SourceTree: the files connector's only way to the disk. It lists, reads and
// replaces files strictly below one root folder.
//
// Safety: relative paths are checked part by part (no "", "." or ".."), and
// every folder on the way is opened with O_NOFOLLOW relative to the one
// before, so neither a crafted name nor a symbolic link (even one swapped in
// while an action runs) leads outside the root. Symbolic links are never
// followed: one that a configured glob matches fails the action, naming the
// file. Files over the size limit are refused (kTooLarge).
//
// Replace rewrites a file atomically, as common/durable_file.h's
// WriteFileAtomically does (new file next to it, fsync, rename, fsync the
// folder), but through the folder's descriptor, with the original's
// permission bits and owner (a shared folder stays shared), and only if the
// file is still the one that was read: a file saved by someone else in
// between, or open in LibreOffice or Excel (their lock files), is not
// overwritten (kUnavailable, so the task is retried later).
// Errors name relative paths only. Thread-compatible.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace dsr::connectors::files {

// A file's content with what identifies the version that was read.
struct FileSnapshot {
  std::string relative;  // "lists/newsletter.csv"
  std::string content;
  dev_t device = 0;
  ino_t inode = 0;
  int64_t size = 0;
  int64_t modified_ns = 0;
  mode_t mode = 0;
  uid_t owner = 0;
  gid_t group = 0;
};

// Where Replace may be made to fail, for tests of what a failure leaves behind.
enum class ReplaceFault { kNone, kAfterWrite, kBeforeRename };

class SourceTree {
 public:
  explicit SourceTree(std::string root) : root_(std::move(root)) {}

  // Every regular file below the root as a relative path, sorted. Symbolic
  // links are reported through `links` (relative paths), never entered.
  // kUnavailable when the root cannot be opened.
  Status List(std::vector<std::string>* files, std::vector<std::string>* links) const;

  // Reads `relative`; kTooLarge over `max_bytes`, kInvalidArgument for an
  // unsafe path, kNotFound when it is gone, kConflict for a symbolic link.
  Result<FileSnapshot> Read(const std::string& relative, int64_t max_bytes) const;

  // Like Read, but at most `max_bytes` from the beginning, never kTooLarge.
  Result<FileSnapshot> ReadPrefix(const std::string& relative, int64_t max_bytes) const;

  // Replaces the file of `original` by `content` (see above).
  Status Replace(const FileSnapshot& original, std::string_view content,
                 ReplaceFault fault = ReplaceFault::kNone) const;

 private:
  Result<FileSnapshot> ReadUpTo(const std::string& relative, int64_t max_bytes, bool whole) const;

  std::string root_;
};

// True when `relative` is a safe path below a root: not empty, not absolute,
// no "", "." or ".." part, no NUL or backslash.
bool IsSafeRelativePath(std::string_view relative);

// Whether `relative` matches `glob`: '*' and '?' within one folder level (not
// a leading '.'), "**" for any number of levels, [...] classes.
bool GlobMatches(std::string_view glob, std::string_view relative);

// Whether `relative` matches `glob` or is a folder on the way to files it
// would match ("lists" for "lists/*.csv").
bool GlobReaches(std::string_view glob, std::string_view relative);

// Our own temporary files (".name.dsr-partial") and editors' lock files,
// which are never data of their own.
bool IsHelperFile(std::string_view relative);

}  // namespace dsr::connectors::files
