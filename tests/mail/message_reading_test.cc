#include <doctest/doctest.h>

#include "connectors/mail/message_header.h"
#include "connectors/mail/mime_reader.h"

namespace dsr::connectors::mail {
namespace {

TEST_SUITE("MessageReading") {
  TEST_CASE("address lists with quoted names, encoded words, comments and groups") {
    const auto list = ParseAddressList(
        "\"Muster, Anna\" <Anna.Muster@Example.org>, bob@example.com (Bob Bau), "
        "=?UTF-8?Q?J=C3=BCrgen?= <j@x.de>, Team: c@y.de, d@z.de;, <@relay.example:e@w.de>");
    REQUIRE(list.size() == 6);
    CHECK(list[0].display_name == "Muster, Anna");
    CHECK(list[0].address == "Anna.Muster@Example.org");
    CHECK(list[1].address == "bob@example.com");
    CHECK(list[1].display_name == "Bob Bau");
    CHECK(list[2].display_name == "Jürgen");
    CHECK(list[3].address == "c@y.de");
    CHECK(list[4].address == "d@z.de");
    CHECK(list[5].address == "e@w.de");
    CHECK(ParseAddressList("undisclosed-recipients:;").empty());
  }

  TEST_CASE("encoded words: adjacent words join, other text stays, broken words are kept") {
    CHECK(DecodeWords("=?utf-8?B?SsO8cmdlbg==?= =?utf-8?B?IE3DvGxsZXI=?=") == "Jürgen Müller");
    CHECK(DecodeWords("Gr=?ISO-8859-1?Q?=FC=DFe?= aus Bonn") == "Grüße aus Bonn");
    CHECK(DecodeWords("=?UTF-8?Q?a_b?= c") == "a b c");
    CHECK(DecodeWords("=?UTF-8?Q?broken") == "=?UTF-8?Q?broken");
    CHECK(DecodeWords("=?x-unknown?Q?abc?=") == "=?x-unknown?Q?abc?=");
  }

  TEST_CASE("header fields are unfolded; the block ends at the first empty line") {
    const std::string message = "To: a@x.de,\r\n  b@y.de\r\nSubject: Hi\r\n\r\nBody\r\nX: y\r\n";
    REQUIRE(HeaderEnd(message) == message.find("Body"));
    const auto fields = ParseHeaderFields(message.substr(0, HeaderEnd(message)));
    REQUIRE(fields.size() == 2);
    CHECK(fields[0].value == "a@x.de,  b@y.de");
    CHECK(FirstValue(fields, "subject") == "Hi");
    CHECK(HeaderEnd("From: a\nTo: b\n\nbody") == 15);
    CHECK(HeaderEnd("From: a\r\nTo: b") == std::string::npos);
  }

  TEST_CASE("dates as written by the sender, in RFC 3339") {
    auto date = ParseMessageDate("Tue, 5 Mar 2024 23:30:00 -0800 (PST)");
    REQUIRE(date);
    CHECK(date->date == CivilDate(2024, 3, 5));
    CHECK(date->iso == "2024-03-05T23:30:00-08:00");
    CHECK(ParseMessageDate("31 Dec 99 10:00 GMT")->iso == "1999-12-31T10:00:00Z");
    CHECK_FALSE(ParseMessageDate("yesterday"));
    CHECK_FALSE(ParseMessageDate("30 Feb 2024 10:00:00 +0000"));
  }

  TEST_CASE("the summary lists attachments with decoded names and sizes") {
    const std::string message =
        "From: =?UTF-8?Q?J=C3=BCrgen?= <j@x.de>\r\nTo: a@y.de\r\nSubject: "
        "=?UTF-8?Q?R=C3=BCcksendung?="
        "\r\nDate: Mon, 3 Jun 2024 10:00:00 +0200\r\nMessage-ID: <1@x>\r\n"
        "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\npreamble\r\n--b1\r\n"
        "Content-Type: multipart/alternative; boundary=b2\r\n\r\n--b2\r\nContent-Type: "
        "text/plain\r\n"
        "\r\nHallo a@y.de\r\n--b2--\r\n--b1\r\nContent-Type: application/pdf\r\n"
        "Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment;\r\n"
        " filename*=UTF-8''Rechnung%20M%C3%A4rz.pdf\r\n\r\nSGFsbG8=\r\n--b1\r\n"
        "Content-Type: message/rfc822\r\n\r\nFrom: z@z.de\r\n\r\nforwarded c@d.de\r\n--b1--\r\n";
    const auto summary = SummarizeMessage(message);
    CHECK(summary["subject"] == "Rücksendung");
    CHECK(summary["from"] == "Jürgen <j@x.de>");
    CHECK(summary["cc"].is_null());
    CHECK(summary["date"] == "2024-06-03T10:00:00+02:00");
    CHECK(summary["message_id"] == "<1@x>");
    REQUIRE(summary["attachments"].size() == 2);
    CHECK(summary["attachments"][0]["filename"] == "Rechnung März.pdf");
    CHECK(summary["attachments"][0]["content_type"] == "application/pdf");
    CHECK(summary["attachments"][0]["bytes"] == 5);
    CHECK(summary["attachments"][1]["content_type"] == "message/rfc822");
    const std::string text = BodyText(message);
    CHECK(text.find("Hallo a@y.de") != std::string::npos);
    CHECK(text.find("forwarded c@d.de") != std::string::npos);
    CHECK(text.find("SGFsbG8") == std::string::npos);
  }

  TEST_CASE("transfer encodings and invalid UTF-8") {
    CHECK(DecodeQuotedPrintable("Gr=C3=BC=\r\n=C3=9Fe =3D") == "Grüße =");
    CHECK(DecodeBase64("SGFs\r\nbG8=") == "Hallo");
    CHECK(EncodeBase64("Hallo") == "SGFsbG8=");
    CHECK(EncodeBase64(std::string("\xff\x00", 2)) == "/wA=");
    CHECK(ValidUtf8("a\xfc"
                    "b") ==
          "a\xEF\xBF\xBD"
          "b");
    CHECK(ValidUtf8("Grüße") == "Grüße");
    const auto summary = SummarizeMessage("Subject: caf\xe9\r\n\r\n");
    CHECK(summary["subject"] == "caf\xEF\xBF\xBD");
    CHECK_NOTHROW((void)summary.dump());
  }
}

}  // namespace
}  // namespace dsr::connectors::mail
