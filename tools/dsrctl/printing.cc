#include "tools/dsrctl/printing.h"

#include <cstdio>
#include <string>

namespace dsr::ctl {
namespace {

std::string Text(const nlohmann::json& value) {
  if (value.is_null()) return "-";
  if (value.is_string()) return value.get<std::string>();
  return value.dump();
}

// The value at `key`, or "-" when the object lacks it.
std::string Field(const nlohmann::json& object, const char* key) {
  return object.contains(key) ? Text(object.at(key)) : "-";
}

std::string Identities(const nlohmann::json& subject) {
  std::string text;
  for (const auto& [attribute, value] : subject.items()) {
    if (!text.empty()) text += ", ";
    text += attribute + "=" + Text(value);
  }
  return text;
}

void PrintTasks(const nlohmann::json& tasks) {
  std::printf("\nTasks\n  %-12s %-8s %-11s %-8s %-8s %-22s %s\n", "SOURCE", "ACTION", "STATUS",
              "ATTEMPTS", "RECORDS", "WORKER", "ERROR");
  for (const auto& task : tasks) {
    const std::string error =
        task.at("error").is_null()
            ? ""
            : Text(task.at("error").at("code")) + ": " + Text(task.at("error").at("message"));
    std::printf("  %-12s %-8s %-11s %-8s %-8s %-22s %s\n", Field(task, "source").c_str(),
                Field(task, "action").c_str(), Field(task, "status").c_str(),
                Field(task, "attempts").c_str(), Field(task, "records").c_str(),
                Field(task, "worker").c_str(), error.c_str());
    for (const auto& outcome : task.value("outcomes", nlohmann::json::array())) {
      std::string line = "      " + Text(outcome.at("collection")) + ": " +
                         Text(outcome.at("outcome")) + " (" + Text(outcome.at("records")) + ")";
      if (!outcome.at("retained_until").is_null()) {
        line +=
            " until " + Text(outcome.at("retained_until")) + ", " + Text(outcome.at("legal_basis"));
      }
      if (outcome.contains("note") && outcome.at("note").is_string())
        line += " - " + Text(outcome.at("note"));
      std::printf("%s\n", line.c_str());
    }
  }
}

}  // namespace

void PrintJson(const nlohmann::json& value) {
  std::printf("%s\n", value.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
}

void PrintSubmitted(const nlohmann::json& request) {
  std::printf("%s\n", Text(request.at("id")).c_str());
  std::fprintf(stderr, "filed %s request, received %s, due %s (%s)\n",
               Text(request.at("type")).c_str(), Text(request.at("received_on")).c_str(),
               Text(request.at("due_on")).c_str(), Text(request.at("status")).c_str());
}

// The date a request must be answered by: the extended due date once the
// deadline was extended.
std::string EffectiveDue(const nlohmann::json& r) {
  const auto extended = r.find("extended_due_on");
  if (extended != r.end() && extended->is_string()) return extended->get<std::string>();
  return Field(r, "due_on");
}

void PrintExtended(const nlohmann::json& request) {
  std::printf("%s\n", Field(request, "extended_due_on").c_str());
  std::string letter;
  const auto extension = request.find("extension");
  if (extension != request.end() && extension->is_object() &&
      extension->value("letter", nlohmann::json()).is_object()) {
    letter = "; the letter to the data subject: " + Text(extension->at("letter").at("url"));
  }
  std::fprintf(stderr, "extended request %s: due %s, extended to %s%s\n",
               Field(request, "id").c_str(), Field(request, "due_on").c_str(),
               Field(request, "extended_due_on").c_str(), letter.c_str());
}

// "12 days left, on_track", "due today, due_soon", "3 days overdue"; empty
// for a closed request.
std::string Standing(const nlohmann::json& r) {
  const auto deadline = r.find("deadline");
  if (deadline == r.end() || !deadline->is_object()) return "";
  const long long left = deadline->value("days_left", 0LL);
  std::string text = left == 0 ? "due today"
                     : left > 0
                         ? std::to_string(left) + (left == 1 ? " day left" : " days left")
                         : std::to_string(-left) + (left == -1 ? " day" : " days") + " overdue";
  const std::string state = deadline->value("state", "");
  if (state != "overdue") text += ", " + state;
  if (deadline->value("clock", "") == "paused") text += ", clock paused";
  return text;
}

void PrintRequest(const nlohmann::json& r) {
  std::printf("Request   %s\n", Field(r, "id").c_str());
  std::printf("Type      %-14s Status  %s\n", Field(r, "type").c_str(), Field(r, "status").c_str());
  std::string due = Field(r, "due_on");
  if (r.contains("extended_due_on") && r.at("extended_due_on").is_string())
    due += ", extended to " + Text(r.at("extended_due_on"));
  if (!Standing(r).empty()) due += "  (" + Standing(r) + ")";
  if (r.value("paused", false)) due += "  clock paused since " + Field(r, "paused_since");
  std::printf("Received  %-14s Due     %s\n", Field(r, "received_on").c_str(), due.c_str());
  std::printf("Subject   %s\n", Identities(r.at("subject")).c_str());
  std::printf("Language  %-14s Channel %s\n", Field(r, "language").c_str(),
              Field(r, "channel").c_str());
  if (r.contains("corrections")) std::printf("Corrects  %s\n", r.at("corrections").dump().c_str());
  std::printf("Next      %s\n", Field(r, "next_step").c_str());
  if (r.contains("extension") && r.at("extension").is_object()) {
    const auto& extension = r.at("extension");
    std::printf("Extended  %s: %s\n", Field(extension, "at").c_str(),
                Field(extension, "reason").c_str());
    if (extension.at("letter").is_object())
      std::printf("Notice    %s\n", Text(extension.at("letter").at("url")).c_str());
  }
  for (const auto& difference : r.value("consistency", nlohmann::json::array())) {
    std::string spellings;
    for (const auto& value : difference.at("values")) {
      std::string sources;
      for (const auto& source : value.at("sources"))
        sources += (sources.empty() ? "" : ", ") + Text(source);
      spellings +=
          (spellings.empty() ? "" : " | ") + Text(value.at("value")) + " (" + sources + ")";
    }
    std::printf("Differs   %s: %s\n", Field(difference, "attribute").c_str(), spellings.c_str());
  }
  if (!r.at("closing_reason").is_null()) {
    std::printf("Closed    %s: %s\n", Field(r, "closing_ground").c_str(),
                Field(r, "closing_reason").c_str());
  }
  if (!r.at("bundle").is_null()) {
    std::printf("Bundle    %s bytes, sha256 %s\n", Text(r.at("bundle").at("bytes")).c_str(),
                Text(r.at("bundle").at("sha256")).c_str());
  }
  if (!r.at("letter").is_null())
    std::printf("Letter    %s\n", Text(r.at("letter").at("url")).c_str());
  if (r.contains("tasks")) PrintTasks(r.at("tasks"));
  for (const auto& hold : r.value("holds", nlohmann::json::array())) {
    std::printf("Hold      %s/%s: %s records until %s (%s), %s\n", Field(hold, "source").c_str(),
                Field(hold, "collection").c_str(), Field(hold, "records").c_str(),
                Field(hold, "retained_until").c_str(), Field(hold, "legal_basis").c_str(),
                Field(hold, "status").c_str());
  }
  if (r.contains("events")) PrintEvents(r.at("events"));
}

void PrintRequestList(const nlohmann::json& requests) {
  std::printf("%-36s  %-13s %-17s %-10s %-10s  %s\n", "ID", "TYPE", "STATUS", "RECEIVED", "DUE",
              "STANDING");
  for (const auto& r : requests) {
    std::printf("%-36s  %-13s %-17s %-10s %-10s  %s\n", Field(r, "id").c_str(),
                Field(r, "type").c_str(), Field(r, "status").c_str(),
                Field(r, "received_on").c_str(), EffectiveDue(r).c_str(), Standing(r).c_str());
  }
}

void PrintRecords(const nlohmann::json& page) {
  std::printf("%s records in all; showing from %s\n", Field(page, "total").c_str(),
              Field(page, "offset").c_str());
  for (const auto& r : page.at("records")) {
    std::string decision =
        r.at("decision").is_null() ? "" : "  [" + Text(r.at("decision").at("decision")) + "]";
    std::printf(
        "%s/%s line %s key %s %s%s%s\n    %s\n", Field(r, "source").c_str(),
        Field(r, "collection").c_str(), Field(r, "line").c_str(), Field(r, "key").c_str(),
        Field(r, "match").c_str(),
        r.value("ambiguity", "").empty() ? "" : (" (" + Field(r, "ambiguity") + ")").c_str(),
        decision.c_str(), r.at("record").dump().c_str());
    std::printf("    task %s\n", Field(r, "task_id").c_str());
  }
}

void PrintEvents(const nlohmann::json& events) {
  std::printf("\nEvents\n");
  for (const auto& event : events) {
    std::printf("  %s  %-20s %-16s %s\n", Field(event, "at").c_str(), Field(event, "kind").c_str(),
                Field(event, "actor").c_str(), event.at("details").dump().c_str());
  }
}

void PrintHolds(const nlohmann::json& holds) {
  std::printf("%-36s %-10s %-14s %-8s %-11s %-7s %s\n", "REQUEST", "SOURCE", "COLLECTION",
              "RECORDS", "UNTIL", "STATUS", "LEGAL BASIS");
  for (const auto& hold : holds) {
    std::printf("%-36s %-10s %-14s %-8s %-11s %-7s %s\n", Field(hold, "request_id").c_str(),
                Field(hold, "source").c_str(), Field(hold, "collection").c_str(),
                Field(hold, "records").c_str(), Field(hold, "retained_until").c_str(),
                Field(hold, "status").c_str(), Field(hold, "legal_basis").c_str());
  }
}

void PrintDashboard(const nlohmann::json& d) {
  const auto& open = d.at("open");
  std::printf("Today %s\n\nOpen requests      %s\n", Field(d, "today").c_str(),
              Field(open, "total").c_str());
  const std::pair<const char*, const char*> groups[] = {{"by_status", "by status"},
                                                        {"by_type", "by type"}};
  for (const auto& [group, title] : groups) {
    std::printf("  %s\n", title);
    for (const auto& [name, count] : open.at(group).items()) {
      std::printf("    %-16s %s\n", name.c_str(), Text(count).c_str());
    }
  }
  std::printf("Due this week      %s\n", Field(d, "due_this_week").c_str());
  std::printf("Due soon           %s\n", Field(d, "due_soon").c_str());
  std::printf("Overdue            %s\n", Field(d, "overdue").c_str());
  std::printf("Clock paused       %s\n", Field(d, "paused").c_str());
  std::printf("Deadline extended  %s\n", Field(d, "extended").c_str());
  const auto& failing = d.at("failing_sources");
  std::printf("Failing sources    %s\n", failing.empty() ? "none" : "");
  for (const auto& source : failing) {
    std::printf("  %-18s %s failed tasks in %s requests\n", Field(source, "source").c_str(),
                Field(source, "failed_tasks").c_str(), Field(source, "requests").c_str());
  }
  const auto& period = d.at("period");
  std::printf("\nPeriod %s to %s\n", Field(period, "from").c_str(), Field(period, "to").c_str());
  std::printf("  answered         %s (cancelled apart: %s)\n", Field(d, "closed").c_str(),
              Field(d, "cancelled").c_str());
  const auto& on_time = d.at("answered_on_time");
  std::string share = "-";
  if (on_time.at("share").is_number()) {
    share = std::to_string(static_cast<int>(on_time.at("share").get<double>() * 100 + 0.5)) + " %";
  }
  std::printf("  on time          %s (%s)\n", Field(on_time, "count").c_str(), share.c_str());
  std::printf("  late             %s\n", Field(d, "late").c_str());
  const auto& days = d.at("handling_days");
  std::printf("  handling days    median %s, p95 %s\n", Field(days, "median").c_str(),
              Field(days, "p95").c_str());
  std::printf("  extended         %s deadlines\n", Field(d, "extended_in_period").c_str());
}

}  // namespace dsr::ctl
