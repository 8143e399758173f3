// The vCard reader of the files connector (connectors/files/vcard_text.h):
// cards and content lines with positions, unfolding, escapes and
// quoted-printable. Input: byte 0 is the line size limit, the rest the file.
// Positions must lie inside the content, in order.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "connectors/files/vcard_text.h"
#include "fuzz/fuzz_check.h"

using namespace dsr::connectors::files;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const int64_t max_line = data[0] == 0 ? 1 << 20 : data[0];
  const std::string_view content(reinterpret_cast<const char*>(data) + 1, size - 1);
  auto cards = ParseVcards(content, max_line, "fuzz.vcf");
  if (!cards.ok()) return 0;
  size_t previous = 0;
  for (const auto& card : *cards) {
    DSR_FUZZ_CHECK(previous <= card.begin && card.begin <= card.next);
    DSR_FUZZ_CHECK(card.next <= content.size());
    previous = card.next;
    for (const auto& line : card.lines) {
      DSR_FUZZ_CHECK(card.begin <= line.begin && line.begin <= line.end);
      DSR_FUZZ_CHECK(line.end <= line.next && line.next <= card.next);
      const std::string text = VcardText(line);
      (void)VcardComponents(line);
      (void)IsQuotedPrintable(line);
      const std::string folded = FoldVcardLine("NOTE:" + EscapeVcardText(text), card.line_ending);
      // Escaping drops carriage returns (a line break is written as \n) and
      // never shortens anything else.
      const auto returns = static_cast<size_t>(std::count(text.begin(), text.end(), '\r'));
      DSR_FUZZ_CHECK(folded.size() >= text.size() - returns);
    }
  }
  return 0;
}
