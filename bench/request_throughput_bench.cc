// End-to-end throughput of access requests against the store's durable
// commit rate, measured in the same run on the same disk.
//
// Starts the real dsr-coordinator and --workers dsr-worker processes on the
// sample CRM, files --requests access requests for existing customers from
// --clients HTTP client threads, and waits until all are completed (each
// exports a customer's ~30 rows and gets a ZIP bundle).
// The limit: the coordinator makes 5 durable write transactions per request
// (submit, dispatch, start, result, completion), each an fsync in SQLite's
// WAL with synchronous=FULL. The bench measures how many such single-row
// transactions per second this disk allows and prints
//   ratio = requests/s × 5 / commits/s
// (1.0 would mean the engine does nothing but wait for the disk).
//
// Usage: dsr_request_throughput_bench [--requests N] [--workers N] [--clients N]
#include <soci/soci.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "tests/e2e/cluster.h"

namespace {

using Clock = std::chrono::steady_clock;
constexpr int kTransactionsPerRequest = 5;

struct Options {
  int requests = 400;
  int workers = 2;
  int clients = 4;
};

Options ParseOptions(int argc, char** argv) {
  Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string name = argv[i];
    const int value = std::atoi(argv[i + 1]);
    if (name == "--requests") options.requests = value;
    if (name == "--workers") options.workers = value;
    if (name == "--clients") options.clients = value;
  }
  return options;
}

double Seconds(Clock::duration duration) {
  return std::chrono::duration<double>(duration).count();
}

// Single-row durable transactions per second with the store's own settings.
double MeasureCommitRate(const std::string& path, int transactions) {
  soci::session sql("sqlite3", "db=" + path + " timeout=5");
  sql << "PRAGMA journal_mode=WAL";
  sql << "PRAGMA synchronous=FULL";
  sql << "CREATE TABLE t (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)";
  const std::string payload(300, 'x');
  const auto start = Clock::now();
  for (int i = 0; i < transactions; ++i) {
    sql << "BEGIN IMMEDIATE";
    sql << "INSERT INTO t (payload) VALUES (:p)", soci::use(payload);
    sql << "COMMIT";
  }
  return transactions / Seconds(Clock::now() - start);
}

std::vector<std::string> CustomerEmails(const std::string& crm, int count) {
  std::vector<std::string> emails;
  sqlite3* db = nullptr;
  sqlite3_open_v2(crm.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* statement = nullptr;
  sqlite3_prepare_v2(db, "SELECT email FROM customers ORDER BY id LIMIT ?1", -1, &statement,
                     nullptr);
  sqlite3_bind_int(statement, 1, count);
  while (sqlite3_step(statement) == SQLITE_ROW) {
    emails.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(statement, 0)));
  }
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return emails;
}

int CompletedCount(const dsr::testing::Cluster& cluster) {
  const auto answer = cluster.Call("GET", "/api/v1/requests?status=completed&limit=1000");
  if (answer.status != 200) return -1;
  return static_cast<int>(nlohmann::json::parse(answer.body).at("requests").size());
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = ParseOptions(argc, argv);
  if (options.requests < 1 || options.requests > 1000 || options.workers < 1 ||
      options.clients < 1) {
    std::fprintf(
        stderr,
        "usage: dsr_request_throughput_bench [--requests 1..1000] [--workers N] [--clients N]\n");
    return 2;
  }
  dsr::testing::Cluster cluster;
  if (cluster.GenerateCrm(2000).empty() || !cluster.StartCoordinator()) {
    std::fprintf(stderr, "could not start the coordinator\n");
    return 1;
  }
  for (int i = 0; i < options.workers; ++i) {
    if (!cluster.StartWorker("crm-" + std::to_string(i))) {
      std::fprintf(stderr, "could not start worker %d\n", i);
      return 1;
    }
  }
  const double commit_rate = MeasureCommitRate(cluster.dir().File("limit.db"), 1000);
  const auto emails = CustomerEmails(cluster.crm_path(), options.requests);

  std::atomic<int> next{0};
  std::atomic<int> failed{0};
  std::vector<std::string> ids(static_cast<size_t>(options.requests));
  const auto start = Clock::now();
  std::vector<std::thread> clients;
  for (int c = 0; c < options.clients; ++c) {
    clients.emplace_back([&] {
      for (int i = next++; i < options.requests; i = next++) {
        const auto created = cluster.SubmitAccess({{"email", emails[i % emails.size()]}});
        if (created.is_object()) {
          ids[static_cast<size_t>(i)] = created.at("id").get<std::string>();
        } else {
          ++failed;
        }
      }
    });
  }
  for (auto& client : clients) client.join();
  const auto submitted = Clock::now();
  // Every access answer is reviewed and approved by an agent before its
  // bundle is sealed: the clients do that as each request reaches review.
  next = 0;
  clients.clear();
  for (int c = 0; c < options.clients; ++c) {
    clients.emplace_back([&] {
      for (int i = next++; i < options.requests; i = next++) {
        const std::string& id = ids[static_cast<size_t>(i)];
        if (!id.empty() && !cluster.ReviewAndApprove(id).is_object()) ++failed;
      }
    });
  }
  for (auto& client : clients) client.join();
  const bool all_done =
      dsr::testing::WaitFor([&] { return CompletedCount(cluster) >= options.requests - failed; },
                            std::chrono::minutes(10));
  const auto finished = Clock::now();
  if (!all_done || failed > 0) {
    std::fprintf(stderr, "not all requests completed (%d failed to submit)\n", failed.load());
    return 1;
  }

  const double rate = options.requests / Seconds(finished - start);
  std::printf("requests            %d (workers %d, HTTP clients %d)\n", options.requests,
              options.workers, options.clients);
  std::printf("submit phase        %.0f requests/s\n",
              options.requests / Seconds(submitted - start));
  std::printf(
      "end to end          %.1f requests/s (submitted, exported, approved, bundled, completed)\n",
      rate);
  std::printf("limit: disk         %.0f durable commits/s (SQLite WAL, synchronous=FULL)\n",
              commit_rate);
  std::printf("ratio               %.2f of the disk's commit rate (%d commits per request)\n",
              rate * kTransactionsPerRequest / commit_rate, kTransactionsPerRequest);
  return 0;
}
