// Helpers for the bundle tests: a temporary directory, small file I/O and
// extraction of a ZIP with Poco's Decompress.
#pragma once

#include <Poco/Delegate.h>
#include <Poco/Path.h>
#include <Poco/Zip/Decompress.h>
#include <Poco/Zip/ZipLocalFileHeader.h>
#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace dsr::bundle::testing {

namespace fs = std::filesystem;

// A fresh directory under the system's temporary directory, removed with
// everything in it when the object goes.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "dsr-bundle-test-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data()) ? pattern : "";
  }
  ~TempDir() {
    std::error_code ignored;
    if (!path_.empty()) fs::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

inline void WriteText(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

inline std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Names of everything directly in `dir`.
inline std::set<std::string> ListDir(const std::string& dir) {
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.insert(entry.path().filename());
  return names;
}

// Every regular file under `dir`, as paths relative to it with '/'.
inline std::set<std::string> ListFilesRecursively(const std::string& dir) {
  std::set<std::string> names;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) names.insert(fs::relative(entry.path(), dir).generic_string());
  }
  return names;
}

// Extracts `zip_path` into `out_dir` with Poco; returns the number of entries
// Poco reported as broken (CRC, size or parse errors).
class Extraction {
 public:
  Extraction(const std::string& zip_path, const std::string& out_dir) {
    std::ifstream in(zip_path, std::ios::binary);
    Poco::Zip::Decompress decompress(in, Poco::Path(out_dir));
    decompress.EError += Poco::delegate(this, &Extraction::OnError);
    decompress.decompressAllFiles();
    decompress.EError -= Poco::delegate(this, &Extraction::OnError);
  }
  int errors() const { return errors_; }

 private:
  void OnError(const void*, std::pair<const Poco::Zip::ZipLocalFileHeader, const std::string>&) {
    ++errors_;
  }
  int errors_ = 0;
};

// One spool line: `record` (a JSON object's text) in the coordinator's
// record envelope, without the line break.
inline std::string Envelope(const std::string& record, const std::string& match = "confirmed") {
  const std::string ambiguity = match == "ambiguous" ? "matches phone; email differs" : "";
  return R"({"key":null,"match":")" + match + R"(","ambiguity":")" + ambiguity + R"(","record":)" +
         record + "}";
}

// Spool text: one confirmed envelope per record, each line ended.
inline std::string Spool(const std::vector<std::string>& records) {
  std::string text;
  for (const auto& record : records) text += Envelope(record) + "\n";
  return text;
}

// True when Info-ZIP's unzip is installed.
inline bool HaveUnzip() {
  return std::system("command -v unzip >/dev/null 2>&1") == 0;
}

// `unzip -t`: tests every entry's CRC with an independent implementation.
inline bool UnzipAccepts(const std::string& zip_path) {
  return std::system(("unzip -tq '" + zip_path + "' >/dev/null 2>&1").c_str()) == 0;
}

}  // namespace dsr::bundle::testing
