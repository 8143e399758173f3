// JSON-lines chat logs as FileDocuments: one record per chat session (every
// line whose session field holds the same value), or per line for lines
// without one. Erasure cuts the session's lines, line endings included, out
// of the text; rectification replaces only the bytes of the mapped fields'
// values (json_spans.h) in the session's lines. Every other line stays
// byte-identical.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "connectors/files/corrections.h"
#include "connectors/files/document_formats.h"
#include "connectors/files/json_spans.h"

namespace dsr::connectors::files {
namespace {

constexpr size_t kMaxKeyBytes = 200;

struct LogLine {
  size_t begin = 0;
  size_t end = 0;   // before "\r\n" or "\n"
  size_t next = 0;  // after the line ending
  int number = 0;   // 1-based
};

const nlohmann::json* AtPath(const nlohmann::json& object, const std::vector<std::string>& path) {
  const nlohmann::json* at = &object;
  for (const auto& part : path) {
    if (!at->is_object()) return nullptr;
    const auto found = at->find(part);
    if (found == at->end()) return nullptr;
    at = &*found;
  }
  return at;
}

std::string Text(const nlohmann::json* value) {
  if (value == nullptr || value->is_null()) return "";
  return value->is_string() ? value->get<std::string>() : value->dump();
}

bool UsableAsKey(const std::string& id) {
  if (id.size() > kMaxKeyBytes) return false;
  for (const char c : id) {
    if (static_cast<unsigned char>(c) < 0x20) return false;
  }
  return true;
}

class ChatDocument final : public FileDocument {
 public:
  ChatDocument(const FileRule& rule, std::string content)
      : rule_(rule), content_(std::move(content)) {
    modes_ = rule_.identities;
  }

  Status Load(const std::string& relative, int64_t max_line_bytes) {
    const std::vector<LogLine> lines = SplitLines();
    std::map<std::string, size_t> sessions;  // session id → record index
    for (const auto& line : lines) {
      if (static_cast<int64_t>(line.end - line.begin) > max_line_bytes) {
        return TooLarge(relative + ": line " + std::to_string(line.number) +
                        " is longer than connector.max_line_bytes (" +
                        std::to_string(max_line_bytes) + ")");
      }
      const std::string_view text(content_.data() + line.begin, line.end - line.begin);
      if (text.find_first_not_of(" \t\r") == std::string_view::npos) continue;
      auto entry = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
      if (!entry.is_object()) {
        // A last line without its line ending is still being written.
        if (line.next == line.end && line.next == content_.size()) continue;
        return InvalidArgument(relative + ": line " + std::to_string(line.number) +
                               " is not a JSON object");
      }
      const std::string session = Text(AtPath(entry, SplitFieldPath(rule_.session_field)));
      size_t index = records_.size();
      if (!session.empty()) index = sessions.emplace(session, index).first->second;
      if (index == records_.size()) StartRecord(session, line, text);
      AddLine(index, line, std::move(entry));
    }
    return Status::Ok();
  }

  Result<std::string> Without(const std::set<size_t>& indexes) const override {
    std::string out;
    size_t copied = 0;
    for (const auto& [line, index] : LinesOf(indexes)) {
      out.append(content_, copied, line.begin - copied);
      copied = line.next;
    }
    out.append(content_, copied, std::string::npos);
    return out;
  }

  Result<std::string> Rectified(const std::set<size_t>& indexes, const Corrections& corrections,
                                const Subject& /*subject*/,
                                std::set<size_t>* changed) const override {
    auto values = ReadCorrections(corrections);
    if (!values.ok()) return values.status();
    // Fields as a table's columns: email and phone into their field, a name
    // into one field as "given family" or into two as given and family.
    const std::map<std::string, std::string> by_field = ColumnCorrections(rule_, *values);
    std::string out;
    size_t copied = 0;
    for (const auto& [line, index] : LinesOf(indexes)) {
      std::string rewritten = RewriteLine(line, by_field);
      if (rewritten == std::string_view(content_).substr(line.begin, line.end - line.begin)) {
        continue;
      }
      out.append(content_, copied, line.begin - copied);
      out += rewritten;
      copied = line.end;
      changed->insert(index);
    }
    out.append(content_, copied, std::string::npos);
    return out;
  }

 private:
  std::vector<LogLine> SplitLines() const {
    std::vector<LogLine> lines;
    size_t at = 0;
    while (at < content_.size()) {
      LogLine line;
      line.begin = at;
      line.number = static_cast<int>(lines.size()) + 1;
      const size_t newline = content_.find('\n', at);
      line.next = newline == std::string::npos ? content_.size() : newline + 1;
      line.end = newline == std::string::npos ? content_.size() : newline;
      if (line.end > line.begin && content_[line.end - 1] == '\r') --line.end;
      lines.push_back(line);
      at = line.next;
    }
    return lines;
  }

  void StartRecord(const std::string& session, const LogLine& line, std::string_view text) {
    FileRecord record;
    if (session.empty()) {
      record.key = "line-" + std::to_string(line.number) + "-" + Fingerprint(text);
    } else {
      record.key = UsableAsKey(session) ? session : "session-" + Fingerprint(session);
      record.record["session"] = session;
    }
    record.record["lines"] = nlohmann::json::array();
    records_.push_back(std::move(record));
    lines_.emplace_back();
  }

  void AddLine(size_t index, const LogLine& line, nlohmann::json entry) {
    FileRecord& record = records_[index];
    for (const auto& [attribute, mapping] : rule_.identities) {
      std::string joined;
      for (const auto& field : mapping.fields) {
        const std::string part = Text(AtPath(entry, SplitFieldPath(field)));
        if (!part.empty()) joined += (joined.empty() ? "" : " ") + part;
      }
      if (joined.empty()) continue;
      record.identities[attribute].push_back(joined);
      if (attribute != "ip_address") record.attributes.emplace(attribute, joined);
    }
    record.record["lines"].push_back({{"line", line.number}, {"entry", std::move(entry)}});
    lines_[index].push_back(line);
  }

  std::string RewriteLine(const LogLine& line,
                          const std::map<std::string, std::string>& by_field) const {
    std::string text = content_.substr(line.begin, line.end - line.begin);
    std::vector<std::pair<Span, std::string>> replacements;
    for (const auto& [field, value] : by_field) {
      for (const auto& span : FindMemberValues(text, SplitFieldPath(field))) {
        replacements.emplace_back(span, nlohmann::json(value).dump());
      }
    }
    std::sort(replacements.begin(), replacements.end(),
              [](const auto& a, const auto& b) { return a.first.first > b.first.first; });
    for (const auto& [span, replacement] : replacements) {
      text.replace(span.first, span.second - span.first, replacement);
    }
    return text;
  }

  // The lines of the records at `indexes` with their record, in file order
  // (sessions interleave in a log).
  std::vector<std::pair<LogLine, size_t>> LinesOf(const std::set<size_t>& indexes) const {
    std::vector<std::pair<LogLine, size_t>> lines;
    for (const size_t index : indexes) {
      for (const auto& line : lines_.at(index)) lines.emplace_back(line, index);
    }
    std::sort(lines.begin(), lines.end(),
              [](const auto& a, const auto& b) { return a.first.begin < b.first.begin; });
    return lines;
  }

  const FileRule rule_;
  std::string content_;
  std::vector<std::vector<LogLine>> lines_;  // per record
};

}  // namespace

Result<std::unique_ptr<FileDocument>> ParseChatDocument(const FileRule& rule,
                                                        FileSnapshot* snapshot,
                                                        int64_t max_line_bytes) {
  auto document = std::make_unique<ChatDocument>(rule, std::move(snapshot->content));
  DSR_RETURN_IF_ERROR(document->Load(snapshot->relative, max_line_bytes));
  return std::unique_ptr<FileDocument>(std::move(document));
}

}  // namespace dsr::connectors::files
