#include "connectors/mail/mail_connector.h"

#include <nlohmann/json.hpp>

#include "common/log.h"
#include "connectors/mail/mail_config.h"
#include "connectors/mail/mail_discovery.h"
#include "connectors/mail/mail_eraser.h"
#include "connectors/mail/mail_store.h"
#include "connectors/mail/subject_messages.h"

namespace dsr::connectors {
namespace {

constexpr char kNotCorrected[] = "messages are records of what was written; they are not corrected";

constexpr char kLogComponent[] = "mail-connector";

using mail::FolderName;
using mail::MailStore;

// What an action sees: the open store and the folders it covers.
struct Mailbox {
  std::unique_ptr<MailStore> store;
  std::vector<FolderName> folders;
};

class MailConnector final : public Connector {
 public:
  explicit MailConnector(mail::MailConfig config) : config_(std::move(config)) {}

  std::string_view kind() const override { return "mail"; }

  Result<LocateReport> Locate(const Subject& subject) override {
    return AtEdge<LocateReport>("locate", [&](Mailbox& mailbox) -> Result<LocateReport> {
      LocateReport report;
      DSR_RETURN_IF_ERROR(ForEachMessage(
          subject, mailbox, [&](const FolderName& folder, const mail::SubjectMessage& found) {
            auto& counts = found.match == Match::kConfirmed ? report.confirmed : report.ambiguous;
            ++counts[folder.collection];
            return Status::Ok();
          }));
      return report;
    });
  }

  Status Export(const Subject& subject, RecordSink& sink) override {
    return AtEdge<bool>(
               "export",
               [&](Mailbox& mailbox) -> Result<bool> {
                 int64_t exported = 0;
                 DSR_RETURN_IF_ERROR(ForEachMessage(
                     subject, mailbox,
                     [&](const FolderName& folder, const mail::SubjectMessage& found) -> Status {
                       auto record = mail::ExportRecord(*mailbox.store, folder, found);
                       if (record.status().code() == StatusCode::kNotFound)
                         return Status::Ok();  // gone
                       if (!record.ok()) return record.status();
                       ++exported;
                       return sink.Add(*record);
                     }));
                 LogInfo(kLogComponent, "export: " + std::to_string(exported) + " messages");
                 return true;
               })
        .status();
  }

  Result<std::vector<CollectionOutcome>> Erase(const Subject& subject, const ActionScope& scope,
                                               RecordSink& untouched) override {
    return AtEdge<std::vector<CollectionOutcome>>("erase", [&](Mailbox& mailbox) {
      mail::MailEraser eraser(*mailbox.store, config_, mailbox.folders);
      auto outcomes = eraser.Erase(subject, scope, untouched);
      if (outcomes.ok()) LogInfo(kLogComponent, "erase: " + CountsByKind(*outcomes));
      return outcomes;
    });
  }

  Result<std::vector<CollectionOutcome>> Rectify(const Subject&, const Corrections&,
                                                 const ActionScope&, RecordSink&) override {
    return AtEdge<std::vector<CollectionOutcome>>(
        "rectify", [&](Mailbox& mailbox) -> Result<std::vector<CollectionOutcome>> {
          std::vector<CollectionOutcome> outcomes;
          for (const auto& folder : mailbox.folders) {
            CollectionOutcome outcome;
            outcome.collection = folder.collection;
            outcome.kind = OutcomeKind::kNotApplicable;
            outcome.note = kNotCorrected;
            outcomes.push_back(outcome);
          }
          LogInfo(kLogComponent, std::string("rectify: not applicable: ") + kNotCorrected);
          return outcomes;
        });
  }

  Result<std::vector<PersonalDataPlace>> Discover() override {
    return AtEdge<std::vector<PersonalDataPlace>>("discover", [&](Mailbox& mailbox) {
      return mail::DiscoverMail(*mailbox.store, config_, mailbox.folders);
    });
  }

 private:
  // Opens the mailbox for one action, runs it, and closes the mailbox (an
  // IMAP session logs out). Exceptions from the standard library or JSON
  // become kInternal here, at the edge.
  template <typename T, typename Action>
  Result<T> AtEdge(const char* operation, Action action) {
    try {
      auto store = mail::OpenMailStore(config_);
      if (!store.ok()) return Failed<T>(operation, store.status());
      Mailbox mailbox{std::move(store.value()), {}};
      auto folders = mail::ResolveFolders(*mailbox.store, config_);
      if (!folders.ok()) return Failed<T>(operation, folders.status());
      mailbox.folders = std::move(folders.value());
      Result<T> result = action(mailbox);
      if (!result.ok()) return Failed<T>(operation, result.status());
      return result;
    } catch (const std::exception& error) {
      return Failed<T>(operation, Internal(std::string("unexpected error: ") + error.what()));
    }
  }

  template <typename T>
  static Result<T> Failed(const char* operation, const Status& status) {
    // Store errors name hosts, folders and keys only, so they may be logged.
    const Status failed = status.WithContext(operation);
    LogWarn(kLogComponent, failed.message());
    return failed;
  }

  template <typename Visit>
  Status ForEachMessage(const Subject& subject, Mailbox& mailbox, Visit visit) {
    auto address = mail::SearchableAddress(subject);
    if (!address.ok()) return address.status();
    if (!*address) return Status::Ok();  // mail is found by address only
    for (const auto& folder : mailbox.folders) {
      auto found =
          mail::FindSubjectMessages(*mailbox.store, folder.folder, **address, config_.match_body);
      if (!found.ok()) return found.status();
      for (const auto& message : *found) DSR_RETURN_IF_ERROR(visit(folder, message));
    }
    return Status::Ok();
  }

  // "erased 12, retained 9": counts only, for the log.
  static std::string CountsByKind(const std::vector<CollectionOutcome>& outcomes) {
    std::map<OutcomeKind, int64_t> counts;
    for (const auto& outcome : outcomes) counts[outcome.kind] += outcome.records;
    std::string text;
    for (const auto& [kind, count] : counts) {
      if (kind == OutcomeKind::kNotFound) continue;
      text +=
          (text.empty() ? "" : ", ") + std::string(ToString(kind)) + " " + std::to_string(count);
    }
    return text.empty() ? "nothing found" : text;
  }

  mail::MailConfig config_;
};

}  // namespace

Result<std::unique_ptr<Connector>> NewMailConnector(const nlohmann::json& config) {
  auto parsed = mail::ParseMailConfig(config);
  if (!parsed.ok()) return parsed.status();
  if (parsed->imap && !parsed->imap->tls_verify) {
    LogWarn(kLogComponent,
            "connector.imap.tls_verify is false: the server's identity is not checked");
  }
  return std::unique_ptr<Connector>(new MailConnector(std::move(parsed.value())));
}

}  // namespace dsr::connectors
