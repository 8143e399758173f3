#include "tools/zendesk-standin/standin_store.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

#include "common/clock.h"
#include "common/durable_file.h"

namespace dsr::zendesk_standin {
namespace {

using Json = nlohmann::json;

// Fields a client may change with PUT /api/v2/users/{id}.json.
const char* const kWritableUserFields[] = {"name",      "email", "phone",       "alias",
                                           "details",   "notes", "external_id", "locale",
                                           "time_zone", "tags",  "user_fields", "verified"};

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string Digits(const std::string& text) {
  std::string digits;
  for (const char c : text) {
    if (c >= '0' && c <= '9') digits.push_back(c);
  }
  return digits;
}

std::string Text(const Json& object, const char* field) {
  const auto found = object.find(field);
  return found != object.end() && found->is_string() ? found->get<std::string>() : "";
}

bool Active(const Json& user) {
  return user.value("active", true);
}

// A soft-deleted ticket, kept until it is permanently deleted.
bool Deleted(const Json& ticket) {
  return Text(ticket, "status") == "deleted";
}

std::string Unquoted(std::string value) {
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
    value = value.substr(1, value.size() - 2);
  }
  return value;
}

bool Matches(const Json& user, const std::string& query) {
  if (query.rfind("email:", 0) == 0) {
    return Lower(Text(user, "email")) == Lower(Unquoted(query.substr(6)));
  }
  if (query.rfind("phone:", 0) == 0) {
    const std::string wanted = Digits(Unquoted(query.substr(6)));
    return !wanted.empty() && Digits(Text(user, "phone")) == wanted;
  }
  const std::string text = Lower(Unquoted(query));
  return !text.empty() && (Lower(Text(user, "name")).find(text) != std::string::npos ||
                           Lower(Text(user, "email")).find(text) != std::string::npos);
}

bool Lists(const Json& ids, long long user) {
  return ids.is_array() && std::find(ids.begin(), ids.end(), Json(user)) != ids.end();
}

ApiAnswer Invalid(const std::string& field, const std::string& error,
                  const std::string& description) {
  return {
      422,
      {{"error", "RecordInvalid"},
       {"description", "Record validation errors"},
       {"details", {{field, Json::array({{{"error", error}, {"description", description}}})}}}}};
}

}  // namespace

ApiAnswer NotFoundAnswer() {
  return {404, {{"error", "RecordNotFound"}, {"description", "Not found"}}};
}

Result<std::unique_ptr<ZendeskStore>> ZendeskStore::Load(const std::string& path,
                                                         std::string save_path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return InvalidArgument("cannot read the data file '" + path + "'");
  std::stringstream text;
  text << file.rdbuf();
  Json data = Json::parse(text.str(), nullptr, false);
  if (!data.is_object()) return InvalidArgument("'" + path + "' is not a JSON object");
  for (const char* list : {"users", "tickets", "comments"}) {
    if (!data.contains(list) || !data.at(list).is_array()) {
      return InvalidArgument("'" + path + "' has no '" + list + "' list");
    }
  }
  try {
    return std::unique_ptr<ZendeskStore>(new ZendeskStore(
        data.at("users"), data.at("tickets"), data.at("comments"), std::move(save_path)));
  } catch (const Json::exception& error) {
    return InvalidArgument("'" + path + "': every user needs a numeric id (" + error.what() + ")");
  }
}

ZendeskStore::ZendeskStore(Json users, Json tickets, Json comments, std::string save_path)
    : save_path_(std::move(save_path)) {
  for (auto& user : users) {
    const long long id = user.at("id").get<long long>();  // before the move below
    users_[id] = std::move(user);
  }
  tickets_ = tickets.get<std::vector<Json>>();
  comments_ = comments.get<std::vector<Json>>();
}

const Json* ZendeskStore::FindUser(long long user) const {
  const auto found = users_.find(user);
  return found == users_.end() ? nullptr : &found->second;
}

std::vector<Json> ZendeskStore::SearchUsers(const std::string& query) const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<Json> found;
  for (const auto& [id, user] : users_) {
    if (Active(user) && Matches(user, query)) found.push_back(user);
  }
  return found;
}

std::vector<Json> ZendeskStore::ActiveUsers() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<Json> active;
  for (const auto& [id, user] : users_) {
    if (Active(user)) active.push_back(user);
  }
  return active;
}

std::vector<Json>::iterator ZendeskStore::FindTicket(long long ticket) {
  return std::find_if(tickets_.begin(), tickets_.end(),
                      [&](const Json& t) { return t.value("id", Json()) == Json(ticket); });
}

std::vector<Json>::const_iterator ZendeskStore::FindTicket(long long ticket) const {
  return std::find_if(tickets_.begin(), tickets_.end(),
                      [&](const Json& t) { return t.value("id", Json()) == Json(ticket); });
}

std::vector<Json> ZendeskStore::Tickets() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<Json> tickets;
  for (const auto& ticket : tickets_) {
    if (!Deleted(ticket)) tickets.push_back(ticket);
  }
  return tickets;
}

std::optional<std::vector<Json>> ZendeskStore::UserTickets(long long user, bool requested) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const Json* found = FindUser(user);
  if (found == nullptr || !Active(*found)) return std::nullopt;
  std::vector<Json> tickets;
  for (const auto& ticket : tickets_) {
    if (Deleted(ticket)) continue;
    const bool listed = requested ? ticket.value("requester_id", Json()) == Json(user)
                                  : Lists(ticket.value("collaborator_ids", Json()), user) ||
                                        Lists(ticket.value("email_cc_ids", Json()), user);
    if (listed) tickets.push_back(ticket);
  }
  return tickets;
}

std::optional<std::vector<Json>> ZendeskStore::Comments(long long ticket) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto found = FindTicket(ticket);
  if (found == tickets_.end() || Deleted(*found)) return std::nullopt;
  std::vector<Json> comments;
  for (const auto& comment : comments_) {
    if (comment.value("ticket_id", Json()) != Json(ticket)) continue;
    Json shown = comment;
    shown.erase("ticket_id");
    comments.push_back(std::move(shown));
  }
  return comments;
}

ApiAnswer ZendeskStore::ShowUser(long long user) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const Json* found = FindUser(user);
  if (found == nullptr) return NotFoundAnswer();
  return {200, {{"user", *found}}};
}

ApiAnswer ZendeskStore::ShowDeletedUser(long long user) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const Json* found = FindUser(user);
  if (found == nullptr || Active(*found)) return NotFoundAnswer();
  return {200, {{"deleted_user", *found}}};
}

ApiAnswer ZendeskStore::UpdateUser(long long user, const Json& request_body) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = users_.find(user);
  if (found == users_.end() || !Active(found->second)) return NotFoundAnswer();
  if (!request_body.is_object() || !request_body.contains("user") ||
      !request_body.at("user").is_object()) {
    return {400, {{"error", "InvalidParameter"}, {"description", "expected {\"user\": {...}}"}}};
  }
  Json changes = request_body.at("user");
  if (changes.contains("email") && changes.at("email").is_string()) {
    changes["email"] = Lower(changes.at("email").get<std::string>());
    for (const auto& [id, other] : users_) {
      if (id != user && Active(other) && Text(other, "email") == changes.at("email")) {
        // As Zendesk does, the message repeats the refused address.
        return Invalid("email", "DuplicateValue",
                       "Email: " + changes.at("email").get<std::string>() +
                           " is already being used by another user");
      }
    }
  }
  for (const char* field : kWritableUserFields) {
    if (changes.contains(field)) found->second[field] = changes.at(field);
  }
  found->second["updated_at"] = FormatUtc(std::chrono::system_clock::now());
  const Status saved = SaveLocked();
  if (!saved.ok()) return {500, {{"error", "InternalError"}, {"description", saved.message()}}};
  return {200, {{"user", found->second}}};
}

ApiAnswer ZendeskStore::DeleteUser(long long user) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = users_.find(user);
  if (found == users_.end() || !Active(found->second)) return NotFoundAnswer();
  const auto open = std::count_if(tickets_.begin(), tickets_.end(), [&](const Json& ticket) {
    return ticket.value("requester_id", Json()) == Json(user) &&
           Text(ticket, "status") != "closed" && !Deleted(ticket);
  });
  if (open > 0) {
    return Invalid("base", "UserHasOpenTickets",
                   "The user is the requester of " + std::to_string(open) +
                       " ticket(s) that are not closed and cannot be deleted");
  }
  found->second["active"] = false;
  const Status saved = SaveLocked();
  if (!saved.ok()) return {500, {{"error", "InternalError"}, {"description", saved.message()}}};
  return {200, {{"user", found->second}}};
}

ApiAnswer ZendeskStore::PermanentlyDeleteUser(long long user) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = users_.find(user);
  if (found == users_.end() || Active(found->second)) return NotFoundAnswer();
  users_.erase(found);
  const Status saved = SaveLocked();
  if (!saved.ok()) return {500, {{"error", "InternalError"}, {"description", saved.message()}}};
  return {
      200,
      {{"deleted_user", {{"id", user}, {"name", "Permanently Deleted User"}, {"active", false}}}}};
}

ApiAnswer ZendeskStore::ShowTicket(long long ticket) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto found = FindTicket(ticket);
  if (found == tickets_.end() || Deleted(*found)) return NotFoundAnswer();
  return {200, {{"ticket", *found}}};
}

ApiAnswer ZendeskStore::DeleteTicket(long long ticket) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto found = FindTicket(ticket);
  if (found == tickets_.end() || Deleted(*found)) return NotFoundAnswer();
  (*found)["status"] = "deleted";
  const Status saved = SaveLocked();
  if (!saved.ok()) return {500, {{"error", "InternalError"}, {"description", saved.message()}}};
  return {204, nullptr};
}

ApiAnswer ZendeskStore::PermanentlyDeleteTicket(long long ticket) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto found = FindTicket(ticket);
  if (found == tickets_.end() || !Deleted(*found)) return NotFoundAnswer();
  tickets_.erase(found);
  comments_.erase(std::remove_if(comments_.begin(), comments_.end(),
                                 [&](const Json& comment) {
                                   return comment.value("ticket_id", Json()) == Json(ticket);
                                 }),
                  comments_.end());
  const Status saved = SaveLocked();
  if (!saved.ok()) return {500, {{"error", "InternalError"}, {"description", saved.message()}}};
  // Zendesk queues a job and answers with its status; here the job is done at once.
  return {200,
          {{"job_status",
            {{"id", "standin-delete-ticket-" + std::to_string(ticket)},
             {"status", "completed"},
             {"total", 1},
             {"progress", 1},
             {"message", nullptr}}}}};
}

Json ZendeskStore::Dump() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return DumpLocked();
}

Json ZendeskStore::DumpLocked() const {
  Json users = Json::array();
  for (const auto& [id, user] : users_) users.push_back(user);
  return {{"users", users}, {"tickets", tickets_}, {"comments", comments_}};
}

Status ZendeskStore::SaveLocked() const {
  if (save_path_.empty()) return Status::Ok();
  return WriteFileAtomically(save_path_, DumpLocked().dump(2) + "\n");
}

}  // namespace dsr::zendesk_standin
