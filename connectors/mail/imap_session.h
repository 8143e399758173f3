// ImapSession: the IMAP4rev1 protocol (RFC 3501) over one connection, as
// much of it as the mail connector needs: log in (AUTHENTICATE PLAIN), run
// tagged commands, and read their untagged responses as values (atoms,
// strings, literals, lists), literals read by their announced length so
// that no message content is ever taken for protocol. Not thread-safe.
#pragma once

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "common/status.h"
#include "connectors/mail/imap_connection.h"

namespace dsr::connectors::mail {

struct ImapValue {
  enum class Kind { kAtom, kString, kNil, kList };
  Kind kind = Kind::kAtom;
  std::string text;              // kAtom and kString (quoted or literal)
  std::vector<ImapValue> items;  // kList

  bool IsAtom(std::string_view name) const;  // without case
};

// One untagged response ("* ..."): its values, or for a status response
// (OK, NO, BAD, BYE, PREAUTH) the status atom and the rest of the line.
struct UntaggedResponse {
  std::vector<ImapValue> values;
  std::string text;  // status responses only, e.g. "[UIDVALIDITY 3857529045] UIDs valid"
};

struct ImapReply {
  std::vector<UntaggedResponse> untagged;
  std::string status;  // "OK", "NO" or "BAD"
  std::string text;    // the tagged response's text
};

class ImapSession {
 public:
  // Connects, reads the greeting and logs in. A refused login is
  // kUnavailable naming the config key, never the user or password.
  static Result<std::unique_ptr<ImapSession>> Open(const ImapEndpoint& endpoint,
                                                   const std::string& user,
                                                   const std::string& password);
  // Logs out (best effort).
  ~ImapSession();
  ImapSession(const ImapSession&) = delete;
  ImapSession& operator=(const ImapSession&) = delete;

  // Sends "<tag> <command>" and reads up to its tagged response. `command`
  // must be one line (no CR or LF; checked). A tagged NO or BAD is returned
  // as a reply, not an error; transport failures and BYE are kUnavailable.
  Result<ImapReply> Run(const std::string& command);
  // Like Run, but a NO or BAD is kUnavailable "<what>: <server text>".
  Result<ImapReply> RunOk(const std::string& command, const std::string& what);

  bool HasCapability(const std::string& name) const;  // upper case, e.g. "UIDPLUS"

 private:
  explicit ImapSession(std::unique_ptr<ImapConnection> connection)
      : connection_(std::move(connection)) {}
  Status ReadGreeting();
  Status Authenticate(const std::string& user, const std::string& password);
  Status ReadCapabilities(const ImapReply& reply);
  Result<std::string> ReadTag();
  Result<std::string> ReadRestOfLine();
  Result<std::vector<ImapValue>> ReadValuesToLineEnd();
  Result<ImapValue> ReadValue();
  Result<ImapValue> ReadList();
  Result<std::string> ReadQuoted();
  Result<std::string> ReadLiteral();
  Result<std::string> ReadAtom();
  Result<UntaggedResponse> ReadUntagged();

  std::unique_ptr<ImapConnection> connection_;
  std::set<std::string> capabilities_;
  int next_tag_ = 1;
  bool logged_in_ = false;
};

// "a\"b" → "\"a\\\"b\"": an IMAP quoted string. The text must hold no CR,
// LF or NUL (quoted strings cannot carry them).
std::string ImapQuote(const std::string& text);

}  // namespace dsr::connectors::mail
