// The HTTP connector: a ticketing system over its REST API, one profile per
// product (zendesk_api.h). Collections: users, tickets, comments, keyed by the
// product's ids. See connectors/http/http_connector.h for the contract,
// ticket_actions.h for what erasure and rectification do, and
// deploy/examples/worker-tickets.yaml for the config.
#include "connectors/http/http_connector.h"

#include <nlohmann/json.hpp>
#include <thread>

#include "connectors/http/http_config.h"
#include "connectors/http/http_connector_internal.h"
#include "connectors/http/subject_records.h"
#include "connectors/http/ticket_actions.h"
#include "connectors/http/ticket_discovery.h"
#include "connectors/http/zendesk_api.h"

namespace dsr::connectors {
namespace {

using http::LocatedRecords;

class HttpConnector final : public Connector {
 public:
  HttpConnector(http::HttpConfig config, http::ApiClient::Sleeper sleeper)
      : config_(std::move(config)), api_(http::NewZendeskApi(config_, std::move(sleeper))) {}

  std::string_view kind() const override { return "http"; }

  Result<LocateReport> Locate(const Subject& subject) override {
    return Guarded<LocateReport>("locate", [&]() -> Result<LocateReport> {
      auto located = LocateAll(subject);
      if (!located.ok()) return located.status();
      LocateReport report;
      Count(http::kUsers, located->users, &report);
      Count(http::kTickets, located->tickets, &report);
      Count(http::kComments, located->comments, &report);
      return report;
    });
  }

  Status Export(const Subject& subject, RecordSink& sink) override {
    return Guarded<bool>("export",
                         [&]() -> Result<bool> {
                           auto located = LocateAll(subject);
                           if (!located.ok()) return located.status();
                           DSR_RETURN_IF_ERROR(Send(http::kUsers, located->users, sink));
                           DSR_RETURN_IF_ERROR(Send(http::kTickets, located->tickets, sink));
                           DSR_RETURN_IF_ERROR(Send(http::kComments, located->comments, sink));
                           return true;
                         })
        .status();
  }

  Result<std::vector<CollectionOutcome>> Erase(const Subject& subject, const ActionScope& scope,
                                               RecordSink& untouched) override {
    return Guarded<std::vector<CollectionOutcome>>(
        "erase", [&]() { return http::EraseSubject(*api_, config_, subject, scope, untouched); });
  }

  Result<std::vector<CollectionOutcome>> Rectify(const Subject& subject,
                                                 const Corrections& corrections,
                                                 const ActionScope& scope,
                                                 RecordSink& untouched) override {
    return Guarded<std::vector<CollectionOutcome>>("rectify", [&]() {
      return http::RectifySubject(*api_, config_, subject, corrections, scope, untouched);
    });
  }

  Result<std::vector<PersonalDataPlace>> Discover() override {
    return Guarded<std::vector<PersonalDataPlace>>(
        "discover", [&]() { return http::DiscoverPersonalData(*api_, config_.discover_sample); });
  }

 private:
  // A malformed answer can make JSON access throw; that is the server's
  // fault, reported without the values involved.
  template <typename T, typename Action>
  static Result<T> Guarded(const char* operation, Action action) {
    try {
      return action();
    } catch (const nlohmann::json::exception& error) {
      return Internal(std::string(operation) + ": unexpected answer from the API (" +
                      std::to_string(error.id) + ")");
    } catch (const std::exception& error) {
      return Internal(std::string(operation) + ": unexpected error: " + error.what());
    }
  }

  Result<LocatedRecords> LocateAll(const Subject& subject) {
    api_->SetKnownValues(http::KnownValues(subject, {}));
    LocatedRecords located;
    auto users = http::LocateUsers(*api_, config_.search_by, subject);
    if (!users.ok()) return users.status();
    located.users = std::move(users.value());
    api_->SetKnownValues(http::KnownValues(subject, located.users));
    DSR_RETURN_IF_ERROR(http::AddTicketsAndComments(*api_, &located, true));
    return located;
  }

  static void Count(const char* collection, const std::vector<http::LocatedRecord>& records,
                    LocateReport* report) {
    for (const auto& record : records) {
      auto& counts = record.match == Match::kConfirmed ? report->confirmed : report->ambiguous;
      ++counts[collection];
    }
  }

  static Status Send(const char* collection, const std::vector<http::LocatedRecord>& records,
                     RecordSink& sink) {
    for (const auto& record : records) {
      DSR_RETURN_IF_ERROR(sink.Add(http::ToFoundRecord(collection, record)));
    }
    return Status::Ok();
  }

  http::HttpConfig config_;
  std::unique_ptr<http::TicketApi> api_;
};

}  // namespace

namespace http {

Result<std::unique_ptr<Connector>> NewHttpConnectorWithSleeper(const nlohmann::json& config,
                                                               ApiClient::Sleeper sleeper) {
  auto parsed = ParseHttpConfig(config);
  if (!parsed.ok()) return parsed.status();
  return std::unique_ptr<Connector>(
      new HttpConnector(std::move(parsed.value()), std::move(sleeper)));
}

}  // namespace http

Result<std::unique_ptr<Connector>> NewHttpConnector(const nlohmann::json& config) {
  return http::NewHttpConnectorWithSleeper(
      config, [](std::chrono::milliseconds wait) { std::this_thread::sleep_for(wait); });
}

}  // namespace dsr::connectors
