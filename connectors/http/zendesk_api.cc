#include "connectors/http/zendesk_api.h"

#include <Poco/URI.h>

#include <algorithm>
#include <cctype>

#include "connectors/http/zendesk_fields.h"

namespace dsr::connectors::http {
namespace {

// A loop guard: 100,000 pages of 100 are more than any account's lists.
constexpr int kMaxPages = 100000;

std::string Encoded(const std::string& text) {
  std::string encoded;
  Poco::URI::encode(text, "!#$&'()*+,/:;=?@[]\" ", encoded);
  return encoded;
}

// Zendesk ids are integers; anything else must not reach a URL path.
Status CheckId(const std::string& id) {
  const bool digits =
      !id.empty() && id.size() <= 18 &&
      std::all_of(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; });
  return digits ? Status::Ok() : InvalidArgument("'" + id + "' is not a Zendesk id");
}

// Cursor pagination answers meta.has_more and links.next; offset pagination
// (search) answers next_page. Empty when this was the last page.
std::string NextPageUrl(const nlohmann::json& body) {
  const auto meta = body.find("meta");
  if (meta != body.end() && meta->is_object() && meta->contains("has_more")) {
    const auto links = body.find("links");
    if (!meta->value("has_more", false) || links == body.end() || !links->is_object()) return "";
    return links->value("next", nlohmann::json()).is_string() ? links->at("next").get<std::string>()
                                                              : "";
  }
  const auto next = body.find("next_page");
  return next != body.end() && next->is_string() ? next->get<std::string>() : "";
}

std::string StringField(const nlohmann::json& record, const char* field) {
  const auto found = record.find(field);
  return found != record.end() && found->is_string() ? found->get<std::string>() : "";
}

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

bool IsEmailIdentity(const nlohmann::json& identity) {
  return StringField(identity, "type") == "email";
}

bool IsPrimary(const nlohmann::json& identity) {
  const auto primary = identity.find("primary");
  return primary != identity.end() && primary->is_boolean() && primary->get<bool>();
}

// The id of the user's e-mail identity with `address` (without case), or "".
std::string EmailIdentityId(const std::vector<nlohmann::json>& identities,
                            const std::string& address) {
  for (const auto& identity : identities) {
    if (IsEmailIdentity(identity) && Lower(StringField(identity, "value")) == Lower(address)) {
      return IdOf(identity);
    }
  }
  return "";
}

// Zendesk keeps one name; a correction may give one part of it.
std::string ComposeName(const std::string& current, const nlohmann::json& name) {
  const size_t space = current.rfind(' ');
  std::string given = space == std::string::npos ? current : current.substr(0, space);
  std::string family = space == std::string::npos ? "" : current.substr(space + 1);
  if (name.contains("given")) given = name.at("given").get<std::string>();
  if (name.contains("family")) family = name.at("family").get<std::string>();
  if (given.empty()) return family;
  return family.empty() ? given : given + " " + family;
}

// `value` as one quoted phrase of the search syntax (phone numbers hold
// spaces, which it reads as separators). Quotes, backslashes and control
// characters are left out, so nothing in an identity value can end the
// phrase and add terms (type:, wildcards, OR). The search is only a first
// filter: every user it returns is compared with the exact value.
std::string SearchPhrase(const std::string& value) {
  std::string phrase = "\"";
  for (const char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\' || byte < 0x20 || byte == 0x7f) continue;
    phrase.push_back(c);
  }
  return phrase + "\"";
}

class ZendeskApi final : public TicketApi {
 public:
  ZendeskApi(const HttpConfig& config, ApiClient::Sleeper sleeper)
      : client_(config, std::move(sleeper)), page_size_(config.page_size) {}

  Status SearchUsers(std::string_view attribute, const std::string& value,
                     const RecordVisitor& visit) override {
    const std::string term = std::string(attribute) + ":" + SearchPhrase(value);
    return ForEachPage("search users",
                       "/api/v2/users/search.json?query=" + Encoded(term) +
                           "&per_page=" + std::to_string(page_size_),
                       "users", ZendeskUserFields(), -1, visit);
  }

  Result<std::optional<nlohmann::json>> ShowUser(const std::string& id) override {
    DSR_RETURN_IF_ERROR(CheckId(id));
    auto body = client_.Get("show user", "/api/v2/users/" + id + ".json");
    if (!body.ok() && body.status().code() == StatusCode::kNotFound) {
      return std::optional<nlohmann::json>();
    }
    if (!body.ok()) return body.status();
    if (!body->is_object() || !body->contains("user")) {
      return Internal("show user: the answer has no 'user'");
    }
    return std::optional<nlohmann::json>(TrimToFields(body->at("user"), ZendeskUserFields()));
  }

  Status ListTickets(const std::string& user_id, TicketRelation relation,
                     const RecordVisitor& visit) override {
    DSR_RETURN_IF_ERROR(CheckId(user_id));
    const bool requested = relation == TicketRelation::kRequested;
    const std::string target = "/api/v2/users/" + user_id + "/tickets/" +
                               (requested ? "requested" : "ccd") + ".json?" + PageSize();
    // A user deleted meanwhile has no tickets to list.
    return IgnoreNotFound(ForEachPage(requested ? "list requested tickets" : "list copied tickets",
                                      target, "tickets", ZendeskTicketFields(), -1, visit));
  }

  Status ListComments(const std::string& ticket_id, const RecordVisitor& visit) override {
    DSR_RETURN_IF_ERROR(CheckId(ticket_id));
    const nlohmann::json ticket = std::stoll(ticket_id);
    const std::string target = "/api/v2/tickets/" + ticket_id + "/comments.json?" + PageSize();
    return IgnoreNotFound(ForEachPage("list comments", target, "comments", ZendeskCommentFields(),
                                      -1, [&](const nlohmann::json& comment) {
                                        nlohmann::json record = comment;
                                        record["ticket_id"] = ticket;
                                        return visit(record);
                                      }));
  }

  Status UpdateUser(const std::string& id, const nlohmann::json& changes) override {
    DSR_RETURN_IF_ERROR(CheckId(id));
    return client_.Put("update user", "/api/v2/users/" + id + ".json", {{"user", changes}})
        .status();
  }

  Result<std::vector<HeldAddress>> UserEmails(const std::string& user_id) override {
    auto identities = ListIdentities(user_id);
    if (!identities.ok()) return identities.status();
    std::vector<HeldAddress> addresses;
    for (const auto& identity : *identities) {
      if (IsEmailIdentity(identity)) {
        addresses.push_back({StringField(identity, "value"), IsPrimary(identity)});
      }
    }
    return addresses;
  }

  // Zendesk keeps a user's addresses as identities: `email` on the user is
  // writeable on create only (an update adds a secondary address), so the
  // new address becomes an identity, is made primary, and the old ones are
  // deleted as identities. Primary first: a user never lacks a primary
  // address, and the old one is no longer primary when it is deleted.
  Result<bool> ReplaceEmail(const std::string& user_id, const std::set<std::string>& old_addresses,
                            const std::string& new_address) override {
    auto identities = ListIdentities(user_id);
    if (!identities.ok()) return identities.status();
    bool changed = false;
    auto target = EmailIdentityFor(user_id, new_address, &identities.value(), &changed);
    if (!target.ok()) return target.status();
    const std::string base = "/api/v2/users/" + user_id + "/identities/";
    const auto chosen =
        std::find_if(identities->begin(), identities->end(),
                     [&](const nlohmann::json& held) { return IdOf(held) == *target; });
    if (chosen == identities->end() || !IsPrimary(*chosen)) {
      DSR_RETURN_IF_ERROR(client_
                              .Put("make identity primary", base + *target + "/make_primary.json",
                                   nlohmann::json::object())
                              .status());
      changed = true;
    }
    std::set<std::string> old_lower;
    for (const auto& address : old_addresses) old_lower.insert(Lower(address));
    for (const auto& identity : *identities) {
      const std::string id = IdOf(identity);
      if (!IsEmailIdentity(identity) || id == *target ||
          old_lower.count(Lower(StringField(identity, "value"))) == 0) {
        continue;
      }
      DSR_RETURN_IF_ERROR(CheckId(id));
      auto deleted = client_.Delete("delete identity", base + id + ".json");
      if (!deleted.ok() && deleted.status().code() != StatusCode::kNotFound) {
        return deleted.status();
      }
      changed = changed || deleted.ok();
    }
    return changed;
  }

  Result<bool> EraseUser(const std::string& id) override {
    DSR_RETURN_IF_ERROR(CheckId(id));
    auto deleted = client_.Delete("delete user", "/api/v2/users/" + id + ".json");
    if (!deleted.ok() && deleted.status().code() != StatusCode::kNotFound) return deleted.status();
    // Also after a 404: a soft-deleted user (an erasure cut short) is purged now.
    auto purged =
        client_.Delete("permanently delete user", "/api/v2/deleted_users/" + id + ".json");
    if (purged.ok()) return true;
    if (purged.status().code() == StatusCode::kNotFound) return deleted.ok();
    return purged.status();
  }

  Result<std::optional<nlohmann::json>> ShowTicket(const std::string& id) override {
    DSR_RETURN_IF_ERROR(CheckId(id));
    auto body = client_.Get("show ticket", "/api/v2/tickets/" + id + ".json");
    if (!body.ok() && body.status().code() == StatusCode::kNotFound) {
      return std::optional<nlohmann::json>();
    }
    if (!body.ok()) return body.status();
    if (!body->is_object() || !body->contains("ticket")) {
      return Internal("show ticket: the answer has no 'ticket'");
    }
    return std::optional<nlohmann::json>(TrimToFields(body->at("ticket"), ZendeskTicketFields()));
  }

  Result<bool> EraseTicket(const std::string& id) override {
    DSR_RETURN_IF_ERROR(CheckId(id));
    auto deleted = client_.Delete("delete ticket", "/api/v2/tickets/" + id + ".json");
    if (!deleted.ok() && deleted.status().code() != StatusCode::kNotFound) return deleted.status();
    // Also after a 404: a soft-deleted ticket (an erasure cut short) is purged now.
    auto purged =
        client_.Delete("permanently delete ticket", "/api/v2/deleted_tickets/" + id + ".json");
    if (purged.ok()) return true;
    if (purged.status().code() == StatusCode::kNotFound) return deleted.ok();
    return purged.status();
  }

  Status SampleUsers(int64_t limit, const RecordVisitor& visit) override {
    return ForEachPage("sample users", "/api/v2/users.json?" + PageSize(limit), "users",
                       ZendeskUserFields(), limit, visit);
  }

  Status SampleTickets(int64_t limit, const RecordVisitor& visit) override {
    return ForEachPage("sample tickets", "/api/v2/tickets.json?" + PageSize(limit), "tickets",
                       ZendeskTicketFields(), limit, visit);
  }

  std::map<std::string, std::string> UserAttributes(const nlohmann::json& user) const override {
    std::map<std::string, std::string> attributes;
    for (const char* field : {"email", "phone", "name"}) {
      std::string value = StringField(user, field);
      if (!value.empty()) attributes[field] = std::move(value);
    }
    return attributes;
  }

  bool IsActive(const nlohmann::json& user) const override {
    const auto active = user.find("active");
    return active == user.end() || !active->is_boolean() || active->get<bool>();
  }

  std::optional<CivilDate> CreatedOn(const nlohmann::json& record) const override {
    // Zendesk writes ISO 8601 in UTC: "2024-03-05T09:30:00Z".
    const std::string created = StringField(record, "created_at");
    if (created.size() < 10) return std::nullopt;
    auto date = CivilDate::Parse(std::string_view(created).substr(0, 10));
    return date.ok() ? std::optional<CivilDate>(*date) : std::nullopt;
  }

  nlohmann::json UserChanges(const nlohmann::json& user, const Corrections& corrections,
                             const std::set<std::string>& mapped) const override {
    nlohmann::json changes = nlohmann::json::object();
    // Zendesk documents `phone` as writable on update, and a shared number
    // is no identity of anyone, so the user's field is where it is corrected.
    if (mapped.count("phone") != 0 && corrections.contains("phone")) {
      changes["phone"] = corrections.at("phone");
    }
    if (mapped.count("name") != 0 && corrections.contains("name")) {
      changes["name"] = ComposeName(StringField(user, "name"), corrections.at("name"));
    }
    return changes;
  }

  void SetKnownValues(std::vector<std::string> values) override {
    client_.set_known_values(std::move(values));
  }

 private:
  std::string PageSize(int64_t limit = -1) const {
    const int64_t size = limit > 0 ? std::min<int64_t>(limit, page_size_) : page_size_;
    return "page%5Bsize%5D=" + std::to_string(size);
  }

  // The user's identities: e-mail addresses, phone numbers and others.
  Result<std::vector<nlohmann::json>> ListIdentities(const std::string& user_id) {
    DSR_RETURN_IF_ERROR(CheckId(user_id));
    std::vector<nlohmann::json> identities;
    DSR_RETURN_IF_ERROR(ForEachPage(
        "list identities", "/api/v2/users/" + user_id + "/identities.json?" + PageSize(),
        "identities", ZendeskIdentityFields(), -1, [&](const nlohmann::json& identity) {
          identities.push_back(identity);
          return Status::Ok();
        }));
    return identities;
  }

  // The id of the user's e-mail identity with `address`, created (and added
  // to `identities`, `created` set) when the user has none.
  Result<std::string> EmailIdentityFor(const std::string& user_id, const std::string& address,
                                       std::vector<nlohmann::json>* identities, bool* created) {
    std::string id = EmailIdentityId(*identities, address);
    if (!id.empty()) return id;
    auto answer = client_.Post("create identity", "/api/v2/users/" + user_id + "/identities.json",
                               {{"identity", {{"type", "email"}, {"value", address}}}});
    if (!answer.ok() && answer.status().code() == StatusCode::kConflict) {
      // A retry after a lost answer finds the address taken: by this user, it is there.
      auto again = ListIdentities(user_id);
      if (!again.ok()) return again.status();
      *identities = std::move(again.value());
      id = EmailIdentityId(*identities, address);
      if (id.empty()) return answer.status();
    } else if (!answer.ok()) {
      return answer.status();
    } else {
      const auto identity = answer->is_object() ? answer->find("identity") : answer->end();
      if (!answer->is_object() || identity == answer->end() || !identity->is_object()) {
        return Internal("create identity: the answer has no 'identity'");
      }
      identities->push_back(TrimToFields(*identity, ZendeskIdentityFields()));
      id = IdOf(identities->back());
    }
    *created = true;
    DSR_RETURN_IF_ERROR(CheckId(id));
    return id;
  }

  static Status IgnoreNotFound(Status status) {
    return status.code() == StatusCode::kNotFound ? Status::Ok() : status;
  }

  // Visits the `key` list of every page (at most `limit` records when
  // `limit` >= 0), following the pages' links.
  Status ForEachPage(const std::string& operation, std::string target, const std::string& key,
                     const std::set<std::string>& fields, int64_t limit,
                     const RecordVisitor& visit) {
    int64_t seen = 0;
    for (int page = 0; page < kMaxPages; ++page) {
      auto body = client_.Get(operation, target);
      if (!body.ok()) return body.status();
      const auto items = body->is_object() ? body->find(key) : body->end();
      if (!body->is_object() || items == body->end() || !items->is_array()) {
        return Internal(operation + ": the answer has no '" + key + "' list");
      }
      for (const auto& item : *items) {
        if (limit >= 0 && seen >= limit) return Status::Ok();
        ++seen;
        DSR_RETURN_IF_ERROR(visit(TrimToFields(item, fields)));
      }
      const std::string next = NextPageUrl(*body);
      if (next.empty() || (limit >= 0 && seen >= limit)) return Status::Ok();
      auto next_target = client_.TargetOf(operation, next);
      if (!next_target.ok()) return next_target.status();
      if (*next_target == target) return Internal(operation + ": the next page is this page");
      target = std::move(next_target.value());
    }
    return Internal(operation + ": more than " + std::to_string(kMaxPages) + " pages");
  }

  ApiClient client_;
  int page_size_;
};

}  // namespace

std::unique_ptr<TicketApi> NewZendeskApi(const HttpConfig& config, ApiClient::Sleeper sleeper) {
  return std::make_unique<ZendeskApi>(config, std::move(sleeper));
}

}  // namespace dsr::connectors::http
