#include "coordinator/store/sql_rows.h"

#include <nlohmann/json.hpp>

namespace dsr::store {

std::optional<std::string> OptionalTextColumn(const soci::row& row, const std::string& name) {
  const auto& props = row.get_properties(name);
  if (row.get_indicator(name) == soci::i_null) return std::nullopt;
  switch (props.get_data_type()) {
    case soci::dt_string:
      return row.get<std::string>(name);
    case soci::dt_integer:
      return std::to_string(row.get<int>(name));
    case soci::dt_long_long:
      return std::to_string(row.get<long long>(name));
    default:
      return std::nullopt;
  }
}

std::string TextColumn(const soci::row& row, const std::string& name) {
  return OptionalTextColumn(row, name).value_or("");
}

std::optional<int64_t> OptionalIntColumn(const soci::row& row, const std::string& name) {
  if (row.get_indicator(name) == soci::i_null) return std::nullopt;
  switch (row.get_properties(name).get_data_type()) {
    case soci::dt_integer:
      return row.get<int>(name);
    case soci::dt_long_long:
      return row.get<long long>(name);
    case soci::dt_unsigned_long_long:
      return static_cast<int64_t>(row.get<unsigned long long>(name));
    case soci::dt_double:
      return static_cast<int64_t>(row.get<double>(name));
    case soci::dt_string:
      return std::stoll(row.get<std::string>(name));
    default:
      return std::nullopt;
  }
}

int64_t IntColumn(const soci::row& row, const std::string& name) {
  return OptionalIntColumn(row, name).value_or(0);
}

Result<RequestRecord> RequestFromRow(const soci::row& row, const FieldCodec& codec) {
  RequestRecord request;
  request.id = TextColumn(row, "id");
  auto type = ParseRequestType(TextColumn(row, "type"));
  auto status = ParseRequestStatus(TextColumn(row, "status"));
  auto subject_text = codec.Open(TextColumn(row, "subject"), "requests.subject", request.id);
  if (!subject_text.ok()) return subject_text.status();
  auto subject = SubjectFromJson(*subject_text);
  auto received = CivilDate::Parse(TextColumn(row, "received_on"));
  auto due = CivilDate::Parse(TextColumn(row, "due_on"));
  for (const Status* bad :
       {&type.status(), &status.status(), &subject.status(), &received.status(), &due.status()}) {
    if (!bad->ok())
      return Internal("request " + request.id + " is corrupt in the store: " + bad->message());
  }
  request.type = *type;
  request.status = *status;
  request.subject = std::move(subject.value());
  request.language = TextColumn(row, "language");
  request.channel = OptionalTextColumn(row, "channel");
  {
    auto note = codec.OpenOptional(OptionalTextColumn(row, "note"), "requests.note", request.id);
    if (!note.ok()) return note.status();
    request.note = std::move(note.value());
  }
  request.received_on = *received;
  request.due_on = *due;
  request.created_at = TextColumn(row, "created_at");
  request.updated_at = TextColumn(row, "updated_at");
  request.completed_at = OptionalTextColumn(row, "completed_at");
  if (auto path = OptionalTextColumn(row, "bundle_path")) {
    request.bundle =
        BundleInfo{*path, TextColumn(row, "bundle_sha256"), IntColumn(row, "bundle_bytes")};
  }
  {
    auto corrections = codec.OpenOptional(OptionalTextColumn(row, "corrections"),
                                          "requests.corrections", request.id);
    if (!corrections.ok()) return corrections.status();
    request.corrections = std::move(corrections.value());
  }
  auto origin = ParseRequestOrigin(TextColumn(row, "origin"));
  if (!origin.ok()) return Internal("request " + request.id + " is corrupt in the store: origin");
  request.origin = *origin;
  request.follow_up_of = OptionalTextColumn(row, "follow_up_of");
  if (auto paused = OptionalTextColumn(row, "paused_since")) {
    auto since = CivilDate::Parse(*paused);
    if (!since.ok()) return Internal("request " + request.id + " is corrupt: paused_since");
    request.paused_since = *since;
  }
  request.paused_days = static_cast<int>(IntColumn(row, "paused_days"));
  request.approved_at = OptionalTextColumn(row, "approved_at");
  request.closing_ground = OptionalTextColumn(row, "closing_ground");
  {
    auto closing_reason = codec.OpenOptional(OptionalTextColumn(row, "closing_reason"),
                                             "requests.closing_reason", request.id);
    if (!closing_reason.ok()) return closing_reason.status();
    request.closing_reason = std::move(closing_reason.value());
  }
  request.letter_path = OptionalTextColumn(row, "letter_path");
  {
    auto consistency = codec.OpenOptional(OptionalTextColumn(row, "consistency"),
                                          "requests.consistency", request.id);
    if (!consistency.ok()) return consistency.status();
    request.consistency = std::move(consistency.value());
  }
  if (auto extended = OptionalTextColumn(row, "extended_due_on")) {
    auto date = CivilDate::Parse(*extended);
    if (!date.ok()) return Internal("request " + request.id + " is corrupt: extended_due_on");
    request.extended_due_on = *date;
  }
  request.extended_at = OptionalTextColumn(row, "extended_at");
  {
    auto extension_reason = codec.OpenOptional(OptionalTextColumn(row, "extension_reason"),
                                               "requests.extension_reason", request.id);
    if (!extension_reason.ok()) return extension_reason.status();
    request.extension_reason = std::move(extension_reason.value());
  }
  request.extension_letter_path = OptionalTextColumn(row, "extension_letter_path");
  request.purged_at = OptionalTextColumn(row, "purged_at");
  request.subject_kept = IntColumn(row, "subject_kept") != 0;
  return request;
}

Result<TaskRecord> TaskFromRow(const soci::row& row) {
  TaskRecord task;
  task.id = TextColumn(row, "id");
  auto action = ParseTaskAction(TextColumn(row, "action"));
  auto status = ParseTaskStatus(TextColumn(row, "status"));
  if (!action.ok() || !status.ok()) return Internal("task " + task.id + " is corrupt in the store");
  task.request_id = TextColumn(row, "request_id");
  task.source = TextColumn(row, "source");
  task.action = *action;
  task.status = *status;
  task.attempts = static_cast<int>(IntColumn(row, "attempts"));
  task.worker = OptionalTextColumn(row, "worker");
  task.error_code = OptionalTextColumn(row, "error_code");
  task.error_message = OptionalTextColumn(row, "error_message");
  task.records = OptionalIntColumn(row, "records");
  task.created_at = TextColumn(row, "created_at");
  task.updated_at = TextColumn(row, "updated_at");
  task.scope = OptionalTextColumn(row, "scope");
  task.round = static_cast<int>(IntColumn(row, "round"));
  task.retry_at = OptionalTextColumn(row, "retry_at");
  return task;
}

ResultRecord ResultFromRow(const soci::row& row) {
  ResultRecord result;
  result.task_id = TextColumn(row, "task_id");
  result.collection = TextColumn(row, "collection");
  result.records = IntColumn(row, "records");
  result.path = TextColumn(row, "path");
  result.sha256 = TextColumn(row, "sha256");
  result.bytes = IntColumn(row, "bytes");
  return result;
}

EventRecord EventFromRow(const soci::row& row) {
  EventRecord event;
  event.seq = IntColumn(row, "seq");
  event.request_id = OptionalTextColumn(row, "request_id");
  event.at = TextColumn(row, "at");
  event.kind = TextColumn(row, "kind");
  event.actor = TextColumn(row, "actor");
  event.details = TextColumn(row, "details");
  event.prev_hash = TextColumn(row, "prev_hash");
  event.hash = TextColumn(row, "hash");
  return event;
}

Result<IdentityCheckRecord> IdentityCheckFromRow(const soci::row& row, const FieldCodec& codec) {
  IdentityCheckRecord check{TextColumn(row, "id"),
                            TextColumn(row, "request_id"),
                            TextColumn(row, "at"),
                            TextColumn(row, "actor"),
                            TextColumn(row, "method"),
                            TextColumn(row, "outcome"),
                            std::nullopt};
  auto note = codec.OpenOptional(OptionalTextColumn(row, "note"), "identity_checks.note", check.id);
  if (!note.ok()) return note.status();
  check.note = std::move(note.value());
  return check;
}

Result<PauseRecord> PauseFromRow(const soci::row& row, const FieldCodec& codec) {
  PauseRecord pause;
  pause.id = TextColumn(row, "id");
  pause.request_id = TextColumn(row, "request_id");
  auto started = CivilDate::Parse(TextColumn(row, "started_on"));
  if (!started.ok()) return Internal("pause " + pause.id + " is corrupt in the store");
  pause.started_on = *started;
  if (auto ended = OptionalTextColumn(row, "ended_on")) {
    auto parsed = CivilDate::Parse(*ended);
    if (!parsed.ok()) return Internal("pause " + pause.id + " is corrupt in the store");
    pause.ended_on = *parsed;
  }
  auto reason = codec.Open(TextColumn(row, "reason"), "pauses.reason", pause.id);
  if (!reason.ok()) return reason.status();
  pause.reason = std::move(reason.value());
  pause.actor = TextColumn(row, "actor");
  return pause;
}

Result<OutcomeRecord> OutcomeFromRow(const soci::row& row) {
  OutcomeRecord outcome;
  outcome.task_id = TextColumn(row, "task_id");
  outcome.collection = TextColumn(row, "collection");
  outcome.kind = TextColumn(row, "kind");
  outcome.records = IntColumn(row, "records");
  if (auto until = OptionalTextColumn(row, "retained_until")) {
    auto parsed = CivilDate::Parse(*until);
    if (!parsed.ok()) return Internal("an outcome of task " + outcome.task_id + " is corrupt");
    outcome.retained_until = *parsed;
  }
  outcome.legal_basis = OptionalTextColumn(row, "legal_basis");
  outcome.note = OptionalTextColumn(row, "note");
  return outcome;
}

Result<HoldRecord> HoldFromRow(const soci::row& row) {
  HoldRecord hold;
  hold.id = TextColumn(row, "id");
  hold.request_id = TextColumn(row, "request_id");
  hold.source = TextColumn(row, "source");
  hold.collection = TextColumn(row, "collection");
  auto until = CivilDate::Parse(TextColumn(row, "retained_until"));
  auto status = ParseHoldStatus(TextColumn(row, "status"));
  auto keys = StringListFromJson(TextColumn(row, "record_keys"));
  if (!until.ok() || !status.ok() || !keys.ok()) return Internal("hold " + hold.id + " is corrupt");
  hold.retained_until = *until;
  hold.legal_basis = TextColumn(row, "legal_basis");
  hold.keys = std::move(keys.value());
  hold.status = *status;
  hold.follow_up_request_id = OptionalTextColumn(row, "follow_up_request_id");
  hold.created_at = TextColumn(row, "created_at");
  return hold;
}

Result<NotificationRecord> NotificationFromRow(const soci::row& row) {
  NotificationRecord notification;
  notification.id = TextColumn(row, "id");
  auto status = ParseNotificationStatus(TextColumn(row, "status"));
  if (!status.ok()) return Internal("notification " + notification.id + " is corrupt");
  notification.event_key = TextColumn(row, "event_key");
  notification.channel = TextColumn(row, "channel");
  notification.kind = TextColumn(row, "kind");
  notification.request_id = OptionalTextColumn(row, "request_id");
  notification.payload = TextColumn(row, "payload");
  notification.status = *status;
  notification.attempts = static_cast<int>(IntColumn(row, "attempts"));
  notification.next_attempt_at = TextColumn(row, "next_attempt_at");
  notification.last_error = OptionalTextColumn(row, "last_error");
  notification.created_at = TextColumn(row, "created_at");
  notification.sent_at = OptionalTextColumn(row, "sent_at");
  return notification;
}

Result<ReviewDecisionRecord> ReviewDecisionFromRow(const soci::row& row, const FieldCodec& codec) {
  ReviewDecisionRecord decision;
  decision.id = TextColumn(row, "id");
  auto kind = ParseReviewDecision(TextColumn(row, "decision"));
  auto fields = StringListFromJson(TextColumn(row, "fields"));
  if (!kind.ok() || !fields.ok()) return Internal("review decision " + decision.id + " is corrupt");
  decision.request_id = TextColumn(row, "request_id");
  decision.task_id = TextColumn(row, "task_id");
  decision.collection = TextColumn(row, "collection");
  decision.line = IntColumn(row, "line");
  decision.record_key = OptionalTextColumn(row, "record_key");
  decision.decision = *kind;
  decision.fields = std::move(fields.value());
  auto reason = codec.Open(TextColumn(row, "reason"), "review_decisions.reason", decision.id);
  if (!reason.ok()) return reason.status();
  decision.reason = std::move(reason.value());
  decision.actor = TextColumn(row, "actor");
  decision.at = TextColumn(row, "at");
  return decision;
}

std::string StringListToJson(const std::vector<std::string>& values) {
  return nlohmann::json(values).dump();
}

Result<std::vector<std::string>> StringListFromJson(const std::string& text) {
  auto parsed = nlohmann::json::parse(text, nullptr, false);
  if (!parsed.is_array()) return Internal("not a JSON list");
  std::vector<std::string> values;
  for (const auto& value : parsed) {
    if (!value.is_string()) return Internal("not a list of strings");
    values.push_back(value.get<std::string>());
  }
  return values;
}

std::string SubjectToJson(const SubjectIdentities& subject) {
  return nlohmann::json(subject).dump();
}

Result<SubjectIdentities> SubjectFromJson(const std::string& text) {
  auto parsed = nlohmann::json::parse(text, nullptr, false);
  if (!parsed.is_object()) return Internal("subject is not a JSON object");
  SubjectIdentities subject;
  for (const auto& [key, value] : parsed.items()) {
    if (!value.is_string()) return Internal("subject identity is not text");
    subject[key] = value.get<std::string>();
  }
  return subject;
}

bool IsLostConnection(const soci::soci_error& error) {
  if (error.get_error_category() == soci::soci_error::connection_error) return true;
  const std::string message = error.get_error_message();
  // MariaDB/MySQL client errors 2002, 2003 (cannot connect), 2006 (gone
  // away), 2013 (lost during a query), and SOCI's own for a session whose
  // last reconnect failed.
  for (const char* sign :
       {"Can't connect", "gone away", "Lost connection", "Session is not connected"}) {
    if (message.find(sign) != std::string::npos) return true;
  }
  return false;
}

Status StatusFromSociError(const soci::soci_error& error, const std::string& what) {
  const std::string message = error.get_error_message();
  // What may pass by itself: SQLite's locks and files, and MariaDB/MySQL's
  // lost or refused connections, lock waits and deadlocks.
  bool transient = IsLostConnection(error);
  for (const char* sign :
       {"locked", "busy", "unable to open", "Lock wait timeout", "Deadlock found"}) {
    transient = transient || message.find(sign) != std::string::npos;
  }
  // get_error_message() is the backend's message without SOCI's added
  // context, which would repeat the statement's bound values.
  const std::string text = "store: " + what + " failed: " + message;
  return transient ? Unavailable(text) : Internal(text);
}

}  // namespace dsr::store
