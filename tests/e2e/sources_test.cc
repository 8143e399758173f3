// End-to-end across every kind of source: the coordinator, one worker per
// source (CRM database, support mailbox, ticket system, files) and
// dsr-zendesk-standin (a local stand-in for Zendesk) as real processes on
// sample data generated together from the same customers. The expected items
// come from reading the sources directly, not from the connectors.
#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>

#include "tests/e2e/cluster.h"

namespace dsr::testing {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

bool SameAddress(const std::string& a, const std::string& b) {
  return Lower(a) == Lower(b);
}

// Every file below `root` with its bytes, by path relative to `root`.
std::map<std::string, std::string> Snapshot(const std::string& root) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file())
      files[fs::relative(entry.path(), root).string()] = ReadFile(entry.path().string());
  }
  return files;
}

// The records of one source in an unpacked bundle, by collection.
std::map<std::string, Json> BundleRecords(const std::string& bundle, const std::string& source) {
  std::map<std::string, Json> records;
  const fs::path folder = fs::path(bundle) / "sources" / source;
  if (!fs::exists(folder)) return records;
  for (const auto& entry : fs::directory_iterator(folder)) {
    const auto json = entry.path() / "records.json";
    if (fs::exists(json))
      records[entry.path().filename().string()] = Json::parse(ReadFile(json.string()));
  }
  return records;
}

// --- the mailbox, read directly --------------------------------------------

// The message's header block, with folded lines joined.
std::map<std::string, std::string> Headers(const std::string& message) {
  std::map<std::string, std::string> headers;
  std::string last;
  size_t begin = 0;
  while (begin < message.size()) {
    size_t end = message.find('\n', begin);
    if (end == std::string::npos) end = message.size();
    std::string line = message.substr(begin, end - begin);
    begin = end + 1;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) break;
    if ((line[0] == ' ' || line[0] == '\t') && !last.empty()) {
      headers[last] += line;
    } else if (const size_t colon = line.find(':'); colon != std::string::npos) {
      last = Lower(line.substr(0, colon));
      headers[last] += line.substr(colon + 1);
    }
  }
  return headers;
}

// Whether `header` names `address` as a whole address.
bool NamesAddress(const std::string& header, const std::string& address) {
  const std::string text = Lower(header), wanted = Lower(address);
  const auto separator = [](char c) {
    return std::string(" <>,;:\"\t").find(c) != std::string::npos;
  };
  for (size_t at = text.find(wanted); at != std::string::npos; at = text.find(wanted, at + 1)) {
    const size_t after = at + wanted.size();
    if ((at == 0 || separator(text[at - 1])) && (after == text.size() || separator(text[after])))
      return true;
  }
  return false;
}

// Message-IDs of the messages with `email` in From, To, Cc or Reply-To.
std::set<std::string> MessagesOf(const std::map<std::string, std::string>& mailbox,
                                 const std::string& email) {
  std::set<std::string> ids;
  for (const auto& [path, message] : mailbox) {
    if (path.find("tmp/") != std::string::npos) continue;
    auto headers = Headers(message);
    for (const char* name : {"from", "to", "cc", "reply-to"}) {
      if (NamesAddress(headers[name], email)) {
        std::string id = headers["message-id"];
        id.erase(0, id.find_first_not_of(' '));
        ids.insert(id);
        break;
      }
    }
  }
  return ids;
}

// --- the ticket system, read from the stand-in's data ----------------------

// The subject's users, the tickets they request or are copied on and those
// tickets' comments; and apart, the tickets they request and their comments.
struct TicketItems {
  std::set<long long> users, tickets, comments;
  std::set<long long> requested, requested_comments;
};

TicketItems TicketItemsOf(const Json& account, const std::string& email) {
  TicketItems items;
  for (const auto& user : account.at("users")) {
    if (user.value("active", true) && user.at("email").is_string() &&
        SameAddress(user.at("email").get<std::string>(), email)) {
      items.users.insert(user.at("id").get<long long>());
    }
  }
  const auto lists_user = [&](const Json& ids) {
    if (!ids.is_array()) return false;
    return std::any_of(ids.begin(), ids.end(),
                       [&](const Json& id) { return items.users.count(id.get<long long>()) > 0; });
  };
  for (const auto& ticket : account.at("tickets")) {
    const Json requester = ticket.value("requester_id", Json());
    const bool requested =
        requester.is_number() && items.users.count(requester.get<long long>()) > 0;
    if (requested || lists_user(ticket.value("collaborator_ids", Json())) ||
        lists_user(ticket.value("email_cc_ids", Json()))) {
      items.tickets.insert(ticket.at("id").get<long long>());
    }
    if (requested) items.requested.insert(ticket.at("id").get<long long>());
  }
  for (const auto& comment : account.at("comments")) {
    const long long ticket = comment.at("ticket_id").get<long long>();
    if (items.tickets.count(ticket) > 0) items.comments.insert(comment.at("id").get<long long>());
    if (items.requested.count(ticket) > 0)
      items.requested_comments.insert(comment.at("id").get<long long>());
  }
  return items;
}

std::set<long long> IdsIn(const Json& records) {
  std::set<long long> ids;
  for (const auto& record : records) ids.insert(record.at("id").get<long long>());
  return ids;
}

// --- the files, read directly ----------------------------------------------

// A CSV file cut into records, each with its exact bytes (the first one
// carries the BOM and the header) and its unquoted fields.
struct CsvRecord {
  std::string bytes;
  std::vector<std::string> fields;
};

std::vector<CsvRecord> CsvRecords(const std::string& text, char delimiter) {
  std::vector<CsvRecord> records;
  CsvRecord current;
  std::string field;
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    current.bytes += c;
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        current.bytes += text[++i];
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == delimiter) {
      current.fields.push_back(field);
      field.clear();
    } else if (c == '\n') {
      if (!field.empty() && field.back() == '\r') field.pop_back();
      current.fields.push_back(field);
      field.clear();
      records.push_back(current);
      current = CsvRecord();
    } else {
      field += c;
    }
  }
  if (!current.bytes.empty()) {
    current.fields.push_back(field);
    records.push_back(current);
  }
  return records;
}

bool HasField(const std::vector<std::string>& fields, const std::string& email) {
  return std::any_of(fields.begin(), fields.end(),
                     [&](const std::string& field) { return SameAddress(field, email); });
}

// A vCard file cut into cards (from BEGIN:VCARD through the END:VCARD line).
std::vector<std::string> VCards(const std::string& text) {
  std::vector<std::string> cards;
  size_t begin = 0;
  while (begin < text.size()) {
    size_t end = text.find("END:VCARD", begin);
    end = end == std::string::npos ? text.size() : text.find('\n', end);
    end = end == std::string::npos ? text.size() : end + 1;
    cards.push_back(text.substr(begin, end - begin));
    begin = end;
  }
  return cards;
}

bool CardHasEmail(const std::string& card, const std::string& email) {
  for (size_t at = 0; (at = Lower(card).find("\nemail", at)) != std::string::npos; ++at) {
    const size_t colon = card.find(':', at);
    size_t end = card.find('\n', colon);
    std::string value = card.substr(colon + 1, end - colon - 1);
    if (!value.empty() && value.back() == '\r') value.pop_back();
    if (SameAddress(value, email)) return true;
  }
  return false;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t begin = 0;
  while (begin < text.size()) {
    size_t end = text.find('\n', begin);
    end = end == std::string::npos ? text.size() : end + 1;
    lines.push_back(text.substr(begin, end - begin));
    begin = end;
  }
  return lines;
}

// Chat sessions in which the visitor gave `email`.
std::set<std::string> ChatSessionsOf(const std::string& log, const std::string& email) {
  std::set<std::string> sessions;
  for (const auto& line : Lines(log)) {
    const Json entry = Json::parse(line, nullptr, false);
    if (entry.is_object() && entry.value("visitor_email", "") != "" &&
        SameAddress(entry.value("visitor_email", ""), email)) {
      sessions.insert(entry.at("session_id").get<std::string>());
    }
  }
  return sessions;
}

// The files' bytes once the subject's rows, cards and chat sessions are gone.
std::map<std::string, std::string> WithoutSubject(std::map<std::string, std::string> files,
                                                  const std::string& email) {
  for (auto& [path, text] : files) {
    std::string kept;
    if (path.rfind("lists/", 0) == 0) {
      for (const auto& record : CsvRecords(text, ';'))
        if (!HasField(record.fields, email)) kept += record.bytes;
    } else if (path.rfind("contacts/", 0) == 0) {
      for (const auto& card : VCards(text))
        if (!CardHasEmail(card, email)) kept += card;
    } else if (path.rfind("chat/", 0) == 0) {
      const auto sessions = ChatSessionsOf(text, email);
      for (const auto& line : Lines(text)) {
        const Json entry = Json::parse(line, nullptr, false);
        if (!entry.is_object() || sessions.count(entry.value("session_id", "")) == 0) kept += line;
      }
    } else {
      continue;  // spreadsheets (XLSX) are zipped XML: checked through the connector's eyes
    }
    text = kept;
  }
  return files;
}

// --- the cluster -----------------------------------------------------------

const std::set<std::string> kAllSources = {"crm", "mail", "tickets", "files"};

struct AllSources {
  Cluster cluster;
  std::vector<Sample> samples;

  AllSources() {
    samples = ParseSamples(cluster.GenerateAllSources(400));
    REQUIRE_FALSE(samples.empty());
    REQUIRE(cluster.StartTicketSystem());
    REQUIRE(cluster.StartCoordinator(kAllSources));
    for (const auto& source : kAllSources) REQUIRE(cluster.StartWorker(source + "-1", source));
  }

  Json TicketAccount() const {
    const auto dump = HttpCall(cluster.ticket_url(), "GET", "/_standin/dump");
    REQUIRE(dump.status == 200);
    return Json::parse(dump.body);
  }

  // Files a request, confirms the identity, waits for review.
  Json ToReview(const Json& body) {
    const auto created = cluster.Submit(body);
    REQUIRE(created.is_object());
    const std::string id = created.at("id").get<std::string>();
    REQUIRE(cluster.ConfirmIdentity(id).is_object());
    const auto review = cluster.WaitForStatus(id, "in_review");
    REQUIRE_MESSAGE(review.at("status") == "in_review", review.dump());
    return review;
  }

  // An access request for `email`, approved; returns the unpacked bundle.
  std::string Access(const std::string& email) {
    const auto review = ToReview({{"type", "access"}, {"subject", {{"email", email}}}});
    const std::string id = review.at("id").get<std::string>();
    REQUIRE(cluster.ReviewAndApprove(id).at("status") == "completed");
    return cluster.FetchBundle(id);
  }
};

// Outcomes of a request's tasks as "source/collection:outcome" → records.
std::map<std::string, int64_t> Outcomes(const Json& request) {
  std::map<std::string, int64_t> outcomes;
  for (const auto& task : request.at("tasks")) {
    for (const auto& outcome : task.at("outcomes")) {
      outcomes[task.at("source").get<std::string>() + "/" +
               outcome.at("collection").get<std::string>() + ":" +
               outcome.at("outcome").get<std::string>()] += outcome.at("records").get<int64_t>();
    }
  }
  return outcomes;
}

}  // namespace

TEST_SUITE("EndToEnd all sources") {
  TEST_CASE("access finds exactly the subject's items in the mailbox, tickets and files") {
    AllSources all;
    const Sample sample = SampleOfKind(all.samples, "typical");
    const auto mailbox = Snapshot(all.cluster.mailbox_path());
    const auto files = Snapshot(all.cluster.files_path());
    const TicketItems tickets = TicketItemsOf(all.TicketAccount(), sample.email);
    const std::string bundle = all.Access(sample.email);

    // The mailbox: every message with the address in From, To, Cc or Reply-To.
    std::set<std::string> exported_messages;
    std::set<std::string> stored_messages;
    for (const auto& [path, message] : mailbox) stored_messages.insert(message);
    for (const auto& [folder, records] : BundleRecords(bundle, "mail")) {
      for (const auto& record : records) {
        exported_messages.insert(record.at("message_id").get<std::string>());
        // The original message travels beside its summary, byte for byte.
        const std::string original = bundle + "/sources/mail/" + folder + "/" +
                                     record.at("original_file").get<std::string>();
        REQUIRE(fs::exists(original));
        CHECK(stored_messages.count(ReadFile(original)) == 1);
      }
    }
    const auto expected_messages = MessagesOf(mailbox, sample.email);
    CHECK(expected_messages.size() >= 2);
    CHECK(exported_messages == expected_messages);

    // The ticket system: the user, the tickets they request or are copied on,
    // and those tickets' comments.
    const auto ticket_records = BundleRecords(bundle, "tickets");
    REQUIRE(ticket_records.count("users") == 1);
    CHECK(IdsIn(ticket_records.at("users")) == tickets.users);
    CHECK(IdsIn(ticket_records.at("tickets")) == tickets.tickets);
    CHECK(IdsIn(ticket_records.at("comments")) == tickets.comments);
    CHECK(tickets.tickets.size() >= 1);

    // The files: the newsletter row, the address-book card, the chat sessions
    // and the event list's row.
    const auto file_records = BundleRecords(bundle, "files");
    int64_t newsletter_rows = 0;
    for (const auto& record : CsvRecords(files.at("lists/newsletter.csv"), ';'))
      newsletter_rows += HasField(record.fields, sample.email) ? 1 : 0;
    REQUIRE(file_records.count("lists_newsletter_csv") == 1);
    CHECK(static_cast<int64_t>(file_records.at("lists_newsletter_csv").size()) == newsletter_rows);
    for (const auto& row : file_records.at("lists_newsletter_csv"))
      CHECK(SameAddress(row.at("fields").at("E-Mail").get<std::string>(), sample.email));

    int64_t cards = 0;
    for (const auto& card : VCards(files.at("contacts/vertrieb.vcf")))
      cards += CardHasEmail(card, sample.email) ? 1 : 0;
    REQUIRE(file_records.count("contacts_vertrieb_vcf") == 1);
    CHECK(static_cast<int64_t>(file_records.at("contacts_vertrieb_vcf").size()) == cards);

    for (const std::string month : {"2025-05", "2025-06"}) {
      const auto sessions = ChatSessionsOf(files.at("chat/" + month + ".jsonl"), sample.email);
      const std::string collection = "chat_" + month + "_jsonl";
      if (sessions.empty()) {
        CHECK(file_records.count(collection) == 0);
        continue;
      }
      REQUIRE(file_records.count(collection) == 1);
      std::set<std::string> exported;
      for (const auto& session : file_records.at(collection)) {
        for (const auto& line : session.at("lines"))
          exported.insert(line.at("entry").at("session_id").get<std::string>());
      }
      CHECK(exported == sessions);
    }
    REQUIRE(file_records.count("events_teilnehmer-2025_xlsx") == 1);
    for (const auto& row : file_records.at("events_teilnehmer-2025_xlsx"))
      CHECK(SameAddress(row.at("fields").at("E-Mail").get<std::string>(), sample.email));
  }

  TEST_CASE(
      "a request by IP address finds the chat sessions from that address, for the agent to "
      "decide") {
    AllSources all;
    const Sample sample = SampleOfKind(all.samples, "typical");
    const auto files = Snapshot(all.cluster.files_path());
    // The address the typical customer chatted from, read from the log.
    std::string ip;
    for (const auto& line : Lines(files.at("chat/2025-05.jsonl"))) {
      const Json entry = Json::parse(line, nullptr, false);
      if (entry.is_object() && SameAddress(entry.value("visitor_email", ""), sample.email))
        ip = entry.value("visitor_ip", "");
    }
    REQUIRE_FALSE(ip.empty());
    std::map<std::string, std::set<std::string>> expected;  // collection → sessions
    for (const auto& [path, text] : files) {
      if (path.rfind("chat/", 0) != 0) continue;
      const std::string month = path.substr(5, 7);
      for (const auto& line : Lines(text)) {
        const Json entry = Json::parse(line, nullptr, false);
        if (entry.is_object() && entry.value("visitor_ip", "") == ip)
          expected["chat_" + month + "_jsonl"].insert(entry.at("session_id").get<std::string>());
      }
    }

    const auto review = all.ToReview({{"type", "access"}, {"subject", {{"ip_address", ip}}}});
    const std::string id = review.at("id").get<std::string>();
    // An address alone never confirms (it is shared and reassigned): each
    // session waits for the agent, who includes it here, as after the
    // visitor has shown the chats were theirs.
    const auto ambiguous = all.cluster.Records(id, "&match=ambiguous");
    std::map<std::string, std::set<std::string>> listed;
    for (const auto& record : ambiguous.at("records")) {
      CHECK(record.at("source") == "files");
      for (const auto& line : record.at("record").at("lines"))
        listed[record.at("collection")].insert(line.at("entry").at("session_id"));
      REQUIRE(all.cluster
                  .Act(id, "redactions",
                       {{"task_id", record.at("task_id")},
                        {"collection", record.at("collection")},
                        {"line", record.at("line")},
                        {"decision", "include"},
                        {"reason", "the visitor named the times of the chats"}})
                  .status == 200);
    }
    CHECK(listed == expected);
    REQUIRE(all.cluster.Act(id, "approve").status == 200);
    REQUIRE(all.cluster.WaitForStatus(id, "completed").at("status") == "completed");
    const std::string bundle = all.cluster.FetchBundle(id);
    std::map<std::string, std::set<std::string>> exported;
    for (const auto& [collection, sessions] : BundleRecords(bundle, "files")) {
      for (const auto& session : sessions)
        for (const auto& line : session.at("lines"))
          exported[collection].insert(line.at("entry").at("session_id").get<std::string>());
    }
    CHECK(exported == expected);
    // The CRM and the mailbox keep no IP addresses; the ticket system keeps
    // them only in comment metadata, which it cannot search by.
    for (const char* source : {"crm", "mail", "tickets"})
      CHECK_MESSAGE(BundleRecords(bundle, source).empty(), source);
  }

  TEST_CASE(
      "the phone number that differs between the CRM and the ticket system shows on the "
      "request") {
    AllSources all;
    const Sample sample = SampleOfKind(all.samples, "typical");
    const auto review = all.ToReview({{"type", "access"}, {"subject", {{"email", sample.email}}}});
    const Json& consistency = review.at("consistency");
    REQUIRE(consistency.is_array());
    const auto phone = std::find_if(consistency.begin(), consistency.end(),
                                    [](const Json& d) { return d.at("attribute") == "phone"; });
    REQUIRE_MESSAGE(phone != consistency.end(), consistency.dump());
    std::map<std::string, std::string> by_source;
    for (const auto& value : phone->at("values")) {
      for (const auto& source : value.at("sources"))
        by_source[source.get<std::string>()] = value.at("value").get<std::string>();
    }
    REQUIRE(by_source.count("crm") == 1);
    REQUIRE(by_source.count("tickets") == 1);
    CHECK(by_source.at("crm") == sample.phone);
    CHECK(by_source.at("tickets") != sample.phone);
    // The stale copy is the ticket system's, as the account shows.
    const Json account = all.TicketAccount();
    for (const auto& user : account.at("users")) {
      if (user.at("email").is_string() && SameAddress(user.at("email"), sample.email))
        CHECK(user.at("phone") == by_source.at("tickets"));
    }
    // The e-mail address is the same everywhere: no difference is shown for it.
    CHECK(std::none_of(consistency.begin(), consistency.end(),
                       [](const Json& d) { return d.at("attribute") == "email"; }));
  }

  TEST_CASE(
      "erasure across every source: deleted, held or anonymized, verified, no one else "
      "touched") {
    AllSources all;
    const Sample sample = SampleOfKind(all.samples, "typical");
    const auto mailbox_before = Snapshot(all.cluster.mailbox_path());
    const auto files_before = Snapshot(all.cluster.files_path());
    const Json account_before = all.TicketAccount();
    const TicketItems tickets = TicketItemsOf(account_before, sample.email);
    const auto messages = MessagesOf(mailbox_before, sample.email);

    const auto review = all.ToReview({{"type", "erasure"}, {"subject", {{"email", sample.email}}}});
    const auto outcomes = Outcomes(review);
    // The files: each of the subject's rows, cards and sessions erased.
    CHECK(outcomes.at("files/lists_newsletter_csv:erased") >= 1);
    CHECK(outcomes.at("files/contacts_vertrieb_vcf:erased") >= 1);
    CHECK(outcomes.at("files/events_teilnehmer-2025_xlsx:erased") >= 1);
    // The ticket system: the tickets the subject requested deleted for good
    // with their comments, then the user.
    REQUIRE_FALSE(tickets.requested.empty());
    CHECK(outcomes.at("tickets/users:erased") == 1);
    CHECK(outcomes.at("tickets/tickets:erased") == static_cast<int64_t>(tickets.requested.size()));
    CHECK(outcomes.at("tickets/comments:erased") ==
          static_cast<int64_t>(tickets.requested_comments.size()));
    CHECK(outcomes.count("tickets/tickets:anonymized") == 0);
    // The mailbox: business letters kept under a hold (§257 HGB, 6 years).
    int64_t retained_messages = 0;
    for (const auto& [key, records] : outcomes)
      if (key.rfind("mail/", 0) == 0 && key.find(":retained") != std::string::npos)
        retained_messages += records;
    CHECK(retained_messages == static_cast<int64_t>(messages.size()));
    int64_t held_messages = 0;
    for (const auto& hold : review.at("holds"))
      if (hold.at("source") == "mail") held_messages += hold.at("records").get<int64_t>();
    CHECK(held_messages == static_cast<int64_t>(messages.size()));

    // Other people's data is byte-for-byte as it was.
    CHECK(Snapshot(all.cluster.mailbox_path()) == mailbox_before);
    const auto files_after = Snapshot(all.cluster.files_path());
    const auto expected_files = WithoutSubject(files_before, sample.email);
    for (const auto& [path, text] : expected_files) {
      if (path.find(".xlsx") != std::string::npos) continue;
      CHECK_MESSAGE(files_after.at(path) == text, path);
    }
    CHECK(files_after.at("notes/rueckruf-notizen.txt") ==
          files_before.at("notes/rueckruf-notizen.txt"));
    const Json account_after = all.TicketAccount();
    std::map<long long, Json> users_after;
    for (const auto& user : account_after.at("users")) users_after[user.at("id")] = user;
    for (const auto& user : account_before.at("users")) {
      const long long id = user.at("id");
      if (tickets.users.count(id) > 0) {
        CHECK(users_after.count(id) == 0);  // permanently deleted
      } else {
        CHECK(users_after.at(id) == user);
      }
    }
    // The subject's requested tickets and their comments are gone; every
    // other ticket, those the subject is only copied on among them, and
    // every other comment are as they were.
    std::map<long long, Json> tickets_after, comments_after;
    for (const auto& ticket : account_after.at("tickets")) tickets_after[ticket.at("id")] = ticket;
    for (const auto& comment : account_after.at("comments"))
      comments_after[comment.at("id")] = comment;
    REQUIRE(tickets.tickets.size() > tickets.requested.size());  // copied on someone's ticket
    for (const auto& ticket : account_before.at("tickets")) {
      const long long ticket_id = ticket.at("id");
      if (tickets.requested.count(ticket_id) > 0) {
        CHECK(tickets_after.count(ticket_id) == 0);
      } else {
        REQUIRE(tickets_after.count(ticket_id) == 1);
        CHECK(tickets_after.at(ticket_id) == ticket);
      }
    }
    for (const auto& comment : account_before.at("comments")) {
      const long long comment_id = comment.at("id");
      if (tickets.requested_comments.count(comment_id) > 0) {
        CHECK(comments_after.count(comment_id) == 0);
      } else {
        REQUIRE(comments_after.count(comment_id) == 1);
        CHECK(comments_after.at(comment_id) == comment);
      }
    }

    const std::string id = review.at("id").get<std::string>();
    REQUIRE(all.cluster.Act(id, "approve").status == 200);
    CHECK(all.cluster.WaitForStatus(id, "completed").at("status") == "completed");

    // Searching again finds only what is held: the mailbox's messages.
    const std::string bundle = all.Access(sample.email);
    CHECK(BundleRecords(bundle, "files").empty());
    CHECK(BundleRecords(bundle, "tickets").empty());
    std::set<std::string> still_found;
    for (const auto& [folder, records] : BundleRecords(bundle, "mail"))
      for (const auto& record : records) still_found.insert(record.at("message_id"));
    CHECK(still_found == messages);
  }

  TEST_CASE("rectification corrects the files and the ticket system; the mailbox says it cannot") {
    AllSources all;
    const Sample sample = SampleOfKind(all.samples, "mixed-case-email");
    const std::string new_email = "neue.adresse@example.net";
    const auto files_before = Snapshot(all.cluster.files_path());
    const auto mailbox_before = Snapshot(all.cluster.mailbox_path());
    const Json account_before = all.TicketAccount();
    const TicketItems tickets = TicketItemsOf(account_before, sample.email);
    REQUIRE(tickets.users.size() == 1);

    const auto review = all.ToReview({{"type", "rectification"},
                                      {"subject", {{"email", sample.email}}},
                                      {"corrections", {{"email", new_email}}}});
    const auto outcomes = Outcomes(review);
    CHECK(outcomes.at("crm/customers:updated") == 1);
    CHECK(outcomes.at("tickets/users:updated") == 1);
    CHECK(outcomes.at("files/lists_newsletter_csv:updated") >= 1);
    CHECK(outcomes.at("files/contacts_vertrieb_vcf:updated") >= 1);
    for (const auto& [key, records] : outcomes)
      if (key.rfind("mail/", 0) == 0)
        CHECK_MESSAGE(key.find(":not_applicable") != std::string::npos, key);
    // ... and says why, for the agent.
    for (const auto& task : review.at("tasks")) {
      if (task.at("source") != "mail") continue;
      REQUIRE_FALSE(task.at("outcomes").empty());
      for (const auto& outcome : task.at("outcomes"))
        CHECK(outcome.at("note") ==
              "messages are records of what was written; they are not corrected");
    }
    CHECK(Snapshot(all.cluster.mailbox_path()) == mailbox_before);

    // Only the subject's rows and cards changed: with them taken out, every
    // other byte is the same; and the new address is where the old one was.
    const auto files_after = Snapshot(all.cluster.files_path());
    const auto before_without = WithoutSubject(files_before, sample.email);
    const auto after_without = WithoutSubject(files_after, new_email);
    for (const char* path : {"lists/newsletter.csv", "contacts/vertrieb.vcf"}) {
      CHECK_MESSAGE(after_without.at(path) == before_without.at(path), path);
      CHECK(files_after.at(path).size() != files_before.at(path).size());
      CHECK(Lower(files_after.at(path)).find(Lower(sample.email)) == std::string::npos);
    }

    const Json account_after = all.TicketAccount();
    for (const auto& user : account_after.at("users")) {
      const long long id = user.at("id");
      const auto before =
          std::find_if(account_before.at("users").begin(), account_before.at("users").end(),
                       [&](const Json& u) { return u.at("id") == id; });
      REQUIRE(before != account_before.at("users").end());
      if (tickets.users.count(id) > 0) {
        CHECK(user.at("email") == new_email);
        Json unchanged = user, was = *before;
        for (const char* field : {"email", "updated_at"}) {
          unchanged.erase(field);
          was.erase(field);
        }
        CHECK(unchanged == was);
      } else {
        CHECK(user == *before);
      }
    }
  }

  TEST_CASE(
      "discover reports the chat logs' IP addresses when the record of processing does not "
      "list the chat logs") {
    Cluster cluster;
    REQUIRE_FALSE(cluster.GenerateAllSources(100).empty());
    REQUIRE(cluster.StartCoordinator({"files"}, [](Json& config) {
      Json& locations = config["sources"][0]["record_of_processing"]["data_locations"];
      Json without_chat = Json::array();
      for (const auto& location : locations)
        if (location != "chat/*") without_chat.push_back(location);
      REQUIRE(without_chat.size() + 1 == locations.size());
      locations = without_chat;
    }));
    REQUIRE(cluster.StartWorker("files-1", "files"));
    const std::string report = cluster.dir().File("discover-files.json");
    const std::string log = cluster.dir().File("discover.log");
    REQUIRE(std::system((BinDir() + "/dsr-worker --config " + cluster.worker_config("files-1") +
                         " --discover > " + report + " 2> " + log)
                            .c_str()) == 0);
    const std::string output = cluster.dir().File("dsrctl-discover.out");
    REQUIRE(std::system((BinDir() + "/dsrctl discover " + report + " --url " + cluster.url() +
                         " --ca-file " + cluster.ca_file() + " --token-file " +
                         cluster.token_file("dpo") + " > " + output + " 2>&1")
                            .c_str()) == 0);
    const std::string printed = ReadFile(output);
    INFO(printed);
    bool chat_ip_reported = false;
    for (const auto& line : Lines(printed)) {
      if (line.find("NOT LISTED") != std::string::npos && line.find("chat/") != std::string::npos &&
          line.find("visitor_ip") != std::string::npos &&
          line.find("ip_address") != std::string::npos) {
        chat_ip_reported = true;
      }
      // The lists, events and contacts stay listed.
      CHECK(line.find("NOT LISTED  lists/") == std::string::npos);
      CHECK(line.find("NOT LISTED  contacts/") == std::string::npos);
    }
    CHECK(chat_ip_reported);
    // The report names places and counts, never the addresses themselves.
    CHECK(ReadFile(report).find("192.0.2.") == std::string::npos);
  }
}

}  // namespace dsr::testing
