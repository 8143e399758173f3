#include "coordinator/bundle/bundle.h"

#include <Poco/DateTime.h>
#include <Poco/Exception.h>
#include <Poco/Path.h>
#include <Poco/Zip/Compress.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "common/data_protection.h"
#include "common/digest.h"
#include "common/log.h"
#include "coordinator/bundle/spool_converter.h"

namespace dsr::bundle {
namespace {

namespace fs = std::filesystem;

// zlib level 1. Deflate bounds the throughput of a multi-gigabyte bundle.
// Measured on order records: level 1 shrinks records.json to 16% (level 6:
// 12%) at 2-3 times the speed of level 6 and 10 times that of Poco's
// default, level 9: a download a third larger is a fair price for that.
constexpr auto kCompressionLevel = Poco::Zip::ZipCommon::CL_SUPERFAST;
constexpr size_t kZipBufferBytes = 1 << 20;
// Article 15 requests exist since the GDPR applies; an earlier date is a
// CivilDate that nobody set.
const CivilDate kGdprApplies(2018, 5, 25);

struct ManifestEntry {
  std::string path;
  int64_t bytes = 0;
  std::string sha256;
};

// [A-Za-z][A-Za-z0-9_-]{0,63}: a name that is safe as a path component in
// every ZIP tool and file system.
bool IsSafeName(const std::string& name) {
  const auto letter = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); };
  const auto safe = [&](char c) {
    return letter(c) || (c >= '0' && c <= '9') || c == '_' || c == '-';
  };
  return !name.empty() && name.size() <= 64 && letter(name.front()) &&
         std::all_of(name.begin(), name.end(), safe);
}

// Lines are 0..records-1; anything else is a caller bug that would silently
// select nothing.
Status ValidateLines(const std::string& where, const CollectionInput& collection) {
  const auto in_range = [&](int64_t line) { return line >= 0 && line < collection.records; };
  const auto bad = [&](const char* what) {
    return InvalidArgument("bundle: " + where + ": " + what);
  };
  for (const int64_t line : collection.excluded_lines) {
    if (!in_range(line)) return bad("excluded line out of range");
  }
  for (const int64_t line : collection.accepted_lines) {
    if (!in_range(line)) return bad("accepted line out of range");
    if (collection.excluded_lines.count(line) > 0) return bad("a line is excluded and accepted");
  }
  for (const auto& [line, fields] : collection.redacted_fields) {
    if (!in_range(line)) return bad("redacted line out of range");
  }
  return Status::Ok();
}

Status ValidateInput(const BundleInput& input) {
  if (input.request_id.empty()) return InvalidArgument("bundle: request_id is empty");
  if (input.letter_html.empty()) return InvalidArgument("bundle: the letter is empty");
  if (input.answered_on < kGdprApplies) {
    return InvalidArgument("bundle: answered_on is not set");
  }
  std::set<std::string> sources;
  for (const auto& source : input.sources) {
    if (!IsSafeName(source.name) || !sources.insert(source.name).second) {
      return InvalidArgument("bundle: source name '" + source.name + "' is unsafe or repeated");
    }
    std::set<std::string> collections;
    for (const auto& collection : source.collections) {
      if (!IsSafeName(collection.name) || !collections.insert(collection.name).second) {
        return InvalidArgument("bundle: collection name '" + source.name + "/" + collection.name +
                               "' is unsafe or repeated");
      }
      if (collection.records < 0) return InvalidArgument("bundle: negative record count");
      DSR_RETURN_IF_ERROR(ValidateLines(source.name + "/" + collection.name, collection));
    }
  }
  return Status::Ok();
}

// Creates `path` (or truncates it) readable by the owner only: the bundle is
// personal data.
Status CreatePrivateFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Internal("cannot create " + path);
  const bool ok = ::fchmod(fd, 0600) == 0;
  ::close(fd);
  return ok ? Status::Ok() : Internal("cannot restrict access to " + path);
}

Status Fsync(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return Internal("cannot open " + path + " to sync it");
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok ? Status::Ok() : Internal("fsync failed on " + path);
}

// Size and SHA-256 of the plain content of `path`.
Result<std::pair<int64_t, std::string>> PlainDigestOf(const std::string& path,
                                                      const DataKeyring* keys) {
  auto opened = OpenInputFile(path, keys);
  if (!opened.ok()) return opened.status();
  std::istream& in = **opened;
  Sha256 hash;
  int64_t bytes = 0;
  std::vector<char> block(kZipBufferBytes);
  while (in) {
    in.read(block.data(), static_cast<std::streamsize>(block.size()));
    const auto got = in.gcount();
    if (got <= 0) break;
    hash.Update(std::string_view(block.data(), static_cast<size_t>(got)));
    bytes += got;
  }
  if (in.bad()) return Internal("read error on " + path);
  return std::make_pair(bytes, hash.HexDigest());
}

// One run of BuildBundle. Owns the temporary directory and the partial ZIP
// and removes both unless Commit() renamed the ZIP into place.
class BundleBuild {
 public:
  BundleBuild(const BundleInput& input, std::string zip_path)
      : input_(input), zip_path_(std::move(zip_path)), partial_path_(zip_path_ + ".partial") {}

  ~BundleBuild() {
    std::error_code ignored;
    if (!temp_dir_.empty()) fs::remove_all(temp_dir_, ignored);
    if (!committed_) fs::remove(partial_path_, ignored);
  }

  Result<BundleSummary> Run();

 private:
  Status MakeTempDir();
  Status WriteZip(std::ostream& out, bool seekable);
  Status AddSource(const SourceInput& source, Poco::Zip::Compress* zip);
  Status AddCollection(const SourceInput& source, const CollectionInput& collection,
                       Poco::Zip::Compress* zip);
  void AddFile(const std::string& disk_path, const std::string& entry, FileDigest digest,
               Poco::Zip::Compress* zip);
  void AddText(const std::string& text, const std::string& entry, Poco::Zip::Compress* zip);
  std::string Manifest() const;
  Result<BundleSummary> Commit();

  const BundleInput& input_;
  const std::string zip_path_;
  const std::string partial_path_;
  std::string temp_dir_;
  bool committed_ = false;
  Poco::DateTime entry_time_;
  std::vector<ManifestEntry> manifest_;
  int64_t records_ = 0;
};

Status BundleBuild::MakeTempDir() {
  std::string pattern = zip_path_ + ".parts-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr)
    return Internal("cannot create a directory next to " + zip_path_);
  temp_dir_ = pattern;  // mkdtemp makes it 0700: the converted records are personal data
  return Status::Ok();
}

Result<BundleSummary> BundleBuild::Run() {
  const CivilDate date = input_.answered_on;
  entry_time_ = Poco::DateTime(date.year(), date.month(), date.day());
  DSR_RETURN_IF_ERROR(MakeTempDir());
  DSR_RETURN_IF_ERROR(CreatePrivateFile(partial_path_));
  if (input_.keys != nullptr) {
    // Encrypted as it is written: the plain ZIP never touches the disk. The
    // stream cannot seek back, so Poco writes each entry's sizes into a
    // data descriptor after it (ZIP64 still forced, see below).
    auto out = EncryptingOutputStream::Create(partial_path_, *input_.keys);
    if (!out.ok()) return out.status();
    DSR_RETURN_IF_ERROR(WriteZip(**out, /*seekable=*/false));
    if (!**out) return Internal("write error on " + partial_path_);
    DSR_RETURN_IF_ERROR((*out)->Close());
    return Commit();
  }
  std::vector<char> buffer(kZipBufferBytes);
  std::ofstream out;
  out.rdbuf()->pubsetbuf(buffer.data(), static_cast<std::streamsize>(buffer.size()));
  out.open(partial_path_, std::ios::binary | std::ios::trunc);
  if (!out) return Internal("cannot open " + partial_path_);
  DSR_RETURN_IF_ERROR(WriteZip(out, /*seekable=*/true));
  out.close();
  if (!out) return Internal("write error on " + partial_path_);
  return Commit();
}

Status BundleBuild::WriteZip(std::ostream& out, bool seekable) {
  // Seekable output lets Poco write sizes into each local header instead of
  // a trailing data descriptor. forceZip64: Poco 1.11 decides about the
  // ZIP64 extra field before it knows an entry's size and cannot add it
  // afterwards, so without it an entry over 4 GiB gets a broken header.
  Poco::Zip::Compress zip(out, seekable, true);
  AddText(input_.letter_html, "letter.html", &zip);  // first: what a reader opens first
  for (const auto& source : input_.sources) DSR_RETURN_IF_ERROR(AddSource(source, &zip));
  AddText(Manifest(), "manifest.json", &zip);
  zip.close();
  return Status::Ok();
}

Status BundleBuild::AddSource(const SourceInput& source, Poco::Zip::Compress* zip) {
  for (const auto& collection : source.collections) {
    DSR_RETURN_IF_ERROR(AddCollection(source, collection, zip));
  }
  return Status::Ok();
}

Status BundleBuild::AddCollection(const SourceInput& source, const CollectionInput& collection,
                                  Poco::Zip::Compress* zip) {
  const std::string where = source.name + "/" + collection.name;
  const std::string json_path = temp_dir_ + "/records.json";
  const std::string csv_path = temp_dir_ + "/records.csv";
  const std::string originals_dir = temp_dir_ + "/originals";
  auto converted = ConvertSpool(collection, json_path, csv_path, originals_dir, input_.keys);
  if (!converted.ok()) return converted.status().WithContext("bundle " + where);
  if (converted->lines != collection.records) {
    return Internal("bundle " + where + ": spool holds " + std::to_string(converted->lines) +
                    " records, expected " + std::to_string(collection.records));
  }
  records_ += converted->records;
  if (converted->records > 0) {
    AddFile(json_path, "sources/" + where + "/records.json", converted->json, zip);
    AddFile(csv_path, "sources/" + where + "/records.csv", converted->csv, zip);
  }
  for (auto& original : converted->originals) {
    AddFile(original.path, "sources/" + where + "/originals/" + original.name,
            std::move(original.digest), zip);
  }
  // Removed at once, so the temporary space is one collection, not the bundle.
  fs::remove(json_path);
  fs::remove(csv_path);
  std::error_code ignored;
  fs::remove_all(originals_dir, ignored);
  return Status::Ok();
}

void BundleBuild::AddFile(const std::string& disk_path, const std::string& entry, FileDigest digest,
                          Poco::Zip::Compress* zip) {
  auto opened = OpenInputFile(disk_path, input_.keys);
  if (!opened.ok()) throw Poco::OpenFileException(disk_path);
  std::istream& in = **opened;
  zip->addFile(in, entry_time_, Poco::Path(entry, Poco::Path::PATH_UNIX),
               Poco::Zip::ZipCommon::CM_DEFLATE, kCompressionLevel);
  manifest_.push_back({entry, digest.bytes, std::move(digest.sha256)});
}

void BundleBuild::AddText(const std::string& text, const std::string& entry,
                          Poco::Zip::Compress* zip) {
  std::istringstream in(text);
  zip->addFile(in, entry_time_, Poco::Path(entry, Poco::Path::PATH_UNIX),
               Poco::Zip::ZipCommon::CM_DEFLATE, kCompressionLevel);
  manifest_.push_back({entry, static_cast<int64_t>(text.size()), Sha256Hex(text)});
}

std::string BundleBuild::Manifest() const {
  nlohmann::ordered_json files = nlohmann::ordered_json::array();
  for (const auto& file : manifest_) {
    files.push_back({{"path", file.path}, {"bytes", file.bytes}, {"sha256", file.sha256}});
  }
  const nlohmann::ordered_json manifest = {{"request_id", input_.request_id},
                                           {"created", input_.answered_on.ToString()},
                                           {"files", files}};
  return manifest.dump(2, ' ', false) + "\n";
}

Result<BundleSummary> BundleBuild::Commit() {
  DSR_RETURN_IF_ERROR(Fsync(partial_path_, O_RDONLY));
  // Of the ZIP as it is downloaded (decrypted), read back once: this also
  // proves that the encrypted file reads whole.
  auto digest = PlainDigestOf(partial_path_, input_.keys);
  if (!digest.ok()) return digest.status();
  BundleSummary summary;
  summary.path = zip_path_;
  summary.sha256 = std::move(digest->second);
  summary.bytes = digest->first;
  // manifest_ ends with manifest.json itself, which the manifest cannot list.
  summary.files = static_cast<int64_t>(manifest_.size());
  summary.records = records_;
  if (::rename(partial_path_.c_str(), zip_path_.c_str()) != 0) {
    return Internal("cannot rename " + partial_path_ + " to " + zip_path_);
  }
  committed_ = true;
  // The rename is durable only once the directory entry is on disk.
  const fs::path dir = fs::path(zip_path_).parent_path();
  DSR_RETURN_IF_ERROR(Fsync(dir.empty() ? "." : dir.string(), O_RDONLY | O_DIRECTORY));
  return summary;
}

}  // namespace

int64_t RecordsToWrite(const CollectionInput& collection) {
  // Exact because BuildBundle refuses excluded lines outside 0..records-1 and
  // any spool whose line count or ambiguous lines disagree with the input.
  return collection.records - static_cast<int64_t>(collection.excluded_lines.size());
}

Result<BundleSummary> BuildBundle(const BundleInput& input, const std::string& zip_path) {
  DSR_RETURN_IF_ERROR(ValidateInput(input));
  Result<BundleSummary> result = Internal("bundle: not built");
  try {
    BundleBuild build(input, zip_path);
    result = build.Run();
  } catch (const Poco::Exception& e) {
    result = Internal("bundle " + zip_path + ": " + e.displayText());
  } catch (const std::exception& e) {
    result = Internal("bundle " + zip_path + ": " + e.what());
  }
  if (!result.ok()) return result.status().WithContext("request " + input.request_id);
  LogInfo("bundle", "request " + input.request_id + ": " + std::to_string(result->files) +
                        " files, " + std::to_string(result->records) + " records, " +
                        std::to_string(result->bytes) + " bytes");
  return result;
}

}  // namespace dsr::bundle
