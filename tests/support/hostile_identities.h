// Identity values crafted to break out of the place a connector puts them:
// SQL strings and LIKE patterns, IMAP SEARCH strings and literals, file
// names, mail headers, Zendesk search syntax. Every connector's tests run
// them: the connector finds no one (or refuses the value), and changes
// nothing. Header-only.
#pragma once

#include <string>
#include <vector>

namespace dsr::testing {

struct HostileValue {
  std::string what;   // for CAPTURE: which trick
  std::string value;  // the identity value
};

inline std::vector<HostileValue> HostileIdentityValues() {
  using namespace std::string_literals;
  return {
      {"SQL: always true", "' OR '1'='1"},
      {"SQL: always true, double quotes", "\" OR \"\"=\""},
      {"SQL: stacked statement", "x'; DROP TABLE customers; --"},
      {"SQL: comment", "anna@example.org'--"},
      {"SQL: LIKE wildcard", "%"},
      {"SQL: LIKE single character", "_"},
      {"SQL: LIKE wildcard in an address", "%@%"},
      {"SQL: union", "x' UNION SELECT * FROM customers --"},
      {"IMAP: quote ends the string", "a\" OR FROM \"@"},
      {"IMAP: CRLF and a command", "x@y\r\na1 EXPUNGE"},
      {"IMAP: CRLF and a delete", "x\r\nA1 DELETE INBOX\r\n"},
      {"IMAP: literal syntax", "{5}\r\nhello"},
      {"IMAP: bare literal", "x{5}"},
      {"IMAP: backslash", "\\"},
      {"IMAP: search all", "ALL"},
      {"path: traversal", "../../etc/passwd"},
      {"path: absolute", "/etc/passwd"},
      {"path: NUL", "anna\0../../etc/passwd"s},
      {"mail header: CRLF and Bcc", "Anna\r\nBcc: everyone@example.org"},
      {"Zendesk: field query", "requester:*"},
      {"Zendesk: wildcard", "*"},
      {"Zendesk: type switch", "* type:user"},
      {"Zendesk: any e-mail", "email:*@*"},
      {"Zendesk: OR", "nobody@example.org OR anna"},
      {"Zendesk: quoted phrase", "\"\""},
      {"glob/regex", ".*"},
  };
}

}  // namespace dsr::testing
