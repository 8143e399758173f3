// A minimal XML tag scanner for editing spreadsheet XML in place: it reports
// where each tag starts and ends, so that an edit can cut or replace exactly
// one element and leave every other byte as it was (a DOM would re-serialize
// the whole part). Comments, processing instructions, CDATA and DOCTYPE are
// skipped. It does not validate; CheckXmlWithPoco does that on the result.
// Pure functions and a value-type scanner.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace dsr::connectors::files {

struct XmlTag {
  size_t begin = 0;             // '<'
  size_t end = 0;               // after '>'
  std::string_view prefix;      // "x" of <x:row>, or empty
  std::string_view name;        // local name: "row"
  std::string_view attributes;  // raw text between the name and '>' or '/>'
  bool closing = false;         // </row>
  bool self_closing = false;    // <row/>
};

class XmlScanner {
 public:
  explicit XmlScanner(std::string_view text, size_t from = 0) : text_(text), at_(from) {}
  // The next start, end or empty-element tag; false at the end or on a tag
  // that never closes.
  bool Next(XmlTag* tag);
  size_t position() const { return at_; }

 private:
  std::string_view text_;
  size_t at_;
};

// The decoded value of the first attribute whose local name is `local_name`
// ("id" finds r:id; "r" finds r).
std::optional<std::string> XmlAttribute(std::string_view attributes, std::string_view local_name);

std::string XmlUnescape(std::string_view text);
std::string XmlEscape(std::string_view text);

// The text of a shared string <si> or inline string <is>: its <t> runs
// joined, phonetic runs (<rPh>) left out.
std::string RunText(std::string_view element);

// The end of the element whose start tag is `start` (after its end tag, or
// after `start` when it is empty); npos when it never ends.
size_t ElementEnd(std::string_view text, const XmlTag& start);

// Whether Poco's SAX parser accepts `xml` as well-formed; the part's name in
// the error otherwise.
Status CheckXmlWithPoco(const std::string& xml, const std::string& part);

}  // namespace dsr::connectors::files
