// LetterTemplates: loading, operator overrides, escaping and input checks.
#include <doctest/doctest.h>

#include <fstream>
#include <thread>

#include "tests/letters/letters_test_support.h"
#include "tests/support/temp_dir.h"

namespace dsr::letters {
namespace {

using testing::Contains;
using testing::Input;
using testing::Render;

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

TEST_SUITE("LetterTemplates") {
  TEST_CASE("escapes hostile text in every value, whatever the letter") {
    for (const LetterKind kind :
         {LetterKind::kAccess, LetterKind::kRectification, LetterKind::kErasure,
          LetterKind::kRejection, LetterKind::kExtension}) {
      for (const char* language : {"de", "en"}) {
        LetterInput input = Input(kind, language);
        input.controller.name = "<script>alert('x')</script> & Co";
        input.sources[0].title = "CRM <img src=x onerror=alert(1)>";
        input.sources[0].record.purposes = {LocalizedText("<b>purpose</b>")};
        input.rejection.reason = "</p><script>steal()</script>";
        input.extension.reason = "</p><script>steal()</script>";
        if (kind == LetterKind::kRectification) {
          input.corrections[0].value = std::string("\"><script>x</script>@example.de");
        }
        const std::string letter = Render(input);
        CAPTURE(ToString(kind));
        CAPTURE(language);
        CHECK_FALSE(Contains(letter, "<script"));
        CHECK_FALSE(Contains(letter, "<img"));
        CHECK_FALSE(Contains(letter, "<b>purpose"));
        CHECK(Contains(letter, "&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt; &amp; Co"));
      }
    }
  }

  TEST_CASE("keeps mustache syntax inside values literal") {
    LetterInput input = Input(LetterKind::kAccess, "en");
    input.controller.name = "{{request_id}} {{{controller_contact}}}";
    const std::string letter = Render(input);
    CHECK(Contains(letter, "{{request_id}} {{{controller_contact}}}"));
  }

  TEST_CASE("formats dates and counts the way each language writes them") {
    LetterInput input = Input(LetterKind::kErasure, "de");
    input.request.received_on = CivilDate(2024, 12, 31);
    input.request.answered_on = CivilDate(2025, 1, 1);
    std::string letter = Render(input);
    CHECK(Contains(letter, "am 31. Dezember 2024"));
    CHECK(Contains(letter, "1. Januar 2025"));
    input.request.language = "en";
    letter = Render(input);
    CHECK(Contains(letter, "On 31 December 2024"));
    CHECK(Contains(letter, "1 January 2025"));
  }

  TEST_CASE("uses an operator's template and keeps the built-in ones for the rest") {
    dsr::testing::TempDir dir;
    WriteFile(dir.File("access.en.html"),
              "<html><p>Custom for {{controller_name}}, {{request_id}}: {{total}}</p></html>\n");
    WriteFile(dir.File("notes.txt"), "not a template, ignored");
    auto templates = LetterTemplates::Load(dir.path());
    REQUIRE_MESSAGE(templates.ok(), templates.status().ToString());
    auto custom = templates->Render(Input(LetterKind::kAccess, "en"));
    REQUIRE(custom.ok());
    CHECK(*custom ==
          "<html><p>Custom for Beispiel Versand GmbH, 6f1c2a9e-0000-4000-8000-000000000001: "
          "1,234 records</p></html>\n");
    CHECK(templates->Origin(LetterKind::kAccess, "en") == dir.File("access.en.html"));
    CHECK(templates->Origin(LetterKind::kAccess, "de") == "built-in");
    auto german = templates->Render(Input(LetterKind::kAccess, "de"));
    REQUIRE(german.ok());
    CHECK(*german == Render(Input(LetterKind::kAccess, "de")));
  }

  TEST_CASE("an operator's template gets every value escaped exactly once") {
    dsr::testing::TempDir dir;
    WriteFile(dir.File("rejection.de.html"), "<p>{{reason}}</p>\n");
    auto templates = LetterTemplates::Load(dir.path());
    REQUIRE(templates.ok());
    LetterInput input = Input(LetterKind::kRejection, "de");
    input.rejection.reason = "a < b & \"c\"";
    CHECK(*templates->Render(input) == "<p>a &lt; b &amp; &quot;c&quot;</p>\n");
  }

  TEST_CASE("values stay escaped even where a template slips past the unescaped-tag check") {
    // With other delimiters, <%&reason%> is an unescaped tag that the check
    // for {{{ and {{& cannot see; the view is escaped before rendering.
    dsr::testing::TempDir dir;
    WriteFile(dir.File("rejection.en.html"), "{{=<% %>=}}<p><%&reason%></p>\n");
    auto templates = LetterTemplates::Load(dir.path());
    REQUIRE(templates.ok());
    LetterInput input = Input(LetterKind::kRejection, "en");
    input.rejection.reason = "<script>x</script>";
    CHECK(*templates->Render(input) == "<p>&lt;script&gt;x&lt;/script&gt;</p>\n");
  }

  TEST_CASE("a broken override fails Load, naming the file") {
    dsr::testing::TempDir dir;
    WriteFile(dir.File("erasure.de.html"), "<p>{{#sources}}unclosed</p>\n");
    auto templates = LetterTemplates::Load(dir.path());
    REQUIRE_FALSE(templates.ok());
    CHECK(templates.status().code() == StatusCode::kValidation);
    CHECK(Contains(templates.status().message(), dir.File("erasure.de.html")));
  }

  TEST_CASE("an override with an unescaped tag fails Load, naming the file and line") {
    for (const char* tag : {"{{{controller_name}}}", "{{& controller_name}}", "{{ {x}}}"}) {
      dsr::testing::TempDir dir;
      WriteFile(dir.File("access.de.html"), std::string("<html>\n<p>") + tag + "</p>\n");
      auto templates = LetterTemplates::Load(dir.path());
      REQUIRE_FALSE(templates.ok());
      CAPTURE(tag);
      CHECK(Contains(templates.status().message(), dir.File("access.de.html") + ": line 2"));
    }
  }

  TEST_CASE("an .html file that is no template's name fails Load instead of being ignored") {
    dsr::testing::TempDir dir;
    WriteFile(dir.File("acess.de.html"), "<p>typo</p>\n");
    auto templates = LetterTemplates::Load(dir.path());
    REQUIRE_FALSE(templates.ok());
    CHECK(Contains(templates.status().message(), dir.File("acess.de.html")));
  }

  TEST_CASE("an empty override or a missing folder fails Load") {
    dsr::testing::TempDir dir;
    WriteFile(dir.File("access.en.html"), "");
    auto empty = LetterTemplates::Load(dir.path());
    REQUIRE_FALSE(empty.ok());
    CHECK(Contains(empty.status().message(), "is empty"));
    auto missing = LetterTemplates::Load(dir.File("nowhere"));
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.status().code() == StatusCode::kNotFound);
  }

  TEST_CASE("refuses input a letter cannot be honest about") {
    const auto code_with = [](LetterKind kind, auto change) {
      LetterInput input = Input(kind, "en");
      change(&input);
      return testing::BuiltIn().Render(input).status().code();
    };
    const StatusCode invalid = StatusCode::kInvalidArgument;
    CHECK(code_with(LetterKind::kAccess, [](LetterInput* in) { in->request.language = "fr"; }) ==
          invalid);
    CHECK(code_with(LetterKind::kAccess, [](LetterInput* in) { in->request.id.clear(); }) ==
          invalid);
    CHECK(code_with(LetterKind::kAccess, [](LetterInput* in) { in->controller.contact.clear(); }) ==
          invalid);
    CHECK(code_with(LetterKind::kAccess,
                    [](LetterInput* in) { in->request.received_on = CivilDate(); }) == invalid);
    CHECK(code_with(LetterKind::kAccess, [](LetterInput* in) {
            in->request.answered_on = CivilDate(2025, 3, 4);
          }) == invalid);
    CHECK(code_with(LetterKind::kErasure, [](LetterInput* in) {
            in->sources[0].outcomes.back().retained_until.reset();
          }) == invalid);
    CHECK(code_with(LetterKind::kErasure, [](LetterInput* in) {
            in->sources[0].outcomes.back().legal_basis.clear();
          }) == invalid);
    CHECK(code_with(LetterKind::kRectification, [](LetterInput* in) { in->corrections.clear(); }) ==
          invalid);
    CHECK(code_with(LetterKind::kRejection,
                    [](LetterInput* in) { in->rejection.reason.clear(); }) == invalid);
    CHECK(code_with(LetterKind::kExtension,
                    [](LetterInput* in) { in->extension.reason = " \n "; }) == invalid);
    CHECK(code_with(LetterKind::kExtension, [](LetterInput* in) {
            in->extension.extended_due_on = in->extension.original_due_on;
          }) == invalid);
    CHECK(code_with(LetterKind::kExtension, [](LetterInput* in) {
            in->extension.original_due_on = CivilDate(2025, 3, 4);
          }) == invalid);
    CHECK(code_with(LetterKind::kExtension, [](LetterInput*) {}) == StatusCode::kOk);
  }

  TEST_CASE("renders from several threads at once") {
    const LetterTemplates& templates = testing::BuiltIn();
    const std::string expected = Render(Input(LetterKind::kAccess, "de"));
    std::vector<std::thread> threads;
    std::vector<int> same(8, 0);
    for (size_t t = 0; t < same.size(); ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < 20; ++i) {
          auto letter = templates.Render(Input(LetterKind::kAccess, "de"));
          same[t] += letter.ok() && *letter == expected ? 1 : 0;
        }
      });
    }
    for (auto& thread : threads) thread.join();
    for (const int count : same) CHECK(count == 20);
  }

  TEST_CASE("names letter kinds as the template files do") {
    for (const LetterKind kind :
         {LetterKind::kAccess, LetterKind::kRectification, LetterKind::kErasure,
          LetterKind::kRejection, LetterKind::kExtension}) {
      CHECK(*ParseLetterKind(ToString(kind)) == kind);
    }
    CHECK_FALSE(ParseLetterKind("restriction").ok());
  }
}

}  // namespace
}  // namespace dsr::letters
