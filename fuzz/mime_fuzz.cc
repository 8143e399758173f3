// The mail connector's message reading (connectors/mail/mime_reader.h,
// message_header.h): header fields, encoded words, address lists, dates and
// the MIME tree. The export summary must always be JSON that dumps strictly
// (valid UTF-8), since it goes into the subject's bundle.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "connectors/mail/message_header.h"
#include "connectors/mail/mime_reader.h"
#include "fuzz/fuzz_check.h"

using namespace dsr::connectors::mail;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view message(reinterpret_cast<const char*>(data), size);
  const nlohmann::json summary = SummarizeMessage(message);
  (void)summary.dump();  // throws, and so aborts, on invalid UTF-8
  const std::string body = BodyText(message, 64 * 1024);
  DSR_FUZZ_CHECK(body.size() <= 64 * 1024);
  (void)nlohmann::json(ValidUtf8(body)).dump();
  const size_t end = HeaderEnd(message);
  const auto fields =
      ParseHeaderFields(message.substr(0, end == std::string_view::npos ? message.size() : end));
  for (const auto& field : fields) {
    (void)DecodeWords(field.value);
    (void)ParseAddressList(field.value);
    (void)ParseMessageDate(field.value);
  }
  return 0;
}
