#include "common/base64.h"

#include <doctest/doctest.h>

#include <string>

namespace dsr {

TEST_SUITE("Base64") {
  TEST_CASE("round-trips every byte value, with padding as RFC 4648 writes it") {
    std::string bytes;
    for (int value = 0; value < 256; ++value) bytes.push_back(static_cast<char>(value));
    for (size_t length : {0u, 1u, 2u, 3u, 4u, 255u, 256u}) {
      const std::string part = bytes.substr(0, length);
      const std::string encoded = EncodeBase64(part);
      CHECK(encoded.size() == (length + 2) / 3 * 4);
      CHECK(IsCanonicalBase64(encoded));
      CHECK(DecodeBase64(encoded) == part);
    }
    CHECK(EncodeBase64("Hallo") == "SGFsbG8=");
  }

  TEST_CASE("decoding skips line breaks, as MIME bodies have them") {
    CHECK(DecodeBase64("SGFs\r\nbG8=") == "Hallo");
  }

  TEST_CASE("only one line of padded base64 is canonical") {
    CHECK(IsCanonicalBase64(""));
    CHECK_FALSE(IsCanonicalBase64("SGFsbG8"));       // no padding
    CHECK_FALSE(IsCanonicalBase64("SGFs\nbG8="));    // a line break
    CHECK_FALSE(IsCanonicalBase64("SG=sbG8="));      // padding inside
    CHECK_FALSE(IsCanonicalBase64("SGFsbG8=SGFs"));  // text after padding
    CHECK_FALSE(IsCanonicalBase64("SGF$bG8="));
  }
}

}  // namespace dsr
