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

std::string Identities(const nlohmann::json& subject) {
  std::string text;
  for (const auto& [attribute, value] : subject.items()) {
    if (!text.empty()) text += ", ";
    text += attribute + "=" + Text(value);
  }
  return text;
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

void PrintRequest(const nlohmann::json& r) {
  std::printf("Request   %s\n", Text(r.at("id")).c_str());
  std::printf("Type      %-14s Status  %s\n", Text(r.at("type")).c_str(),
              Text(r.at("status")).c_str());
  std::printf("Received  %-14s Due     %s\n", Text(r.at("received_on")).c_str(),
              Text(r.at("due_on")).c_str());
  std::printf("Subject   %s\n", Identities(r.at("subject")).c_str());
  std::printf("Language  %-14s Channel %s\n", Text(r.at("language")).c_str(),
              Text(r.at("channel")).c_str());
  if (!r.at("bundle").is_null()) {
    const auto& bundle = r.at("bundle");
    std::printf("Bundle    %s bytes, sha256 %s\n", Text(bundle.at("bytes")).c_str(),
                Text(bundle.at("sha256")).c_str());
  }
  std::printf("\nTasks\n  %-12s %-11s %-8s %-8s %-24s %s\n", "SOURCE", "STATUS", "ATTEMPTS",
              "RECORDS", "WORKER", "ERROR");
  for (const auto& task : r.at("tasks")) {
    const std::string error =
        task.at("error").is_null()
            ? ""
            : Text(task.at("error").at("code")) + ": " + Text(task.at("error").at("message"));
    std::printf("  %-12s %-11s %-8s %-8s %-24s %s\n", Text(task.at("source")).c_str(),
                Text(task.at("status")).c_str(), Text(task.at("attempts")).c_str(),
                Text(task.at("records")).c_str(), Text(task.at("worker")).c_str(), error.c_str());
  }
  std::printf("\nEvents\n");
  for (const auto& event : r.at("events")) {
    std::printf("  %s  %-18s %-16s %s\n", Text(event.at("at")).c_str(),
                Text(event.at("kind")).c_str(), Text(event.at("actor")).c_str(),
                event.at("details").dump().c_str());
  }
}

void PrintRequestList(const nlohmann::json& requests) {
  std::printf("%-36s  %-13s %-13s %-10s %-10s\n", "ID", "TYPE", "STATUS", "RECEIVED", "DUE");
  for (const auto& r : requests) {
    std::printf("%-36s  %-13s %-13s %-10s %-10s\n", Text(r.at("id")).c_str(),
                Text(r.at("type")).c_str(), Text(r.at("status")).c_str(),
                Text(r.at("received_on")).c_str(), Text(r.at("due_on")).c_str());
  }
}

}  // namespace dsr::ctl
