// vCard (RFC 2426 / RFC 6350, and 2.1 for reading) as text with positions:
// cards and their content lines keep where their raw bytes are, so that an
// edit copies untouched cards and lines as they are. Handles line folding
// (a line starting with a space or tab continues the one before), 2.1's
// quoted-printable soft line breaks, escapes (\n \, \; \\) and structured
// values (N, ADR). Pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace dsr::connectors::files {

struct VcardLine {
  size_t begin = 0;        // raw bytes of all its physical lines
  size_t end = 0;          // before the last line ending
  size_t next = 0;         // after it
  std::string group;       // "item1" of "item1.EMAIL", or empty
  std::string name;        // upper case: "EMAIL"
  std::string parameters;  // raw, without the leading ';': "TYPE=work;PREF=1"
  std::string value;       // unfolded, still escaped
};

struct VcardCard {
  size_t begin = 0;                  // the BEGIN:VCARD line
  size_t next = 0;                   // after the END:VCARD line's line ending
  std::string version;               // "3.0", "4.0", "2.1" or empty
  std::vector<VcardLine> lines;      // BEGIN and END included
  std::string line_ending = "\r\n";  // as the card writes it
};

// Cards in `content` (text outside cards is left alone). kTooLarge for a
// content line over `max_line_bytes`, kInvalidArgument for a card without
// END; messages start with `name`.
Result<std::vector<VcardCard>> ParseVcards(std::string_view content, int64_t max_line_bytes,
                                           const std::string& name);

// Whether the line's value is quoted-printable encoded (vCard 2.1).
bool IsQuotedPrintable(const VcardLine& line);

// The decoded text of a property value (escapes undone, quoted-printable
// decoded when the parameters say so).
std::string VcardText(const VcardLine& line);
// The components of a structured value (N, ADR), each decoded.
std::vector<std::string> VcardComponents(const VcardLine& line);

// Escapes text for a property value (\\ \n \, \;).
std::string EscapeVcardText(std::string_view text);
// A whole content line, folded at 75 bytes (never inside a UTF-8
// character), each physical line ending in `line_ending`.
std::string FoldVcardLine(std::string_view line, const std::string& line_ending);

}  // namespace dsr::connectors::files
