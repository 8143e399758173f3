// The wire decoder (common/wire.h) on hostile frames. Input: the first byte
// picks the sending side; the rest is split into frames at each 0x1E byte
// (see fuzz/corpus/wire_fuzz). A decoded message must encode again and decode to
// the same message: what one side accepts, the other can send.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "common/wire.h"
#include "fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace dsr::wire;
  if (size == 0) return 0;
  const Sender from = (data[0] & 1) ? Sender::kCoordinator : Sender::kWorker;
  std::vector<std::string> frames(1);
  for (size_t i = 1; i < size; ++i) {
    const char c = static_cast<char>(data[i]);
    if (c == '\x1e')
      frames.emplace_back();
    else
      frames.back().push_back(c);
  }
  auto message = Decode(frames, from);
  if (!message.ok()) return 0;
  auto encoded = Encode(*message);
  DSR_FUZZ_CHECK(encoded.ok());
  auto again = Decode(*encoded, from);
  DSR_FUZZ_CHECK(again.ok());
  DSR_FUZZ_CHECK(again->command == message->command);
  DSR_FUZZ_CHECK(again->header == message->header);
  DSR_FUZZ_CHECK(again->payload == message->payload);
  return 0;
}
