// The record of processing as a document: HTML and CSV in both languages.
#include <doctest/doctest.h>

#include "coordinator/letters/record_of_processing.h"
#include "tests/letters/letters_test_support.h"

namespace dsr::letters {
namespace {

using testing::Contains;

struct Expected {
  const char* de;
  const char* en;
};

std::vector<SourceRecord> Sources() {
  return {{"crm", "Kundendatenbank (CRM)", testing::CrmRecord()},
          {"mail", "Support-Postfach", std::nullopt}};
}

std::string Html(const std::string& language, const std::vector<SourceRecord>& sources = Sources(),
                 const ControllerInfo& controller = testing::Controller()) {
  auto html = RecordOfProcessingHtml(sources, controller, language);
  REQUIRE_MESSAGE(html.ok(), html.status().ToString());
  return *html;
}

std::string Csv(const std::string& language, const std::vector<SourceRecord>& sources = Sources()) {
  auto csv = RecordOfProcessingCsv(sources, language);
  REQUIRE_MESSAGE(csv.ok(), csv.status().ToString());
  return *csv;
}

void CheckHtml(std::initializer_list<Expected> expected) {
  const std::string de = Html("de");
  const std::string en = Html("en");
  for (const Expected& item : expected) {
    CHECK_MESSAGE(Contains(de, item.de), item.de);
    CHECK_MESSAGE(Contains(en, item.en), item.en);
  }
}

// The CSV's rows, split at CRLF outside quotes.
std::vector<std::string> Rows(const std::string& csv) {
  std::vector<std::string> rows;
  std::string row;
  bool quoted = false;
  for (size_t i = 0; i < csv.size(); ++i) {
    if (csv[i] == '"') quoted = !quoted;
    if (!quoted && csv.compare(i, 2, "\r\n") == 0) {
      rows.push_back(row);
      row.clear();
      ++i;
      continue;
    }
    row += csv[i];
  }
  CHECK(row.empty());  // the last row ends with CRLF too
  return rows;
}

TEST_SUITE("Record of processing document") {
  TEST_CASE("HTML names the controller, its DPO and the supervisory authority") {
    CheckHtml({{"<html lang=\"de\">", "<html lang=\"en\">"},
               {"Verzeichnis von Verarbeitungstätigkeiten", "Record of processing activities"},
               {"Art. 30 Abs. 1 DSGVO", "Article 30(1) GDPR"},
               {"<td>Beispiel Versand GmbH</td>", "<td>Beispiel Versand GmbH</td>"},
               {"Hansaring 12\n50670 Köln", "Hansaring 12\n50670 Köln"},
               {"datenschutz@beispiel-versand.example", "datenschutz@beispiel-versand.example"},
               {"Dr. Anna Schmitz\ndsb@beispiel-versand.example",
                "Dr. Anna Schmitz\ndsb@beispiel-versand.example"},
               {"Landesbeauftragte für Datenschutz und Informationsfreiheit Nordrhein-Westfalen",
                "Landesbeauftragte für Datenschutz und Informationsfreiheit Nordrhein-Westfalen"},
               {"https://www.ldi.nrw.de", "https://www.ldi.nrw.de"}});
  }

  TEST_CASE("HTML gives every field of a source's record") {
    CheckHtml({
        {"Kundendatenbank (CRM)", "Kundendatenbank (CRM)"},
        {"<code>crm</code>", "<code>crm</code>"},
        {"<td>Kundenverwaltung</td>", "<td>Customer management</td>"},
        {"<li>Abwicklung von Bestellungen</li>", "<li>processing orders</li>"},
        {"<li>Kundinnen und Kunden</li>", "<li>customers</li>"},
        {"<strong>Zahlungsdaten</strong>", "<strong>Payment data</strong>"},
        {"Name, Anschrift", "name, postal address"},
        {"Art. 6 Abs. 1 lit. c DSGVO (rechtliche Pflicht)", "Art. 6(1)(c) GDPR (legal obligation)"},
        {"§ 147 AO", "§ 147 AO"},
        {"8 Jahre, ab Ende des Kalenderjahres der Rechnung",
         "8 years, from the end of the calendar year of the invoice"},
        {"<td>PayBeispiel Payments GmbH</td>", "<td>PayBeispiel Payments GmbH</td>"},
        {"geschlossen am 1. März 2023, AVV-2023-004", "signed on 1 March 2023, AVV-2023-004"},
        {"<td>Zahlungsabwicklung</td>", "<td>payment processing</td>"},
        {"<td>eigenständig Verantwortlicher</td>", "<td>independent controller</td>"},
        {"<td>intern</td>", "<td>internal</td>"},
        {"<td>Vereinigte Staaten</td>", "<td>United States</td>"},
        {"Standardvertragsklauseln der EU-Kommission", "standard contractual clauses"},
        {"Modul 2, Verschlüsselung", "module 2, encryption"},
        {"<td>Rechenzentrum Frankfurt</td>", "<td>data centre Frankfurt</td>"},
        {"<li>Kundenservice</li>", "<li>customer service</li>"},
        {"<li>Zwei-Faktor-Anmeldung</li>", "<li>two-factor login</li>"},
        {"Die betroffenen Personen selbst", "The data subjects themselves"},
        {"<li>Auskunftei Beispiel</li>", "<li>credit agency Example</li>"},
        {"Automatisierte Entscheidungsfindung (Art. 22)</th><td>Keine</td>",
         "Automated decision-making (Art. 22)</th><td>None</td>"},
    });
  }

  TEST_CASE("HTML shows automated decisions with logic and consequences") {
    auto sources = Sources();
    sources[0].record->automated_decisions = {
        true, LocalizedText::Of("Punktwert", "score"),
        LocalizedText::Of("kein Rechnungskauf", "no invoice")};
    CHECK(Contains(Html("de", sources), "Logik: Punktwert<br>Auswirkungen: kein Rechnungskauf"));
    CHECK(Contains(Html("en", sources), "Logic: score<br>Consequences: no invoice"));
  }

  TEST_CASE("HTML puts the warnings at the top, highlighted, in the document's language") {
    auto sources = Sources();
    sources[0].record->recipients[0].agreement.reset();
    for (const char* language : {"de", "en"}) {
      const std::string html = Html(language, sources);
      const size_t warnings = html.find("<div class=\"warnings\">");
      const size_t first_source = html.find("<section>");
      REQUIRE(warnings != std::string::npos);
      CHECK(warnings < first_source);
      CHECK(Contains(html, language == std::string("de") ? "keinen Auftragsverarbeitungsvertrag"
                                                         : "no data processing agreement"));
      CHECK(Contains(html, language == std::string("de") ? "kein Verarbeitungsverzeichnis"
                                                         : "has no record of processing"));
      CHECK(Contains(html, "sources[0].record_of_processing.recipients[0]"));
      CHECK(Contains(html, "<span class=\"missing\">"));
    }
    CHECK_FALSE(Contains(Html("en", {Sources()[0]}), "class=\"warnings\""));
  }

  TEST_CASE("HTML escapes what the config says") {
    auto sources = Sources();
    sources[0].title = "<script>x()</script>";
    sources[0].record->purposes = {LocalizedText("<b>bold</b>")};
    ControllerInfo controller = testing::Controller();
    controller.name = "A & B <GmbH>";
    const std::string html = Html("en", sources, controller);
    CHECK_FALSE(Contains(html, "<script>x"));
    CHECK_FALSE(Contains(html, "<b>bold"));
    CHECK(Contains(html, "A &amp; B &lt;GmbH&gt;"));
  }

  TEST_CASE("CSV has a BOM, a header in the language and one row per source and category") {
    for (const char* language : {"de", "en"}) {
      const std::string csv = Csv(language);
      CHECK(csv.rfind("\xEF\xBB\xBF", 0) == 0);
      const auto rows = Rows(csv.substr(3));
      REQUIRE(rows.size() == 4);  // header, crm × 2 categories, mail without a record
      CHECK(rows[0].rfind(language == std::string("de")
                              ? "Quelle,Bezeichnung,Verarbeitungstätigkeit"
                              : "Source,Title,Processing activity",
                          0) == 0);
      CHECK(rows[1].rfind("crm,Kundendatenbank (CRM),", 0) == 0);
      CHECK(rows[2].rfind("crm,Kundendatenbank (CRM),", 0) == 0);
      CHECK(rows[3] == "mail,Support-Postfach,,,,,,,,,,,,,,");  // no record: nothing claimed
    }
  }

  TEST_CASE("CSV gives every field in both languages") {
    const std::pair<std::string, std::vector<const char*>> expected[] = {
        {"de",
         {"Kundenverwaltung",
          "Abwicklung von Bestellungen; Rechnungsstellung",
          "Kundinnen und Kunden",
          "Kontaktdaten",
          "Name, Anschrift",
          "Art. 6 Abs. 1 lit. b DSGVO (Vertrag)",
          "3 Jahre",
          "Zahlungsdaten",
          "Art. 6 Abs. 1 lit. c DSGVO (rechtliche Pflicht); § 147 AO",
          "8 Jahre, ab Ende des Kalenderjahres der Rechnung",
          "PayBeispiel Payments GmbH (Auftragsverarbeiter",
          "AV-Vertrag vom 1. März 2023",
          "Paketdienst Schnell GmbH (eigenständig Verantwortlicher, Deutschland, Zustellung)",
          "HelpDeskly Inc. (Vereinigte Staaten): Standardvertragsklauseln",
          "Modul 2, Verschlüsselung",
          "Rechenzentrum Frankfurt",
          "Kundenservice",
          "Zwei-Faktor-Anmeldung",
          "betroffene Person; Auskunftei Beispiel",
          ",keine\r\n"}},
        {"en",
         {"Customer management",
          "processing orders; invoicing",
          "customers",
          "Contact data",
          "name, postal address",
          "Art. 6(1)(b) GDPR (contract)",
          "3 years",
          "Payment data",
          "Art. 6(1)(c) GDPR (legal obligation); § 147 AO",
          "8 years, from the end of the calendar year of the invoice",
          "PayBeispiel Payments GmbH (processor",
          "data processing agreement of 1 March 2023",
          "Paketdienst Schnell GmbH (independent controller, Germany, delivery)",
          "HelpDeskly Inc. (United States): standard contractual clauses",
          "module 2, encryption",
          "data centre Frankfurt",
          "customer service",
          "two-factor login",
          "the data subject; credit agency Example",
          ",none\r\n"}},
    };
    for (const auto& [language, parts] : expected) {
      const std::string csv = Csv(language, {Sources()[0]});
      for (const char* part : parts) CHECK_MESSAGE(Contains(csv, part), part);
    }
  }

  TEST_CASE("CSV quotes per RFC 4180 and guards cells a spreadsheet would run") {
    auto sources = Sources();
    sources[0].record->activity = "=HYPERLINK(\"http://evil\")";
    sources[0].record->purposes = {LocalizedText("-1+1"), LocalizedText("a \"quoted\", text")};
    const std::string csv = Csv("en", sources);
    CHECK(Contains(csv, ",\"'=HYPERLINK(\"\"http://evil\"\")\","));
    CHECK(Contains(csv, ",\"'-1+1; a \"\"quoted\"\", text\","));
  }

  TEST_CASE("refuses a language it has no words for") {
    CHECK(RecordOfProcessingHtml(Sources(), testing::Controller(), "fr").status().code() ==
          StatusCode::kInvalidArgument);
    CHECK(RecordOfProcessingCsv(Sources(), "fr").status().code() == StatusCode::kInvalidArgument);
  }
}

}  // namespace
}  // namespace dsr::letters
