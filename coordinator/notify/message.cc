#include "coordinator/notify/message.h"

namespace dsr::notify {
namespace {

std::string Text(const nlohmann::json& facts, const char* key) {
  const auto found = facts.find(key);
  if (found == facts.end()) return "";
  return found->is_string() ? found->get<std::string>() : found->dump();
}

int64_t Number(const nlohmann::json& facts, const char* key) {
  const auto found = facts.find(key);
  return found != facts.end() && found->is_number_integer() ? found->get<int64_t>() : 0;
}

std::string TypeLabel(const std::string& type, bool german) {
  if (type == "access") return german ? "Auskunftsersuchen (Art. 15)" : "access request (Art. 15)";
  if (type == "rectification")
    return german ? "Berichtigungsersuchen (Art. 16)" : "rectification request (Art. 16)";
  if (type == "erasure") return german ? "Löschersuchen (Art. 17)" : "erasure request (Art. 17)";
  return type;
}

// The due date for the body of a message, saying when it is the extended one.
std::string DueLabel(const nlohmann::json& facts, bool german) {
  const bool extended = facts.value("extended", false);
  std::string label = Text(facts, "due_on");
  if (extended) label += german ? " (verlängerte Frist)" : " (extended deadline)";
  return label;
}

std::string RequestUrl(const std::optional<std::string>& public_url, const std::string& id) {
  if (!public_url) return "";
  std::string base = *public_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/api/v1/requests/" + id;
}

// "1 day", "7 days"; German "1 Tag", "7 Tage", after "in" and "seit" "7 Tagen".
std::string DayCount(int64_t days, bool german, bool dative = false) {
  const std::string n = std::to_string(days);
  if (!german) return n + (days == 1 ? " day" : " days");
  if (days == 1) return n + " Tag";
  return n + (dative ? " Tagen" : " Tage");
}

MessageText Reminder(const nlohmann::json& f, bool german) {
  const std::string id = Text(f, "request_id"), due = Text(f, "due_on"),
                    type = TypeLabel(Text(f, "type"), german);
  const int64_t days = Number(f, "days_left");
  if (german) {
    const std::string when = days == 0 ? "heute" : "in " + DayCount(days, true, true);
    return {"dsr: Frist endet am " + due + " (" + DayCount(days, true) + ") – Anfrage " + id,
            "Erinnerung: Das " + type + " " + id + " muss bis zum " + DueLabel(f, true) +
                " beantwortet sein, " + when + ".\nEingegangen am " + Text(f, "received_on") +
                "; Stand: " + Text(f, "status") + ".\n"};
  }
  const std::string when = days == 0 ? "today" : "in " + DayCount(days, false);
  return {"dsr: due on " + due + " (" + DayCount(days, false) + " left) - request " + id,
          "Reminder: the " + type + " " + id + " must be answered by " + DueLabel(f, false) + ", " +
              when + ".\nReceived on " + Text(f, "received_on") + "; it is " + Text(f, "status") +
              " now.\n"};
}

MessageText Overdue(const nlohmann::json& f, bool german) {
  const std::string id = Text(f, "request_id"), due = Text(f, "due_on"),
                    type = TypeLabel(Text(f, "type"), german);
  const int64_t late = -Number(f, "days_left");
  if (german) {
    return {"dsr: FRIST ÜBERSCHRITTEN seit " + due + " – Anfrage " + id,
            "Eskalation: Die Frist für das " + type + " " + id + " ist am " + DueLabel(f, true) +
                " abgelaufen (seit " + DayCount(late, true, true) +
                "). Stand: " + Text(f, "status") +
                ".\nBitte sofort beantworten und den Grund der Verspätung dokumentieren "
                "(Art. 12 Abs. 3, Art. 5 Abs. 2 DSGVO).\n"};
  }
  return {"dsr: OVERDUE since " + due + " - request " + id,
          "Escalation: the deadline of the " + type + " " + id + " passed on " +
              DueLabel(f, false) + " (" + DayCount(late, false) + " ago). It is " +
              Text(f, "status") +
              " now.\nAnswer it now and record why it is late (Art. 12(3), Art. 5(2) GDPR).\n"};
}

MessageText SourceFailed(const nlohmann::json& f, bool german) {
  const std::string id = Text(f, "request_id"), source = Text(f, "source"),
                    type = TypeLabel(Text(f, "type"), german), code = Text(f, "error_code");
  const std::string attempts = std::to_string(Number(f, "attempts"));
  if (german) {
    return {"dsr: Quelle " + source + " fehlgeschlagen – Anfrage " + id,
            "Eskalation: Die Aufgabe der Quelle " + source + " für das " + type + " " + id +
                " ist nach " + attempts + " Versuchen fehlgeschlagen (Fehler " + code +
                ").\nDie Anfrage kann erst vollständig beantwortet werden, wenn die Quelle "
                "wieder arbeitet; danach die Aufgabe erneut starten. Frist: " +
                Text(f, "due_on") + ".\n"};
  }
  return {"dsr: source " + source + " failed - request " + id,
          "Escalation: the task of source " + source + " for the " + type + " " + id +
              " failed after " + attempts + " attempts (error " + code +
              ").\nThe request cannot be answered completely until the source works again; "
              "then retry the task. Due on " +
              Text(f, "due_on") + ".\n"};
}

}  // namespace

MessageText RenderMessage(const store::NotificationRecord& notification,
                          const std::string& language,
                          const std::optional<std::string>& public_url) {
  const bool german = language == "de";
  auto facts = nlohmann::json::parse(notification.payload, nullptr, false);
  if (!facts.is_object()) facts = nlohmann::json::object();
  MessageText text;
  if (notification.kind == "reminder") {
    text = Reminder(facts, german);
  } else if (notification.kind == "overdue") {
    text = Overdue(facts, german);
  } else {
    text = SourceFailed(facts, german);
  }
  const std::string url = RequestUrl(public_url, Text(facts, "request_id"));
  if (!url.empty()) text.body += "\n" + url + "\n";
  text.body += german ? "\n-- \ndsr, Benachrichtigung " + notification.id + "\n"
                      : "\n-- \ndsr, notification " + notification.id + "\n";
  return text;
}

nlohmann::json WebhookBody(const store::NotificationRecord& notification,
                           const std::optional<std::string>& public_url) {
  auto facts = nlohmann::json::parse(notification.payload, nullptr, false);
  if (!facts.is_object()) facts = nlohmann::json::object();
  nlohmann::json body = {{"id", notification.id},
                         {"event", notification.event_key},
                         {"kind", notification.kind},
                         {"created_at", notification.created_at},
                         {"facts", facts}};
  const std::string url = RequestUrl(public_url, Text(facts, "request_id"));
  if (!url.empty()) body["url"] = url;
  return body;
}

}  // namespace dsr::notify
