#include "coordinator/letters/view.h"

#include <algorithm>
#include <kainjow/mustache.hpp>

namespace dsr::letters {
namespace {

namespace mustache = kainjow::mustache;

// Escaping the view instead of relying on {{x}} makes escaping a property of
// the data: a template that slips in {{{x}}} or changes the delimiters still
// cannot put raw text into the page. The renderer's own escaping is switched
// off in RenderView, so nothing is escaped twice.
mustache::data ToData(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::object: {
      mustache::data object(mustache::data::type::object);
      for (const auto& [key, item] : value.items()) {
        if (!item.is_null()) object.set(key, ToData(item));
      }
      return object;
    }
    case nlohmann::json::value_t::array: {
      mustache::data list(mustache::data::type::list);
      for (const auto& item : value) list.push_back(ToData(item));
      return list;
    }
    case nlohmann::json::value_t::boolean:
      return mustache::data(value.get<bool>());
    case nlohmann::json::value_t::string:
      return mustache::data(mustache::html_escape(value.get_ref<const std::string&>()));
    default:
      return mustache::data(mustache::html_escape(value.dump()));
  }
}

}  // namespace

Status CheckTemplate(std::string_view text) {
  const mustache::mustache parsed{std::string(text)};
  if (!parsed.is_valid()) return ValidationError(parsed.error_message());
  // {{{x}}} and {{&x}}, with any blanks after the braces, as the parser allows.
  for (size_t open = text.find("{{"); open != text.npos; open = text.find("{{", open + 2)) {
    const size_t sigil = text.find_first_not_of(" \t", open + 2);
    if (sigil == text.npos || (text[sigil] != '{' && text[sigil] != '&')) continue;
    const auto line =
        1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(open), '\n');
    return ValidationError("line " + std::to_string(line) +
                           ": unescaped tag ({{{ or {{&); use {{name}}");
  }
  return Status::Ok();
}

std::string RenderView(std::string_view text, const nlohmann::json& view) {
  // Parsed per call: a parsed template keeps render state, so sharing one
  // between threads would need a lock, and a letter parses in microseconds.
  mustache::mustache parsed{std::string(text)};
  parsed.set_custom_escape([](const std::string& already_escaped) { return already_escaped; });
  return parsed.render(ToData(view));
}

}  // namespace dsr::letters
