// MailStore over IMAP. Reads use EXAMINE and BODY.PEEK, so that finding and
// exporting a subject's mail changes no flag in the mailbox; only Delete
// SELECTs a folder for writing. The server searches (UID SEARCH); only the
// headers of candidates and the messages that are exported travel.
#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "connectors/mail/imap_session.h"
#include "connectors/mail/mail_store.h"
#include "connectors/mail/message_header.h"

namespace dsr::connectors::mail {
namespace {

constexpr size_t kFetchBatch = 200;            // UIDs per UID FETCH of headers
constexpr char kSampleBytes[] = "<0.262144>";  // a sampled message's first 256 KiB

// "1:3,7" for {1, 2, 3, 7}.
std::string UidSet(const std::vector<uint32_t>& uids) {
  std::string set;
  for (size_t i = 0; i < uids.size();) {
    size_t j = i;
    while (j + 1 < uids.size() && uids[j + 1] == uids[j] + 1) ++j;
    if (!set.empty()) set += ",";
    set += std::to_string(uids[i]);
    if (j > i) set += ":" + std::to_string(uids[j]);
    i = j + 1;
  }
  return set;
}

std::optional<uint32_t> Number(const std::string& text) {
  if (text.empty() || text.size() > 10 ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  const unsigned long long value = std::stoull(text);
  if (value == 0 || value > 0xFFFFFFFFULL) return std::nullopt;
  return static_cast<uint32_t>(value);
}

// The value after the item named `prefix...` in a FETCH response's list.
const ImapValue* FetchItem(const ImapValue& list, const std::string& prefix) {
  for (size_t i = 0; i + 1 < list.items.size(); i += 2) {
    const ImapValue& name = list.items[i];
    if (name.kind == ImapValue::Kind::kAtom && name.text.size() >= prefix.size() &&
        std::equal(prefix.begin(), prefix.end(), name.text.begin(), [](char a, char b) {
          return std::toupper(static_cast<unsigned char>(a)) ==
                 std::toupper(static_cast<unsigned char>(b));
        })) {
      return &list.items[i + 1];
    }
  }
  return nullptr;
}

// uid → the `prefix` item's text, from the "* n FETCH (...)" responses.
std::map<uint32_t, std::string> FetchedItems(ImapReply& reply, const std::string& prefix) {
  std::map<uint32_t, std::string> items;
  for (auto& response : reply.untagged) {
    if (response.values.size() < 3 || !response.values[1].IsAtom("FETCH")) continue;
    const ImapValue& list = response.values[2];
    const ImapValue* uid = FetchItem(list, "UID");
    const ImapValue* item = FetchItem(list, prefix);
    if (uid == nullptr || item == nullptr || !Number(uid->text)) continue;
    items[*Number(uid->text)] = item->text;
  }
  return items;
}

// The date of an INTERNALDATE ("17-Jul-1996 02:44:25 -0700", RFC 3501), as
// written in its own zone.
std::optional<CivilDate> InternalDateOf(std::string text) {
  const size_t begin = text.find_first_not_of(' ');
  if (begin == std::string::npos) return std::nullopt;
  text.erase(0, begin);
  for (size_t i = 0; i < text.size() && text[i] != ' '; ++i) {
    if (text[i] == '-') text[i] = ' ';
  }
  const auto date = ParseMessageDate(text);
  if (!date) return std::nullopt;
  return date->date;
}

Result<std::string> ReadPassword(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return ValidationError("connector.imap.password_file: cannot read " + path);
  std::stringstream content;
  content << in.rdbuf();
  std::string password = content.str();
  if (!password.empty() && password.back() == '\n') password.pop_back();
  if (!password.empty() && password.back() == '\r') password.pop_back();
  return password;
}

class ImapStore final : public MailStore {
 public:
  explicit ImapStore(std::unique_ptr<ImapSession> session) : session_(std::move(session)) {}

  Result<std::vector<std::string>> ListFolders() override {
    auto reply = session_->RunOk("LIST \"\" \"*\"", "imap: LIST");
    if (!reply.ok()) return reply.status();
    std::vector<std::string> folders;
    for (const auto& response : reply->untagged) {
      const auto& values = response.values;
      if (values.size() < 4 || !values[0].IsAtom("LIST")) continue;
      const bool selectable =
          std::none_of(values[1].items.begin(), values[1].items.end(), [](const ImapValue& flag) {
            return flag.IsAtom("\\Noselect") || flag.IsAtom("\\NonExistent");
          });
      if (selectable) folders.push_back(values[3].text);
    }
    std::sort(folders.begin(), folders.end(), [](const std::string& a, const std::string& b) {
      return (a != "INBOX") < (b != "INBOX") || ((a != "INBOX") == (b != "INBOX") && a < b);
    });
    return folders;
  }

  Result<std::vector<Candidate>> FindCandidates(const std::string& folder,
                                                const std::string& address, bool bodies) override {
    DSR_RETURN_IF_ERROR(Open(folder, false));
    const std::string q = ImapQuote(address);
    auto in_header =
        Search("OR OR OR FROM " + q + " TO " + q + " CC " + q + " HEADER REPLY-TO " + q);
    if (!in_header.ok()) return in_header.status();
    std::vector<uint32_t> in_body;
    if (bodies) {
      auto found = Search("BODY " + q);
      if (!found.ok()) return found.status();
      in_body = std::move(found.value());
    }
    std::vector<uint32_t> all = *in_header;
    all.insert(all.end(), in_body.begin(), in_body.end());
    std::sort(all.begin(), all.end());
    all.erase(std::unique(all.begin(), all.end()), all.end());
    auto headers = FetchHeaders(all);
    if (!headers.ok()) return headers.status();
    for (auto& candidate : *headers) {
      const uint32_t uid = *Number(candidate.key);
      candidate.body_may_match = std::binary_search(in_body.begin(), in_body.end(), uid);
      candidate.key = KeyOf(uid);
    }
    return std::move(headers.value());
  }

  Result<std::string> ReadMessage(const std::string& folder, const std::string& key) override {
    DSR_RETURN_IF_ERROR(Open(folder, false));
    const size_t colon = key.find(':');
    const auto uid = Number(key.substr(colon + 1));
    if (colon == std::string::npos || key.substr(0, colon) != uidvalidity_ || !uid) {
      return NotFound("imap: no such message in folder '" + folder + "'");
    }
    auto reply = session_->RunOk("UID FETCH " + std::to_string(*uid) + " (UID BODY.PEEK[])",
                                 "imap: UID FETCH");
    if (!reply.ok()) return reply.status();
    auto messages = FetchedItems(*reply, "BODY[]");
    if (messages.count(*uid) == 0)
      return NotFound("imap: no such message in folder '" + folder + "'");
    return std::move(messages[*uid]);
  }

  Result<std::vector<Candidate>> ReadHeaders(const std::string& folder,
                                             const std::set<std::string>& keys) override {
    DSR_RETURN_IF_ERROR(Open(folder, false));
    auto uids = UidsOf(folder, keys);
    if (!uids.ok()) return uids.status();
    auto headers = FetchHeaders(*uids);
    if (!headers.ok()) return headers.status();
    for (auto& candidate : *headers) candidate.key = KeyOf(*Number(candidate.key));
    return std::move(headers.value());
  }

  // Flags exactly the given UIDs and expunges exactly those (UIDPLUS), so a
  // message another user flagged \Deleted is never removed by us.
  Result<int64_t> Delete(const std::string& folder, const std::set<std::string>& keys) override {
    DSR_RETURN_IF_ERROR(Open(folder, true));
    auto uids = UidsOf(folder, keys);
    if (!uids.ok()) return uids.status();
    if (uids->empty()) return int64_t{0};
    auto existing = Search("UID " + UidSet(*uids));
    if (!existing.ok()) return existing.status();
    if (existing->empty()) return int64_t{0};
    if (!session_->HasCapability("UIDPLUS")) {
      return NotImplemented(
          "imap: the server lacks UIDPLUS, so messages cannot be expunged "
          "one by one");
    }
    const std::string set = UidSet(*existing);
    DSR_RETURN_IF_ERROR(
        session_->RunOk("UID STORE " + set + " +FLAGS.SILENT (\\Deleted)", "imap: UID STORE")
            .status());
    DSR_RETURN_IF_ERROR(session_->RunOk("UID EXPUNGE " + set, "imap: UID EXPUNGE").status());
    return static_cast<int64_t>(existing->size());
  }

  Result<std::vector<SampledMessage>> Sample(const std::string& folder, int count,
                                             bool bodies) override {
    DSR_RETURN_IF_ERROR(Open(folder, false));
    auto all = Search("ALL");
    if (!all.ok()) return all.status();
    std::vector<uint32_t> picked;
    const size_t step = std::max<size_t>(1, all->size() / static_cast<size_t>(count));
    for (size_t i = 0; i < all->size() && picked.size() < static_cast<size_t>(count); i += step) {
      picked.push_back((*all)[i]);
    }
    auto headers = FetchHeaders(picked);
    if (!headers.ok()) return headers.status();
    std::vector<SampledMessage> sample;
    for (auto& fetched : *headers) {
      const uint32_t uid = *Number(fetched.key);
      SampledMessage message{std::move(fetched.header), ""};
      if (bodies) {
        auto reply = session_->RunOk(
            "UID FETCH " + std::to_string(uid) + " (UID BODY.PEEK[]" + kSampleBytes + ")",
            "imap: UID FETCH");
        if (!reply.ok()) return reply.status();
        message.message = std::move(FetchedItems(*reply, "BODY[]")[uid]);
      }
      sample.push_back(std::move(message));
    }
    return sample;
  }

 private:
  // EXAMINE for reading (read-only: no flag changes), SELECT for writing.
  Status Open(const std::string& folder, bool write) {
    if (folder == selected_ && (writable_ || !write)) return Status::Ok();
    auto reply = session_->RunOk((write ? "SELECT " : "EXAMINE ") + ImapQuote(folder),
                                 "imap: folder '" + folder + "' cannot be opened");
    if (!reply.ok()) {
      selected_.clear();
      return reply.status();
    }
    uidvalidity_.clear();
    for (const auto& response : reply->untagged) {
      if (response.text.rfind("[UIDVALIDITY ", 0) != 0) continue;
      uidvalidity_ = response.text.substr(13, response.text.find(']') - 13);
    }
    if (!Number(uidvalidity_))
      return Unavailable("imap: folder '" + folder + "' has no UIDVALIDITY");
    selected_ = folder;
    writable_ = write;
    return Status::Ok();
  }

  std::string KeyOf(uint32_t uid) const { return uidvalidity_ + ":" + std::to_string(uid); }

  // The UIDs of `keys`. Keys from before the folder's UIDVALIDITY changed
  // would name other messages now: that is a conflict, not "already gone".
  Result<std::vector<uint32_t>> UidsOf(const std::string& folder,
                                       const std::set<std::string>& keys) const {
    std::vector<uint32_t> uids;
    for (const auto& key : keys) {
      const size_t colon = key.find(':');
      const auto uid = colon == std::string::npos ? std::nullopt : Number(key.substr(colon + 1));
      if (!uid || !Number(key.substr(0, colon))) {
        return InvalidArgument("imap: key '" + key + "' is not <UIDVALIDITY>:<UID>");
      }
      if (key.substr(0, colon) != uidvalidity_) {
        return Conflict("imap: folder '" + folder + "' has a new UIDVALIDITY, so key '" + key +
                        "' names no message any more; locate the subject again");
      }
      uids.push_back(*uid);
    }
    std::sort(uids.begin(), uids.end());
    return uids;
  }

  // A refused search is reported without the server's text, which could
  // quote the criteria and so the subject's address.
  Result<std::vector<uint32_t>> Search(const std::string& criteria) {
    auto reply = session_->Run("UID SEARCH " + criteria);
    if (!reply.ok()) return reply.status();
    if (reply->status != "OK") return Unavailable("imap: UID SEARCH failed: " + reply->status);
    std::vector<uint32_t> uids;
    for (const auto& response : reply->untagged) {
      if (response.values.empty() || !response.values[0].IsAtom("SEARCH")) continue;
      for (size_t i = 1; i < response.values.size(); ++i) {
        if (const auto uid = Number(response.values[i].text)) uids.push_back(*uid);
      }
    }
    std::sort(uids.begin(), uids.end());
    return uids;
  }

  // The header blocks and arrival dates of `uids`, in UID order, keyed by
  // the bare UID (callers turn it into a message key).
  Result<std::vector<Candidate>> FetchHeaders(const std::vector<uint32_t>& uids) {
    std::vector<Candidate> headers;
    for (size_t begin = 0; begin < uids.size(); begin += kFetchBatch) {
      const std::vector<uint32_t> batch(
          uids.begin() + static_cast<std::ptrdiff_t>(begin),
          uids.begin() + static_cast<std::ptrdiff_t>(std::min(uids.size(), begin + kFetchBatch)));
      auto reply =
          session_->RunOk("UID FETCH " + UidSet(batch) + " (UID INTERNALDATE BODY.PEEK[HEADER])",
                          "imap: UID FETCH");
      if (!reply.ok()) return reply.status();
      auto dates = FetchedItems(*reply, "INTERNALDATE");
      for (auto& [uid, header] : FetchedItems(*reply, "BODY[HEADER]")) {
        Candidate candidate{std::to_string(uid), std::move(header), false};
        if (dates.count(uid) > 0) candidate.received = InternalDateOf(dates[uid]);
        headers.push_back(std::move(candidate));
      }
    }
    return headers;
  }

  std::unique_ptr<ImapSession> session_;
  std::string selected_;
  bool writable_ = false;
  std::string uidvalidity_;
};

}  // namespace

Result<std::unique_ptr<MailStore>> OpenImapStore(const ImapSettings& settings) {
  auto password = ReadPassword(settings.password_file);
  if (!password.ok()) return password.status();
  ImapEndpoint endpoint{settings.host,       settings.port,    settings.tls,
                        settings.tls_verify, settings.ca_file, settings.timeout};
  auto session = ImapSession::Open(endpoint, settings.user, *password);
  if (!session.ok()) return session.status();
  return std::unique_ptr<MailStore>(new ImapStore(std::move(session.value())));
}

}  // namespace dsr::connectors::mail
