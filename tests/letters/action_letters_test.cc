// The rectification, erasure, rejection and extension letters in both languages.
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

void CheckLetter(LetterKind kind, std::initializer_list<Expected> expected) {
  const std::string letter_de = Render(Input(kind, "de"));
  const std::string letter_en = Render(Input(kind, "en"));
  for (const Expected& item : expected) {
    CHECK_MESSAGE(Contains(letter_de, item.de), item.de);
    CHECK_MESSAGE(Contains(letter_en, item.en), item.en);
  }
}

// What every letter carries, whatever its kind.
void CheckCommonParts(LetterKind kind) {
  CheckLetter(kind, {{"Beispiel Versand GmbH", "Beispiel Versand GmbH"},
                     {"Vorgang 6f1c2a9e-0000-4000-8000-000000000001",
                      "Reference 6f1c2a9e-0000-4000-8000-000000000001"},
                     {"am 5. März 2025", "On 5 March 2025"},
                     {"20. März 2025", "20 March 2025"},
                     {"dsb@beispiel-versand.example", "dsb@beispiel-versand.example"},
                     {"Landesbeauftragte für Datenschutz", "Landesbeauftragte für Datenschutz"}});
  for (const char* language : {"de", "en"}) {
    const std::string letter = Render(Input(kind, language));
    CHECK(Contains(letter, std::string("<html lang=\"") + language + "\">"));
    CHECK_FALSE(Contains(letter, "{{"));
  }
}

TEST_SUITE("Rectification letter") {
  TEST_CASE("carries controller, request, dates, DPO and authority") {
    CheckCommonParts(LetterKind::kRectification);
  }

  TEST_CASE("names the request under Art. 16") {
    CheckLetter(LetterKind::kRectification,
                {{"Wir haben Ihre Daten berichtigt", "We have corrected your data"},
                 {"Artikel 16", "Article 16"}});
  }

  TEST_CASE("lists each corrected attribute with its new value") {
    CheckLetter(LetterKind::kRectification,
                {{"<strong>E-Mail-Adresse</strong>: neu@example.de",
                  "<strong>e-mail address</strong>: neu@example.de"},
                 {"<strong>Name</strong>", "<strong>name</strong>"},
                 {"<li>Vorname: Erika</li>", "<li>given name: Erika</li>"},
                 {"<li>Nachname: Mustermann-Neu</li>", "<li>family name: Mustermann-Neu</li>"},
                 {"<strong>Postanschrift</strong>", "<strong>postal address</strong>"},
                 {"<li>Straße und Hausnummer: Ringstraße 7</li>",
                  "<li>street and number: Ringstraße 7</li>"},
                 {"<li>Postleitzahl: 50667</li>", "<li>postcode: 50667</li>"},
                 {"<li>Ort: Köln</li>", "<li>town or city: Köln</li>"},
                 {"<li>Land: Deutschland</li>", "<li>country: Germany</li>"}});
  }

  TEST_CASE("says where it was corrected and where there was nothing to correct") {
    CheckLetter(
        LetterKind::kRectification,
        {{"<strong>Kundendatenbank (CRM)</strong>", "<strong>Kundendatenbank (CRM)</strong>"},
         {"<code>customers</code>: 1 Datensatz", "<code>customers</code>: 1 record"},
         {"gab es nichts zu berichtigen", "there was nothing to correct"},
         {"<li>Ticketsystem</li>", "<li>Ticketsystem</li>"}});
  }

  TEST_CASE("names every Art. 19 recipient of the sources where data changed") {
    CheckLetter(LetterKind::kRectification,
                {{"Art. 19 DSGVO", "Article 19 GDPR"},
                 {"<strong>PayBeispiel Payments GmbH</strong>, Deutschland: Auftragsverarbeiter",
                  "<strong>PayBeispiel Payments GmbH</strong>, Germany: processor"},
                 {"<strong>Paketdienst Schnell GmbH</strong>, Deutschland: eigenständig "
                  "Verantwortlicher",
                  "<strong>Paketdienst Schnell GmbH</strong>, Germany: independent controller"},
                 {"<strong>HelpDeskly Inc.</strong>", "<strong>HelpDeskly Inc.</strong>"},
                 {"die Berichtigung mit", "about this correction"},
                 {"welche Empfänger Ihre Daten tatsächlich erhalten haben",
                  "which recipients actually received your data"}});
    const std::string letter = Render(Input(LetterKind::kRectification, "en"));
    CHECK_FALSE(Contains(letter, "Buchhaltung intern"));  // internal: not a recipient
    CHECK_FALSE(Contains(letter, "Ticket-Anbieter AG"));  // nothing changed in tickets
  }

  TEST_CASE("says there is nobody to tell when no source with recipients changed") {
    LetterInput input = Input(LetterKind::kRectification, "en");
    input.sources[0].outcomes = {{"customers", OutcomeKind::kNotApplicable, 0, std::nullopt, ""}};
    const std::string letter = Render(input);
    CHECK(Contains(letter, "We found no data about you that needed correcting."));
    CHECK(Contains(letter, "there is nobody else to tell"));
  }
}

TEST_SUITE("Erasure letter") {
  TEST_CASE("carries controller, request, dates, DPO and authority") {
    CheckCommonParts(LetterKind::kErasure);
  }

  TEST_CASE("says per source what was erased and anonymized") {
    CheckLetter(
        LetterKind::kErasure,
        {{"Artikel 17", "Article 17"},
         {"gelöscht: <code>carts</code>, 4 Datensätze", "erased: <code>carts</code>, 4 records"},
         {"anonymisiert", "anonymized"},
         {"<code>customers</code>,\n1 Datensatz", "<code>customers</code>,\n1 record"},
         {"<strong>Ticketsystem</strong>: keine Daten über Sie gefunden",
          "<strong>Ticketsystem</strong>: no data about you found"}});
  }

  TEST_CASE("says what is kept, until when and on which legal basis (Art. 17(3)(b))") {
    CheckLetter(LetterKind::kErasure,
                {{"aufbewahrt bis zum 31. Dezember 2033: <code>invoices</code>, 2 Datensätze",
                  "kept until 31 December 2033: <code>invoices</code>, 2 records"},
                 {"§ 147 AO, § 257 HGB (Art. 17 Abs. 3 lit. b DSGVO)",
                  "§ 147 AO, § 257 HGB (Article 17(3)(b) GDPR)"}});
  }

  TEST_CASE("says that kept data is restricted (Art. 18) and erased when the period ends") {
    CheckLetter(LetterKind::kErasure,
                {{"Verarbeitung dieser Daten eingeschränkt", "we have restricted this data"},
                 {"(Art. 18 DSGVO)", "(Article 18\nGDPR)"},
                 {"löschen wir sie, ohne dass Sie\nerneut fragen müssen",
                  "We erase it\nwhen the period ends"}});
    LetterInput input = Input(LetterKind::kErasure, "en");
    input.sources[0].outcomes.pop_back();  // nothing retained
    CHECK_FALSE(Contains(Render(input), "Article 17(3)(b)"));
  }

  TEST_CASE("names every Art. 19 recipient of the sources where data was erased or restricted") {
    CheckLetter(
        LetterKind::kErasure,
        {{"Art. 19 DSGVO", "Article 19 GDPR"},
         {"die Löschung oder Einschränkung mit", "about this erasure or restriction"},
         {"<strong>PayBeispiel Payments GmbH</strong>",
          "<strong>PayBeispiel Payments GmbH</strong>"},
         {"<strong>Paketdienst Schnell GmbH</strong>", "<strong>Paketdienst Schnell GmbH</strong>"},
         {"<strong>HelpDeskly Inc.</strong>, Vereinigte Staaten: Auftragsverarbeiter, der in "
          "unserem Auftrag handelt (Art. 28 DSGVO)",
          "<strong>HelpDeskly Inc.</strong>, United States: processor acting on our behalf "
          "(Art. 28 GDPR)"}});
    CHECK_FALSE(Contains(Render(Input(LetterKind::kErasure, "de")), "Ticket-Anbieter AG"));
  }

  TEST_CASE("says so when nothing was found anywhere") {
    LetterInput input = Input(LetterKind::kErasure, "de");
    input.sources[0].outcomes = {{"customers", OutcomeKind::kNotFound, 0, std::nullopt, ""}};
    const std::string letter = Render(input);
    CHECK(Contains(letter, "es gab daher\nnichts zu löschen"));
    CHECK(Contains(letter, "es gibt daher niemanden zu\nbenachrichtigen"));
  }
}

TEST_SUITE("Rejection letter") {
  TEST_CASE("carries controller, request, dates, DPO and authority") {
    CheckCommonParts(LetterKind::kRejection);
  }

  TEST_CASE("names the refused request, the ground and the reason") {
    CheckLetter(LetterKind::kRejection,
                {{"(Auskunft nach Art. 15 DSGVO)", "(access to your data, Art. 15 GDPR)"},
                 {"für exzessiv", "excessive"},
                 {"Art. 12 Abs. 5 DSGVO", "Article 12(5) GDPR"},
                 {"Sie haben dieselbe Auskunft in diesem Monat bereits dreimal erhalten.",
                  "Sie haben dieselbe Auskunft in diesem Monat bereits dreimal erhalten."}});
  }

  TEST_CASE("gives the Art. 12(4) information: complaint to the authority and judicial remedy") {
    CheckLetter(LetterKind::kRejection,
                {{"Nach Art. 12 Abs. 4 DSGVO", "As Article 12(4) GDPR provides"},
                 {"bei einer Datenschutz-Aufsichtsbehörde beschweren",
                  "lodge a complaint with a data protection supervisory authority"},
                 {"(Art. 77 DSGVO)", "(Article 77 GDPR)"},
                 {"<strong>Landesbeauftragte für Datenschutz und Informationsfreiheit "
                  "Nordrhein-Westfalen</strong>",
                  "<strong>Landesbeauftragte für Datenschutz und Informationsfreiheit "
                  "Nordrhein-Westfalen</strong>"},
                 {"gerichtlichen Rechtsbehelf einlegen, also vor Gericht klagen",
                  "seek a judicial remedy, that is, take the matter to court"},
                 {"(Art. 79 DSGVO)", "(Article 79 GDPR)"}});
  }

  TEST_CASE("explains each ground in its own words") {
    const std::pair<RejectionGround, Expected> grounds[] = {
        {RejectionGround::kManifestlyUnfounded,
         {"offenkundig unbegründet", "manifestly unfounded"}},
        {RejectionGround::kExcessive, {"exzessiv", "excessive"}},
        {RejectionGround::kIdentityNotEstablished,
         {"Art. 12 Abs. 6 und Art. 11 Abs. 2", "Article\n12(6) and Article 11(2)"}},
        {RejectionGround::kOther, {"Sie haben dieselbe Auskunft", "Sie haben dieselbe Auskunft"}},
    };
    for (const auto& [ground, expected] : grounds) {
      for (const char* language : {"de", "en"}) {
        LetterInput input = Input(LetterKind::kRejection, language);
        input.rejection.ground = ground;
        const std::string letter = Render(input);
        CHECK(Contains(letter, language == std::string("de") ? expected.de : expected.en));
        CHECK(Contains(letter, language == std::string("de") ? "Gericht" : "court"));
      }
    }
    LetterInput identity = Input(LetterKind::kRejection, "en");
    identity.rejection.ground = RejectionGround::kIdentityNotEstablished;
    CHECK(Contains(Render(identity), "If you send us the information we asked for"));
    CHECK_FALSE(Contains(Render(Input(LetterKind::kRejection, "en")), "If you send us"));
  }
}

TEST_SUITE("Extension letter") {
  TEST_CASE("names the request, the date it was received and both deadlines") {
    CheckLetter(LetterKind::kExtension,
                {{"Vorgang 6f1c2a9e-0000-4000-8000-000000000001",
                  "Reference 6f1c2a9e-0000-4000-8000-000000000001"},
                 {"am 5. März 2025 einen Antrag gestellt (Löschung nach Art. 17 DSGVO)",
                  "On 5 March 2025 you sent us a request (erasure, Art. 17 GDPR)"},
                 {"20. März 2025", "20 March 2025"},
                 {"Sie erhalten unsere Antwort spätestens am 5. Juni 2025 statt am\n7. April 2025",
                  "You will have our answer by 5 June 2025 at the latest, instead of\n7 April "
                  "2025"}});
  }

  TEST_CASE("gives the controller's reasons and cites Art. 12(3)") {
    CheckLetter(LetterKind::kExtension,
                {{"<p class=\"reason\">Ihre Daten liegen in sieben Systemen,\nzwei davon bei "
                  "Dienstleistern.</p>",
                  "<p class=\"reason\">Ihre Daten liegen in sieben Systemen,\nzwei davon bei "
                  "Dienstleistern.</p>"},
                 {"(Art. 12 Abs. 3 DSGVO)", "(Article 12(3) GDPR)"},
                 {"um zwei Monate", "by two months"}});
  }

  TEST_CASE("tells whom to ask: the controller and the data protection officer") {
    CheckLetter(LetterKind::kExtension,
                {{"datenschutz@beispiel-versand.example", "datenschutz@beispiel-versand.example"},
                 {"Hansaring 12\n50670 Köln", "Hansaring 12\n50670 Köln"},
                 {"Dr. Anna Schmitz\ndsb@beispiel-versand.example",
                  "Dr. Anna Schmitz\ndsb@beispiel-versand.example"}});
    for (const char* language : {"de", "en"}) {
      LetterInput input = Input(LetterKind::kExtension, language);
      const std::string letter = Render(input);
      CHECK(Contains(letter, std::string("<html lang=\"") + language + "\">"));
      CHECK_FALSE(Contains(letter, "{{"));
      input.controller.dpo_name.clear();
      input.controller.dpo_contact.clear();
      CHECK_FALSE(Contains(Render(input), "dsb@beispiel-versand.example"));
    }
  }
}

}  // namespace
}  // namespace dsr::letters
