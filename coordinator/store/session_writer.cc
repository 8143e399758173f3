#include <soci/soci.h>

#include "coordinator/store/store_internal.h"

namespace dsr::store {
namespace {

class SessionWriter final : public StoreWriter {
 public:
  SessionWriter(soci::session& sql, const FieldCodec& codec) : sql_(sql), codec_(codec) {}

  Status InsertRequest(const RequestRecord& r) override {
    return Guarded("insert request", [&]() -> Status {
      const std::string type(ToString(r.type)), status(ToString(r.status)),
          origin(ToString(r.origin));
      const std::string subject = codec_.Seal(SubjectToJson(r.subject), "requests.subject", r.id);
      const std::string received = r.received_on.ToString(), due = r.due_on.ToString();
      NullableText channel(r.channel), note(codec_.SealOptional(r.note, "requests.note", r.id)),
          corrections(codec_.SealOptional(r.corrections, "requests.corrections", r.id)),
          follow_up(r.follow_up_of);
      sql_ << "INSERT INTO requests (id, type, status, subject, language, channel, note, "
              "received_on, due_on, created_at, updated_at, corrections, origin, follow_up_of) "
              "VALUES (:id, :type, :status, :subject, :language, :channel, :note, :received, "
              ":due, :created, :updated, :corrections, :origin, :follow_up)",
          soci::use(r.id), soci::use(type), soci::use(status), soci::use(subject),
          soci::use(r.language), soci::use(channel.value, channel.indicator),
          soci::use(note.value, note.indicator), soci::use(received), soci::use(due),
          soci::use(r.created_at), soci::use(r.updated_at),
          soci::use(corrections.value, corrections.indicator), soci::use(origin),
          soci::use(follow_up.value, follow_up.indicator);
      return Status::Ok();
    });
  }

  Status UpdateRequest(const RequestRecord& r) override {
    return Guarded("update request", [&]() -> Status {
      const std::string status(ToString(r.status)), due = r.due_on.ToString();
      NullableText completed(r.completed_at);
      NullableText path(r.bundle ? std::optional<std::string>(r.bundle->path) : std::nullopt);
      NullableText sha(r.bundle ? std::optional<std::string>(r.bundle->sha256) : std::nullopt);
      NullableInt bytes(r.bundle ? std::optional<int64_t>(r.bundle->bytes) : std::nullopt);
      NullableText paused(r.paused_since ? std::optional<std::string>(r.paused_since->ToString())
                                         : std::nullopt);
      NullableText approved(r.approved_at), ground(r.closing_ground),
          reason(codec_.SealOptional(r.closing_reason, "requests.closing_reason", r.id)),
          letter(r.letter_path),
          consistency(codec_.SealOptional(r.consistency, "requests.consistency", r.id));
      NullableText extended(r.extended_due_on
                                ? std::optional<std::string>(r.extended_due_on->ToString())
                                : std::nullopt);
      NullableText extended_at(r.extended_at),
          extension_reason(
              codec_.SealOptional(r.extension_reason, "requests.extension_reason", r.id)),
          extension_letter(r.extension_letter_path);
      soci::statement update =
          (sql_.prepare
               << "UPDATE requests SET status = :status, due_on = :due, updated_at = "
                  ":updated, completed_at = :completed, bundle_path = :path, "
                  "bundle_sha256 = :sha, bundle_bytes = :bytes, paused_since = :paused, "
                  "paused_days = :paused_days, approved_at = :approved, closing_ground "
                  "= :ground, closing_reason = :reason, letter_path = :letter, consistency = "
                  ":consistency, extended_due_on = :extended, extended_at = :extended_at, "
                  "extension_reason = :extension_reason, extension_letter_path = "
                  ":extension_letter WHERE id = :id",
           soci::use(status), soci::use(due), soci::use(r.updated_at),
           soci::use(completed.value, completed.indicator), soci::use(path.value, path.indicator),
           soci::use(sha.value, sha.indicator), soci::use(bytes.value, bytes.indicator),
           soci::use(paused.value, paused.indicator), soci::use(r.paused_days),
           soci::use(approved.value, approved.indicator), soci::use(ground.value, ground.indicator),
           soci::use(reason.value, reason.indicator), soci::use(letter.value, letter.indicator),
           soci::use(consistency.value, consistency.indicator),
           soci::use(extended.value, extended.indicator),
           soci::use(extended_at.value, extended_at.indicator),
           soci::use(extension_reason.value, extension_reason.indicator),
           soci::use(extension_letter.value, extension_letter.indicator), soci::use(r.id));
      update.execute(true);
      if (update.get_affected_rows() != 1) return NotFound("no request with id " + r.id);
      return Status::Ok();
    });
  }

  Status InsertTask(const TaskRecord& t) override {
    return Guarded("insert task", [&]() -> Status {
      const std::string action(ToString(t.action)), status(ToString(t.status));
      NullableText worker(t.worker), code(t.error_code), message(t.error_message), scope(t.scope);
      NullableInt records(t.records);
      sql_ << "INSERT INTO tasks (id, request_id, source, action, status, attempts, worker, "
              "error_code, error_message, records, created_at, updated_at, scope, round) VALUES "
              "(:id, :request, :source, :action, :status, :attempts, :worker, :code, :message, "
              ":records, :created, :updated, :scope, :round)",
          soci::use(t.id), soci::use(t.request_id), soci::use(t.source), soci::use(action),
          soci::use(status), soci::use(t.attempts), soci::use(worker.value, worker.indicator),
          soci::use(code.value, code.indicator), soci::use(message.value, message.indicator),
          soci::use(records.value, records.indicator), soci::use(t.created_at),
          soci::use(t.updated_at), soci::use(scope.value, scope.indicator), soci::use(t.round);
      return Status::Ok();
    });
  }

  Status UpdateTask(const TaskRecord& t) override {
    return Guarded("update task", [&]() -> Status {
      const std::string status(ToString(t.status));
      NullableText worker(t.worker), code(t.error_code), message(t.error_message),
          retry_at(t.retry_at);
      NullableInt records(t.records);
      soci::statement update =
          (sql_.prepare << "UPDATE tasks SET status = :status, attempts = :attempts, worker = "
                           ":worker, error_code = :code, error_message = :message, records = "
                           ":records, updated_at = :updated, retry_at = :retry_at WHERE id = :id",
           soci::use(status), soci::use(t.attempts), soci::use(worker.value, worker.indicator),
           soci::use(code.value, code.indicator), soci::use(message.value, message.indicator),
           soci::use(records.value, records.indicator), soci::use(t.updated_at),
           soci::use(retry_at.value, retry_at.indicator), soci::use(t.id));
      update.execute(true);
      if (update.get_affected_rows() != 1) return NotFound("no task with id " + t.id);
      return Status::Ok();
    });
  }

  Status ReplaceResults(const std::string& task_id,
                        const std::vector<ResultRecord>& results) override {
    return Guarded("replace task results", [&]() -> Status {
      sql_ << "DELETE FROM task_results WHERE task_id = :task", soci::use(task_id);
      for (const auto& result : results) {
        const long long records = result.records, bytes = result.bytes;
        sql_ << "INSERT INTO task_results (task_id, collection, records, path, sha256, bytes) "
                "VALUES (:task, :collection, :records, :path, :sha, :bytes)",
            soci::use(task_id), soci::use(result.collection), soci::use(records),
            soci::use(result.path), soci::use(result.sha256), soci::use(bytes);
      }
      return Status::Ok();
    });
  }

  Status ReplaceOutcomes(const std::string& task_id,
                         const std::vector<OutcomeRecord>& outcomes) override {
    return Guarded("replace task outcomes", [&]() -> Status {
      sql_ << "DELETE FROM task_outcomes WHERE task_id = :task", soci::use(task_id);
      int position = 0;
      for (const auto& outcome : outcomes) {
        const long long records = outcome.records;
        NullableText until(outcome.retained_until
                               ? std::optional<std::string>(outcome.retained_until->ToString())
                               : std::nullopt);
        NullableText basis(outcome.legal_basis);
        NullableText note(outcome.note);
        sql_ << "INSERT INTO task_outcomes (task_id, position, collection, kind, records, "
                "retained_until, legal_basis, note) VALUES (:task, :position, :collection, :kind, "
                ":records, :until, :basis, :note)",
            soci::use(task_id), soci::use(position), soci::use(outcome.collection),
            soci::use(outcome.kind), soci::use(records), soci::use(until.value, until.indicator),
            soci::use(basis.value, basis.indicator), soci::use(note.value, note.indicator);
        ++position;
      }
      return Status::Ok();
    });
  }

  Status InsertIdentityCheck(const IdentityCheckRecord& c) override {
    return Guarded("insert identity check", [&]() -> Status {
      NullableText note(codec_.SealOptional(c.note, "identity_checks.note", c.id));
      sql_ << "INSERT INTO identity_checks (id, request_id, at, actor, method, outcome, note) "
              "VALUES (:id, :request, :at, :actor, :method, :outcome, :note)",
          soci::use(c.id), soci::use(c.request_id), soci::use(c.at), soci::use(c.actor),
          soci::use(c.method), soci::use(c.outcome), soci::use(note.value, note.indicator);
      return Status::Ok();
    });
  }

  Status InsertPause(const PauseRecord& p) override {
    return Guarded("insert pause", [&]() -> Status {
      const std::string started = p.started_on.ToString();
      const std::string reason = codec_.Seal(p.reason, "pauses.reason", p.id);
      sql_ << "INSERT INTO pauses (id, request_id, started_on, reason, actor) VALUES (:id, "
              ":request, :started, :reason, :actor)",
          soci::use(p.id), soci::use(p.request_id), soci::use(started), soci::use(reason),
          soci::use(p.actor);
      return Status::Ok();
    });
  }

  Status EndPause(const std::string& request_id, CivilDate ended_on) override {
    return Guarded("end pause", [&]() -> Status {
      const std::string ended = ended_on.ToString();
      soci::statement update =
          (sql_.prepare << "UPDATE pauses SET ended_on = :ended WHERE request_id = :request "
                           "AND ended_on IS NULL",
           soci::use(ended), soci::use(request_id));
      update.execute(true);
      if (update.get_affected_rows() != 1) return Conflict("the request's clock is not paused");
      return Status::Ok();
    });
  }

  Status InsertHold(const HoldRecord& h) override {
    return Guarded("insert hold", [&]() -> Status {
      const std::string until = h.retained_until.ToString(), keys = StringListToJson(h.keys),
                        status(ToString(h.status));
      sql_ << "INSERT INTO holds (id, request_id, source, collection, retained_until, "
              "legal_basis, record_keys, status, created_at) VALUES (:id, :request, :source, "
              ":collection, :until, :basis, :keys, :status, :created)",
          soci::use(h.id), soci::use(h.request_id), soci::use(h.source), soci::use(h.collection),
          soci::use(until), soci::use(h.legal_basis), soci::use(keys), soci::use(status),
          soci::use(h.created_at);
      return Status::Ok();
    });
  }

  Status UpdateHold(const HoldRecord& h) override {
    return Guarded("update hold", [&]() -> Status {
      const std::string status(ToString(h.status));
      NullableText follow_up(h.follow_up_request_id);
      soci::statement update =
          (sql_.prepare << "UPDATE holds SET status = :status, follow_up_request_id = :follow_up "
                           "WHERE id = :id",
           soci::use(status), soci::use(follow_up.value, follow_up.indicator), soci::use(h.id));
      update.execute(true);
      if (update.get_affected_rows() != 1) return NotFound("no hold with id " + h.id);
      return Status::Ok();
    });
  }

  Status InsertReviewDecision(const ReviewDecisionRecord& d) override {
    return Guarded("insert review decision", [&]() -> Status {
      const std::string decision(ToString(d.decision)), fields = StringListToJson(d.fields);
      const std::string reason = codec_.Seal(d.reason, "review_decisions.reason", d.id);
      const long long line = d.line;
      NullableText key(d.record_key);
      // Decisions are ordered by position, not time: two in one millisecond
      // must still have a clear latest one.
      long long position = 0;
      sql_ << "SELECT COALESCE(MAX(position), 0) + 1 FROM review_decisions WHERE request_id = :r",
          soci::use(d.request_id), soci::into(position);
      sql_ << "INSERT INTO review_decisions (id, request_id, position, task_id, collection, line, "
              "record_key, decision, fields, reason, actor, at) VALUES (:id, :request, :position, "
              ":task, :collection, :line, :key, :decision, :fields, :reason, :actor, :at)",
          soci::use(d.id), soci::use(d.request_id), soci::use(position), soci::use(d.task_id),
          soci::use(d.collection), soci::use(line), soci::use(key.value, key.indicator),
          soci::use(decision), soci::use(fields), soci::use(reason), soci::use(d.actor),
          soci::use(d.at);
      return Status::Ok();
    });
  }

  Status AppendEvent(EventRecord event) override {
    return Guarded("append audit event", [&]() -> Status {
      std::string last_hash;
      soci::indicator last_indicator = soci::i_null;
      sql_ << "SELECT hash FROM events ORDER BY seq DESC LIMIT 1",
          soci::into(last_hash, last_indicator);
      event.prev_hash =
          sql_.got_data() && last_indicator == soci::i_ok ? last_hash : std::string(kGenesisHash);
      event.hash = ChainHash(event);
      NullableText request(event.request_id);
      sql_ << "INSERT INTO events (request_id, at, kind, actor, details, prev_hash, hash) VALUES "
              "(:request, :at, :kind, :actor, :details, :prev, :hash)",
          soci::use(request.value, request.indicator), soci::use(event.at), soci::use(event.kind),
          soci::use(event.actor), soci::use(event.details), soci::use(event.prev_hash),
          soci::use(event.hash);
      return Status::Ok();
    });
  }

  Result<bool> QueueNotification(const NotificationRecord& n) override {
    return Guarded("queue notification", [&]() -> Result<bool> {
      int existing = 0;
      sql_ << "SELECT COUNT(*) FROM notifications WHERE event_key = :key AND channel = :channel",
          soci::use(n.event_key), soci::use(n.channel), soci::into(existing);
      if (existing > 0) return false;
      const std::string status(ToString(n.status));
      NullableText request(n.request_id), error(n.last_error), sent(n.sent_at);
      sql_ << "INSERT INTO notifications (id, event_key, channel, kind, request_id, payload, "
              "status, attempts, next_attempt_at, last_error, created_at, sent_at) VALUES (:id, "
              ":key, :channel, :kind, :request, :payload, :status, :attempts, :next, :error, "
              ":created, :sent)",
          soci::use(n.id), soci::use(n.event_key), soci::use(n.channel), soci::use(n.kind),
          soci::use(request.value, request.indicator), soci::use(n.payload), soci::use(status),
          soci::use(n.attempts), soci::use(n.next_attempt_at),
          soci::use(error.value, error.indicator), soci::use(n.created_at),
          soci::use(sent.value, sent.indicator);
      return true;
    });
  }

  Status UpdateNotification(const NotificationRecord& n) override {
    return Guarded("update notification", [&]() -> Status {
      const std::string status(ToString(n.status));
      NullableText error(n.last_error), sent(n.sent_at);
      soci::statement update =
          (sql_.prepare << "UPDATE notifications SET status = :status, attempts = :attempts, "
                           "next_attempt_at = :next, last_error = :error, sent_at = :sent "
                           "WHERE id = :id",
           soci::use(status), soci::use(n.attempts), soci::use(n.next_attempt_at),
           soci::use(error.value, error.indicator), soci::use(sent.value, sent.indicator),
           soci::use(n.id));
      update.execute(true);
      if (update.get_affected_rows() != 1) return NotFound("no notification with id " + n.id);
      return Status::Ok();
    });
  }

  Status InsertUser(const UserRecord& user) override { return WriteUser(sql_, user); }
  Status DisableUser(const std::string& name, const std::string& at) override {
    return WriteUserDisabled(sql_, name, at);
  }
  Status InsertApiToken(const ApiTokenRecord& token) override { return WriteApiToken(sql_, token); }
  Status RevokeApiToken(const std::string& id, const std::string& at) override {
    return WriteApiTokenRevoked(sql_, id, at);
  }
  Status SetUserLanguage(const std::string& name,
                         const std::optional<std::string>& language) override {
    return WriteUserLanguage(sql_, name, language);
  }
  Status InsertSession(const SessionRecord& session) override {
    return WriteSession(sql_, session);
  }
  Status TouchSession(const std::string& token_sha256, const std::string& at) override {
    return WriteSessionSeen(sql_, token_sha256, at);
  }
  Status DeleteSession(const std::string& token_sha256) override {
    return WriteSessionEnded(sql_, token_sha256);
  }
  Status DeleteSessionsOf(const std::string& user_name) override {
    return WriteSessionsOfUserEnded(sql_, user_name);
  }
  Status InsertDeliveryLink(const DeliveryLinkRecord& link) override {
    return WriteDeliveryLink(sql_, link);
  }
  Status UpdateDeliveryLink(const DeliveryLinkRecord& link) override {
    return WriteDeliveryLinkChange(sql_, link);
  }
  Result<DeliveryLinkRecord> GetDeliveryLink(const std::string& token_sha256) override {
    return Guarded("read delivery link", [&] { return ReadDeliveryLink(sql_, token_sha256); });
  }

  Result<RequestRecord> GetRequest(const std::string& id) override {
    return Guarded("read request", [&] { return ReadRequest(sql_, id, codec_); });
  }
  Result<TaskRecord> GetTask(const std::string& id) override {
    return Guarded("read task", [&] { return ReadTask(sql_, id); });
  }
  Result<std::vector<TaskRecord>> TasksOfRequest(const std::string& request_id) override {
    return Guarded("read tasks", [&] { return ReadTasksOfRequest(sql_, request_id); });
  }
  Result<HoldRecord> GetHold(const std::string& id) override {
    return Guarded("read hold", [&] { return ReadHold(sql_, id); });
  }
  Result<NotificationRecord> GetNotification(const std::string& id) override {
    return Guarded("read notification", [&] { return ReadNotification(sql_, id); });
  }

  Status PurgeRequest(const std::string& id, const std::string& purged_at,
                      bool keep_subject) override {
    return Guarded("purge request", [&]() -> Status {
      // No identity left: nothing to seal.
      const std::string empty_subject = "{}";
      const int kept = keep_subject ? 1 : 0;
      // The subject stays (sealed) only while a hold's follow-up needs it.
      soci::statement update =
          (sql_.prepare << "UPDATE requests SET note = NULL, corrections = NULL, "
                           "closing_reason = NULL, consistency = NULL, extension_reason = NULL, "
                           "purged_at = :purged, subject_kept = :kept WHERE id = :id",
           soci::use(purged_at), soci::use(kept), soci::use(id));
      update.execute(true);
      if (update.get_affected_rows() != 1) return NotFound("no request with id " + id);
      if (!keep_subject) {
        sql_ << "UPDATE requests SET subject = :subject WHERE id = :id", soci::use(empty_subject),
            soci::use(id);
      }
      sql_ << "UPDATE identity_checks SET note = NULL WHERE request_id = :id", soci::use(id);
      sql_ << "UPDATE pauses SET reason = '' WHERE request_id = :id", soci::use(id);
      sql_ << "UPDATE review_decisions SET reason = '', record_key = NULL WHERE request_id = :id",
          soci::use(id);
      sql_ << "DELETE FROM task_results WHERE task_id IN (SELECT id FROM tasks WHERE request_id = "
              ":id)",
          soci::use(id);
      sql_ << "UPDATE tasks SET error_message = NULL WHERE request_id = :id", soci::use(id);
      // The bundle is gone with the purge: so are the links to it.
      sql_ << "DELETE FROM delivery_links WHERE request_id = :id", soci::use(id);
      return Status::Ok();
    });
  }

  Status ClearKeptSubject(const std::string& id) override {
    return Guarded("clear kept subject", [&]() -> Status {
      // No identity left: nothing to seal.
      const std::string empty_subject = "{}";
      sql_ << "UPDATE requests SET subject = :subject, subject_kept = 0 WHERE id = :id",
          soci::use(empty_subject), soci::use(id);
      return Status::Ok();
    });
  }

 private:
  soci::session& sql_;
  const FieldCodec& codec_;
};

}  // namespace

std::unique_ptr<StoreWriter> NewSessionWriter(soci::session& sql, const FieldCodec& codec) {
  return std::make_unique<SessionWriter>(sql, codec);
}

}  // namespace dsr::store
