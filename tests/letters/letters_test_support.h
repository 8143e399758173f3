// Sample data for the letters tests: an online shop's controller and the
// record of processing of its CRM, and one input per letter kind. Every text
// is distinct, so a test can look for exactly the item it checks.
#pragma once

#include <doctest/doctest.h>

#include <string>

#include "coordinator/letters/letter.h"
#include "coordinator/letters/record_of_processing.h"

namespace dsr::letters::testing {

inline ControllerInfo Controller() {
  ControllerInfo controller;
  controller.name = "Beispiel Versand GmbH";
  controller.contact = "datenschutz@beispiel-versand.example";
  controller.address = "Hansaring 12\n50670 Köln";
  controller.dpo_name = "Dr. Anna Schmitz";
  controller.dpo_contact = "dsb@beispiel-versand.example";
  controller.authority = {
      "Landesbeauftragte für Datenschutz und Informationsfreiheit Nordrhein-Westfalen",
      "Postfach 20 04 44\n40102 Düsseldorf", "https://www.ldi.nrw.de"};
  return controller;
}

inline RecordOfProcessing CrmRecord() {
  RecordOfProcessing record;
  record.activity = LocalizedText::Of("Kundenverwaltung", "Customer management");
  record.purposes = {LocalizedText::Of("Abwicklung von Bestellungen", "processing orders"),
                     LocalizedText::Of("Rechnungsstellung", "invoicing")};
  record.data_subjects = {LocalizedText::Of("Kundinnen und Kunden", "customers")};
  DataCategory contact;
  contact.name = LocalizedText::Of("Kontaktdaten", "Contact data");
  contact.description = LocalizedText::Of("Name, Anschrift", "name, postal address");
  contact.legal_bases = {LegalBasis::kContract};
  contact.retention.years = 3;
  DataCategory payment;
  payment.name = LocalizedText::Of("Zahlungsdaten", "Payment data");
  payment.legal_bases = {LegalBasis::kContract, LegalBasis::kLegalObligation};
  payment.legal_basis_note = "§ 147 AO";
  payment.retention.years = 8;
  payment.retention.text = LocalizedText::Of("ab Ende des Kalenderjahres der Rechnung",
                                             "from the end of the calendar year of the invoice");
  record.categories = {contact, payment};
  Recipient payments{"PayBeispiel Payments GmbH", RecipientKind::kProcessor,
                     LocalizedText::Of("Zahlungsabwicklung", "payment processing"), "DE",
                     DataProcessingAgreement{CivilDate(2023, 3, 1), "AVV-2023-004"}};
  Recipient parcels{"Paketdienst Schnell GmbH", RecipientKind::kController,
                    LocalizedText::Of("Zustellung", "delivery"), "DE", std::nullopt};
  Recipient helpdesk{"HelpDeskly Inc.", RecipientKind::kProcessor,
                     LocalizedText::Of("Ticketsystem", "help desk software"), "US",
                     DataProcessingAgreement{CivilDate(2024, 2, 15), ""}};
  Recipient internal{"Buchhaltung intern", RecipientKind::kInternal, {}, "DE", std::nullopt};
  record.recipients = {payments, parcels, helpdesk, internal};
  record.storage_location = LocalizedText::Of("Rechenzentrum Frankfurt", "data centre Frankfurt");
  record.transfers = {{"US",
                       "HelpDeskly Inc.",
                       {Safeguard::kStandardContractualClauses},
                       LocalizedText::Of("Modul 2, Verschlüsselung", "module 2, encryption")}};
  record.access = {LocalizedText::Of("Kundenservice", "customer service")};
  record.measures = {LocalizedText::Of("Zwei-Faktor-Anmeldung", "two-factor login")};
  record.origin.from_subject = true;
  record.origin.other_sources = {LocalizedText::Of("Auskunftei Beispiel", "credit agency Example")};
  return record;
}

inline LetterInput Input(LetterKind kind, const std::string& language) {
  LetterInput input;
  input.controller = Controller();
  input.request = {"6f1c2a9e-0000-4000-8000-000000000001", kind, language, CivilDate(2025, 3, 5),
                   CivilDate(2025, 3, 20)};
  LetterSource crm;
  crm.name = "crm";
  crm.title = "Kundendatenbank (CRM)";
  crm.record = CrmRecord();
  LetterSource tickets;
  tickets.name = "tickets";
  tickets.title = "Ticketsystem";
  RecordOfProcessing ticket_record;
  ticket_record.activity = "Support";
  Recipient zendesk{"Ticket-Anbieter AG", RecipientKind::kProcessor, {}, "IE", std::nullopt};
  ticket_record.recipients = {zendesk};
  tickets.record = ticket_record;
  switch (kind) {
    case LetterKind::kAccess:
      crm.collections = {{"customers", 1}, {"orders", 1233}, {"carts", 0}};
      crm.withheld = {{WithholdingReason::kConcernsOtherPeople, 2},
                      {WithholdingReason::kUncertainMatch, 1}};
      crm.redacted_records = 3;
      break;
    case LetterKind::kRectification:
      crm.outcomes = {{"customers", OutcomeKind::kUpdated, 1, std::nullopt, ""},
                      {"orders", OutcomeKind::kNotApplicable, 0, std::nullopt, ""}};
      tickets.outcomes = {{"tickets", OutcomeKind::kNotFound, 0, std::nullopt, ""}};
      input.corrections = {
          {"email", std::string("neu@example.de")},
          {"name", PersonName{"Erika", "Mustermann-Neu"}},
          {"postal_address", PostalAddress{"Ringstraße 7", "50667", "Köln", "DE"}}};
      break;
    case LetterKind::kErasure:
      crm.outcomes = {
          {"customers", OutcomeKind::kAnonymized, 1, std::nullopt, ""},
          {"carts", OutcomeKind::kErased, 4, std::nullopt, ""},
          {"invoices", OutcomeKind::kRetained, 2, CivilDate(2033, 12, 31), "§ 147 AO, § 257 HGB"}};
      tickets.outcomes = {{"tickets", OutcomeKind::kNotFound, 0, std::nullopt, ""}};
      break;
    case LetterKind::kRejection:
      input.rejection = {RejectionGround::kExcessive, RequestType::kAccess,
                         "Sie haben dieselbe Auskunft in diesem Monat bereits dreimal erhalten."};
      break;
    case LetterKind::kExtension:
      input.extension = {RequestType::kErasure, CivilDate(2025, 4, 7), CivilDate(2025, 6, 5),
                         "Ihre Daten liegen in sieben Systemen,\nzwei davon bei Dienstleistern."};
      break;
  }
  input.sources = {crm, tickets};
  return input;
}

// Loads the built-in templates; fails the test when they do not load.
inline const LetterTemplates& BuiltIn() {
  static const LetterTemplates templates = [] {
    auto loaded = LetterTemplates::Load(std::nullopt);
    REQUIRE_MESSAGE(loaded.ok(), loaded.status().ToString());
    return *loaded;
  }();
  return templates;
}

inline std::string Render(const LetterInput& input) {
  auto letter = BuiltIn().Render(input);
  REQUIRE_MESSAGE(letter.ok(), letter.status().ToString());
  return *letter;
}

inline bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace dsr::letters::testing
