// vCard address books as FileDocuments: one record per card. Erasure cuts
// the card's bytes (BEGIN to END and its line ending) out of the text;
// rectification rewrites only the content lines it corrects (folded at 75
// bytes, escaped, in the card's line ending) and copies every other line and
// card as it was. vCard 2.1 cards (quoted-printable, charsets) are read but
// not rewritten.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "connectors/files/corrections.h"
#include "connectors/files/document_formats.h"
#include "connectors/files/subject_matcher.h"
#include "connectors/files/vcard_text.h"

namespace dsr::connectors::files {
namespace {

constexpr size_t kMaxKeyBytes = 200;
enum AdrPart { kStreet = 2, kCity = 3, kPostalCode = 5, kCountry = 6, kAdrParts = 7 };

std::string Join(const std::vector<std::string>& parts, const std::string& separator) {
  std::string joined;
  for (const auto& part : parts) {
    if (!part.empty()) joined += (joined.empty() ? "" : separator) + part;
  }
  return joined;
}

std::string Component(const std::vector<std::string>& parts, size_t index) {
  return index < parts.size() ? parts[index] : "";
}

std::string PhoneValue(const VcardLine& line) {
  std::string value = VcardText(line);
  if (value.rfind("tel:", 0) == 0) value.erase(0, 4);
  return value;
}

std::string AddressLine(const std::vector<std::string>& adr) {
  const std::string town = Join({Component(adr, kPostalCode), Component(adr, kCity)}, " ");
  return Join({Component(adr, kStreet), town, Component(adr, kCountry)}, ", ");
}

std::string EncodeComponents(const std::vector<std::string>& parts) {
  std::string value;
  for (size_t i = 0; i < parts.size(); ++i) value += (i > 0 ? ";" : "") + EscapeVcardText(parts[i]);
  return value;
}

std::string ContentLine(const VcardLine& like, const std::string& value) {
  std::string line = like.group.empty() ? "" : like.group + ".";
  line += like.name;
  if (!like.parameters.empty()) line += ";" + like.parameters;
  return line + ":" + value;
}

// The edits of one card: content line index → new line, and new lines
// that go before END:VCARD.
struct CardEdit {
  std::map<size_t, std::string> replaced;
  std::vector<std::string> added;
};

class VcardDocument final : public FileDocument {
 public:
  VcardDocument(std::string content, std::vector<VcardCard> cards)
      : content_(std::move(content)), cards_(std::move(cards)) {
    modes_["email"] = {{"EMAIL"}, MatchMode::kCaseInsensitive};
    modes_["phone"] = {{"TEL"}, MatchMode::kDigits};
    modes_["name"] = {{"FN", "N"}, MatchMode::kCaseInsensitive};
  }

  void Load() {
    std::map<std::string, int> uids;
    for (const auto& card : cards_) ++uids[Uid(card)];
    for (size_t i = 0; i < cards_.size(); ++i) records_.push_back(Describe(i, uids));
  }

  Result<std::string> Without(const std::set<size_t>& indexes) const override {
    std::string out;
    size_t copied = 0;
    for (const size_t index : indexes) {
      out.append(content_, copied, cards_[index].begin - copied);
      copied = cards_[index].next;
    }
    out.append(content_, copied, std::string::npos);
    return out;
  }

  Result<std::string> Rectified(const std::set<size_t>& indexes, const Corrections& corrections,
                                const Subject& subject, std::set<size_t>* changed) const override {
    auto values = ReadCorrections(corrections);
    if (!values.ok()) return values.status();
    std::string out;
    size_t copied = 0;
    for (const size_t index : indexes) {
      const VcardCard& card = cards_[index];
      if (card.version != "3.0" && card.version != "4.0") {
        return NotImplemented("vCard " + (card.version.empty() ? "without VERSION" : card.version) +
                              " cards are not rewritten (only 3.0 and 4.0)");
      }
      const CardEdit edit = Edit(card, *values, subject);
      if (edit.replaced.empty() && edit.added.empty()) continue;
      if (std::any_of(edit.replaced.begin(), edit.replaced.end(), [&](const auto& entry) {
            return IsQuotedPrintable(card.lines[entry.first]);
          })) {
        return NotImplemented("a corrected vCard property is quoted-printable encoded");
      }
      out.append(content_, copied, card.begin - copied);
      out += Written(card, edit);
      copied = card.next;
      changed->insert(index);
    }
    out.append(content_, copied, std::string::npos);
    return out;
  }

 private:
  static std::string Uid(const VcardCard& card) {
    for (const auto& line : card.lines) {
      if (line.name == "UID") return VcardText(line);
    }
    return "";
  }

  FileRecord Describe(size_t index, const std::map<std::string, int>& uids) const {
    const VcardCard& card = cards_[index];
    FileRecord record;
    const std::string raw = content_.substr(card.begin, card.next - card.begin);
    const std::string uid = Uid(card);
    const bool usable = !uid.empty() && uid.size() <= kMaxKeyBytes && uids.at(uid) == 1 &&
                        uid.find_first_of("\r\n\t") == std::string::npos;
    record.key = usable ? uid : "card-" + std::to_string(index + 1) + "-" + Fingerprint(raw);
    record.record = {{"card", index + 1}, {"vcard", raw}};
    if (!uid.empty()) record.record["uid"] = uid;
    nlohmann::json properties = nlohmann::json::array();
    for (const auto& line : card.lines) {
      if (line.name == "BEGIN" || line.name == "END") continue;
      properties.push_back(
          {{"name", line.name}, {"parameters", line.parameters}, {"value", VcardText(line)}});
      Collect(line, &record);
    }
    record.record["properties"] = std::move(properties);
    return record;
  }

  static void Collect(const VcardLine& line, FileRecord* record) {
    std::string attribute, value;
    if (line.name == "EMAIL") attribute = "email", value = VcardText(line);
    if (line.name == "TEL") attribute = "phone", value = PhoneValue(line);
    if (line.name == "FN") attribute = "name", value = VcardText(line);
    if (line.name == "N") {
      const auto parts = VcardComponents(line);
      attribute = "name", value = Join({Component(parts, 1), Component(parts, 0)}, " ");
    }
    if (line.name == "ADR") {
      const std::string address = AddressLine(VcardComponents(line));
      if (!address.empty()) record->attributes.emplace("postal_address", address);
      return;
    }
    if (attribute.empty() || value.empty()) return;
    record->identities[attribute].push_back(value);
    record->attributes.emplace(attribute, value);
  }

  // The line of property `name` that holds the subject's `attribute` (by
  // `mode`), else the only or first such line; -1 when the card has none.
  static int Target(const VcardCard& card, const char* name, const Subject& subject,
                    const char* attribute, MatchMode mode) {
    int first = -1;
    const auto given = subject.find(attribute);
    for (size_t i = 0; i < card.lines.size(); ++i) {
      if (card.lines[i].name != name) continue;
      if (first < 0) first = static_cast<int>(i);
      const std::string value =
          mode == MatchMode::kDigits ? PhoneValue(card.lines[i]) : VcardText(card.lines[i]);
      if (given != subject.end() &&
          NormalizeIdentity(value, mode) == NormalizeIdentity(given->second, mode)) {
        return static_cast<int>(i);
      }
    }
    return first;
  }

  static void SetSimple(const VcardCard& card, int target, const char* name,
                        const std::string& value, CardEdit* edit) {
    if (target < 0) {
      edit->added.push_back(std::string(name) + ":" + EscapeVcardText(value));
      return;
    }
    const VcardLine& line = card.lines[static_cast<size_t>(target)];
    const bool uri = line.value.rfind("tel:", 0) == 0;
    const std::string current = uri ? PhoneValue(line) : VcardText(line);
    if (current == value) return;
    edit->replaced[static_cast<size_t>(target)] =
        ContentLine(line, (uri ? "tel:" : "") + EscapeVcardText(value));
  }

  static void SetName(const VcardCard& card, const NewValues& values, CardEdit* edit) {
    if (!values.given && !values.family) return;
    const int n = Target(card, "N", {}, "", MatchMode::kExact);
    const int fn = Target(card, "FN", {}, "", MatchMode::kExact);
    std::vector<std::string> parts = {"", ""};
    if (n >= 0) parts = VcardComponents(card.lines[static_cast<size_t>(n)]);
    if (n < 0 && fn >= 0) {  // only a formatted name: its last word is the family name
      const std::string full = VcardText(card.lines[static_cast<size_t>(fn)]);
      const size_t space = full.rfind(' ');
      parts = {space == std::string::npos ? full : full.substr(space + 1),
               space == std::string::npos ? "" : full.substr(0, space)};
    }
    parts.resize(std::max<size_t>(parts.size(), 5));
    if (values.family) parts[0] = *values.family;
    if (values.given) parts[1] = *values.given;
    const std::string full = Join({parts[1], parts[0]}, " ");
    if (fn >= 0) {
      SetSimple(card, fn, "FN", full, edit);
    } else {
      edit->added.push_back("FN:" + EscapeVcardText(full));
    }
    if (n >= 0 || card.version == "3.0") {
      const std::string encoded = EncodeComponents(parts);
      if (n < 0) {
        edit->added.push_back("N:" + encoded);
      } else if (encoded != card.lines[static_cast<size_t>(n)].value) {
        edit->replaced[static_cast<size_t>(n)] =
            ContentLine(card.lines[static_cast<size_t>(n)], encoded);
      }
    }
  }

  static void SetAddress(const VcardCard& card, const NewValues& values, CardEdit* edit) {
    if (values.address.empty()) return;
    const int adr = Target(card, "ADR", {}, "", MatchMode::kExact);
    std::vector<std::string> parts(kAdrParts);
    if (adr >= 0) parts = VcardComponents(card.lines[static_cast<size_t>(adr)]);
    parts.resize(std::max<size_t>(parts.size(), kAdrParts));
    const std::map<std::string, size_t> slots = {
        {"street", kStreet}, {"city", kCity}, {"postal_code", kPostalCode}, {"country", kCountry}};
    for (const auto& [part, value] : values.address) parts[slots.at(part)] = value;
    const std::string encoded = EncodeComponents(parts);
    if (adr < 0) {
      edit->added.push_back("ADR:" + encoded);
    } else if (encoded != card.lines[static_cast<size_t>(adr)].value) {
      edit->replaced[static_cast<size_t>(adr)] =
          ContentLine(card.lines[static_cast<size_t>(adr)], encoded);
    }
  }

  static CardEdit Edit(const VcardCard& card, const NewValues& values, const Subject& subject) {
    CardEdit edit;
    if (values.email) {
      SetSimple(card, Target(card, "EMAIL", subject, "email", MatchMode::kCaseInsensitive), "EMAIL",
                *values.email, &edit);
    }
    if (values.phone) {
      SetSimple(card, Target(card, "TEL", subject, "phone", MatchMode::kDigits), "TEL",
                *values.phone, &edit);
    }
    SetName(card, values, &edit);
    SetAddress(card, values, &edit);
    return edit;
  }

  std::string Written(const VcardCard& card, const CardEdit& edit) const {
    std::string text;
    for (size_t i = 0; i < card.lines.size(); ++i) {
      const VcardLine& line = card.lines[i];
      if (i + 1 == card.lines.size()) {
        for (const auto& added : edit.added) text += FoldVcardLine(added, card.line_ending);
      }
      const auto replaced = edit.replaced.find(i);
      if (replaced == edit.replaced.end()) {
        text.append(content_, line.begin, line.next - line.begin);
      } else {
        text += FoldVcardLine(replaced->second, card.line_ending);
      }
    }
    return text;
  }

  std::string content_;
  std::vector<VcardCard> cards_;
};

}  // namespace

Result<std::unique_ptr<FileDocument>> ParseVcardDocument(FileSnapshot* snapshot,
                                                         int64_t max_line_bytes) {
  auto cards = ParseVcards(snapshot->content, max_line_bytes, snapshot->relative);
  if (!cards.ok()) return cards.status();
  auto document =
      std::make_unique<VcardDocument>(std::move(snapshot->content), std::move(cards.value()));
  document->Load();
  return std::unique_ptr<FileDocument>(std::move(document));
}

}  // namespace dsr::connectors::files
