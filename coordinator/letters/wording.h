// Words that letters and the record of processing share and that depend on
// data rather than on a template: dates, counts, and the names of legal bases,
// recipient kinds, safeguards, countries and subject attributes in German and
// English. Internal to dsr_letters. Every function takes a supported language
// ("de" or "en"; anything else gets English). Pure and thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/civil_date.h"
#include "coordinator/letters/record_of_processing.h"

namespace dsr::letters {

bool IsSupportedLanguage(std::string_view language);

std::string FormatDate(CivilDate date, std::string_view language);    // "5. März 2025"
std::string FormatCount(int64_t count, std::string_view language);    // "1.234"
std::string RecordsPhrase(int64_t count, std::string_view language);  // "1 Datensatz"
std::string YearsPhrase(int years, std::string_view language);        // "10 Jahre"

std::string LegalBasisLabel(LegalBasis basis, std::string_view language);
std::string RecipientKindLabel(RecipientKind kind, std::string_view language);
std::string SafeguardLabel(Safeguard safeguard, std::string_view language);

// The country's name, or the code itself for a country the table lacks.
std::string CountryName(std::string_view code, std::string_view language);
// EU and EEA member states: transfers elsewhere need Chapter V safeguards.
bool IsInEea(std::string_view code);

// "email" → "E-Mail-Adresse"; an attribute the table lacks is returned as is.
std::string AttributeLabel(std::string_view attribute, std::string_view language);

// "10 Jahre" from the years, or the operator's text, or both.
std::string RetentionText(const Retention& retention, std::string_view language);

}  // namespace dsr::letters
