#include "connectors/mail/imap_session.h"

#include <cctype>

#include "connectors/mail/message_header.h"
#include "connectors/mail/mime_reader.h"

namespace dsr::connectors::mail {
namespace {

constexpr size_t kMaxLine = 1024 * 1024;           // response text and atoms
constexpr size_t kMaxLiteral = 256 * 1024 * 1024;  // one message; larger ones are refused

bool IsStatusAtom(const std::string& atom) {
  for (const char* status : {"OK", "NO", "BAD", "BYE", "PREAUTH"}) {
    if (EqualsIgnoreCase(atom, status)) return true;
  }
  return false;
}

Status Malformed(const std::string& peer) {
  return Unavailable("imap: malformed response from " + peer);
}

}  // namespace

bool ImapValue::IsAtom(std::string_view name) const {
  return kind == Kind::kAtom && EqualsIgnoreCase(text, name);
}

std::string ImapQuote(const std::string& text) {
  std::string quoted = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') quoted.push_back('\\');
    quoted.push_back(c);
  }
  return quoted + "\"";
}

Result<std::unique_ptr<ImapSession>> ImapSession::Open(const ImapEndpoint& endpoint,
                                                       const std::string& user,
                                                       const std::string& password) {
  auto connection = ImapConnection::Open(endpoint);
  if (!connection.ok()) return connection.status();
  std::unique_ptr<ImapSession> session(new ImapSession(std::move(connection.value())));
  DSR_RETURN_IF_ERROR(session->ReadGreeting());
  if (!session->logged_in_) DSR_RETURN_IF_ERROR(session->Authenticate(user, password));
  auto capabilities = session->RunOk("CAPABILITY", "imap: CAPABILITY");
  if (!capabilities.ok()) return capabilities.status();
  DSR_RETURN_IF_ERROR(session->ReadCapabilities(*capabilities));
  return session;
}

ImapSession::~ImapSession() {
  if (connection_ && logged_in_) (void)Run("LOGOUT");
}

Status ImapSession::ReadGreeting() {
  auto star = connection_->Peek();
  if (!star.ok()) return star.status();
  if (*star != '*') return Malformed(connection_->peer());
  connection_->Skip();
  auto space = connection_->Peek();
  if (!space.ok()) return space.status();
  connection_->Skip();
  auto greeting = ReadUntagged();
  if (!greeting.ok()) return greeting.status();
  if (greeting->values.empty() || greeting->values[0].IsAtom("BYE")) {
    return Unavailable("imap: " + connection_->peer() + " refused the connection");
  }
  logged_in_ = greeting->values[0].IsAtom("PREAUTH");
  return Status::Ok();
}

Status ImapSession::Authenticate(const std::string& user, const std::string& password) {
  const std::string credentials = EncodeBase64(std::string(1, '\0') + user + '\0' + password);
  // AUTHENTICATE PLAIN carries any bytes in the password; the server answers
  // the bare command with "+" and then reads the credentials line.
  DSR_RETURN_IF_ERROR(connection_->Write("A0 AUTHENTICATE PLAIN\r\n"));
  auto plus = connection_->Peek();
  if (!plus.ok()) return plus.status();
  if (*plus == '+') {
    auto ignored = ReadRestOfLine();
    if (!ignored.ok()) return ignored.status();
    DSR_RETURN_IF_ERROR(connection_->Write(credentials + "\r\n"));
  }
  for (;;) {
    auto first = connection_->Peek();
    if (!first.ok()) return first.status();
    if (*first == '*') {
      auto line = ReadRestOfLine();
      if (!line.ok()) return line.status();
      continue;
    }
    auto tag = ReadTag();
    if (!tag.ok()) return tag.status();
    auto text = ReadRestOfLine();
    if (!text.ok()) return text.status();
    if (*tag != "A0") continue;
    if (text->rfind("OK", 0) != 0) {
      return Unavailable("imap: login refused by " + connection_->peer() +
                         " (check connector.imap.user and connector.imap.password_file)");
    }
    logged_in_ = true;
    return Status::Ok();
  }
}

Status ImapSession::ReadCapabilities(const ImapReply& reply) {
  for (const auto& response : reply.untagged) {
    if (response.values.empty() || !response.values[0].IsAtom("CAPABILITY")) continue;
    for (size_t i = 1; i < response.values.size(); ++i) {
      std::string name = response.values[i].text;
      for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      capabilities_.insert(name);
    }
  }
  return Status::Ok();
}

bool ImapSession::HasCapability(const std::string& name) const {
  return capabilities_.count(name) != 0;
}

Result<ImapReply> ImapSession::Run(const std::string& command) {
  if (command.find_first_of(std::string("\r\n\0", 3)) != std::string::npos) {
    return InvalidArgument("imap: a command must be one line");
  }
  const std::string tag = "D" + std::to_string(next_tag_++);
  DSR_RETURN_IF_ERROR(connection_->Write(tag + " " + command + "\r\n"));
  ImapReply reply;
  for (;;) {
    auto first = connection_->Peek();
    if (!first.ok()) return first.status();
    if (*first == '*' || *first == '+') {
      connection_->Skip();
      auto space = connection_->Peek();
      if (!space.ok()) return space.status();
      if (*space == ' ') connection_->Skip();
      if (*first == '+') {  // nothing of ours waits for a continuation
        auto ignored = ReadRestOfLine();
        if (!ignored.ok()) return ignored.status();
        continue;
      }
      auto response = ReadUntagged();
      if (!response.ok()) return response.status();
      reply.untagged.push_back(std::move(response.value()));
      continue;
    }
    auto received = ReadTag();
    if (!received.ok()) return received.status();
    auto text = ReadRestOfLine();
    if (!text.ok()) return text.status();
    if (*received != tag) continue;
    const size_t space = text->find(' ');
    reply.status = text->substr(0, space);
    reply.text = space == std::string::npos ? "" : text->substr(space + 1);
    return reply;
  }
}

Result<ImapReply> ImapSession::RunOk(const std::string& command, const std::string& what) {
  auto reply = Run(command);
  if (!reply.ok()) return reply.status();
  if (reply->status != "OK") {
    // The server's text names the problem ("Mailbox doesn't exist: Archiv"),
    // never message content.
    return Unavailable(what + ": " + reply->status + " " + reply->text.substr(0, 200));
  }
  return reply;
}

Result<std::string> ImapSession::ReadTag() {
  auto tag = ReadAtom();
  if (!tag.ok()) return tag.status();
  auto space = connection_->Peek();
  if (!space.ok()) return space.status();
  if (*space != ' ') return Malformed(connection_->peer());
  connection_->Skip();
  return tag;
}

Result<std::string> ImapSession::ReadRestOfLine() {
  std::string line;
  for (;;) {
    auto c = connection_->Peek();
    if (!c.ok()) return c.status();
    connection_->Skip();
    if (*c == '\n') break;
    line.push_back(*c);
    if (line.size() > kMaxLine) return Malformed(connection_->peer());
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

Result<UntaggedResponse> ImapSession::ReadUntagged() {
  UntaggedResponse response;
  auto first = ReadAtom();
  if (!first.ok()) return first.status();
  response.values.push_back({ImapValue::Kind::kAtom, first.value(), {}});
  if (IsStatusAtom(*first)) {
    auto c = connection_->Peek();
    if (!c.ok()) return c.status();
    if (*c == ' ') connection_->Skip();
    auto text = ReadRestOfLine();
    if (!text.ok()) return text.status();
    response.text = std::move(text.value());
    return response;
  }
  auto rest = ReadValuesToLineEnd();
  if (!rest.ok()) return rest.status();
  for (auto& value : *rest) response.values.push_back(std::move(value));
  return response;
}

Result<std::vector<ImapValue>> ImapSession::ReadValuesToLineEnd() {
  std::vector<ImapValue> values;
  for (;;) {
    auto c = connection_->Peek();
    if (!c.ok()) return c.status();
    if (*c == ' ' || *c == '\r') {
      connection_->Skip();
    } else if (*c == '\n') {
      connection_->Skip();
      return values;
    } else {
      auto value = ReadValue();
      if (!value.ok()) return value.status();
      values.push_back(std::move(value.value()));
    }
  }
}

Result<ImapValue> ImapSession::ReadValue() {
  auto c = connection_->Peek();
  if (!c.ok()) return c.status();
  if (*c == '(') return ReadList();
  ImapValue value;
  Result<std::string> text = std::string();
  if (*c == '"' || *c == '{') {
    value.kind = ImapValue::Kind::kString;
    text = *c == '"' ? ReadQuoted() : ReadLiteral();
  } else {
    text = ReadAtom();
  }
  if (!text.ok()) return text.status();
  value.text = std::move(text.value());
  if (value.kind == ImapValue::Kind::kAtom && EqualsIgnoreCase(value.text, "NIL")) {
    value.kind = ImapValue::Kind::kNil;
  }
  return value;
}

Result<ImapValue> ImapSession::ReadList() {
  connection_->Skip();  // '('
  ImapValue list{ImapValue::Kind::kList, "", {}};
  for (;;) {
    auto c = connection_->Peek();
    if (!c.ok()) return c.status();
    if (*c == ')') {
      connection_->Skip();
      return list;
    }
    if (*c == ' ') {
      connection_->Skip();
      continue;
    }
    if (*c == '\r' || *c == '\n') return Malformed(connection_->peer());
    auto item = ReadValue();
    if (!item.ok()) return item.status();
    list.items.push_back(std::move(item.value()));
  }
}

Result<std::string> ImapSession::ReadQuoted() {
  connection_->Skip();  // '"'
  std::string text;
  for (;;) {
    auto c = connection_->Peek();
    if (!c.ok()) return c.status();
    connection_->Skip();
    if (*c == '"') return text;
    if (*c == '\r' || *c == '\n' || text.size() > kMaxLine) return Malformed(connection_->peer());
    if (*c == '\\') {
      c = connection_->Peek();
      if (!c.ok()) return c.status();
      connection_->Skip();
    }
    text.push_back(*c);
  }
}

// "{123}\r\n" followed by exactly 123 bytes (or "{123+}" from LITERAL+).
Result<std::string> ImapSession::ReadLiteral() {
  connection_->Skip();  // '{'
  size_t size = 0;
  for (;;) {
    auto c = connection_->Peek();
    if (!c.ok()) return c.status();
    connection_->Skip();
    if (*c == '}') break;
    if (*c == '+') continue;
    if (!std::isdigit(static_cast<unsigned char>(*c)) || size > kMaxLiteral) {
      return Malformed(connection_->peer());
    }
    size = size * 10 + static_cast<size_t>(*c - '0');
  }
  if (size > kMaxLiteral) return TooLarge("imap: a message is larger than 256 MiB");
  auto line_end = ReadRestOfLine();
  if (!line_end.ok()) return line_end.status();
  if (!line_end->empty()) return Malformed(connection_->peer());
  return connection_->Read(size);
}

// An atom, where a '[' opens a section read up to its ']' with spaces and
// parentheses inside: "BODY[HEADER.FIELDS (FROM TO)]" is one atom.
Result<std::string> ImapSession::ReadAtom() {
  std::string atom;
  bool in_section = false;
  for (;;) {
    auto c = connection_->Peek();
    if (!c.ok()) return c.status();
    if (*c == '\r' || *c == '\n') break;
    if (!in_section && (*c == ' ' || *c == '(' || *c == ')')) break;
    if (*c == '[') in_section = true;
    if (*c == ']') in_section = false;
    atom.push_back(*c);
    connection_->Skip();
    if (atom.size() > kMaxLine) return Malformed(connection_->peer());
  }
  if (atom.empty()) return Malformed(connection_->peer());
  return atom;
}

}  // namespace dsr::connectors::mail
