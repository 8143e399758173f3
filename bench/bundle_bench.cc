// Bundle builder throughput against limits measured in the same run.
//
// Generates a JSON Lines spool of --mb megabytes (order-like records with
// umlauts, quotes and formula-like text), then measures on the same bytes:
//   copy     read the spool and write it to a new file, fsync (the disk)
//   deflate  Poco's DeflatingOutputStream at the bundle's zlib level 1
//   parse    nlohmann::ordered_json::parse of every line
//   bundle   dsr::bundle::BuildBundle
// and prints MB/s (10^6 bytes of spool per second) and each ratio bundle/limit.
// The bundle parses every record once but deflates records.json plus
// records.csv, more bytes than the spool, and hashes them; so its floor is
// "parse + deflate of what it writes", printed as the last ratio. Peak RSS
// before and after the build shows that memory does not grow with the input.
//
// Usage: dsr_bundle_bench [--mb N] [--dir PATH] [--incompressible] [--verify] [--keep]
//   --incompressible  adds random base64 to every record, so that a large run
//                     makes the ZIP itself exceed 4 GiB (ZIP64 offsets)
//   --verify          runs `unzip -t` and Poco's Decompress on the result
#include <Poco/DeflatingStream.h>
#include <Poco/Delegate.h>
#include <Poco/Exception.h>
#include <Poco/Path.h>
#include <Poco/Zip/Decompress.h>
#include <Poco/Zip/ZipArchive.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>
#include <zlib.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "coordinator/bundle/bundle.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct Options {
  int64_t megabytes = 400;  // about 20 s in all
  std::string dir = fs::temp_directory_path().string();
  bool incompressible = false;
  bool verify = false;
  bool keep = false;
};

// xorshift64*: fast and deterministic; the data only has to look varied.
class Random {
 public:
  uint64_t Next() {
    state_ ^= state_ >> 12;
    state_ ^= state_ << 25;
    state_ ^= state_ >> 27;
    return state_ * 0x2545F4914F6CDD1DULL;
  }
  size_t Below(size_t n) { return static_cast<size_t>(Next() % n); }

 private:
  uint64_t state_ = 0x9E3779B97F4A7C15ULL;
};

const char* const kFirst[] = {"Jürgen", "Anna", "Özlem", "Lukas", "Marie", "Søren", "Zoë", "Ali"};
const char* const kLast[] = {"Müller", "Schmidt", "Weiß", "Yılmaz", "Groß", "Kowalski", "Nguyen"};
const char* const kCity[] = {"München", "Köln", "Düsseldorf", "Berlin", "Görlitz", "Lübeck"};
const char* const kNote[] = {"",
                             "Bitte beim Nachbarn abgeben, Haus \\\"B\\\"",
                             "=HYPERLINK(1)",
                             "Rückruf erbeten\\nab 14 Uhr",
                             "+49 170 1234567",
                             "@home"};

template <size_t N>
const char* Pick(Random* random, const char* const (&items)[N]) {
  return items[random->Below(N)];
}

std::string RandomBase64(Random* random, size_t length) {
  static const char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out(length, 'A');
  for (auto& c : out) c = kAlphabet[random->Next() % 64];
  return out;
}

std::string Record(Random* random, int64_t id, bool incompressible) {
  char buffer[1024];
  const int length = std::snprintf(
      buffer, sizeof buffer,
      "{\"order_id\":%lld,\"customer\":\"%s %s\",\"email\":\"kunde%llu@example.de\","
      "\"city\":\"%s\",\"postcode\":\"%05llu\",\"total\":%lld.%02llu,\"currency\":\"EUR\","
      "\"items\":[{\"sku\":\"SKU-%04llu\",\"qty\":%llu}],\"note\":\"%s\"",
      static_cast<long long>(id), Pick(random, kFirst), Pick(random, kLast),
      static_cast<unsigned long long>(random->Next() % 100000), Pick(random, kCity),
      static_cast<unsigned long long>(random->Next() % 100000),
      static_cast<long long>(random->Below(2000)) - 500,
      static_cast<unsigned long long>(random->Next() % 100),
      static_cast<unsigned long long>(random->Next() % 10000),
      static_cast<unsigned long long>(1 + random->Next() % 5), Pick(random, kNote));
  std::string record(buffer, static_cast<size_t>(length));
  if (incompressible) record += ",\"token\":\"" + RandomBase64(random, 400) + "\"";
  return record + "}\n";
}

int64_t WriteSpool(const std::string& path, int64_t bytes, bool incompressible) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  Random random;
  int64_t written = 0, records = 0;
  while (written < bytes) {
    // Each line is an envelope as the coordinator spools it (schemas/wire/envelope.json).
    std::string record = Record(&random, records + 1, incompressible);
    record.pop_back();  // the newline
    record = "{\"key\":\"" + std::to_string(records + 1) +
             "\",\"match\":\"confirmed\",\"record\":" + record + "}\n";
    out << record;
    written += static_cast<int64_t>(record.size());
    ++records;
  }
  return records;
}

double Seconds(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

long PeakRssKb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

// Streams `path` in 1 MiB blocks into `sink`.
template <typename Sink>
void StreamFile(const std::string& path, Sink sink) {
  std::ifstream in(path, std::ios::binary);
  std::vector<char> buffer(1 << 20);
  while (in.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) || in.gcount() > 0) {
    sink(buffer.data(), static_cast<size_t>(in.gcount()));
  }
}

double CopySeconds(const std::string& spool, const std::string& copy) {
  const auto start = Clock::now();
  const int fd = ::open(copy.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  StreamFile(spool, [fd](const char* data, size_t size) {
    if (::write(fd, data, size) != static_cast<ssize_t>(size)) std::perror("write");
  });
  ::fsync(fd);
  ::close(fd);
  const double seconds = Seconds(start);
  fs::remove(copy);
  return seconds;
}

double DeflateSeconds(const std::string& spool) {
  const auto start = Clock::now();
  std::ofstream sink("/dev/null", std::ios::binary);
  Poco::DeflatingOutputStream deflate(sink, Poco::DeflatingStreamBuf::STREAM_ZLIB, Z_BEST_SPEED);
  StreamFile(spool, [&deflate](const char* data, size_t size) {
    deflate.write(data, static_cast<std::streamsize>(size));
  });
  deflate.close();
  return Seconds(start);
}

double ParseSeconds(const std::string& spool) {
  const auto start = Clock::now();
  std::ifstream in(spool, std::ios::binary);
  std::string line;
  size_t keys = 0;
  while (std::getline(in, line)) keys += nlohmann::ordered_json::parse(line).size();
  const double seconds = Seconds(start);
  if (keys == 0) std::printf("(no records parsed)\n");
  return seconds;
}

struct DecompressErrors {
  int count = 0;
  void OnError(const void*, std::pair<const Poco::Zip::ZipLocalFileHeader, const std::string>& e) {
    std::printf("Poco Decompress error: %s\n", e.second.c_str());
    ++count;
  }
};

// Sum of the uncompressed sizes of the ZIP's entries, from its directory.
double UncompressedMb(const std::string& zip) {
  std::ifstream in(zip, std::ios::binary);
  const Poco::Zip::ZipArchive archive(in);
  double bytes = 0;
  for (auto it = archive.fileInfoBegin(); it != archive.fileInfoEnd(); ++it) {
    bytes += static_cast<double>(it->second.getUncompressedSize());
  }
  return bytes / 1e6;
}

void Verify(const std::string& zip, const std::string& work) {
  std::fflush(stdout);
  const int unzip = std::system(("unzip -tq '" + zip + "'").c_str());
  std::printf("unzip -t: %s\n", unzip == 0 ? "ok" : "FAILED");
  DecompressErrors errors;
  {
    std::ifstream in(zip, std::ios::binary);
    Poco::Zip::Decompress decompress(in, Poco::Path(work + "/extracted/"));
    decompress.EError += Poco::delegate(&errors, &DecompressErrors::OnError);
    decompress.decompressAllFiles();
    decompress.EError -= Poco::delegate(&errors, &DecompressErrors::OnError);
  }
  fs::remove_all(work + "/extracted");
  std::printf("Poco Decompress: %s\n", errors.count == 0 ? "ok" : "FAILED");
}

bool ParseOptions(int argc, char** argv, Options* options) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--mb" && i + 1 < argc) {
      options->megabytes = std::atoll(argv[++i]);
    } else if (arg == "--dir" && i + 1 < argc) {
      options->dir = argv[++i];
    } else if (arg == "--incompressible") {
      options->incompressible = true;
    } else if (arg == "--verify") {
      options->verify = true;
    } else if (arg == "--keep") {
      options->keep = true;
    } else {
      return false;
    }
  }
  return options->megabytes > 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!ParseOptions(argc, argv, &options)) {
    std::fprintf(stderr, "usage: %s [--mb N] [--dir PATH] [--incompressible] [--verify] [--keep]\n",
                 argv[0]);
    return 2;
  }
  std::string work = options.dir + "/dsr-bundle-bench-XXXXXX";
  if (::mkdtemp(work.data()) == nullptr) {
    std::perror("mkdtemp");
    return 1;
  }
  const std::string spool = work + "/orders.jsonl";
  const int64_t records = WriteSpool(spool, options.megabytes * 1000000, options.incompressible);
  const double mb = static_cast<double>(fs::file_size(spool)) / 1e6;
  std::printf("spool: %.0f MB, %lld records%s, in %s\n", mb, static_cast<long long>(records),
              options.incompressible ? " (incompressible)" : "", work.c_str());

  const long rss_before = PeakRssKb();
  const double copy = mb / CopySeconds(spool, work + "/copy.bin");
  const double deflate = mb / DeflateSeconds(spool);
  const double parse = mb / ParseSeconds(spool);

  dsr::bundle::BundleInput input;
  input.request_id = "bench";
  input.answered_on = dsr::CivilDate(2025, 3, 20);
  input.letter_html = "<!DOCTYPE html><html><body><p>Benchmark</p></body></html>";
  dsr::bundle::SourceInput shop;
  shop.name = "shop";
  shop.collections.push_back({"orders", spool, records});
  input.sources.push_back(std::move(shop));
  const std::string zip = work + "/bundle.zip";
  const auto start = Clock::now();
  const auto summary = dsr::bundle::BuildBundle(input, zip);
  const double seconds = Seconds(start);
  if (!summary.ok()) {
    std::fprintf(stderr, "bundle failed: %s\n", summary.status().ToString().c_str());
    fs::remove_all(work);
    return 1;
  }
  const double bundle = mb / seconds;
  const long rss_after = PeakRssKb();

  const double written = UncompressedMb(zip);
  const double floor = mb / (mb / parse + written / deflate);
  std::printf("copy to disk    %8.1f MB/s\n", copy);
  std::printf("deflate (zlib1) %8.1f MB/s\n", deflate);
  std::printf("JSON parse      %8.1f MB/s\n", parse);
  std::printf(
      "bundle          %8.1f MB/s  (%.1f s; deflated %.0f MB = %.2fx the spool into a "
      "ZIP of %.0f MB)\n",
      bundle, seconds, written, written / mb, static_cast<double>(summary->bytes) / 1e6);
  std::printf("bundle / copy          %.3f\n", bundle / copy);
  std::printf("bundle / deflate       %.3f\n", bundle / deflate);
  std::printf("bundle / parse         %.3f\n", bundle / parse);
  std::printf(
      "bundle / parse+deflate %.3f  (floor %.1f MB/s: parse the spool once, deflate "
      "what the bundle holds)\n",
      bundle / floor, floor);
  std::printf("peak RSS before build %ld KB, after build %ld KB (+%ld KB)\n", rss_before, rss_after,
              rss_after - rss_before);
  if (options.verify) Verify(zip, work);
  if (options.keep) {
    std::printf("kept %s\n", work.c_str());
  } else {
    fs::remove_all(work);
  }
  return 0;
}
