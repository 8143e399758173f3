#include "connectors/files/source_tree.h"

#include <dirent.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

namespace dsr::connectors::files {
namespace {

constexpr int kMaxDepth = 64;
constexpr size_t kMaxEntries = 2'000'000;
constexpr char kPartialSuffix[] = ".dsr-partial";

// Closes its descriptor when it goes out of scope.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(Fd&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  Fd& operator=(Fd&& other) noexcept {
    std::swap(fd_, other.fd_);
    return *this;
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  bool ok() const { return fd_ >= 0; }

 private:
  int fd_;
};

std::vector<std::string> SplitPath(std::string_view path) {
  std::vector<std::string> parts;
  size_t begin = 0;
  while (begin <= path.size()) {
    size_t end = path.find('/', begin);
    if (end == std::string_view::npos) end = path.size();
    parts.emplace_back(path.substr(begin, end - begin));
    begin = end + 1;
  }
  return parts;
}

std::string BaseName(std::string_view relative) {
  const size_t slash = relative.rfind('/');
  return std::string(slash == std::string_view::npos ? relative : relative.substr(slash + 1));
}

Status OpenError(const std::string& relative, int error) {
  if (error == ELOOP || error == EMLINK) {
    return Conflict(relative +
                    ": is (or lies below) a symbolic link, which the files connector "
                    "does not follow");
  }
  if (error == ENOENT) return NotFound(relative + ": no such file");
  if (error == ENOTDIR) return Conflict(relative + ": a part of the path is not a folder");
  return Unavailable(relative + ": cannot open: " + std::strerror(error));
}

Result<Fd> OpenRoot(const std::string& root) {
  Fd fd(::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.ok())
    return Unavailable("cannot open the root folder: " + std::string(std::strerror(errno)));
  return fd;
}

// The folder that holds `relative`, every step without following links.
Result<Fd> OpenParent(const std::string& root, const std::string& relative) {
  if (!IsSafeRelativePath(relative)) {
    return InvalidArgument("refused an unsafe path (absolute, empty or with '..')");
  }
  auto current = OpenRoot(root);
  if (!current.ok()) return current.status();
  Fd fd = std::move(current.value());
  const std::vector<std::string> parts = SplitPath(relative);
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    Fd next(::openat(fd.get(), parts[i].c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!next.ok()) return OpenError(relative, errno);
    fd = std::move(next);
  }
  return fd;
}

int64_t ModifiedNs(const struct stat& st) {
  return static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
}

struct Walk {
  std::vector<std::string>* files;
  std::vector<std::string>* links;
  size_t entries = 0;
};

Status ListFolder(int folder, const std::string& prefix, int depth, Walk* walk) {
  if (depth > kMaxDepth) return TooLarge(prefix + ": folders nested deeper than 64 levels");
  DIR* dir = ::fdopendir(::dup(folder));
  if (dir == nullptr) return Unavailable(prefix + ": cannot list: " + std::strerror(errno));
  std::vector<std::string> folders;
  Status status = Status::Ok();
  while (const dirent* entry = ::readdir(dir)) {
    const std::string name = entry->d_name;
    if (name == "." || name == "..") continue;
    if (++walk->entries > kMaxEntries) {
      status = TooLarge("more than 2000000 entries below the root");
      break;
    }
    struct stat st {};
    if (::fstatat(::dirfd(dir), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
    const std::string relative = prefix.empty() ? name : prefix + "/" + name;
    if (S_ISLNK(st.st_mode)) walk->links->push_back(relative);
    if (S_ISREG(st.st_mode)) walk->files->push_back(relative);
    if (S_ISDIR(st.st_mode)) folders.push_back(name);
  }
  ::closedir(dir);
  DSR_RETURN_IF_ERROR(status);
  for (const auto& name : folders) {
    const std::string relative = prefix.empty() ? name : prefix + "/" + name;
    Fd child(::openat(folder, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!child.ok()) continue;  // vanished or replaced by a link since listing
    DSR_RETURN_IF_ERROR(ListFolder(child.get(), relative, depth + 1, walk));
  }
  return Status::Ok();
}

// With `prefix`, a path that ends where the glob goes on matches too: a
// folder on the way to matching files.
bool SegmentsMatch(const std::vector<std::string>& glob, size_t g,
                   const std::vector<std::string>& path, size_t p, bool prefix = false) {
  if (prefix && p == path.size()) return true;
  if (g == glob.size()) return p == path.size();
  if (glob[g] == "**") {
    for (size_t skip = p; skip <= path.size(); ++skip) {
      if (skip > p && path[skip - 1].front() == '.') break;  // ** does not enter hidden folders
      if (SegmentsMatch(glob, g + 1, path, skip, prefix)) return true;
    }
    return false;
  }
  if (p == path.size()) return false;
  if (::fnmatch(glob[g].c_str(), path[p].c_str(), FNM_PERIOD) != 0) return false;
  return SegmentsMatch(glob, g + 1, path, p + 1, prefix);
}

Status WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t written = ::write(fd, data.data(), data.size());
    if (written < 0 && errno == EINTR) continue;
    if (written < 0) return Internal(std::string("cannot write: ") + std::strerror(errno));
    data.remove_prefix(static_cast<size_t>(written));
  }
  return Status::Ok();
}

// LibreOffice's ".~lock.NAME#" or Excel's "~$NAME" next to the file means
// someone has it open and would save over our change.
bool OpenInEditor(int folder, const std::string& name) {
  std::vector<std::string> locks = {".~lock." + name + "#", "~$" + name};
  if (name.size() > 2) locks.push_back("~$" + name.substr(2));
  struct stat st {};
  return std::any_of(locks.begin(), locks.end(), [&](const std::string& lock) {
    return ::fstatat(folder, lock.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0;
  });
}

bool SameVersion(const struct stat& st, const FileSnapshot& snapshot) {
  return st.st_dev == snapshot.device && st.st_ino == snapshot.inode &&
         st.st_size == snapshot.size && ModifiedNs(st) == snapshot.modified_ns;
}

// Writes the new content under `temporary` in `folder` with the original's
// permissions, and makes it durable.
Status WriteTemporary(int folder, const std::string& temporary, const FileSnapshot& original,
                      std::string_view content, ReplaceFault fault) {
  ::unlinkat(folder, temporary.c_str(), 0);  // left over from a crash
  Fd fd(::openat(folder, temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                 0600));
  if (!fd.ok()) return Unavailable(std::string("cannot create a file: ") + std::strerror(errno));
  DSR_RETURN_IF_ERROR(WriteAll(fd.get(), content.substr(0, content.size() / 2)));
  if (fault == ReplaceFault::kAfterWrite) return Internal("simulated failure while writing");
  DSR_RETURN_IF_ERROR(WriteAll(fd.get(), content.substr(content.size() / 2)));
  // Only root may give a file away; anyone else keeps the original's group if allowed.
  if (::fchown(fd.get(), original.owner, original.group) != 0) {
    (void)!::fchown(fd.get(), static_cast<uid_t>(-1), original.group);
  }
  if (::fchmod(fd.get(), original.mode & 07777) != 0 || ::fdatasync(fd.get()) != 0) {
    return Internal(std::string("cannot finish the new file: ") + std::strerror(errno));
  }
  return Status::Ok();
}

}  // namespace

bool IsSafeRelativePath(std::string_view relative) {
  if (relative.empty() || relative.front() == '/' || relative.size() > 4096) return false;
  if (relative.find('\0') != std::string_view::npos) return false;
  if (relative.find('\\') != std::string_view::npos) return false;
  for (const auto& part : SplitPath(relative)) {
    if (part.empty() || part == "." || part == "..") return false;
  }
  return true;
}

bool GlobMatches(std::string_view glob, std::string_view relative) {
  return SegmentsMatch(SplitPath(glob), 0, SplitPath(relative), 0);
}

bool GlobReaches(std::string_view glob, std::string_view relative) {
  return SegmentsMatch(SplitPath(glob), 0, SplitPath(relative), 0, /*prefix=*/true);
}

bool IsHelperFile(std::string_view relative) {
  const std::string name = BaseName(relative);
  const size_t suffix = std::strlen(kPartialSuffix);
  const bool partial = name.size() > suffix && name.front() == '.' &&
                       name.compare(name.size() - suffix, suffix, kPartialSuffix) == 0;
  return partial || name.rfind(".~lock.", 0) == 0 || name.rfind("~$", 0) == 0;
}

Status SourceTree::List(std::vector<std::string>* files, std::vector<std::string>* links) const {
  auto root = OpenRoot(root_);
  if (!root.ok()) return root.status();
  Walk walk{files, links};
  DSR_RETURN_IF_ERROR(ListFolder(root->get(), "", 0, &walk));
  std::sort(files->begin(), files->end());
  std::sort(links->begin(), links->end());
  return Status::Ok();
}

Result<FileSnapshot> SourceTree::Read(const std::string& relative, int64_t max_bytes) const {
  return ReadUpTo(relative, max_bytes, /*whole=*/true);
}

Result<FileSnapshot> SourceTree::ReadPrefix(const std::string& relative, int64_t max_bytes) const {
  return ReadUpTo(relative, max_bytes, /*whole=*/false);
}

Result<FileSnapshot> SourceTree::ReadUpTo(const std::string& relative, int64_t max_bytes,
                                          bool whole) const {
  auto folder = OpenParent(root_, relative);
  if (!folder.ok()) return folder.status();
  // O_NONBLOCK: a FIFO planted below the root must not hang the worker.
  Fd fd(::openat(folder->get(), BaseName(relative).c_str(),
                 O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  if (!fd.ok()) return OpenError(relative, errno);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
    return Conflict(relative + ": not a regular file");
  }
  if (whole && st.st_size > max_bytes) {
    return TooLarge(relative + ": " + std::to_string(st.st_size) +
                    " bytes, more than connector.max_file_bytes (" + std::to_string(max_bytes) +
                    ")");
  }
  FileSnapshot snapshot{relative,       {},         st.st_dev, st.st_ino, st.st_size,
                        ModifiedNs(st), st.st_mode, st.st_uid, st.st_gid};
  snapshot.content.resize(static_cast<size_t>(std::min<int64_t>(st.st_size, max_bytes)));
  size_t done = 0;
  while (done < snapshot.content.size()) {
    const ssize_t got = ::read(fd.get(), &snapshot.content[done], snapshot.content.size() - done);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return Unavailable(relative + ": cannot read: " + std::strerror(errno));
    if (got == 0) break;
    done += static_cast<size_t>(got);
  }
  snapshot.content.resize(done);
  if (whole && static_cast<int64_t>(done) != st.st_size) {
    return Unavailable(relative + ": changed while being read; try again");
  }
  return snapshot;
}

Status SourceTree::Replace(const FileSnapshot& original, std::string_view content,
                           ReplaceFault fault) const {
  const std::string& relative = original.relative;
  auto folder = OpenParent(root_, relative);
  if (!folder.ok()) return folder.status();
  const std::string name = BaseName(relative);
  if (OpenInEditor(folder->get(), name)) {
    return Unavailable(relative + ": open in an editor (lock file present); not changed");
  }
  const std::string temporary = "." + name + kPartialSuffix;
  Status status = WriteTemporary(folder->get(), temporary, original, content, fault);
  struct stat st {};
  if (status.ok() && (::fstatat(folder->get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0 ||
                      !SameVersion(st, original))) {
    status = Unavailable(relative + ": changed since it was read; not changed, try again");
  }
  if (status.ok() && fault == ReplaceFault::kBeforeRename) {
    status = Internal("simulated failure before rename");
  }
  if (status.ok() &&
      ::renameat(folder->get(), temporary.c_str(), folder->get(), name.c_str()) != 0) {
    status =
        Internal(std::string("cannot rename the new file into place: ") + std::strerror(errno));
  }
  if (!status.ok()) {
    ::unlinkat(folder->get(), temporary.c_str(), 0);
    return status.code() == StatusCode::kUnavailable ? status : status.WithContext(relative);
  }
  if (::fsync(folder->get()) != 0) {
    return Internal(relative + ": cannot sync the folder: " + std::strerror(errno));
  }
  return Status::Ok();
}

}  // namespace dsr::connectors::files
