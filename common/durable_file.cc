#include "common/durable_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

namespace dsr {
namespace {

Status ErrnoStatus(const std::string& what, const std::string& path) {
  return Internal(what + " " + path + ": " + std::strerror(errno));
}

}  // namespace

AppendOnlyFile::~AppendOnlyFile() {
  if (fd_ >= 0) ::close(fd_);
}

AppendOnlyFile::AppendOnlyFile(AppendOnlyFile&& other) noexcept
    : fd_(other.fd_), path_(std::move(other.path_)) {
  other.fd_ = -1;
}

AppendOnlyFile& AppendOnlyFile::operator=(AppendOnlyFile&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    path_ = std::move(other.path_);
    other.fd_ = -1;
  }
  return *this;
}

Result<AppendOnlyFile> AppendOnlyFile::Create(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return ErrnoStatus("cannot create", path);
  return AppendOnlyFile(fd, path);
}

Status AppendOnlyFile::Append(std::string_view data) {
  while (!data.empty()) {
    const ssize_t written = ::write(fd_, data.data(), data.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus("cannot write", path_);
    }
    data.remove_prefix(static_cast<size_t>(written));
  }
  return Status::Ok();
}

Status AppendOnlyFile::Sync() {
  if (::fdatasync(fd_) != 0) return ErrnoStatus("cannot sync", path_);
  return Status::Ok();
}

Status AppendOnlyFile::Close() {
  if (fd_ < 0) return Status::Ok();
  const int result = ::close(fd_);
  fd_ = -1;
  if (result != 0) return ErrnoStatus("cannot close", path_);
  return Status::Ok();
}

Status SyncDirectory(const std::string& directory) {
  const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus("cannot open directory", directory);
  const int result = ::fsync(fd);
  ::close(fd);
  if (result != 0) return ErrnoStatus("cannot sync directory", directory);
  return Status::Ok();
}

Status MakePrivateDirectories(const std::string& directory) {
  std::error_code error;
  // Every folder created here is restricted, not only the last one: a parent
  // such as <results>/<request> would otherwise get the umask's 0755.
  std::vector<std::filesystem::path> to_restrict = {directory};
  for (auto parent = std::filesystem::path(directory).parent_path();
       !parent.empty() && parent != parent.root_path() && !std::filesystem::exists(parent, error);
       parent = parent.parent_path()) {
    to_restrict.push_back(parent);
  }
  std::filesystem::create_directories(directory, error);
  if (error) return Internal("cannot create directory " + directory + ": " + error.message());
  for (const auto& path : to_restrict) {
    std::filesystem::permissions(path, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::replace, error);
    if (error)
      return Internal("cannot restrict directory " + path.string() + ": " + error.message());
  }
  return Status::Ok();
}

Status WriteFileAtomically(const std::string& path, std::string_view content) {
  const std::string temporary = path + ".partial";
  auto file = AppendOnlyFile::Create(temporary);
  if (!file.ok()) return file.status();
  Status status = file->Append(content);
  if (status.ok()) status = file->Sync();
  if (status.ok()) status = file->Close();
  if (status.ok() && std::rename(temporary.c_str(), path.c_str()) != 0) {
    status = ErrnoStatus("cannot rename into", path);
  }
  if (!status.ok()) {
    std::remove(temporary.c_str());
    return status;
  }
  const std::string parent = std::filesystem::path(path).parent_path().string();
  return SyncDirectory(parent.empty() ? "." : parent);
}

}  // namespace dsr
