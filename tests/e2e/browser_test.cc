// End-to-end in a real browser: the coordinator and the CRM worker as real
// processes, and the web interface driven in headless Chromium by the
// scenarios in tests/browser (node --test with playwright-core). The
// screenshots the scenarios take stay in DSR_ARTIFACT_DIR after the test.
#include <doctest/doctest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/e2e/cluster.h"

namespace dsr::testing {
namespace {

constexpr const char* kChromium = "/usr/bin/chromium";

bool CommandExists(const std::string& name) {
  return std::system(("command -v " + name + " >/dev/null 2>&1").c_str()) == 0;
}

// Where the screenshots go: DSR_ARTIFACT_DIR when CTest sets it, else
// artifacts/screenshots in the build folder.
std::string ArtifactDir() {
  const char* set = std::getenv("DSR_ARTIFACT_DIR");
  if (set != nullptr && *set != '\0') return set;
  return std::filesystem::path(BinDir()).parent_path().string() + "/artifacts/screenshots";
}

}  // namespace

TEST_SUITE("Browser") {
  TEST_CASE("the web interface works in a real browser for the agent and the DPO") {
    // CI installs all of these (deploy/setup.sh): their absence is a failure.
    const std::string browser_tests = SourceDir() + "/tests/browser";
    REQUIRE_MESSAGE(std::filesystem::exists(kChromium),
                    "Chromium is missing at /usr/bin/chromium: run deploy/setup.sh as root");
    REQUIRE_MESSAGE(CommandExists("node"), "node is missing: run deploy/setup.sh as root");
    REQUIRE_MESSAGE(std::filesystem::exists(browser_tests + "/node_modules/playwright-core"),
                    "playwright-core is not installed in tests/browser: run deploy/setup.sh");

    Cluster cluster;
    const auto samples = ParseSamples(cluster.GenerateCrm(400));
    const Sample subject = SampleOfKind(samples, "typical");
    REQUIRE(cluster.StartCoordinator());
    REQUIRE(cluster.StartWorker("crm-1"));

    const std::string artifacts = ArtifactDir();
    std::filesystem::create_directories(artifacts);
    // The cluster's test users sign in with their password, as people do.
    const std::pair<const char*, std::string> environment[] = {
        {"DSR_URL", cluster.url()},
        {"DSR_CA_FILE", cluster.ca_file()},
        {"DSR_AGENT_USER", cluster.user_of("agent")},
        {"DSR_AGENT_PASSWORD", Cluster::password()},
        {"DSR_DPO_USER", cluster.user_of("dpo")},
        {"DSR_DPO_PASSWORD", Cluster::password()},
        {"DSR_AUDITOR_USER", cluster.user_of("auditor")},
        {"DSR_AUDITOR_PASSWORD", Cluster::password()},
        {"DSR_ADMIN_USER", cluster.user_of("admin")},
        {"DSR_ADMIN_PASSWORD", Cluster::password()},
        {"DSR_SUBJECT_EMAIL", subject.email},
        {"DSR_ARTIFACT_DIR", artifacts},
    };
    for (const auto& [name, value] : environment) REQUIRE(setenv(name, value.c_str(), 1) == 0);

    // Every scenario file by name (node's directory search differs between
    // versions), one at a time; node's output goes straight to this test's
    // output, so CTest shows each scenario's result.
    // DSR_BROWSER_SCENARIOS=WORD runs only the files whose name holds WORD.
    const char* only = std::getenv("DSR_BROWSER_SCENARIOS");
    std::vector<std::string> scenarios;
    for (const auto& entry : std::filesystem::directory_iterator(browser_tests)) {
      const std::string name = entry.path().filename().string();
      if (only != nullptr && name.find(only) == std::string::npos) continue;
      if (name.size() > 8 && name.compare(name.size() - 8, 8, ".test.js") == 0) {
        scenarios.push_back(entry.path().string());
      }
    }
    std::sort(scenarios.begin(), scenarios.end());
    REQUIRE_FALSE(scenarios.empty());
    std::string command = "node --test --test-concurrency=1 --test-reporter=spec";
    for (const auto& scenario : scenarios) command += " '" + scenario + "'";
    command += " < /dev/null 2>&1";
    MESSAGE("running " << command << "; screenshots in " << artifacts);
    const int status = std::system(command.c_str());
    REQUIRE(WIFEXITED(status));
    if (WEXITSTATUS(status) != 0) {
      const std::string log = ReadFile(cluster.coordinator_log());
      MESSAGE("the coordinator's log ends with:\n"
              << log.substr(log.size() > 4000 ? log.size() - 4000 : 0));
    }
    CHECK_MESSAGE(WEXITSTATUS(status) == 0, "a browser scenario failed: node's output is above");
  }
}

}  // namespace dsr::testing
