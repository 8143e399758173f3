// Memory of a large export against a fixed limit: a mailbox of about 2 GB for
// one data subject, exported end to end by the real processes.
//
// Writes a Maildir of messages with 20 MB attachments (every fifth message
// 25 MB) from the subject, starts the real dsr-coordinator (SQLite store) and
// one dsr-worker (mail connector) on loopback, files an access request over
// HTTP, confirms the identity and approves until the bundle is sealed. Then it
// reads the peak resident memory (VmHWM) of both processes while they still
// run and prints it against the limit of 100 MB each:
//   ratio = peak RSS / 100 MB (must stay below 1.0)
// and checks that the bundle holds every message byte for byte: the
// manifest's SHA-256 of each original equals that of the message written, and
// each ZIP entry hashes to what the manifest says. Exits non-zero when a limit
// is exceeded or a message is missing or different.
//
// Usage: dsr_large_export_bench [--size-mb N]   (default 2048; 100 for a quick run)
#include <Poco/Zip/ZipArchive.h>
#include <Poco/Zip/ZipStream.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "common/base64.h"
#include "common/digest.h"
#include "tests/e2e/cluster.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr double kLimitMb = 100.0;
constexpr int64_t kMb = 1000 * 1000;
constexpr const char* kSubject = "grosse.post@example.org";

struct Options {
  int64_t size_mb = 2048;
};

bool ParseOptions(int argc, char** argv, Options* options) {
  for (int i = 1; i < argc; i += 2) {
    const std::string name = argv[i];
    if (name != "--size-mb" || i + 1 >= argc) return false;
    options->size_mb = std::atoll(argv[i + 1]);
  }
  return options->size_mb >= 20 && options->size_mb <= 100 * 1000;
}

double Seconds(Clock::duration duration) {
  return std::chrono::duration<double>(duration).count();
}

// Pseudo-random bytes (xorshift): an attachment that does not compress away.
class Noise {
 public:
  explicit Noise(uint64_t seed) : state_(seed * 0x9E3779B97F4A7C15ull + 1) {}
  void Fill(std::string* bytes) {
    for (size_t i = 0; i < bytes->size(); i += 8) {
      state_ ^= state_ << 13;
      state_ ^= state_ >> 7;
      state_ ^= state_ << 17;
      for (size_t b = 0; b < 8 && i + b < bytes->size(); ++b) {
        (*bytes)[i + b] = static_cast<char>(state_ >> (8 * b));
      }
    }
  }

 private:
  uint64_t state_;
};

// One message from the subject with an attachment of about `attachment`
// bytes, as MIME with base64 lines of 76 characters.
std::string RenderMessage(int number, int64_t attachment, Noise* noise) {
  std::string message = "From: Grosse Post <" + std::string(kSubject) +
                        ">\r\n"
                        "To: Kundendienst <support@example.com>\r\n"
                        "Subject: Unterlagen Teil " +
                        std::to_string(number) +
                        "\r\n"
                        "Date: Mon, 2 Nov 2026 10:" +
                        std::to_string(10 + number % 50) +
                        ":00 +0100\r\n"
                        "Message-ID: <bench-" +
                        std::to_string(number) +
                        "@example.org>\r\n"
                        "MIME-Version: 1.0\r\n"
                        "Content-Type: multipart/mixed; boundary=\"grenze\"\r\n\r\n"
                        "--grenze\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
                        "Anbei die Unterlagen, Teil " +
                        std::to_string(number) +
                        ".\r\n"
                        "--grenze\r\nContent-Type: application/octet-stream; name=\"teil.bin\"\r\n"
                        "Content-Disposition: attachment; filename=\"teil.bin\"\r\n"
                        "Content-Transfer-Encoding: base64\r\n\r\n";
  std::string raw(static_cast<size_t>(attachment / 4 * 3), '\0');
  noise->Fill(&raw);
  const std::string encoded = dsr::EncodeBase64(raw);
  message.reserve(message.size() + encoded.size() + encoded.size() / 38 + 32);
  for (size_t at = 0; at < encoded.size(); at += 76) {
    message.append(encoded, at, 76);
    message += "\r\n";
  }
  message += "--grenze--\r\n";
  return message;
}

struct Written {
  int64_t bytes = 0;
  std::map<std::string, std::string> sha256_by_original;  // bundle file name → digest
};

// A Maildir of about `total` bytes, all in INBOX (Sent is there but empty);
// one message in memory at a time.
bool WriteMailbox(const std::string& root, int64_t total, Written* written) {
  for (const fs::path& folder : {fs::path(root), fs::path(root) / ".Sent"}) {
    for (const char* sub : {"cur", "new", "tmp"}) fs::create_directories(folder / sub);
  }
  std::ofstream(fs::path(root) / ".Sent" / "maildirfolder").close();
  Noise noise(42);
  for (int number = 1; written->bytes < total; ++number) {
    const int64_t attachment = number % 5 == 0 ? 25 * kMb : 20 * kMb;
    const std::string message = RenderMessage(number, attachment, &noise);
    // The key (the name before ":2,") becomes the original's name: key + ".eml".
    const std::string key =
        std::to_string(1793000000 + number) + ".M" + std::to_string(number) + "P1.bench";
    const fs::path staged = fs::path(root) / "tmp" / key;
    std::ofstream out(staged, std::ios::binary);
    out.write(message.data(), static_cast<std::streamsize>(message.size()));
    out.close();
    if (!out) return false;
    fs::rename(staged, fs::path(root) / "cur" / (key + ":2,S"));
    written->bytes += static_cast<int64_t>(message.size());
    written->sha256_by_original[key + ".eml"] = dsr::Sha256Hex(message);
  }
  return true;
}

// The child of this process running `program`, found by its executable.
pid_t ChildRunning(const std::string& program) {
  const pid_t self = ::getpid();
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream stat(entry.path() / "stat");
    std::string line;
    if (!std::getline(stat, line)) continue;
    // pid (comm) state ppid …; comm may hold spaces, so read after the last ')'.
    const size_t close = line.rfind(')');
    if (close == std::string::npos) continue;
    char state = 0;
    int ppid = 0;
    if (std::sscanf(line.c_str() + close + 1, " %c %d", &state, &ppid) != 2) continue;
    if (ppid != self) continue;
    std::error_code error;
    const fs::path exe = fs::read_symlink(entry.path() / "exe", error);
    if (!error && exe.filename() == program) return static_cast<pid_t>(std::atoi(name.c_str()));
  }
  return -1;
}

// VmHWM (peak resident set) of `pid` in MB, or -1.
double PeakRssMb(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::atof(line.c_str() + 6) * 1024.0 / kMb;  // kB
  }
  return -1;
}

// The request's status, or "task failed" once one of its tasks has.
std::string RequestStatus(const dsr::testing::Cluster& cluster, const std::string& id) {
  const auto answer = cluster.Call("GET", "/api/v1/requests/" + id);
  if (answer.status != 200) return "";
  const auto request = nlohmann::json::parse(answer.body);
  for (const auto& task : request.value("tasks", nlohmann::json::array())) {
    if (task.value("status", "") == "failed") return "task failed";
  }
  return request.value("status", "");
}

// Polls until the request is in `status` or `limit` has passed.
bool WaitForStatus(const dsr::testing::Cluster& cluster, const std::string& id,
                   const std::string& status, std::chrono::minutes limit) {
  const auto give_up = Clock::now() + limit;
  while (Clock::now() < give_up) {
    const std::string now = RequestStatus(cluster, id);
    if (now == status) return true;
    if (now == "completed" || now == "rejected" || now == "cancelled" || now == "task failed") {
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return false;
}

// Reads the manifest and hashes every ZIP entry it lists as it inflates
// (nothing unpacked to disk). Counts the originals that match what was written.
struct BundleCheck {
  int64_t originals_equal = 0;
  int64_t problems = 0;
  int64_t bundle_bytes = 0;
};

BundleCheck CheckBundle(const std::string& zip_path, const Written& written) {
  BundleCheck check;
  check.bundle_bytes = static_cast<int64_t>(fs::file_size(zip_path));
  std::ifstream in(zip_path, std::ios::binary);
  Poco::Zip::ZipArchive archive(in);
  auto read_entry = [&](const Poco::Zip::ZipLocalFileHeader& header, dsr::Sha256* hash,
                        std::string* text) {
    in.clear();
    Poco::Zip::ZipInputStream entry(in, header);
    std::string block(1 << 20, '\0');
    while (entry) {
      entry.read(block.data(), static_cast<std::streamsize>(block.size()));
      const auto got = static_cast<size_t>(entry.gcount());
      if (got == 0) break;
      if (hash) hash->Update(std::string_view(block.data(), got));
      if (text) text->append(block.data(), got);
    }
  };
  const auto manifest_entry = archive.findHeader("manifest.json");
  if (manifest_entry == archive.headerEnd()) {
    std::fprintf(stderr, "bundle has no manifest.json\n");
    ++check.problems;
    return check;
  }
  std::string manifest_text;
  read_entry(manifest_entry->second, nullptr, &manifest_text);
  const auto manifest = nlohmann::json::parse(manifest_text);
  std::map<std::string, std::string> manifest_sha;  // original name → digest
  for (const auto& file : manifest.at("files")) {
    const std::string path = file.at("path");
    const auto header = archive.findHeader(path);
    if (header == archive.headerEnd()) {
      std::fprintf(stderr, "manifest lists %s, the ZIP does not hold it\n", path.c_str());
      ++check.problems;
      continue;
    }
    dsr::Sha256 hash;
    read_entry(header->second, &hash, nullptr);
    if (hash.HexDigest() != file.at("sha256")) {
      std::fprintf(stderr, "%s does not hash to its manifest entry\n", path.c_str());
      ++check.problems;
    }
    const std::string prefix = "sources/mail/INBOX/originals/";
    if (path.rfind(prefix, 0) == 0) manifest_sha[path.substr(prefix.size())] = file.at("sha256");
  }
  for (const auto& [name, sha256] : written.sha256_by_original) {
    const auto found = manifest_sha.find(name);
    if (found != manifest_sha.end() && found->second == sha256) {
      ++check.originals_equal;
    } else {
      std::fprintf(stderr, "message %s is %s in the bundle\n", name.c_str(),
                   found == manifest_sha.end() ? "missing" : "different");
      ++check.problems;
    }
  }
  if (manifest_sha.size() != written.sha256_by_original.size()) ++check.problems;
  return check;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!ParseOptions(argc, argv, &options)) {
    std::fprintf(stderr, "usage: dsr_large_export_bench [--size-mb 20..100000]\n");
    return 2;
  }
  dsr::testing::Cluster cluster;  // its folder (mailbox, store, spool, bundle) goes with it
  Written written;
  const auto generating = Clock::now();
  if (!WriteMailbox(cluster.mailbox_path(), options.size_mb * kMb, &written)) {
    std::fprintf(stderr, "could not write the mailbox\n");
    return 1;
  }
  std::printf("mailbox             %zu messages, %.0f MB, written in %.1f s\n",
              written.sha256_by_original.size(), static_cast<double>(written.bytes) / kMb,
              Seconds(Clock::now() - generating));
  std::fflush(stdout);
  if (!cluster.StartCoordinator({"mail"}) || !cluster.StartWorker("mail-1", "mail")) {
    std::fprintf(stderr, "could not start the coordinator and the worker\n");
    return 1;
  }
  const pid_t coordinator = ChildRunning("dsr-coordinator");
  const pid_t worker = ChildRunning("dsr-worker");
  if (coordinator < 0 || worker < 0) {
    std::fprintf(stderr, "could not find the coordinator's and the worker's processes\n");
    return 1;
  }

  const auto start = Clock::now();
  const auto request = cluster.SubmitAccess({{"email", kSubject}});
  if (!request.is_object()) {
    std::fprintf(stderr, "could not file the access request\n");
    return 1;
  }
  const std::string id = request.at("id").get<std::string>();
  const auto limit = std::chrono::minutes(10 + options.size_mb / 50);
  if (!WaitForStatus(cluster, id, "in_review", limit)) {
    std::fprintf(stderr, "the export did not reach review (status %s)\n",
                 RequestStatus(cluster, id).c_str());
    return 1;
  }
  const auto exported = Clock::now();
  const auto approved = cluster.Act(id, "approve");
  if (approved.status != 200) {
    std::fprintf(stderr, "approve answered %d: %s\n", approved.status, approved.body.c_str());
    return 1;
  }
  if (!WaitForStatus(cluster, id, "completed", limit)) {
    std::fprintf(stderr, "the bundle was not sealed (status %s)\n",
                 RequestStatus(cluster, id).c_str());
    return 1;
  }
  const auto sealed = Clock::now();
  // The bundle is encrypted at rest: fetch it as an agent would, so that the
  // coordinator's peak below includes streaming it out decrypted.
  const std::string zip_path = cluster.dir().File("bundle.zip");
  const std::string fetch = dsr::testing::BinDir() + "/dsrctl bundle " + id + " --out " + zip_path +
                            " --url " + cluster.url() + " --ca-file " + cluster.ca_file() +
                            " --token-file " + cluster.token_file("agent") + " > /dev/null";
  if (std::system(fetch.c_str()) != 0) {
    std::fprintf(stderr, "dsrctl bundle could not fetch the bundle\n");
    return 1;
  }
  // Read while both processes still run: VmHWM goes with the process.
  const double coordinator_mb = PeakRssMb(coordinator);
  const double worker_mb = PeakRssMb(worker);

  const BundleCheck check = CheckBundle(zip_path, written);
  const double size_mb = static_cast<double>(written.bytes) / kMb;
  const double total_s = Seconds(sealed - start);
  std::printf("export size         %.0f MB in %zu messages (bundle %.0f MB)\n", size_mb,
              written.sha256_by_original.size(), static_cast<double>(check.bundle_bytes) / kMb);
  std::printf("time                %.1f s (export %.1f s, bundle %.1f s)\n", total_s,
              Seconds(exported - start), Seconds(sealed - exported));
  std::printf("throughput          %.1f MB/s end to end, %.1f MB/s export\n", size_mb / total_s,
              size_mb / Seconds(exported - start));
  std::printf("coordinator peak    %.1f MB RSS, ratio %.2f of the %.0f MB limit\n", coordinator_mb,
              coordinator_mb / kLimitMb, kLimitMb);
  std::printf("worker peak         %.1f MB RSS, ratio %.2f of the %.0f MB limit\n", worker_mb,
              worker_mb / kLimitMb, kLimitMb);
  std::printf("bundle check        %lld of %zu messages byte-equal (SHA-256), %lld problems\n",
              static_cast<long long>(check.originals_equal), written.sha256_by_original.size(),
              static_cast<long long>(check.problems));
  const bool within =
      coordinator_mb > 0 && worker_mb > 0 && coordinator_mb < kLimitMb && worker_mb < kLimitMb;
  if (!within) std::printf("FAILED: a process exceeded the memory limit\n");
  if (check.problems > 0)
    std::printf("FAILED: the bundle does not hold every message as written\n");
  return within && check.problems == 0 ? 0 : 1;
}
