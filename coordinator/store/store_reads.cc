// Reads shared by the pooled readers and the writer's transaction.
#include "coordinator/store/store_internal.h"

namespace dsr::store {

Result<RequestRecord> ReadRequest(soci::session& sql, const std::string& id,
                                  const FieldCodec& codec) {
  soci::row row;
  sql << "SELECT " << kRequestColumns << " FROM requests WHERE id = :id", soci::use(id),
      soci::into(row);
  if (!sql.got_data()) return NotFound("no request with id " + id);
  return RequestFromRow(row, codec);
}

Result<TaskRecord> ReadTask(soci::session& sql, const std::string& id) {
  soci::row row;
  sql << "SELECT " << kTaskColumns << " FROM tasks WHERE id = :id", soci::use(id), soci::into(row);
  if (!sql.got_data()) return NotFound("no task with id " + id);
  return TaskFromRow(row);
}

Result<std::vector<TaskRecord>> ReadTasksOfRequest(soci::session& sql, const std::string& id) {
  soci::rowset<soci::row> rows =
      (sql.prepare << "SELECT " << kTaskColumns
                   << " FROM tasks WHERE request_id = :id ORDER BY round, source, id",
       soci::use(id));
  return Collect<TaskRecord>(rows, TaskFromRow);
}

Result<HoldRecord> ReadHold(soci::session& sql, const std::string& id) {
  soci::row row;
  sql << "SELECT " << kHoldColumns << " FROM holds WHERE id = :id", soci::use(id), soci::into(row);
  if (!sql.got_data()) return NotFound("no hold with id " + id);
  return HoldFromRow(row);
}

Result<NotificationRecord> ReadNotification(soci::session& sql, const std::string& id) {
  soci::row row;
  sql << "SELECT " << kNotificationColumns << " FROM notifications WHERE id = :id", soci::use(id),
      soci::into(row);
  if (!sql.got_data()) return NotFound("no notification with id " + id);
  return NotificationFromRow(row);
}

}  // namespace dsr::store
