// dsr-sample-crm: creates the sample CRM database (see sample_crm.h) and,
// from the same customers, the other sample sources: a support mailbox
// (Maildir), the ticket system's data (for dsr-zendesk-standin) and a folder
// of spreadsheets, an address book and chat logs. Prints customers worth
// trying, one "SAMPLE key=value ..." line each.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "tools/sample-crm/sample_crm.h"
#include "tools/sample-crm/sample_files.h"
#include "tools/sample-crm/sample_mailbox.h"
#include "tools/sample-crm/sample_tickets.h"

namespace {

constexpr char kUsage[] =
    "usage: dsr-sample-crm --out FILE.db [--customers N (default 2000)] [--seed S (default 1)]\n"
    "                      [--mailbox DIR] [--tickets FILE.json] [--files DIR] [--force]\n"
    "  --mailbox DIR        also write the support mailbox as a Maildir\n"
    "  --tickets FILE.json  also write the ticket system's data (dsr-zendesk-standin --data)\n"
    "  --files DIR          also write spreadsheets, an address book and chat logs\n";

// The other sample sources, written from the same customers as the CRM.
struct OtherSources {
  std::string mailbox;
  std::string tickets;
  std::string files;
};

bool ParseNumber(const char* text, unsigned long long* number) {
  char* end = nullptr;
  errno = 0;
  *number = std::strtoull(text, &end, 10);
  return errno == 0 && end != text && *end == '\0' && text[0] != '-';
}

// Returns false (after printing why) when the arguments are not usable.
bool ParseArguments(int argc, char** argv, dsr::sample_crm::SampleCrmOptions* options,
                    OtherSources* other) {
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    const bool has_value = i + 1 < argc;
    unsigned long long number = 0;
    if (flag == "--force") {
      options->replace_existing = true;
    } else if (flag == "--out" && has_value) {
      options->path = argv[++i];
    } else if (flag == "--mailbox" && has_value) {
      other->mailbox = argv[++i];
    } else if (flag == "--tickets" && has_value) {
      other->tickets = argv[++i];
    } else if (flag == "--files" && has_value) {
      other->files = argv[++i];
    } else if (flag == "--customers" && has_value && ParseNumber(argv[++i], &number) &&
               number <= 1000000) {
      options->customers = static_cast<int>(number);
    } else if (flag == "--seed" && has_value && ParseNumber(argv[++i], &number)) {
      options->seed = number;
    } else {
      std::fprintf(stderr, "dsr-sample-crm: bad argument '%s'\n%s", flag.c_str(), kUsage);
      return false;
    }
  }
  if (options->path.empty()) {
    std::fprintf(stderr, "dsr-sample-crm: --out is required\n%s", kUsage);
    return false;
  }
  return true;
}

// Writes the sources asked for, each printed as "CREATED <path>".
bool WriteOtherSources(const dsr::sample_crm::SampleCrmOptions& options,
                       const OtherSources& other) {
  using dsr::sample_crm::SampleCrmData;
  const SampleCrmData data = dsr::sample_crm::GenerateSampleCrm(options.customers, options.seed);
  const std::pair<const std::string*,
                  dsr::Status (*)(const SampleCrmData&, const std::string&, uint64_t)>
      writers[] = {{&other.mailbox, dsr::sample_crm::WriteSampleMailbox},
                   {&other.tickets, dsr::sample_crm::WriteSampleTickets},
                   {&other.files, dsr::sample_crm::WriteSampleFiles}};
  for (const auto& [path, write] : writers) {
    if (path->empty()) continue;
    const dsr::Status written = write(data, *path, options.seed);
    if (!written.ok()) {
      std::fprintf(stderr, "dsr-sample-crm: %s: %s\n", path->c_str(), written.ToString().c_str());
      return false;
    }
    std::printf("CREATED %s\n", path->c_str());
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 2 && (std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0)) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  dsr::sample_crm::SampleCrmOptions options;
  OtherSources other;
  if (!ParseArguments(argc, argv, &options, &other)) return 2;
  auto summary = dsr::sample_crm::CreateSampleCrm(options);
  if (!summary.ok()) {
    std::fprintf(stderr, "dsr-sample-crm: %s\n", summary.status().ToString().c_str());
    return 1;
  }
  std::printf("CREATED %s seed=%llu", options.path.c_str(),
              static_cast<unsigned long long>(options.seed));
  for (const auto& [table, rows] : summary->rows_per_table) {
    std::printf(" %s=%lld", table.c_str(), static_cast<long long>(rows));
  }
  std::printf("\n");
  if (!WriteOtherSources(options, other)) return 1;
  // Fictitious people; values with spaces are quoted so scripts can cut them out.
  for (const auto& sample : summary->samples) {
    std::printf("SAMPLE customer_id=%s email=%s phone=\"%s\" name=\"%s\" case=%s\n",
                sample.customer_number.c_str(), sample.email.c_str(), sample.phone.c_str(),
                sample.name.c_str(), sample.reason.c_str());
  }
  return 0;
}
