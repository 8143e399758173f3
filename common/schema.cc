#include "common/schema.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include "common/json_text.h"

namespace dsr::embedded {
const std::vector<std::pair<std::string_view, std::string_view>>& SchemaFiles();
}

namespace dsr {
namespace {

std::string StripJsonSuffix(std::string_view name) {
  std::string text(name);
  const std::string suffix = ".json";
  if (text.size() > suffix.size() &&
      text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0) {
    text.resize(text.size() - suffix.size());
  }
  return text;
}

// Turns valijson's context ["<root>", "[sources]", "[0]", "[name]"] into
// "sources[0].name".
std::string FormatPath(const std::vector<std::string>& context) {
  std::string path;
  for (const auto& part : context) {
    if (part == "<root>" || part.size() < 2 || part.front() != '[') continue;
    const std::string inner = part.substr(1, part.size() - 2);
    const bool index = !inner.empty() && std::all_of(inner.begin(), inner.end(), ::isdigit);
    if (index) {
      path += "[" + inner + "]";
    } else {
      if (!path.empty()) path += ".";
      path += inner;
    }
  }
  return path.empty() ? "(root)" : path;
}

bool IsStrictPrefix(const std::vector<std::string>& shorter,
                    const std::vector<std::string>& longer) {
  return shorter.size() < longer.size() &&
         std::equal(shorter.begin(), shorter.end(), longer.begin());
}

bool NeedsCleanStrings(const nlohmann::json& value) {
  if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    return text.find('\0') != std::string::npos || !IsValidUtf8(text);
  }
  if (value.is_array()) {
    return std::any_of(value.begin(), value.end(),
                       [](const auto& item) { return NeedsCleanStrings(item); });
  }
  if (value.is_object()) {
    for (const auto& [key, item] : value.items()) {
      if (key.find('\0') != std::string::npos || !IsValidUtf8(key) || NeedsCleanStrings(item)) {
        return true;
      }
    }
  }
  return false;
}

nlohmann::json WithCleanStrings(const nlohmann::json& value) {
  if (value.is_string()) return ToValidUtf8WithoutNul(value.get_ref<const std::string&>());
  if (value.is_array()) {
    nlohmann::json array = nlohmann::json::array();
    for (const auto& item : value) array.push_back(WithCleanStrings(item));
    return array;
  }
  if (value.is_object()) {
    nlohmann::json object = nlohmann::json::object();
    for (const auto& [key, item] : value.items()) {
      object[ToValidUtf8WithoutNul(key)] = WithCleanStrings(item);
    }
    return object;
  }
  return value;
}

}  // namespace

struct SchemaRegistry::Impl {
  std::map<std::string, nlohmann::json, std::less<>> documents;
  std::map<std::string, std::unique_ptr<valijson::Schema>, std::less<>> schemas;
};

SchemaRegistry::SchemaRegistry() : impl_(new Impl) {
  for (const auto& [file, text] : embedded::SchemaFiles()) {
    auto parsed = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_discarded()) {
      std::fprintf(stderr, "fatal: embedded schema %.*s is not JSON\n",
                   static_cast<int>(file.size()), file.data());
      std::abort();
    }
    impl_->documents.emplace(std::string(file), std::move(parsed));
  }
  // References name a schema file by its base name ("common.json").
  auto fetch = [this](const std::string& uri) -> const nlohmann::json* {
    const std::string base = uri.substr(uri.find_last_of('/') + 1);
    for (const auto& [file, document] : impl_->documents) {
      if (file == uri || file.substr(file.find_last_of('/') + 1) == base) {
        return new nlohmann::json(document);
      }
    }
    return nullptr;
  };
  auto free_doc = [](const nlohmann::json* document) { delete document; };
  for (const auto& [file, document] : impl_->documents) {
    auto schema = std::make_unique<valijson::Schema>();
    try {
      valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
      valijson::adapters::NlohmannJsonAdapter adapter(document);
      parser.populateSchema(adapter, *schema, fetch, free_doc);
    } catch (const std::exception& error) {
      std::fprintf(stderr, "fatal: embedded schema %s does not load: %s\n", file.c_str(),
                   error.what());
      std::abort();
    }
    impl_->schemas.emplace(StripJsonSuffix(file), std::move(schema));
  }
}

SchemaRegistry::~SchemaRegistry() {
  delete impl_;
}

const SchemaRegistry& SchemaRegistry::Embedded() {
  static const SchemaRegistry registry;
  return registry;
}

std::vector<std::string> SchemaRegistry::Names() const {
  std::vector<std::string> names;
  for (const auto& entry : impl_->schemas) names.push_back(entry.first);
  return names;
}

Status SchemaRegistry::Validate(std::string_view schema_name,
                                const nlohmann::json& document) const {
  const auto found = impl_->schemas.find(schema_name);
  if (found == impl_->schemas.end()) {
    return Internal("no schema named '" + std::string(schema_name) + "'");
  }
  // valijson measures strings (maxLength) as NUL-terminated UTF-8: a run of
  // stray continuation bytes makes it read past a table, and a NUL ends the
  // count early, so an over-long string would pass. Such a document is
  // validated as a copy with U+FFFD in place of each bad byte and NUL.
  if (NeedsCleanStrings(document)) return Validate(schema_name, WithCleanStrings(document));
  // One validator per thread: it caches the compiled regular expressions of
  // "pattern" constraints, which would otherwise be rebuilt on every call.
  thread_local valijson::Validator validator(valijson::Validator::kStrongTypes);
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter adapter(document);
  if (validator.validate(*found->second, adapter, &results)) return Status::Ok();

  // valijson repeats a failure for every enclosing object; keep the innermost.
  std::vector<valijson::ValidationResults::Error> errors(results.begin(), results.end());
  std::vector<std::string> details;
  for (const auto& error : errors) {
    const bool has_deeper = std::any_of(errors.begin(), errors.end(), [&](const auto& other) {
      return IsStrictPrefix(error.context, other.context);
    });
    if (has_deeper) continue;
    std::string line = FormatPath(error.context) + ": " + error.description;
    if (std::find(details.begin(), details.end(), line) == details.end()) {
      details.push_back(std::move(line));
    }
  }
  return ValidationError("does not match schema " + std::string(schema_name), std::move(details));
}

std::string_view EmbeddedSchemaText(std::string_view file_name) {
  for (const auto& [file, text] : embedded::SchemaFiles()) {
    if (file == file_name) return text;
  }
  return {};
}

}  // namespace dsr
