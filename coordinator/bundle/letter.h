// The cover letter of a response bundle: a short HTML page in the request's
// language that says who answers, which request it answers, what was found
// where, how to read the files and whom to ask (Art. 12(1): clear and plain
// language). Internal to dsr_bundle.
//
// All wording, including month names and number format, lives in the
// templates coordinator/bundle/templates/letter.<language>.html, compiled
// into the library. A template is the letter with {{placeholders}} plus named
// blocks (<!--block:name-->...<!--end-->) for the repeated and optional
// parts. Every value from outside is HTML-escaped when substituted; only
// fragments rendered from the template's own blocks go in unescaped.
// Thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/civil_date.h"
#include "common/status.h"
#include "coordinator/bundle/bundle.h"

namespace dsr::bundle {

struct LetterCollection {
  std::string name;
  int64_t records = 0;
};

struct LetterSource {
  std::string name;
  std::string title;
  std::vector<LetterCollection> collections;  // those with no records are left out
};

bool HasLetterTemplate(const std::string& language);

// Renders the letter. kInvalidArgument for a language without a template,
// kInternal for a template that lacks a block or uses an unknown placeholder.
Result<std::string> RenderLetter(const LetterFacts& facts,
                                 const std::vector<LetterSource>& sources);

// "5. März 2025" (de), "5 March 2025" (en).
Result<std::string> FormatLetterDate(CivilDate date, const std::string& language);

std::string EscapeHtml(std::string_view text);

}  // namespace dsr::bundle
