#include "connectors/mail/subject_messages.h"

#include <cctype>

#include "connectors/mail/message_header.h"
#include "connectors/mail/mime_reader.h"

namespace dsr::connectors::mail {
namespace {

bool IsAddressChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '%' ||
         c == '+' || c == '-';
}

// The address as written in `text` where it stands on its own (not inside a
// longer address such as "xanna@example.org" or "anna@example.org.uk"), or "".
std::string FindStandalone(const std::string& text, const std::string& address) {
  const std::string lower = AsciiLower(text), needle = AsciiLower(address);
  for (size_t at = lower.find(needle); at != std::string::npos; at = lower.find(needle, at + 1)) {
    const size_t end = at + needle.size();
    const bool starts = at == 0 || !IsAddressChar(lower[at - 1]);
    // A '.' right after may end a sentence; followed by a letter it extends the domain.
    bool ends = end == lower.size();
    if (!ends && lower[end] == '.') {
      ends = end + 1 == lower.size() || !std::isalnum(static_cast<unsigned char>(lower[end + 1]));
    } else if (!ends) {
      ends = !IsAddressChar(lower[end]);
    }
    if (starts && ends) return text.substr(at, needle.size());
  }
  return "";
}

const char* RoleOf(const char* field) {
  const std::string name = field;
  if (name == "From") return "from";
  if (name == "Reply-To") return "reply_to";
  if (name == "To") return "to";
  return "cc";
}

// Fills matched_in and attributes from the party fields of the header.
void MatchHeader(const std::string& address, SubjectMessage* message) {
  const auto fields = ParseHeaderFields(message->header);
  for (const char* field : kPartyFields) {
    bool matched = false;
    for (const auto& value : FieldValues(fields, field)) {
      for (const auto& mailbox : ParseAddressList(value)) {
        if (!EqualsIgnoreCase(mailbox.address, address)) continue;
        matched = true;
        message->attributes.emplace("email", ValidUtf8(mailbox.address));
        if (!mailbox.display_name.empty()) {
          message->attributes.emplace("name", ValidUtf8(mailbox.display_name));
        }
      }
    }
    if (matched) message->matched_in.push_back(RoleOf(field));
  }
}

}  // namespace

Result<std::optional<std::string>> SearchableAddress(const Subject& subject) {
  const auto email = subject.find("email");
  if (email == subject.end()) return std::optional<std::string>();
  for (const char c : email->second) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte >= 0x7F) {
      return InvalidArgument(
          "subject email holds control characters or non-ASCII bytes; mail cannot be searched "
          "for it");
    }
  }
  if (email->second.empty()) return std::optional<std::string>();
  return std::optional<std::string>(email->second);
}

Result<std::vector<FolderName>> ResolveFolders(MailStore& store, const MailConfig& config) {
  if (!config.folders.empty()) return config.folders;
  auto folders = store.ListFolders();
  if (!folders.ok()) return folders.status();
  std::vector<FolderName> named;
  std::map<std::string, std::string> owners;
  for (const auto& folder : *folders) {
    FolderName name{folder, CollectionNameOf(folder)};
    const auto [owner, fresh] = owners.emplace(name.collection, folder);
    if (!fresh) {
      return ValidationError("connector.folders: folders '" + owner->second + "' and '" + folder +
                             "' would both be collection '" + name.collection +
                             "'; list the folders with {folder, collection}");
    }
    named.push_back(std::move(name));
  }
  return named;
}

Result<std::vector<SubjectMessage>> FindSubjectMessages(MailStore& store, const std::string& folder,
                                                        const std::string& address, bool bodies) {
  auto candidates = store.FindCandidates(folder, address, bodies);
  if (!candidates.ok()) return candidates.status();
  std::vector<SubjectMessage> found;
  for (auto& candidate : *candidates) {
    SubjectMessage message;
    message.key = candidate.key;
    message.header = std::move(candidate.header);
    message.received = candidate.received;
    MatchHeader(address, &message);
    if (message.matched_in.empty() && candidate.body_may_match) {
      // The search saw the address in the text; whether it stands there on
      // its own needs the decoded text.
      auto whole = store.ReadMessage(folder, message.key);
      if (whole.status().code() == StatusCode::kNotFound) continue;  // removed meanwhile
      if (!whole.ok()) return whole.status();
      const std::string written = FindStandalone(BodyText(*whole), address);
      if (written.empty()) continue;
      message.match = Match::kAmbiguous;
      message.matched_in.push_back("body");
      message.attributes.emplace("email", written);
    }
    if (!message.matched_in.empty()) found.push_back(std::move(message));
  }
  return found;
}

Result<FoundRecord> ExportRecord(MailStore& store, const FolderName& folder,
                                 const SubjectMessage& message) {
  auto eml = store.ReadMessage(folder.folder, message.key);
  if (!eml.ok()) return eml.status();
  FoundRecord found;
  found.collection = folder.collection;
  found.key = message.key;
  found.record = SummarizeMessage(*eml);
  found.record["matched_in"] = message.matched_in;
  // Moved, not copied: one message in memory at a time, however large.
  found.original = FoundRecord::Original{OriginalName(message.key), std::move(eml.value())};
  found.match = message.match;
  if (message.match == Match::kAmbiguous) found.ambiguity = kBodyOnlyAmbiguity;
  found.attributes = message.attributes;
  return found;
}

std::string OriginalName(const std::string& key) {
  std::string name = key.substr(0, 96);
  for (char& c : name) {
    const bool safe = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '.' || c == '_' || c == '-';
    if (!safe) c = '_';
  }
  return (name.empty() ? "message" : name) + ".eml";
}

std::optional<CivilDate> RetentionStartOf(const std::string& header,
                                          const std::optional<CivilDate>& received) {
  const auto date = MessageDateOf(header);
  return date ? date : received;
}

std::optional<CivilDate> MessageDateOf(const std::string& header) {
  const auto date = ParseMessageDate(FirstValue(ParseHeaderFields(header), "Date"));
  if (!date) return std::nullopt;
  return date->date;
}

}  // namespace dsr::connectors::mail
