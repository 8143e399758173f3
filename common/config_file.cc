#include "common/config_file.h"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "common/schema.h"

namespace dsr {
namespace {

constexpr int kMaxDepth = 32;
// Aliases let a small file name a value many times ("billion laughs"); the
// JSON it expands to is capped well above any real config.
constexpr size_t kMaxValues = 100000;

bool IsInteger(const std::string& text) {
  size_t i = (!text.empty() && (text[0] == '-' || text[0] == '+')) ? 1 : 0;
  if (i == text.size()) return false;
  for (; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  return true;
}

// [-+]? (digits "." digits? | "." digits) ([eE] [-+]? digits)?
bool IsDecimal(const std::string& text) {
  size_t i = (!text.empty() && (text[0] == '-' || text[0] == '+')) ? 1 : 0;
  size_t digits = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i, ++digits;
  if (i == text.size() || text[i] != '.') return false;
  ++i;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i, ++digits;
  if (digits == 0) return false;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
    const size_t exponent_start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    if (i == exponent_start) return false;
  }
  return i == text.size();
}

nlohmann::json ScalarToJson(const YAML::Node& node) {
  const std::string& text = node.Scalar();
  if (node.Tag() == "!") return text;  // quoted: always a string
  if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") {
    return nullptr;
  }
  if (text == "true" || text == "True" || text == "TRUE") return true;
  if (text == "false" || text == "False" || text == "FALSE") return false;
  if (IsInteger(text)) {
    try {
      return std::stoll(text);
    } catch (const std::out_of_range&) {
      return text;
    }
  }
  if (IsDecimal(text)) return std::stod(text);
  return text;
}

Result<nlohmann::json> NodeToJson(const YAML::Node& node, int depth, size_t* values) {
  if (depth > kMaxDepth) return InvalidArgument("nesting deeper than 32 levels");
  if (++*values > kMaxValues) {
    return InvalidArgument("more than " + std::to_string(kMaxValues) +
                           " values (aliases expanding too far?)");
  }
  switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return nlohmann::json(nullptr);
    case YAML::NodeType::Scalar:
      return ScalarToJson(node);
    case YAML::NodeType::Sequence: {
      nlohmann::json array = nlohmann::json::array();
      for (const auto& item : node) {
        auto converted = NodeToJson(item, depth + 1, values);
        if (!converted.ok()) return converted.status();
        array.push_back(std::move(converted.value()));
      }
      return array;
    }
    case YAML::NodeType::Map: {
      nlohmann::json object = nlohmann::json::object();
      for (const auto& entry : node) {
        if (!entry.first.IsScalar()) return InvalidArgument("a mapping key is not a plain value");
        const std::string key = entry.first.Scalar();
        if (object.contains(key)) return InvalidArgument("key '" + key + "' appears twice");
        auto converted = NodeToJson(entry.second, depth + 1, values);
        if (!converted.ok()) return converted.status();
        object[key] = std::move(converted.value());
      }
      return object;
    }
  }
  return InvalidArgument("unsupported YAML node");
}

}  // namespace

Result<nlohmann::json> YamlToJson(const std::string& yaml_text) {
  try {
    size_t values = 0;
    return NodeToJson(YAML::Load(yaml_text), 0, &values);
  } catch (const YAML::Exception& error) {
    return InvalidArgument("not valid YAML: " + error.msg + " (line " +
                           std::to_string(error.mark.line + 1) + ", column " +
                           std::to_string(error.mark.column + 1) + ")");
  }
}

Result<nlohmann::json> LoadConfigFile(const std::string& path, std::string_view schema_name) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return InvalidArgument(path + ": cannot open the config file");
  // Reads one byte past the limit, never more: a device or a huge file as
  // config fails fast instead of filling memory.
  std::string text(kMaxConfigBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(in.gcount()));
  if (text.size() > kMaxConfigBytes) {
    return InvalidArgument(path + ": config file is larger than 1 MiB");
  }
  auto document = YamlToJson(text);
  if (!document.ok()) return document.status().WithContext(path);
  Status valid = SchemaRegistry::Embedded().Validate(schema_name, document.value());
  if (!valid.ok()) {
    return Status(valid.code(), path + ": invalid configuration", valid.details());
  }
  return document;
}

}  // namespace dsr
