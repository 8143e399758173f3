// Cluster: a coordinator and workers as real processes on loopback, with a
// temporary store, data folder and sample CRM, configured from the annotated
// examples in deploy/examples (so those stay correct too).
#pragma once

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/support/child_process.h"
#include "tests/support/http_call.h"
#include "tests/support/temp_dir.h"

namespace dsr::testing {

class Cluster {
 public:
  Cluster();
  ~Cluster();

  // Creates the sample CRM with dsr-sample-crm; returns its SAMPLE lines.
  std::string GenerateCrm(int customers = 2000);
  // Starts the coordinator and waits until it answers /healthz.
  bool StartCoordinator();
  // SIGKILLs the coordinator (a crash).
  void CrashCoordinator();
  int StopCoordinator();
  // Starts a worker for the sample CRM and waits until the coordinator lists it.
  bool StartWorker(const std::string& name);
  int StopWorker(const std::string& name);

  HttpAnswer Call(const std::string& method, const std::string& path,
                  const std::string& body = "") const;
  // POSTs a request body; returns the created request (null on failure).
  nlohmann::json Submit(const nlohmann::json& body) const;
  // POSTs /api/v1/requests/{id}/{action}; returns the answer as it is.
  HttpAnswer Act(const std::string& id, const std::string& action,
                 const nlohmann::json& body = nlohmann::json::object()) const;
  // Files an access request and records a confirmed identity check; returns
  // the request as it then is (in_progress), null on failure.
  nlohmann::json SubmitAccess(const nlohmann::json& subject) const;
  // Records a confirmed identity check; returns the updated request.
  nlohmann::json ConfirmIdentity(const std::string& id) const;
  // Waits for review, excludes every undecided ambiguous record, approves and
  // waits until the request is completed; returns it.
  nlohmann::json ReviewAndApprove(const std::string& id) const;
  // The records of a request as GET …/records lists them (one page of 500).
  nlohmann::json Records(const std::string& id, const std::string& query = "") const;
  // Polls the request until `status`; returns the last view seen.
  nlohmann::json WaitForStatus(const std::string& id, const std::string& status) const;
  // Downloads the bundle and unpacks it into a fresh folder; returns that folder.
  std::string FetchBundle(const std::string& id) const;
  int WorkerCount() const;

  const TempDir& dir() const { return dir_; }
  const std::string& url() const { return url_; }
  const std::string& broker() const { return broker_; }
  std::string crm_path() const { return dir_.File("crm.db"); }
  std::string store_path() const { return dir_.File("dsr.db"); }
  std::string coordinator_log() const;

 private:
  TempDir dir_;
  std::unique_ptr<ChildProcess> coordinator_;
  std::map<std::string, std::unique_ptr<ChildProcess>> workers_;
  std::string url_;
  std::string broker_;
  int coordinator_runs_ = 0;
  mutable int bundles_fetched_ = 0;
};

// A customer the sample generator pointed out (its SAMPLE lines).
struct Sample {
  std::string customer_id;
  std::string email;
  std::string phone;
  std::string kind;  // "typical", "shares-phone-with:K-000053" …
};
std::vector<Sample> ParseSamples(const std::string& generator_output);
// The first sample whose kind starts with `kind`; REQUIRE-fails when none.
Sample SampleOfKind(const std::vector<Sample>& samples, const std::string& kind);

// Replaces every occurrence of `from` in `text`.
std::string ReplaceAll(std::string text, const std::string& from, const std::string& to);
std::string ReadFile(const std::string& path);
void WriteFile(const std::string& path, const std::string& content);

}  // namespace dsr::testing
