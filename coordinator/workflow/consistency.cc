#include "coordinator/workflow/consistency.h"

#include <cctype>
#include <map>
#include <set>

#include "coordinator/workflow/spool_reader.h"

namespace dsr::workflow {
namespace {

std::string LowerCollapsed(const std::string& value) {
  std::string out;
  bool space = false;
  for (const char c : value) {
    if (std::isspace(static_cast<unsigned char>(c)) || c == ',') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

std::string PhoneDigits(const std::string& value, const std::string& country_code) {
  std::string digits;
  for (const char c : value) {
    if (c >= '0' && c <= '9') digits.push_back(c);
  }
  const size_t first = value.find_first_not_of(" \t");
  if (first != std::string::npos && value[first] == '+') return digits;
  if (digits.rfind("00", 0) == 0) return digits.substr(2);
  if (digits.rfind('0', 0) == 0 && !country_code.empty()) return country_code + digits.substr(1);
  return digits;
}

}  // namespace

std::string CountryCallingCode(const std::string& region) {
  static const std::map<std::string, std::string> kCodes = {
      {"DE", "49"},  {"AT", "43"}, {"CH", "41"}, {"FR", "33"}, {"NL", "31"}, {"BE", "32"},
      {"LU", "352"}, {"IT", "39"}, {"ES", "34"}, {"PL", "48"}, {"DK", "45"}, {"GB", "44"}};
  const auto found = kCodes.find(region.substr(0, 2));
  return found == kCodes.end() ? std::string() : found->second;
}

std::string NormalizedAttribute(const std::string& attribute, const std::string& value,
                                const std::string& country_code) {
  if (attribute == "phone") return PhoneDigits(value, country_code);
  return LowerCollapsed(value);
}

Result<nlohmann::json> CompareAttributes(const store::Store& store, const std::string& request_id,
                                         const std::string& country_code) {
  auto tasks = store.TasksOfRequest(request_id);
  auto results = store.ResultsOfRequest(request_id);
  if (!tasks.ok()) return tasks.status();
  if (!results.ok()) return results.status();
  std::map<std::string, std::string> source_of;
  for (const auto& task : *tasks) source_of[task.id] = task.source;

  struct Seen {
    std::string first_spelling;
    std::set<std::string> sources;
  };
  std::map<std::string, std::map<std::string, Seen>> seen;  // attribute → normalized → …
  for (const auto& result : *results) {
    const std::string& source = source_of[result.task_id];
    DSR_RETURN_IF_ERROR(ReadSpool(
        result.path, store.data_keys(), 0, result.records, [&](const SpooledRecord& record) {
          if (record.ambiguous)
            return true;  // maybe someone else's: says nothing about the subject
          for (const auto& [attribute, value] : record.attributes) {
            if (value.empty()) continue;
            Seen& entry = seen[attribute][NormalizedAttribute(attribute, value, country_code)];
            if (entry.first_spelling.empty()) entry.first_spelling = value;
            entry.sources.insert(source);
          }
          return true;
        }));
  }
  nlohmann::json differences = nlohmann::json::array();
  for (const auto& [attribute, values] : seen) {
    if (values.size() < 2) continue;
    nlohmann::json list = nlohmann::json::array();
    for (const auto& [normalized, entry] : values) {
      list.push_back({{"value", entry.first_spelling}, {"sources", entry.sources}});
    }
    differences.push_back({{"attribute", attribute}, {"values", list}});
  }
  return differences;
}

}  // namespace dsr::workflow
