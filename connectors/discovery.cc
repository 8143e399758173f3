#include "connectors/discovery.h"

#include <arpa/inet.h>

#include <cctype>
#include <string>

namespace dsr::connectors {
namespace {

bool IsLocalChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '%' ||
         c == '+' || c == '-';
}
bool IsDomainChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-';
}
bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}
bool IsUpper(char c) {
  return c >= 'A' && c <= 'Z';
}
bool IsPhoneChar(char c) {
  return IsDigit(c) || c == ' ' || c == '+' || c == '(' || c == ')' || c == '/' || c == '-' ||
         c == '.';
}

// Counts the e-mail addresses: every '@' with a plausible local part and domain.
int64_t CountEmails(std::string_view text) {
  int64_t count = 0;
  for (size_t at = text.find('@'); at != std::string_view::npos; at = text.find('@', at + 1)) {
    size_t begin = at;
    while (begin > 0 && IsLocalChar(text[begin - 1])) --begin;
    size_t end = at + 1;
    while (end < text.size() && IsDomainChar(text[end])) ++end;
    while (end > at + 1 && (text[end - 1] == '.' || text[end - 1] == '-')) --end;  // sentence end
    if (LooksLikeEmail(text.substr(begin, end - begin))) ++count;
  }
  return count;
}

// Calls `visit` with every maximal run of characters for which `in_run` holds.
template <typename InRun, typename Visit>
void ForEachRun(std::string_view text, InRun in_run, Visit visit) {
  size_t i = 0;
  while (i < text.size()) {
    if (!in_run(text[i])) {
      ++i;
      continue;
    }
    size_t end = i;
    while (end < text.size() && in_run(text[end])) ++end;
    visit(text.substr(i, end - i));
    i = end;
  }
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && !IsDigit(text.front()) && text.front() != '+') text.remove_prefix(1);
  while (!text.empty() && !IsDigit(text.back())) text.remove_suffix(1);
  return text;
}

}  // namespace

// True when an IBAN (written with or without spaces) starts at the front of
// `text`: the shortest prefix of 15 to 34 characters that passes the check.
bool StartsIban(std::string_view text) {
  std::string compact;
  for (const char c : text) {
    if (c == ' ') continue;
    compact.push_back(c);
    if (compact.size() > 34) break;
    if (compact.size() >= 15 && IsIban(compact)) return true;
  }
  return false;
}

bool LooksLikeEmail(std::string_view token) {
  const size_t at = token.find('@');
  if (at == std::string_view::npos || at == 0 ||
      token.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  const std::string_view domain = token.substr(at + 1);
  const size_t dot = domain.rfind('.');
  return dot != std::string_view::npos && dot > 0 && dot + 2 <= domain.size() &&
         domain.front() != '.' && domain.back() != '.';
}

bool LooksLikePhone(std::string_view token) {
  token = Trim(token);
  if (token.empty() || (token.front() != '+' && token.front() != '0')) return false;
  int digits = 0, dots = 0;
  for (const char c : token) {
    if (IsDigit(c)) ++digits;
    if (c == '.') ++dots;
  }
  // Dotted runs are versions and IP addresses far more often than phone numbers.
  return digits >= 7 && digits <= 15 && dots == 0;
}

bool IsIpAddress(std::string_view token) {
  const std::string text(token);
  unsigned char buffer[16];
  return inet_pton(AF_INET, text.c_str(), buffer) == 1 ||
         (text.find(':') != text.rfind(':') && inet_pton(AF_INET6, text.c_str(), buffer) == 1);
}

bool IsIban(std::string_view token) {
  std::string compact;
  for (const char c : token) {
    if (c != ' ') compact.push_back(c);
  }
  if (compact.size() < 15 || compact.size() > 34 || !IsUpper(compact[0]) || !IsUpper(compact[1]) ||
      !IsDigit(compact[2]) || !IsDigit(compact[3])) {
    return false;
  }
  // ISO 13616: move the first four characters to the end, letters become
  // 10..35, and the number must leave 1 modulo 97.
  const std::string rearranged = compact.substr(4) + compact.substr(0, 4);
  int remainder = 0;
  for (const char c : rearranged) {
    if (IsDigit(c)) {
      remainder = (remainder * 10 + (c - '0')) % 97;
    } else if (IsUpper(c)) {
      remainder = (remainder * 100 + (c - 'A' + 10)) % 97;
    } else {
      return false;
    }
  }
  return remainder == 1;
}

Detection DetectPersonalData(std::string_view text) {
  Detection detection;
  auto note = [&detection](const char* kind, int64_t count) {
    if (count == 0) return;
    detection.kinds.insert(kind);
    detection.occurrences += count;
  };
  note(kKindEmail, CountEmails(text));
  int64_t ips = 0, phones = 0, ibans = 0;
  ForEachRun(
      text,
      [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) || c == '.' || c == ':'; },
      [&](std::string_view run) {
        while (!run.empty() && (run.back() == '.' || run.back() == ':')) run.remove_suffix(1);
        if (IsIpAddress(run)) ++ips;
      });
  ForEachRun(text, IsPhoneChar, [&](std::string_view run) {
    if (LooksLikePhone(run)) ++phones;
  });
  ForEachRun(
      text, [](char c) { return IsUpper(c) || IsDigit(c) || c == ' '; },
      [&](std::string_view run) {
        for (size_t i = 0; i + 4 <= run.size(); ++i) {
          if (!IsUpper(run[i]) || (i > 0 && run[i - 1] != ' ')) continue;
          if (StartsIban(run.substr(i))) ++ibans;
        }
      });
  note(kKindIpAddress, ips);
  note(kKindPhone, phones);
  note(kKindIban, ibans);
  return detection;
}

}  // namespace dsr::connectors
