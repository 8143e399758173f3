#include "connectors/sql/sql_value.h"

#include <cctype>
#include <cstdint>
#include <nlohmann/json.hpp>

namespace dsr::connectors::sql {
namespace {

int HexDigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

nlohmann::json SqlValueToJson(const SqlValue& value) {
  struct ToJson {
    nlohmann::json operator()(std::monostate) const { return nullptr; }
    nlohmann::json operator()(long long number) const { return number; }
    nlohmann::json operator()(double number) const { return number; }
    nlohmann::json operator()(const std::string& text) const { return text; }
    nlohmann::json operator()(const Blob& blob) const { return Base64Encode(blob.bytes); }
  };
  return std::visit(ToJson{}, value);
}

std::string Base64Encode(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string encoded;
  encoded.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const uint32_t group = (static_cast<uint8_t>(bytes[i]) << 16) |
                           (static_cast<uint8_t>(bytes[i + 1]) << 8) |
                           static_cast<uint8_t>(bytes[i + 2]);
    encoded += kAlphabet[(group >> 18) & 63];
    encoded += kAlphabet[(group >> 12) & 63];
    encoded += kAlphabet[(group >> 6) & 63];
    encoded += kAlphabet[group & 63];
  }
  const size_t rest = bytes.size() - i;
  if (rest > 0) {
    uint32_t group = static_cast<uint32_t>(static_cast<uint8_t>(bytes[i])) << 16;
    if (rest == 2) group |= static_cast<uint32_t>(static_cast<uint8_t>(bytes[i + 1])) << 8;
    encoded += kAlphabet[(group >> 18) & 63];
    encoded += kAlphabet[(group >> 12) & 63];
    encoded += rest == 2 ? kAlphabet[(group >> 6) & 63] : '=';
    encoded += '=';
  }
  return encoded;
}

bool HexDecode(std::string_view hex, std::string* bytes) {
  if (hex.size() % 2 != 0) return false;
  bytes->clear();
  bytes->reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) {
    const int high = HexDigitValue(hex[i]);
    const int low = HexDigitValue(hex[i + 1]);
    if (high < 0 || low < 0) return false;
    bytes->push_back(static_cast<char>(high * 16 + low));
  }
  return true;
}

std::string KeyText(const SqlValue& key) {
  if (const auto* number = std::get_if<long long>(&key)) return std::to_string(*number);
  if (const auto* text = std::get_if<std::string>(&key)) return *text;
  return SqlValueToJson(key).dump();
}

// Placeholders are the only ":p<digits>" in statement text: identifiers are
// validated names and values are never spliced, so renumbering by scanning is safe.
std::string BoundSql::Adopt(const BoundSql& part) {
  const size_t offset = params.size();
  params.insert(params.end(), part.params.begin(), part.params.end());
  std::string adopted;
  for (size_t i = 0; i < part.text.size(); ++i) {
    const bool placeholder = part.text.compare(i, 2, ":p") == 0 && i + 2 < part.text.size() &&
                             std::isdigit(static_cast<unsigned char>(part.text[i + 2])) != 0;
    if (!placeholder) {
      adopted += part.text[i];
      continue;
    }
    size_t end = i + 2;
    while (end < part.text.size() && std::isdigit(static_cast<unsigned char>(part.text[end]))) {
      ++end;
    }
    adopted += ":p" + std::to_string(offset + std::stoul(part.text.substr(i + 2, end - i - 2)));
    i = end - 1;
  }
  return adopted;
}

std::string BoundSql::Bind(SqlValue value) {
  params.push_back(std::move(value));
  return ":p" + std::to_string(params.size() - 1);
}

}  // namespace dsr::connectors::sql
