#include "connectors/files/files_connector.h"

#include <nlohmann/json.hpp>

#include "connectors/files/file_actions.h"
#include "connectors/files/file_discovery.h"
#include "connectors/files/files_config.h"
#include "connectors/files/source_tree.h"

namespace dsr::connectors {
namespace {

class FilesConnector final : public Connector {
 public:
  explicit FilesConnector(files::FilesConfig config)
      : config_(std::move(config)), tree_(config_.root) {}

  std::string_view kind() const override { return "files"; }

  Result<LocateReport> Locate(const Subject& subject) override {
    LocateReport report;
    files::FileActions actions(config_, tree_);
    DSR_RETURN_IF_ERROR(actions.ForEachLocated(subject, [&](const FoundRecord& found) {
      auto& counts = found.match == Match::kConfirmed ? report.confirmed : report.ambiguous;
      ++counts[found.collection];
      return Status::Ok();
    }));
    return report;
  }

  Status Export(const Subject& subject, RecordSink& sink) override {
    files::FileActions actions(config_, tree_);
    return actions.ForEachLocated(subject,
                                  [&](const FoundRecord& found) { return sink.Add(found); });
  }

  // Ambiguous records outside the scope are passed on once every file is
  // done, as the SQL connector does after its commit.
  Result<std::vector<CollectionOutcome>> Erase(const Subject& subject, const ActionScope& scope,
                                               RecordSink& untouched) override {
    std::vector<FoundRecord> left_alone;
    files::FileActions actions(config_, tree_);
    auto outcomes = actions.Erase(subject, scope, &left_alone);
    if (!outcomes.ok()) return outcomes.status();
    DSR_RETURN_IF_ERROR(SendAll(left_alone, untouched));
    return outcomes;
  }

  Result<std::vector<CollectionOutcome>> Rectify(const Subject& subject,
                                                 const Corrections& corrections,
                                                 const ActionScope& scope,
                                                 RecordSink& untouched) override {
    std::vector<FoundRecord> left_alone;
    files::FileActions actions(config_, tree_);
    auto outcomes = actions.Rectify(subject, corrections, scope, &left_alone);
    if (!outcomes.ok()) return outcomes.status();
    DSR_RETURN_IF_ERROR(SendAll(left_alone, untouched));
    return outcomes;
  }

  Result<std::vector<PersonalDataPlace>> Discover() override {
    return files::DiscoverPersonalData(tree_, config_);
  }

 private:
  static Status SendAll(const std::vector<FoundRecord>& records, RecordSink& sink) {
    for (const auto& found : records) DSR_RETURN_IF_ERROR(sink.Add(found));
    return Status::Ok();
  }

  files::FilesConfig config_;
  files::SourceTree tree_;
};

}  // namespace

Result<std::unique_ptr<Connector>> NewFilesConnector(const nlohmann::json& config) {
  auto parsed = files::ParseFilesConfig(config);
  if (!parsed.ok()) return parsed.status();
  return std::unique_ptr<Connector>(new FilesConnector(std::move(parsed.value())));
}

}  // namespace dsr::connectors
