#include "tools/zendesk-standin/standin_store.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "common/durable_file.h"
#include "tools/zendesk-standin/standin_json.h"

namespace dsr::zendesk_standin {
namespace {

using Json = nlohmann::json;

// Fields a client may change with PUT /api/v2/users/{id}.json; "email" and
// "phone" go through the identities (UpdateIdentities).
const char* const kWritableUserFields[] = {"name",        "alias",   "details",   "notes",
                                           "external_id", "locale",  "time_zone", "tags",
                                           "user_fields", "verified"};

// A soft-deleted ticket, kept until it is permanently deleted.
bool Deleted(const Json& ticket) {
  return TextField(ticket, "status") == "deleted";
}

std::string Unquoted(std::string value) {
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
    value = value.substr(1, value.size() - 2);
  }
  return value;
}

// A search query's field ("email", "phone", or "" for free text) and value.
struct SearchTerm {
  std::string field, value;
};

SearchTerm ParseQuery(const std::string& query) {
  for (const char* field : {"email", "phone"}) {
    const std::string prefix = std::string(field) + ":";
    if (query.rfind(prefix, 0) == 0) return {field, Unquoted(query.substr(prefix.size()))};
  }
  return {"", Lower(Unquoted(query))};
}

// Whether `user` matches `term`; `holders` are the users with an identity
// that has the term's value.
bool Matches(const Json& user, const SearchTerm& term, const std::set<long long>& holders) {
  if (holders.count(user.at("id").get<long long>()) != 0) return true;
  if (term.field == "email") return Lower(TextField(user, "email")) == Lower(term.value);
  if (term.field == "phone") {
    // A shared number is the user's field only, not an identity.
    return !Digits(term.value).empty() && Digits(TextField(user, "phone")) == Digits(term.value);
  }
  return !term.value.empty() &&
         (Lower(TextField(user, "name")).find(term.value) != std::string::npos ||
          Lower(TextField(user, "email")).find(term.value) != std::string::npos);
}

bool Lists(const Json& ids, long long user) {
  return ids.is_array() && std::find(ids.begin(), ids.end(), Json(user)) != ids.end();
}

}  // namespace

ApiAnswer NotFoundAnswer() {
  return {404, {{"error", "RecordNotFound"}, {"description", "Not found"}}};
}

ApiAnswer InvalidAnswer(const std::string& field, const std::string& error,
                        const std::string& description) {
  return {
      422,
      {{"error", "RecordInvalid"},
       {"description", "Record validation errors"},
       {"details", {{field, Json::array({{{"error", error}, {"description", description}}})}}}}};
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
  std::map<long long, Json> users;
  try {
    for (auto& user : data.at("users")) {
      const long long id = user.at("id").get<long long>();  // before the move below
      users[id] = std::move(user);
    }
  } catch (const Json::exception& error) {
    return InvalidArgument("'" + path + "': every user needs a numeric id (" + error.what() + ")");
  }
  auto identities = UserIdentities::Load(data.value("identities", Json()), users);
  if (!identities.ok()) return identities.status().WithContext("'" + path + "'");
  return std::unique_ptr<ZendeskStore>(new ZendeskStore(
      std::move(users), std::move(identities.value()), data.at("tickets").get<std::vector<Json>>(),
      data.at("comments").get<std::vector<Json>>(), std::move(save_path)));
}

ZendeskStore::ZendeskStore(std::map<long long, Json> users, UserIdentities identities,
                           std::vector<Json> tickets, std::vector<Json> comments,
                           std::string save_path)
    : users_(std::move(users)),
      tickets_(std::move(tickets)),
      comments_(std::move(comments)),
      identities_(std::move(identities)),
      save_path_(std::move(save_path)) {}

const Json* ZendeskStore::FindUser(long long user) const {
  const auto found = users_.find(user);
  return found == users_.end() ? nullptr : &found->second;
}

Json* ZendeskStore::FindActiveUser(long long user) {
  const auto found = users_.find(user);
  return found == users_.end() || !ActiveUser(found->second) ? nullptr : &found->second;
}

std::vector<Json> ZendeskStore::SearchUsers(const std::string& query) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const SearchTerm term = ParseQuery(query);
  std::set<long long> holders;
  if (!term.field.empty()) {
    const auto found =
        identities_.Holders(term.field == "email" ? kEmailIdentity : kPhoneIdentity, term.value);
    holders.insert(found.begin(), found.end());
  }
  std::vector<Json> found;
  for (const auto& [id, user] : users_) {
    if (ActiveUser(user) && Matches(user, term, holders)) found.push_back(user);
  }
  return found;
}

std::vector<Json> ZendeskStore::ActiveUsers() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<Json> active;
  for (const auto& [id, user] : users_) {
    if (ActiveUser(user)) active.push_back(user);
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
  if (found == nullptr || !ActiveUser(*found)) return std::nullopt;
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
  if (found == nullptr || ActiveUser(*found)) return NotFoundAnswer();
  return {200, {{"deleted_user", *found}}};
}

ApiAnswer ZendeskStore::UpdateUser(long long user, const Json& request_body) {
  std::lock_guard<std::mutex> lock(mutex_);
  Json* found = FindActiveUser(user);
  if (found == nullptr) return NotFoundAnswer();
  if (!request_body.is_object() || !request_body.contains("user") ||
      !request_body.at("user").is_object()) {
    return {400, {{"error", "InvalidParameter"}, {"description", "expected {\"user\": {...}}"}}};
  }
  const Json& changes = request_body.at("user");
  const std::string email = Lower(TextField(changes, "email"));
  if (!email.empty() && HeldByOther(user, kEmailIdentity, email)) {
    // As Zendesk does, the message repeats the refused address.
    return InvalidAnswer("email", "DuplicateValue",
                         "Email: " + email + " is already being used by another user");
  }
  for (const char* field : kWritableUserFields) {
    if (changes.contains(field)) (*found)[field] = changes.at(field);
  }
  const std::string now = NowUtc();
  UpdateIdentities(*found, changes, now);
  (*found)["updated_at"] = now;
  return Saved({200, {{"user", *found}}});
}

ApiAnswer ZendeskStore::Saved(ApiAnswer done) const {
  const Status saved = SaveLocked();
  if (!saved.ok()) return {500, {{"error", "InternalError"}, {"description", saved.message()}}};
  return done;
}

ApiAnswer ZendeskStore::DeleteUser(long long user) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = users_.find(user);
  if (found == users_.end() || !ActiveUser(found->second)) return NotFoundAnswer();
  const auto open = std::count_if(tickets_.begin(), tickets_.end(), [&](const Json& ticket) {
    return ticket.value("requester_id", Json()) == Json(user) &&
           TextField(ticket, "status") != "closed" && !Deleted(ticket);
  });
  if (open > 0) {
    return InvalidAnswer("base", "UserHasOpenTickets",
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
  if (found == users_.end() || ActiveUser(found->second)) return NotFoundAnswer();
  users_.erase(found);
  identities_.EraseUser(user);
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
  return {{"users", users},
          {"tickets", tickets_},
          {"comments", comments_},
          {"identities", identities_.Dump()}};
}

Status ZendeskStore::SaveLocked() const {
  if (save_path_.empty()) return Status::Ok();
  return WriteFileAtomically(save_path_, DumpLocked().dump(2) + "\n");
}

}  // namespace dsr::zendesk_standin
