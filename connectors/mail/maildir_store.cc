// MailStore over a Maildir++ tree on disk: the root's cur/ and new/ are
// INBOX, each ".Name" directory with a cur/ is the folder "Name" (the layout
// Dovecot uses). Searching reads only each file's header block, unless
// bodies are asked for.
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>

#include "connectors/mail/mail_store.h"
#include "connectors/mail/message_header.h"
#include "connectors/mail/mime_reader.h"

namespace dsr::connectors::mail {
namespace {

namespace fs = std::filesystem;

constexpr size_t kMaxHeaderBytes = 1024 * 1024;     // a header block is never this long
constexpr size_t kSampleMessageBytes = 256 * 1024;  // enough text to recognise personal data

// The unique part of a Maildir file name: flags after ':' change, it does not.
std::string KeyOf(const std::string& file_name) {
  return file_name.substr(0, file_name.find(':'));
}

Result<std::string> ReadFile(const fs::path& path, size_t limit) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("maildir: a message file is gone");
  std::string content(limit, '\0');
  in.read(content.data(), static_cast<std::streamsize>(limit));
  content.resize(static_cast<size_t>(in.gcount()));
  return content;
}

Result<std::string> ReadWhole(const fs::path& path) {
  std::error_code error;
  const auto size = fs::file_size(path, error);
  if (error) return NotFound("maildir: a message file is gone");
  return ReadFile(path, static_cast<size_t>(size));
}

// Reads `path` in small steps up to the end of its header block, so that a
// search touches a few kilobytes of each message, not its attachments.
Result<std::string> ReadHeader(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("maildir: a message file is gone");
  std::string header;
  char chunk[4096];
  while (header.size() < kMaxHeaderBytes) {
    in.read(chunk, sizeof chunk);
    const size_t got = static_cast<size_t>(in.gcount());
    const size_t scan_from = header.size() < 3 ? 0 : header.size() - 3;
    header.append(chunk, got);
    const size_t end = HeaderEnd(std::string_view(header).substr(scan_from));
    if (end != std::string_view::npos) {
      header.resize(scan_from + end);
      break;
    }
    if (got < sizeof chunk) break;
  }
  return header;
}

// When the message was delivered: Maildir names start with the delivery time
// in seconds ("1592036519.M3P4711.host"); otherwise the file's modification
// time. UTC dates.
std::optional<CivilDate> ReceivedOf(const std::string& key, const fs::path& path) {
  int64_t seconds = -1;
  const size_t digits = key.find_first_not_of("0123456789");
  if (digits != 0 && digits != std::string::npos && key[digits] == '.' && digits <= 11) {
    seconds = std::stoll(key.substr(0, digits));
  } else {
    std::error_code error;
    const auto modified = fs::last_write_time(path, error);
    if (error) return std::nullopt;
    const auto system = std::chrono::time_point_cast<std::chrono::seconds>(
        modified - fs::file_time_type::clock::now() + std::chrono::system_clock::now());
    seconds = system.time_since_epoch().count();
  }
  if (seconds < 0) return std::nullopt;
  return CivilDate::FromDaysSinceEpoch(seconds / 86400);
}

bool ContainsLower(const std::string& text, const std::string& lower_needle) {
  return AsciiLower(text).find(lower_needle) != std::string::npos;
}

class MaildirStore final : public MailStore {
 public:
  explicit MaildirStore(fs::path root) : root_(std::move(root)) {}

  Result<std::vector<std::string>> ListFolders() override {
    std::vector<std::string> folders;
    std::error_code error;
    if (fs::is_directory(root_ / "cur", error)) folders.push_back("INBOX");
    for (fs::directory_iterator entry(root_, error), end; !error && entry != end;
         entry.increment(error)) {
      const std::string name = entry->path().filename().string();
      if (name.size() > 1 && name[0] == '.' && name != ".." &&
          fs::is_directory(entry->path() / "cur")) {
        folders.push_back(name.substr(1));
      }
    }
    if (error) return Unavailable("maildir: cannot list the folders: " + error.message());
    std::sort(folders.begin() + (folders.empty() || folders[0] != "INBOX" ? 0 : 1), folders.end());
    return folders;
  }

  Result<std::vector<Candidate>> FindCandidates(const std::string& folder,
                                                const std::string& address, bool bodies) override {
    auto files = Files(folder);
    if (!files.ok()) return files.status();
    const std::string needle = AsciiLower(address);
    std::vector<Candidate> candidates;
    for (const auto& [key, path] : *files) {
      auto header = ReadHeader(path);
      if (!header.ok()) continue;  // removed meanwhile
      Candidate candidate{key, std::move(header.value()), false, ReceivedOf(key, path)};
      const bool in_header = ContainsLower(candidate.header, needle);
      if (bodies) {
        auto message = ReadWhole(path);
        if (message.ok()) candidate.body_may_match = ContainsLower(BodyText(*message), needle);
      }
      if (in_header || candidate.body_may_match) candidates.push_back(std::move(candidate));
    }
    return candidates;
  }

  Result<std::string> ReadMessage(const std::string& folder, const std::string& key) override {
    auto files = Files(folder);
    if (!files.ok()) return files.status();
    const auto found = files->find(key);
    if (found == files->end()) return NotFound("maildir: no such message");
    return ReadWhole(found->second);
  }

  Result<std::vector<Candidate>> ReadHeaders(const std::string& folder,
                                             const std::set<std::string>& keys) override {
    auto files = Files(folder);
    if (!files.ok()) return files.status();
    std::vector<Candidate> headers;
    for (const auto& key : keys) {
      const auto found = files->find(key);
      if (found == files->end()) continue;
      auto header = ReadHeader(found->second);
      if (header.ok())
        headers.push_back({key, std::move(header.value()), false, ReceivedOf(key, found->second)});
    }
    return headers;
  }

  Result<int64_t> Delete(const std::string& folder, const std::set<std::string>& keys) override {
    auto files = Files(folder);
    if (!files.ok()) return files.status();
    int64_t removed = 0;
    for (const auto& key : keys) {
      const auto found = files->find(key);
      if (found == files->end()) continue;
      std::error_code error;
      if (fs::remove(found->second, error)) {
        ++removed;
      } else if (error) {
        return Unavailable("maildir: cannot remove a message in folder '" + folder +
                           "': " + error.message());
      }
    }
    return removed;
  }

  Result<std::vector<SampledMessage>> Sample(const std::string& folder, int count,
                                             bool bodies) override {
    auto files = Files(folder);
    if (!files.ok()) return files.status();
    std::vector<fs::path> paths;
    for (const auto& entry : *files) paths.push_back(entry.second);
    std::vector<SampledMessage> sample;
    const size_t step = std::max<size_t>(1, paths.size() / static_cast<size_t>(count));
    for (size_t i = 0; i < paths.size() && sample.size() < static_cast<size_t>(count); i += step) {
      auto header = ReadHeader(paths[i]);
      if (!header.ok()) continue;
      SampledMessage message{std::move(header.value()), ""};
      if (bodies) {
        auto whole = ReadFile(paths[i], kSampleMessageBytes);
        if (whole.ok()) message.message = std::move(whole.value());
      }
      sample.push_back(std::move(message));
    }
    return sample;
  }

 private:
  // key → file, over cur/ and new/ (tmp/ holds deliveries not yet complete).
  Result<std::map<std::string, fs::path>> Files(const std::string& folder) const {
    if (folder.find('/') != std::string::npos || (folder != "INBOX" && folder.rfind('.', 0) == 0)) {
      return InvalidArgument("maildir: not a folder name: '" + folder + "'");
    }
    const fs::path directory = folder == "INBOX" ? root_ : root_ / ("." + folder);
    std::map<std::string, fs::path> files;
    for (const char* sub : {"cur", "new"}) {
      std::error_code error;
      for (fs::directory_iterator entry(directory / sub, error), end; !error && entry != end;
           entry.increment(error)) {
        const std::string name = entry->path().filename().string();
        if (name.empty() || name[0] == '.') continue;
        files.emplace(KeyOf(name), entry->path());
      }
      if (error) {
        return Unavailable("maildir: cannot read folder '" + folder + "': " + error.message());
      }
    }
    return files;
  }

  fs::path root_;
};

}  // namespace

Result<std::unique_ptr<MailStore>> OpenMaildirStore(const std::string& root) {
  std::error_code error;
  if (!fs::is_directory(root, error)) {
    return Unavailable("maildir: " + root + " is not a directory" +
                       (error ? ": " + error.message() : ""));
  }
  return std::unique_ptr<MailStore>(new MaildirStore(root));
}

Result<std::unique_ptr<MailStore>> OpenMailStore(const MailConfig& config) {
  if (config.maildir) return OpenMaildirStore(*config.maildir);
  return OpenImapStore(*config.imap);
}

}  // namespace dsr::connectors::mail
