#include "tools/zendesk-standin/standin_paging.h"

#include <Poco/URI.h>

#include <algorithm>
#include <cstdlib>

namespace dsr::zendesk_standin {
namespace {

using Json = nlohmann::json;

long long Number(const std::map<std::string, std::string>& params, const std::string& name,
                 long long fallback) {
  const auto found = params.find(name);
  if (found == params.end()) return fallback;
  char* end = nullptr;
  const long long value = std::strtoll(found->second.c_str(), &end, 10);
  return end != found->second.c_str() && *end == '\0' ? value : fallback;
}

// Cursors are opaque to clients; here they hide an offset.
std::string Cursor(size_t offset) {
  return "cur" + std::to_string(offset * 7 + 3);
}

size_t Offset(const std::string& cursor) {
  if (cursor.rfind("cur", 0) != 0) return 0;
  const long long value = std::atoll(cursor.c_str() + 3);
  return value >= 3 ? static_cast<size_t>((value - 3) / 7) : 0;
}

// The request's URL with `changes` applied to its parameters.
std::string Link(const PageRequest& request, const std::map<std::string, std::string>& changes,
                 const std::vector<std::string>& dropped) {
  std::map<std::string, std::string> params = request.params;
  for (const auto& name : dropped) params.erase(name);
  for (const auto& [name, value] : changes) params[name] = value;
  std::string link = request.origin + request.path;
  char separator = '?';
  for (const auto& [name, value] : params) {
    std::string encoded_name, encoded_value;
    Poco::URI::encode(name, "!#$&'()*+,/:;=?@[]\" ", encoded_name);
    Poco::URI::encode(value, "!#$&'()*+,/:;=?@[]\" ", encoded_value);
    link += separator + encoded_name + "=" + encoded_value;
    separator = '&';
  }
  return link;
}

std::vector<Json> Slice(const std::vector<Json>& items, size_t begin, size_t size) {
  begin = std::min(begin, items.size());
  const size_t end = std::min(items.size(), begin + size);
  return std::vector<Json>(items.begin() + static_cast<std::ptrdiff_t>(begin),
                           items.begin() + static_cast<std::ptrdiff_t>(end));
}

}  // namespace

Json PageOf(const std::vector<Json>& items, const std::string& key, const PageRequest& request) {
  const long long limit = request.max_page_size;
  if (request.params.count("page[size]") != 0) {
    const size_t size =
        static_cast<size_t>(std::clamp(Number(request.params, "page[size]", 100), 1LL, limit));
    const auto after = request.params.find("page[after]");
    const auto before = request.params.find("page[before]");
    size_t begin = after == request.params.end() ? 0 : Offset(after->second);
    if (before != request.params.end())
      begin = Offset(before->second) - std::min(size, Offset(before->second));
    const bool has_more = begin + size < items.size();
    const std::vector<std::string> cursors = {"page[after]", "page[before]"};
    Json body = {{key, Slice(items, begin, size)}};
    body["meta"] = {{"has_more", has_more},
                    {"after_cursor", has_more ? Json(Cursor(begin + size)) : Json()},
                    {"before_cursor", begin > 0 ? Json(Cursor(begin)) : Json()}};
    body["links"] = {
        {"next",
         has_more ? Json(Link(request, {{"page[after]", Cursor(begin + size)}}, cursors)) : Json()},
        {"prev",
         begin > 0 ? Json(Link(request, {{"page[before]", Cursor(begin)}}, cursors)) : Json()}};
    return body;
  }
  const size_t per_page =
      static_cast<size_t>(std::clamp(Number(request.params, "per_page", 100), 1LL, limit));
  const size_t page =
      static_cast<size_t>(std::clamp(Number(request.params, "page", 1), 1LL, 1000000LL));
  const size_t begin = (page - 1) * per_page;
  const auto link = [&](size_t number) {
    return Json(Link(
        request, {{"page", std::to_string(number)}, {"per_page", std::to_string(per_page)}}, {}));
  };
  return {{key, Slice(items, begin, per_page)},
          {"next_page", begin + per_page < items.size() ? link(page + 1) : Json()},
          {"previous_page", page > 1 ? link(page - 1) : Json()},
          {"count", items.size()}};
}

}  // namespace dsr::zendesk_standin
