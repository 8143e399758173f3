#include "tools/sample-crm/sample_tickets.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "common/civil_date.h"
#include "common/durable_file.h"
#include "tools/sample-crm/sample_generation.h"

namespace dsr::sample_crm {
namespace {

using Json = nlohmann::json;

// Zendesk-like ids: twelve digits for users, small numbers for tickets.
constexpr long long kAgentIdBase = 360000000000;
constexpr long long kUserIdBase = 361000000000;
constexpr long long kFirstTicketId = 1001;
constexpr long long kFirstCommentId = 4100000000001;
constexpr char kApi[] = "https://example.zendesk.com/api/v2/";
constexpr char kSupportAddress[] = "support@example.com";

struct Topic {
  const char* subject;
  const char* request;  // "{order}" becomes an order number or a stand-in phrase
  const char* reply;
};

const std::vector<Topic> kGermanTopics = {
    {"Lieferstatus meiner Bestellung",
     "ich warte noch auf {order}. Können Sie mir sagen, wann die Lieferung kommt?",
     "{order} wurde gestern versandt; die Sendungsnummer folgt per E-Mail."},
    {"Artikel beschädigt",
     "der Artikel aus {order} kam leider beschädigt an. Ich hätte gern Ersatz.",
     "das tut uns leid. Wir schicken kostenlos Ersatz und holen den Artikel ab."},
    {"Rechnungsadresse ändern",
     "bitte ändern Sie die Rechnungsadresse zu {order}, ich bin umgezogen.",
     "wir haben die Rechnungsadresse geändert; die neue Rechnung kommt per Post."},
    {"Keine Werbung mehr", "bitte schicken Sie mir keine Werbe-E-Mails mehr.",
     "wir haben Sie aus dem Newsletter-Verteiler genommen."},
    {"Rückruf erbeten", "bitte rufen Sie mich wegen {order} zurück.",
     "wir haben Sie wie gewünscht angerufen und die Frage geklärt."},
};

const std::vector<Topic> kEnglishTopics = {
    {"Where is my order?", "I am still waiting for {order}. Could you tell me when it will arrive?",
     "{order} was shipped yesterday; you will get the tracking number by e-mail."},
    {"Damaged item", "the item from {order} arrived damaged. I would like a replacement.",
     "we are sorry about that. A replacement is on its way and we will collect the item."},
    {"Change of billing address", "please change the billing address of {order}, I have moved.",
     "we have changed the billing address; the corrected invoice is on its way by post."},
    {"Unsubscribe", "please stop sending me marketing e-mails.",
     "we have removed you from our newsletter list."},
    {"Call back, please", "please call me back about {order}.",
     "we called you back as requested and answered your question."},
};

const std::vector<std::pair<const char*, const char*>> kAgents = {
    {"Petra Neumann", "petra.neumann@support.example.com"},
    {"Kemal Aydın", "kemal.aydin@support.example.com"},
    {"Jana Hübner", "jana.huebner@support.example.com"},
    {"Tobias Brandt", "tobias.brandt@support.example.com"},
    {"Marta Kowalska", "marta.kowalska@support.example.com"},
};

std::string Replace(std::string text, const std::string& slot, const std::string& value) {
  for (size_t at = text.find(slot); at != std::string::npos;
       at = text.find(slot, at + value.size())) {
    text.replace(at, slot.size(), value);
  }
  return text;
}

// English letters go on with a capital after the salutation; German ones do not.
std::string Capitalized(std::string text) {
  if (!text.empty()) text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
  return text;
}

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// Zendesk's html_body: the text as paragraphs, line breaks kept.
std::string HtmlBody(const std::string& text) {
  static const std::map<char, std::string> kEscapes = {
      {'\n', "<br>"}, {'<', "&lt;"}, {'>', "&gt;"}, {'&', "&amp;"}};
  std::string html = "<div class=\"zd-comment\" dir=\"auto\"><p>";
  for (const char c : text) {
    const auto escape = kEscapes.find(c);
    html += escape == kEscapes.end() ? std::string(1, c) : escape->second;
  }
  return html + "</p></div>";
}

// The same number with its last four digits changed: the customer's old line.
std::string OldPhone(SampleRandom& random, std::string phone) {
  int changed = 0;
  for (size_t i = phone.size(); i-- > 0 && changed < 4;) {
    if (phone[i] < '0' || phone[i] > '9') continue;
    phone[i] = static_cast<char>('0' + (phone[i] - '0' + random.Between(1, 9)) % 10);
    ++changed;
  }
  return phone;
}

std::string Timestamp(int64_t seconds_since_epoch) {
  return TimestampText(seconds_since_epoch / 86400, seconds_since_epoch % 86400);
}

struct Person {
  long long id = 0;
  std::string name, email, phone, customer_number;
  bool german = false;
  int64_t created_day = 0;
  std::vector<std::string> orders;
};

struct TicketPlan {
  long long id = 0;
  const Topic* topic = nullptr;
  std::string order, request, status, channel;
  size_t agent = 0;
  int64_t created = 0;  // seconds since the epoch
};

class AccountBuilder {
 public:
  AccountBuilder(const SampleCrmData& data, uint64_t seed) : data_(data), random_(seed) {}

  Json Build() {
    AddAgents();
    const std::set<long long> chosen = ChooseCustomers();
    for (const auto& customer : data_.customers) {
      if (chosen.count(customer.id) == 0) continue;
      const bool sample = samples_.count(customer.id) != 0, typical = customer.id == typical_;
      Person person = AddEndUser(customer, typical, sample);
      const int64_t tickets = typical ? 3 : random_.Between(sample ? 1 : 0, 3);
      for (int64_t i = 0; i < tickets; ++i) AddTicket(person, typical);
      people_.push_back(std::move(person));
    }
    AddCopies();
    return {{"users", users_}, {"tickets", tickets_}, {"comments", comments_}};
  }

 private:
  // Every sample's first customer and whom it shares a phone or an address
  // with ("shares-phone-with:K-000017"), plus about a quarter of the others.
  std::set<long long> ChooseCustomers() {
    std::map<std::string, long long> ids;
    for (const auto& customer : data_.customers) ids[customer.customer_number] = customer.id;
    for (const auto& sample : data_.samples) {
      samples_.insert(ids[sample.customer_number]);
      if (sample.reason == "typical") typical_ = ids[sample.customer_number];
      const size_t colon = sample.reason.find(':');
      if (colon != std::string::npos && ids.count(sample.reason.substr(colon + 1)) != 0) {
        samples_.insert(ids[sample.reason.substr(colon + 1)]);
      }
    }
    std::set<long long> chosen = samples_;
    for (const auto& customer : data_.customers) {
      if (random_.Chance(250)) chosen.insert(customer.id);
    }
    return chosen;
  }

  void AddAgents() {
    for (size_t i = 0; i < kAgents.size(); ++i) {
      const long long id = kAgentIdBase + static_cast<long long>(i) + 1;
      users_.push_back(UserJson(id, kAgents[i].first, kAgents[i].second, "", "agent", true,
                                "2018-01-02T08:00:00Z"));
      agent_ids_.push_back(id);
    }
  }

  static Json UserJson(long long id, const std::string& name, const std::string& email,
                       const std::string& phone, const char* role, bool german,
                       const std::string& created_at) {
    Json user = Json::parse(
        R"({"shared_phone_number": false, "active": true, "verified": true, "suspended": false,
            "organization_id": null, "external_id": null, "tags": [], "details": "", "notes": "",
            "user_fields": {}})");
    user.update({{"id", id},
                 {"url", std::string(kApi) + "users/" + std::to_string(id) + ".json"},
                 {"name", name},
                 {"email", email},
                 {"phone", phone.empty() ? Json() : Json(phone)},
                 {"role", role},
                 {"locale", german ? "de" : "en-US"},
                 {"time_zone", german ? "Berlin" : "London"},
                 {"created_at", created_at},
                 {"updated_at", created_at}});
    return user;
  }

  Person AddEndUser(const CustomerRow& customer, bool typical, bool sample) {
    Person person;
    person.id = kUserIdBase + customer.id;
    person.name = customer.first_name + " " + customer.last_name;
    person.email = Lower(customer.email);
    person.phone = customer.phone;
    if (typical) person.phone = OldPhone(random_, customer.phone);
    if (!sample && random_.Chance(150)) person.phone.clear();
    person.customer_number = customer.customer_number;
    person.german =
        customer.country == "DE" || customer.country == "AT" || customer.country == "CH";
    person.created_day =
        CivilDate::Parse(customer.created_at.substr(0, 10)).value().DaysSinceEpoch();
    for (const auto& order : data_.orders) {
      if (order.customer_id == customer.id) person.orders.push_back(order.order_number);
    }
    Json user = UserJson(person.id, person.name, person.email, person.phone, "end-user",
                         person.german, customer.created_at);
    // An integration that syncs the CRM sets external_id on about half.
    if (random_.Chance(500)) user["external_id"] = customer.customer_number;
    users_.push_back(std::move(user));
    return person;
  }

  // Half of the tickets are closed; the rest solved, open, pending or new.
  std::string StatusFor(bool typical) {
    static const std::vector<const char*> kByTenth = {"closed",  "closed", "closed", "closed",
                                                      "closed",  "solved", "solved", "open",
                                                      "pending", "new"};
    return typical ? "closed" : random_.Pick(kByTenth);
  }

  static Json Via(const std::string& channel, const Person* from) {
    Json source = {{"from", Json::object()}, {"to", Json::object()}, {"rel", nullptr}};
    if (channel == "email" && from != nullptr) {
      source["from"] = {{"address", from->email}, {"name", from->name}};
      source["to"] = {{"address", kSupportAddress}, {"name", "Example Shop"}};
    }
    return {{"channel", channel}, {"source", source}};
  }

  Json Comment(long long ticket, long long author, const std::string& body, bool is_public,
               const Json& via, int64_t at, bool from_customer) {
    const long long id = kFirstCommentId + static_cast<long long>(comments_.size());
    const std::string network = from_customer ? "203.0.113." : "198.51.100.";
    return {{"id", id},
            {"ticket_id", ticket},
            {"type", "Comment"},
            {"author_id", author},
            {"body", body},
            {"plain_body", body},
            {"html_body", HtmlBody(body)},
            {"public", is_public},
            {"attachments", Json::array()},
            {"audit_id", id + 1000000},
            {"via", via},
            {"created_at", Timestamp(at)},
            {"metadata",
             {{"system",
               {{"client", from_customer ? "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"
                                         : "Zendesk Agent Workspace"},
                {"ip_address", network + std::to_string(random_.Between(1, 254))},
                {"location", from_customer ? "Berlin, BE, Germany" : "Hamburg, HH, Germany"}}},
              {"custom", Json::object()}}}};
  }

  // The requester's words, signed; a call-back request and some others give
  // the phone number, some ask for answers at the e-mail address.
  std::string RequestText(const Person& person, const Topic& topic, const std::string& order,
                          bool call_back) {
    const std::string fallback = person.german ? "meiner letzten Bestellung" : "my last order";
    const std::string words = Replace(topic.request, "{order}", order.empty() ? fallback : order);
    std::string text = person.german ? "Hallo,\n\n" + words : "Hello,\n\n" + Capitalized(words);
    if (!person.phone.empty() && (call_back || random_.Chance(250))) {
      text += std::string(person.german ? "\nTelefon: " : "\nPhone: ") + person.phone;
    }
    if (random_.Chance(150)) {
      text +=
          std::string(person.german ? "\nAntwort bitte an " : "\nPlease reply to ") + person.email;
    }
    return text + (person.german ? "\n\nViele Grüße\n" : "\n\nKind regards\n") + person.name;
  }

  std::string ReplyText(const Person& person, const Topic& topic, const std::string& order,
                        const std::string& agent) {
    const std::string fallback = person.german ? "Ihre Bestellung" : "Your order";
    const std::string reply = Replace(topic.reply, "{order}", order.empty() ? fallback : order);
    if (person.german) {
      return "Guten Tag " + person.name + ",\n\n" + reply + "\n\nViele Grüße\n" + agent +
             "\nExample Shop Kundenservice";
    }
    return "Dear " + person.name + ",\n\n" + Capitalized(reply) + "\n\nBest regards\n" + agent +
           "\nExample Shop customer service";
  }

  size_t Index(size_t size) {
    return static_cast<size_t>(random_.Between(0, static_cast<int64_t>(size) - 1));
  }

  // The comments of one ticket: the request, then (unless the ticket is new)
  // an agent's answer, sometimes an internal note, and sometimes thanks.
  // Returns the time of the last one.
  int64_t AddConversation(const Person& person, const TicketPlan& plan) {
    const size_t agent = plan.agent;
    int64_t at = plan.created;
    comments_.push_back(
        Comment(plan.id, person.id, plan.request, true, Via(plan.channel, &person), at, true));
    if (plan.status != "new") {
      at += random_.Between(1800, 2 * 86400);
      comments_.push_back(Comment(plan.id, agent_ids_[agent],
                                  ReplyText(person, *plan.topic, plan.order, kAgents[agent].first),
                                  true, Via("web", nullptr), at, false));
    }
    if (plan.status != "new" && random_.Chance(300)) {
      at += random_.Between(600, 3600);
      const std::string note =
          person.german ? "Interne Notiz: Kunde im CRM ist " : "Internal note: CRM customer ";
      comments_.push_back(Comment(plan.id, agent_ids_[agent], note + person.customer_number + ".",
                                  false, Via("web", nullptr), at, false));
    }
    if ((plan.status == "closed" || plan.status == "solved") && random_.Chance(400)) {
      at += random_.Between(3600, 86400);
      const char* thanks =
          person.german ? "Danke, damit ist alles geklärt." : "Thanks, that settles it.";
      comments_.push_back(
          Comment(plan.id, person.id, thanks, true, Via(plan.channel, &person), at, true));
    }
    return at;
  }

  void AddTicket(const Person& person, bool typical) {
    const auto& topics = person.german ? kGermanTopics : kEnglishTopics;
    TicketPlan plan;
    plan.id = kFirstTicketId + static_cast<long long>(tickets_.size());
    const size_t topic = Index(topics.size());
    plan.topic = &topics[topic];
    plan.order = person.orders.empty() ? "" : random_.Pick(person.orders);
    plan.status = StatusFor(typical);
    plan.agent = Index(kAgents.size());
    plan.channel = random_.Chance(600) ? "email" : "web";
    const int64_t day = random_.Between(std::min(person.created_day, kLastDay - 10), kLastDay - 10);
    plan.created = day * 86400 + random_.Between(8 * 3600, 20 * 3600);
    // Topic 4 asks for a call back, so the requester gives a number.
    plan.request = RequestText(person, *plan.topic, plan.order, topic == 4);
    const int64_t updated = AddConversation(person, plan);
    Json ticket = Json::parse(
        R"({"group_id": 360000100001, "organization_id": null, "collaborator_ids": [],
            "email_cc_ids": [], "follower_ids": [], "recipient": "support@example.com",
            "is_public": true, "has_incidents": false, "custom_fields": [],
            "satisfaction_rating": null})");
    ticket.update({{"id", plan.id},
                   {"url", std::string(kApi) + "tickets/" + std::to_string(plan.id) + ".json"},
                   {"subject", plan.topic->subject},
                   {"raw_subject", plan.topic->subject},
                   {"description", plan.request},
                   {"status", plan.status},
                   {"priority", random_.Chance(200) ? "high" : "normal"},
                   {"type", random_.Chance(500) ? "question" : "incident"},
                   {"requester_id", person.id},
                   {"submitter_id", person.id},
                   {"assignee_id", plan.status == "new" ? Json() : Json(agent_ids_[plan.agent])},
                   {"tags", Json::array({person.german ? "kundenservice" : "customer_service"})},
                   {"via", Via(plan.channel, &person)},
                   {"created_at", Timestamp(plan.created)},
                   {"updated_at", Timestamp(updated)}});
    tickets_.push_back(std::move(ticket));
  }

  void CopyOn(Json& ticket, long long user) {
    ticket["collaborator_ids"].push_back(user);
    ticket["email_cc_ids"].push_back(user);
  }

  // About one ticket in seven copies another customer (a partner, a
  // colleague); the typical sample customer is copied on at least one.
  void AddCopies() {
    if (people_.size() < 2) return;
    const long long typical_user = typical_ == 0 ? 0 : kUserIdBase + typical_;
    bool typical_copied = false;
    for (auto& ticket : tickets_) {
      const long long requester = ticket["requester_id"].get<long long>();
      const bool copy_typical = !typical_copied && typical_user != 0 && requester != typical_user;
      if (copy_typical) {
        CopyOn(ticket, typical_user);
        typical_copied = true;
      } else if (random_.Chance(140)) {
        const Person& other = random_.Pick(people_);
        if (other.id != requester) CopyOn(ticket, other.id);
      }
    }
  }

  const SampleCrmData& data_;
  SampleRandom random_;
  std::vector<long long> agent_ids_;
  // Customer ids of the samples and of those they share a phone or an
  // address with: they keep their phone numbers and have tickets.
  std::set<long long> samples_;
  long long typical_ = 0;
  std::vector<Person> people_;
  Json users_ = Json::array(), tickets_ = Json::array(), comments_ = Json::array();
};

}  // namespace

Json GenerateSampleTickets(const SampleCrmData& data, uint64_t seed) {
  return AccountBuilder(data, seed).Build();
}

Status WriteSampleTickets(const SampleCrmData& data, const std::string& json_path, uint64_t seed) {
  return WriteFileAtomically(json_path, GenerateSampleTickets(data, seed).dump(2) + "\n");
}

}  // namespace dsr::sample_crm
