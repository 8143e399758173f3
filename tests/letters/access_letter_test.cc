// The access letter (Art. 15) in both languages: one test per item the law
// asks for, each looking for the concrete text from the input.
#include <doctest/doctest.h>

#include "tests/letters/letters_test_support.h"

namespace dsr::letters {
namespace {

using testing::Contains;
using testing::Input;
using testing::Render;

struct Expected {
  const char* de;
  const char* en;
};

// Renders the access letter in both languages and checks each expectation
// in the letter of its language.
void CheckAccessLetter(std::initializer_list<Expected> expected,
                       const LetterInput& de = Input(LetterKind::kAccess, "de"),
                       const LetterInput& en = Input(LetterKind::kAccess, "en")) {
  const std::string letter_de = Render(de);
  const std::string letter_en = Render(en);
  for (const Expected& item : expected) {
    CHECK_MESSAGE(Contains(letter_de, item.de), item.de);
    CHECK_MESSAGE(Contains(letter_en, item.en), item.en);
  }
}

TEST_SUITE("Access letter") {
  TEST_CASE("is a complete HTML page in the request's language without placeholders left") {
    for (const char* language : {"de", "en"}) {
      const std::string letter = Render(Input(LetterKind::kAccess, language));
      CHECK(letter.rfind("<!DOCTYPE html>", 0) == 0);
      CHECK(Contains(letter, std::string("<html lang=\"") + language + "\">"));
      CHECK(Contains(letter, "</html>"));
      CHECK_FALSE(Contains(letter, "{{"));
      CHECK_FALSE(Contains(letter, "<link"));  // no external assets
      CHECK_FALSE(Contains(letter, "src="));
    }
  }

  TEST_CASE("names controller, request id and both dates formatted per language") {
    CheckAccessLetter({{"Beispiel Versand GmbH", "Beispiel Versand GmbH"},
                       {"Vorgang 6f1c2a9e-0000-4000-8000-000000000001",
                        "Reference 6f1c2a9e-0000-4000-8000-000000000001"},
                       {"am 5. März 2025", "On 5 March 2025"},
                       {"20. März 2025", "20 March 2025"},
                       {"Artikel 15", "Article 15"}});
  }

  TEST_CASE("names the controller's address and contact and the DPO") {
    CheckAccessLetter(
        {{"Hansaring 12\n50670 Köln", "Hansaring 12\n50670 Köln"},
         {"datenschutz@beispiel-versand.example", "datenschutz@beispiel-versand.example"},
         {"Datenschutzbeauftragten", "data protection officer"},
         {"Dr. Anna Schmitz", "Dr. Anna Schmitz"},
         {"dsb@beispiel-versand.example", "dsb@beispiel-versand.example"}});
  }

  TEST_CASE("says what the bundle holds: folders and counts per collection") {
    CheckAccessLetter(
        {{"insgesamt 1.234 Datensätze", "1,234 records in total"},
         {"Kundendatenbank (CRM)</strong>: 1.234 Datensätze, im Ordner "
          "<code>sources/crm/</code>",
          "Kundendatenbank (CRM)</strong>: 1,234 records, in the folder "
          "<code>sources/crm/</code>"},
         {"<code>customers</code>: 1 Datensatz</li>", "<code>customers</code>: 1 record</li>"},
         {"<code>orders</code>: 1.233 Datensätze</li>", "<code>orders</code>: 1,233 records</li>"},
         {"Ticketsystem</strong>: keine Daten über Sie gefunden",
          "Ticketsystem</strong>: no data about you found"}});
    const std::string letter = Render(Input(LetterKind::kAccess, "en"));
    CHECK_FALSE(Contains(letter, "<code>carts</code>"));  // a collection without records
  }

  TEST_CASE("explains how to read the files, as the bundle letter did") {
    CheckAccessLetter({{"<code>records.csv</code> öffnen Sie", "<code>records.csv</code> opens"},
                       {"steht\nein Apostroph (') davor", "we have put an\napostrophe (')"},
                       {"<code>records.json</code> enthält", "<code>records.json</code> holds"},
                       {"SHA-256-Prüfsumme", "SHA-256\nchecksum"}});
  }

  TEST_CASE("(a) gives the purposes of each source that held data") {
    CheckAccessLetter({{"lit. a", "15(1)(a)"},
                       {"<li>Abwicklung von Bestellungen</li>", "<li>processing orders</li>"},
                       {"<li>Rechnungsstellung</li>", "<li>invoicing</li>"},
                       {"Kundendatenbank (CRM): Kundenverwaltung",
                        "Kundendatenbank (CRM): Customer management"}});
  }

  TEST_CASE("(b) gives the categories of data with their legal basis") {
    CheckAccessLetter({{"lit. b und d", "15(1)(b) and (d)"},
                       {"<strong>Kontaktdaten</strong>", "<strong>Contact data</strong>"},
                       {"Name, Anschrift", "name, postal address"},
                       {"Art. 6 Abs. 1 lit. b DSGVO (Vertrag); Art. 6 Abs. 1 lit. c DSGVO "
                        "(rechtliche Pflicht)",
                        "Art. 6(1)(b) GDPR (contract); Art. 6(1)(c) GDPR (legal obligation)"},
                       {"§ 147 AO", "§ 147 AO"}});
  }

  TEST_CASE("(c) names the recipients, their kind and country, not internal departments") {
    CheckAccessLetter(
        {{"lit. c", "15(1)(c)"},
         {"<strong>PayBeispiel Payments GmbH</strong>, Deutschland: Auftragsverarbeiter",
          "<strong>PayBeispiel Payments GmbH</strong>, Germany: processor"},
         {"für Zahlungsabwicklung", "for payment processing"},
         {"<strong>Paketdienst Schnell GmbH</strong>, Deutschland: eigenständig Verantwortlicher",
          "<strong>Paketdienst Schnell GmbH</strong>, Germany: independent controller"},
         {"<strong>HelpDeskly Inc.</strong>, Vereinigte Staaten",
          "<strong>HelpDeskly Inc.</strong>, United States"},
         {"(außerhalb von EU und EWR)", "(outside the EU and EEA)"}});
    CHECK_FALSE(Contains(Render(Input(LetterKind::kAccess, "de")), "Buchhaltung intern"));
  }

  TEST_CASE("(d) gives how long each category is kept") {
    CheckAccessLetter({{"<td>3 Jahre</td>", "<td>3 years</td>"},
                       {"<td>8 Jahre, ab Ende des Kalenderjahres der Rechnung</td>",
                        "<td>8 years, from the end of the calendar year of the invoice</td>"}});
  }

  TEST_CASE("15(2) names third-country transfers with their safeguards") {
    CheckAccessLetter(
        {{"Abs. 2", "15(2)"},
         {"<strong>HelpDeskly Inc.</strong> (Vereinigte Staaten). Garantie: "
          "Standardvertragsklauseln der EU-Kommission (Art. 46 Abs. 2 lit. c DSGVO). "
          "Modul 2, Verschlüsselung",
          "<strong>HelpDeskly Inc.</strong> (United States). Safeguard: standard contractual "
          "clauses of the European Commission (Art. 46(2)(c) GDPR). module 2, encryption"},
         {"Kopie dieser Garantien", "copy of these safeguards"}});
  }

  TEST_CASE("(e) names the rights to rectification, erasure, restriction and objection") {
    CheckAccessLetter(
        {{"Art. 15 Abs. 1 lit. e", "Article 15(1)(e)"},
         {"Berichtigung</strong> (Art. 16 DSGVO)", "Rectification</strong> (Article 16 GDPR)"},
         {"Löschung</strong> (Art. 17 DSGVO)", "Erasure</strong> (Article 17 GDPR)"},
         {"Einschränkung der Verarbeitung</strong> (Art. 18 DSGVO)",
          "Restriction of processing</strong> (Article 18 GDPR)"},
         {"Widerspruch</strong> (Art. 21 DSGVO)", "Objection</strong> (Article 21 GDPR)"},
         {"Datenübertragbarkeit</strong> (Art. 20 DSGVO)",
          "Data portability</strong> (Article 20 GDPR)"}});
  }

  TEST_CASE("(f) names the right to complain and the supervisory authority") {
    CheckAccessLetter(
        {{"bei einer Datenschutz-Aufsichtsbehörde zu beschweren",
          "lodge a complaint with a data protection supervisory authority"},
         {"Art. 77 DSGVO", "Article 77 GDPR"},
         {"Landesbeauftragte für Datenschutz und Informationsfreiheit Nordrhein-Westfalen",
          "Landesbeauftragte für Datenschutz und Informationsfreiheit Nordrhein-Westfalen"},
         {"Postfach 20 04 44\n40102 Düsseldorf", "Postfach 20 04 44\n40102 Düsseldorf"},
         {"https://www.ldi.nrw.de", "https://www.ldi.nrw.de"}});
  }

  TEST_CASE("(g) says where the data comes from") {
    CheckAccessLetter(
        {{"lit. g", "15(1)(g)"},
         {"Sie haben uns diese Daten selbst gegeben", "You gave us this data yourself"},
         {"<li>Auskunftei Beispiel</li>", "<li>credit agency Example</li>"}});
  }

  TEST_CASE("(h) says that there is no automated decision-making") {
    CheckAccessLetter({{"lit. h", "15(1)(h)"},
                       {"keine ausschließlich automatisierten Entscheidungen",
                        "do not make decisions about you based solely on automated processing"}});
  }

  TEST_CASE("(h) explains the logic and consequences of automated decisions when there are some") {
    LetterInput de = Input(LetterKind::kAccess, "de");
    LetterInput en = Input(LetterKind::kAccess, "en");
    for (LetterInput* input : {&de, &en}) {
      input->sources[0].record.automated_decisions = {
          true, LocalizedText::Of("Punktwert aus Zahlungshistorie", "score from payment history"),
          LocalizedText::Of("Kauf auf Rechnung nur ab 50 Punkten",
                            "pay later only from 50 points")};
    }
    CheckAccessLetter({{"einschließlich Profiling", "including profiling"},
                       {"So funktioniert es: Punktwert aus Zahlungshistorie",
                        "How it works: score from payment history"},
                       {"Das bedeutet für Sie: Kauf auf Rechnung nur ab 50 Punkten",
                        "What it means for you: pay later only from 50 points"}},
                      de, en);
  }

  TEST_CASE("gives the Art. 15(1) information only for sources that held data") {
    const std::string letter = Render(Input(LetterKind::kAccess, "en"));
    CHECK(Contains(letter, "PayBeispiel Payments GmbH"));
    CHECK_FALSE(Contains(letter, "Ticket-Anbieter AG"));  // tickets held nothing
  }

  TEST_CASE("notes records withheld or redacted for other people's rights (Art. 15(4))") {
    CheckAccessLetter(
        {{"Art. 15\nAbs. 4 DSGVO", "Article 15(4)\nGDPR"},
         {"2 Datensätze haben wir weggelassen. Grund:\nDer Inhalt betrifft hauptsächlich andere",
          "we left out 2 records. Reason:\nthe content is mainly about other"},
         {"1 Datensatz haben wir weggelassen. Grund:\nWir konnten nicht sicher sein",
          "we left out 1 record. Reason:\nwe could not be sure that the content is"},
         {"3 Datensätze mit Angaben über andere Menschen. Diese Angaben\nhaben wir entfernt",
          "3 records with details about other people. We removed those\ndetails"}});
  }

  TEST_CASE("says nothing about withholding when nothing was withheld") {
    LetterInput input = Input(LetterKind::kAccess, "en");
    input.sources[0].withheld.clear();
    input.sources[0].redacted_records = 0;
    CHECK_FALSE(Contains(Render(input), "15(4)"));
  }

  TEST_CASE("says clearly when nothing was found, and still names the rights") {
    CheckAccessLetter(
        {{"in keinem unserer Systeme personenbezogene Daten",
          "We found no personal data about you"},
         {"Art. 77 DSGVO", "Article 77 GDPR"},
         {"Art. 16 DSGVO", "Article 16 GDPR"}},
        [] {
          LetterInput input = Input(LetterKind::kAccess, "de");
          input.sources[0].collections.clear();
          return input;
        }(),
        [] {
          LetterInput input = Input(LetterKind::kAccess, "en");
          input.sources[0].collections.clear();
          return input;
        }());
    LetterInput input = Input(LetterKind::kAccess, "en");
    input.sources[0].collections.clear();
    const std::string letter = Render(input);
    CHECK_FALSE(Contains(letter, "records.csv"));
    CHECK_FALSE(Contains(letter, "15(1)(a)"));
  }

  TEST_CASE("takes the operator's text in the letter's language, else the one given") {
    LetterInput input = Input(LetterKind::kAccess, "en");
    input.sources[0].record.purposes = {LocalizedText("Kundenbindung"),
                                        LocalizedText::Of("Werbung", "")};
    const std::string letter = Render(input);
    CHECK(Contains(letter, "<li>Kundenbindung</li>"));
    CHECK(Contains(letter, "<li>Werbung</li>"));
  }
}

}  // namespace
}  // namespace dsr::letters
