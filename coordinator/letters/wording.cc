#include "coordinator/letters/wording.h"

#include <array>
#include <utility>

namespace dsr::letters {
namespace {

// German and English side by side, so a missing translation shows in review.
struct Words {
  const char* de;
  const char* en;
  const char* In(std::string_view language) const { return language == "de" ? de : en; }
};

constexpr std::array<Words, 12> kMonths{{
    {"Januar", "January"},
    {"Februar", "February"},
    {"März", "March"},
    {"April", "April"},
    {"Mai", "May"},
    {"Juni", "June"},
    {"Juli", "July"},
    {"August", "August"},
    {"September", "September"},
    {"Oktober", "October"},
    {"November", "November"},
    {"Dezember", "December"},
}};

// In the order of the LegalBasis enumerators.
constexpr std::array<Words, 16> kLegalBases{{
    {"Art. 6 Abs. 1 lit. a DSGVO (Einwilligung)", "Art. 6(1)(a) GDPR (consent)"},
    {"Art. 6 Abs. 1 lit. b DSGVO (Vertrag)", "Art. 6(1)(b) GDPR (contract)"},
    {"Art. 6 Abs. 1 lit. c DSGVO (rechtliche Pflicht)", "Art. 6(1)(c) GDPR (legal obligation)"},
    {"Art. 6 Abs. 1 lit. d DSGVO (lebenswichtige Interessen)",
     "Art. 6(1)(d) GDPR (vital interests)"},
    {"Art. 6 Abs. 1 lit. e DSGVO (öffentliche Aufgabe)", "Art. 6(1)(e) GDPR (public task)"},
    {"Art. 6 Abs. 1 lit. f DSGVO (berechtigte Interessen)",
     "Art. 6(1)(f) GDPR (legitimate interests)"},
    {"Art. 9 Abs. 2 lit. a DSGVO (ausdrückliche Einwilligung)",
     "Art. 9(2)(a) GDPR (explicit consent)"},
    {"Art. 9 Abs. 2 lit. b DSGVO (Arbeitsrecht, soziale Sicherheit)",
     "Art. 9(2)(b) GDPR (employment and social security)"},
    {"Art. 9 Abs. 2 lit. c DSGVO (lebenswichtige Interessen)",
     "Art. 9(2)(c) GDPR (vital interests)"},
    {"Art. 9 Abs. 2 lit. d DSGVO (Organisation ohne Gewinnerzielungsabsicht)",
     "Art. 9(2)(d) GDPR (not-for-profit body)"},
    {"Art. 9 Abs. 2 lit. e DSGVO (offensichtlich öffentlich gemacht)",
     "Art. 9(2)(e) GDPR (made public by you)"},
    {"Art. 9 Abs. 2 lit. f DSGVO (Rechtsansprüche)", "Art. 9(2)(f) GDPR (legal claims)"},
    {"Art. 9 Abs. 2 lit. g DSGVO (erhebliches öffentliches Interesse)",
     "Art. 9(2)(g) GDPR (substantial public interest)"},
    {"Art. 9 Abs. 2 lit. h DSGVO (Gesundheitsvorsorge)", "Art. 9(2)(h) GDPR (health care)"},
    {"Art. 9 Abs. 2 lit. i DSGVO (öffentliche Gesundheit)", "Art. 9(2)(i) GDPR (public health)"},
    {"Art. 9 Abs. 2 lit. j DSGVO (Archiv, Forschung, Statistik)",
     "Art. 9(2)(j) GDPR (archiving, research, statistics)"},
}};

constexpr std::array<Words, 4> kRecipientKinds{{
    {"Auftragsverarbeiter, der in unserem Auftrag handelt (Art. 28 DSGVO)",
     "processor acting on our behalf (Art. 28 GDPR)"},
    {"eigenständig Verantwortlicher", "independent controller"},
    {"Behörde", "public authority"},
    {"intern", "internal"},
}};

constexpr std::array<Words, 6> kSafeguards{{
    {"Angemessenheitsbeschluss der EU-Kommission (Art. 45 DSGVO)",
     "adequacy decision of the European Commission (Art. 45 GDPR)"},
    {"Standardvertragsklauseln der EU-Kommission (Art. 46 Abs. 2 lit. c DSGVO)",
     "standard contractual clauses of the European Commission (Art. 46(2)(c) GDPR)"},
    {"verbindliche interne Datenschutzvorschriften (Art. 47 DSGVO)",
     "binding corporate rules (Art. 47 GDPR)"},
    {"genehmigte Verhaltensregeln (Art. 46 Abs. 2 lit. e DSGVO)",
     "approved code of conduct (Art. 46(2)(e) GDPR)"},
    {"genehmigter Zertifizierungsmechanismus (Art. 46 Abs. 2 lit. f DSGVO)",
     "approved certification mechanism (Art. 46(2)(f) GDPR)"},
    {"Ausnahme für bestimmte Fälle (Art. 49 DSGVO)",
     "derogation for specific situations (Art. 49 GDPR)"},
}};

struct Country {
  const char* code;
  bool eea;
  Words name;
};

// The EEA in full (it decides whether a transfer needs safeguards) plus the
// third countries that shops and service providers commonly use.
constexpr std::array<Country, 44> kCountries{{
    {"AT", true, {"Österreich", "Austria"}},
    {"BE", true, {"Belgien", "Belgium"}},
    {"BG", true, {"Bulgarien", "Bulgaria"}},
    {"CY", true, {"Zypern", "Cyprus"}},
    {"CZ", true, {"Tschechien", "Czechia"}},
    {"DE", true, {"Deutschland", "Germany"}},
    {"DK", true, {"Dänemark", "Denmark"}},
    {"EE", true, {"Estland", "Estonia"}},
    {"ES", true, {"Spanien", "Spain"}},
    {"FI", true, {"Finnland", "Finland"}},
    {"FR", true, {"Frankreich", "France"}},
    {"GR", true, {"Griechenland", "Greece"}},
    {"HR", true, {"Kroatien", "Croatia"}},
    {"HU", true, {"Ungarn", "Hungary"}},
    {"IE", true, {"Irland", "Ireland"}},
    {"IS", true, {"Island", "Iceland"}},
    {"IT", true, {"Italien", "Italy"}},
    {"LI", true, {"Liechtenstein", "Liechtenstein"}},
    {"LT", true, {"Litauen", "Lithuania"}},
    {"LU", true, {"Luxemburg", "Luxembourg"}},
    {"LV", true, {"Lettland", "Latvia"}},
    {"MT", true, {"Malta", "Malta"}},
    {"NL", true, {"Niederlande", "Netherlands"}},
    {"NO", true, {"Norwegen", "Norway"}},
    {"PL", true, {"Polen", "Poland"}},
    {"PT", true, {"Portugal", "Portugal"}},
    {"RO", true, {"Rumänien", "Romania"}},
    {"SE", true, {"Schweden", "Sweden"}},
    {"SI", true, {"Slowenien", "Slovenia"}},
    {"SK", true, {"Slowakei", "Slovakia"}},
    {"AU", false, {"Australien", "Australia"}},
    {"BR", false, {"Brasilien", "Brazil"}},
    {"CA", false, {"Kanada", "Canada"}},
    {"CH", false, {"Schweiz", "Switzerland"}},
    {"CN", false, {"China", "China"}},
    {"GB", false, {"Vereinigtes Königreich", "United Kingdom"}},
    {"IL", false, {"Israel", "Israel"}},
    {"IN", false, {"Indien", "India"}},
    {"JP", false, {"Japan", "Japan"}},
    {"KR", false, {"Südkorea", "South Korea"}},
    {"NZ", false, {"Neuseeland", "New Zealand"}},
    {"SG", false, {"Singapur", "Singapore"}},
    {"UA", false, {"Ukraine", "Ukraine"}},
    {"US", false, {"Vereinigte Staaten", "United States"}},
}};

// The canonical subject attributes (schemas/common.json#/definitions/subject
// and corrections) and the parts of the structured ones.
constexpr std::array<std::pair<const char*, Words>, 12> kAttributes{{
    {"email", {"E-Mail-Adresse", "e-mail address"}},
    {"phone", {"Telefonnummer", "phone number"}},
    {"name", {"Name", "name"}},
    {"given", {"Vorname", "given name"}},
    {"family", {"Nachname", "family name"}},
    {"postal_address", {"Postanschrift", "postal address"}},
    {"street", {"Straße und Hausnummer", "street and number"}},
    {"postal_code", {"Postleitzahl", "postcode"}},
    {"city", {"Ort", "town or city"}},
    {"country", {"Land", "country"}},
    {"customer_id", {"Kundennummer", "customer number"}},
    {"ip_address", {"IP-Adresse", "IP address"}},
}};

template <typename Enum, size_t N>
std::string Label(const std::array<Words, N>& table, Enum value, std::string_view language) {
  const auto index = static_cast<size_t>(value);
  return index < N ? table[index].In(language) : "?";
}

}  // namespace

bool IsSupportedLanguage(std::string_view language) {
  return language == "de" || language == "en";
}

std::string FormatDate(CivilDate date, std::string_view language) {
  const std::string month = kMonths[static_cast<size_t>(date.month() - 1)].In(language);
  const std::string day = std::to_string(date.day());
  const std::string year = std::to_string(date.year());
  return language == "de" ? day + ". " + month + " " + year : day + " " + month + " " + year;
}

std::string FormatCount(int64_t count, std::string_view language) {
  const std::string digits = std::to_string(count < 0 ? -count : count);
  const char separator = language == "de" ? '.' : ',';
  std::string out = count < 0 ? "-" : "";
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += separator;
    out += digits[i];
  }
  return out;
}

std::string RecordsPhrase(int64_t count, std::string_view language) {
  if (language == "de")
    return FormatCount(count, language) + (count == 1 ? " Datensatz" : " Datensätze");
  return FormatCount(count, language) + (count == 1 ? " record" : " records");
}

std::string YearsPhrase(int years, std::string_view language) {
  if (language == "de") return std::to_string(years) + (years == 1 ? " Jahr" : " Jahre");
  return std::to_string(years) + (years == 1 ? " year" : " years");
}

std::string LegalBasisLabel(LegalBasis basis, std::string_view language) {
  return Label(kLegalBases, basis, language);
}

std::string RecipientKindLabel(RecipientKind kind, std::string_view language) {
  return Label(kRecipientKinds, kind, language);
}

std::string SafeguardLabel(Safeguard safeguard, std::string_view language) {
  return Label(kSafeguards, safeguard, language);
}

std::string CountryName(std::string_view code, std::string_view language) {
  for (const auto& country : kCountries) {
    if (code == country.code) return country.name.In(language);
  }
  return std::string(code);
}

bool IsInEea(std::string_view code) {
  for (const auto& country : kCountries) {
    if (code == country.code) return country.eea;
  }
  return false;
}

std::string AttributeLabel(std::string_view attribute, std::string_view language) {
  for (const auto& [name, words] : kAttributes) {
    if (attribute == name) return words.In(language);
  }
  return std::string(attribute);
}

std::string RetentionText(const Retention& retention, std::string_view language) {
  const std::string& text = retention.text.In(language);
  if (!retention.years) return text;
  const std::string years = YearsPhrase(*retention.years, language);
  return text.empty() ? years : years + ", " + text;
}

}  // namespace dsr::letters
