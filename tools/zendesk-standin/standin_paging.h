// Pagination as Zendesk documents it, for dsr-zendesk-standin: cursor
// pagination when the request has page[size] ({"meta": {"has_more",
// "after_cursor", "before_cursor"}, "links": {"next", "prev"}}), otherwise
// offset pagination with page and per_page ({"next_page", "previous_page",
// "count"}). Links are absolute URLs on the origin the client used.
// Pure functions; thread-safe.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace dsr::zendesk_standin {

struct PageRequest {
  std::string origin;                         // "http://127.0.0.1:8090"
  std::string path;                           // "/api/v2/users/1/tickets/requested.json"
  std::map<std::string, std::string> params;  // decoded query parameters
  int max_page_size = 100;                    // Zendesk's limit is 100
};

// The page of `items` the request asks for, under `key` ("users", "tickets").
nlohmann::json PageOf(const std::vector<nlohmann::json>& items, const std::string& key,
                      const PageRequest& request);

}  // namespace dsr::zendesk_standin
