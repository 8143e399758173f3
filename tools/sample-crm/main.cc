// dsr-sample-crm: creates the sample CRM database (see sample_crm.h) and
// prints customers worth trying, one "SAMPLE key=value ..." line each.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "tools/sample-crm/sample_crm.h"

namespace {

constexpr char kUsage[] =
    "usage: dsr-sample-crm --out FILE.db [--customers N (default 2000)] [--seed S (default 1)] "
    "[--force]\n";

bool ParseNumber(const char* text, unsigned long long* number) {
  char* end = nullptr;
  errno = 0;
  *number = std::strtoull(text, &end, 10);
  return errno == 0 && end != text && *end == '\0' && text[0] != '-';
}

// Returns false (after printing why) when the arguments are not usable.
bool ParseArguments(int argc, char** argv, dsr::sample_crm::SampleCrmOptions* options) {
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    const bool has_value = i + 1 < argc;
    unsigned long long number = 0;
    if (flag == "--force") {
      options->replace_existing = true;
    } else if (flag == "--out" && has_value) {
      options->path = argv[++i];
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

}  // namespace

int main(int argc, char** argv) {
  if (argc == 2 && (std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0)) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  dsr::sample_crm::SampleCrmOptions options;
  if (!ParseArguments(argc, argv, &options)) return 2;
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
  // Fictitious people; values with spaces are quoted so scripts can cut them out.
  for (const auto& sample : summary->samples) {
    std::printf("SAMPLE customer_id=%s email=%s phone=\"%s\" name=\"%s\" case=%s\n",
                sample.customer_number.c_str(), sample.email.c_str(), sample.phone.c_str(),
                sample.name.c_str(), sample.reason.c_str());
  }
  return 0;
}
