#include "tools/sample-crm/sample_files.h"

#include <algorithm>
#include <initializer_list>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <vector>

#include "common/durable_file.h"
#include "tools/sample-crm/sample_random.h"

namespace dsr::sample_crm {
namespace {

using Customers = std::vector<const CustomerRow*>;

const std::vector<std::string> kNotes = {
    "Interessiert an Zubehör, bitte keine Anrufe",
    "Hat gefragt: \"Gibt es auch einen Newsletter auf Englisch?\"",
    "Anmeldung auf der Messe; Rückfrage zur Lieferzeit",
    "Bitte nur einmal im Monat schreiben.\nDanke, Team Vertrieb",
    "",
    "Gutschein eingelöst, 10 € Rabatt",
};
const std::vector<std::string> kCompanies = {"Müller & Söhne GmbH", "Privat", "Bäckerei Ost",
                                             "Nordlicht AG", "Privat"};
const std::vector<std::string> kVisitorTexts = {
    "Hallo, wo bleibt meine Bestellung?", "Kann ich die Lieferadresse noch ändern?",
    "Do you ship to Austria?", "Meine Rechnung ist doppelt angekommen."};
const std::vector<std::string> kAgentTexts = {"Gern, ich sehe nach.", "Einen Moment bitte.",
                                              "Das ist erledigt. Noch etwas?"};

// The sample customers, the ones they share a phone or address with, and
// `others` more picked by `random`, in a shuffled but fixed order.
Customers Pick(const SampleCrmData& data, SampleRandom& random, int others) {
  std::set<std::string> wanted;
  for (const auto& sample : data.samples) {
    wanted.insert(sample.customer_number);
    const size_t colon = sample.reason.find(':');
    if (colon != std::string::npos) wanted.insert(sample.reason.substr(colon + 1));
  }
  Customers picked;
  for (const auto& customer : data.customers) {
    if (wanted.count(customer.customer_number) != 0) picked.push_back(&customer);
  }
  for (int i = 0; i < others && !data.customers.empty(); ++i) {
    const CustomerRow* customer = &random.Pick(data.customers);
    if (std::find(picked.begin(), picked.end(), customer) == picked.end())
      picked.push_back(customer);
  }
  for (size_t i = picked.size(); i > 1; --i) {
    std::swap(picked[i - 1],
              picked[static_cast<size_t>(random.Between(0, static_cast<int64_t>(i) - 1))]);
  }
  return picked;
}

std::string CsvField(const std::string& value, bool always_quote) {
  if (!always_quote && value.find_first_of(";\"\r\n") == std::string::npos) return value;
  std::string quoted = "\"";
  for (const char c : value) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

std::string NewsletterCsv(const Customers& customers, SampleRandom& random) {
  std::string csv =
      "\xEF\xBB\xBF"
      "E-Mail;Vorname;Nachname;Telefon;Anmerkung;Angemeldet am\r\n";
  for (const CustomerRow* c : customers) {
    std::string note = random.Pick(kNotes);
    if (random.Chance(200)) note += ", Rückruf erbeten";
    std::string line = CsvField(c->email, false) + ";" + CsvField(c->first_name, false) + ";" +
                       CsvField(c->last_name, false) + ";" + CsvField(c->phone, false) + ";" +
                       CsvField(note, !note.empty()) + ";" + c->created_at.substr(0, 10);
    // The newline inside a quoted note is the writer's LF, the record ends in CRLF.
    csv += line + "\r\n";
  }
  return csv;
}

constexpr char kXmlHead[] = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
constexpr char kMain[] = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
constexpr char kRelations[] = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

std::string Escape(const std::string& text) {
  std::string escaped;
  for (const char c : text) {
    const char* entity = c == '&'   ? "&amp;"
                         : c == '<' ? "&lt;"
                         : c == '>' ? "&gt;"
                         : c == '"' ? "&quot;"
                                    : nullptr;
    escaped += entity != nullptr ? std::string(entity) : std::string(1, c);
  }
  return escaped;
}

// A workbook's shared string table: each text once, in first-use order.
class SharedStringTable {
 public:
  std::string Cell(const std::string& reference, const std::string& text) {
    ++uses_;
    auto [found, added] = index_.emplace(text, texts_.size());
    if (added) texts_.push_back(text);
    return "<c r=\"" + reference + "\" t=\"s\"><v>" + std::to_string(found->second) + "</v></c>";
  }
  std::string Xml() const {
    std::string xml = std::string(kXmlHead) + "<sst xmlns=\"" + kMain + "\" count=\"" +
                      std::to_string(uses_) + "\" uniqueCount=\"" + std::to_string(texts_.size()) +
                      "\">";
    for (const auto& text : texts_) xml += "<si><t>" + Escape(text) + "</t></si>";
    return xml + "</sst>";
  }

 private:
  std::vector<std::string> texts_;
  std::map<std::string, size_t> index_;
  int uses_ = 0;
};

std::string SheetXml(const std::string& rows, const std::string& dimension) {
  return std::string(kXmlHead) + "<worksheet xmlns=\"" + kMain + "\"><dimension ref=\"" +
         dimension + "\"/><sheetData>" + rows + "</sheetData></worksheet>";
}

std::string AttendeeSheet(const Customers& customers, SampleRandom& random,
                          SharedStringTable* strings) {
  const std::vector<std::string> header = {"Nr.",   "Vorname", "Nachname", "E-Mail", "Telefon",
                                           "Firma", "Straße",  "PLZ",      "Ort",    "Land"};
  std::string rows = "<row r=\"1\">";
  for (size_t i = 0; i < header.size(); ++i) {
    rows += strings->Cell(std::string(1, static_cast<char>('A' + i)) + "1", header[i]);
  }
  rows += "</row>";
  int row = 1;
  for (const CustomerRow* c : customers) {
    const std::string r = std::to_string(++row);
    const std::vector<std::string> cells = {
        c->first_name, c->last_name,   c->email, c->phone,  random.Pick(kCompanies),
        c->street,     c->postal_code, c->city,  c->country};
    // A number cell: the attendee's number, as Excel stores numbers.
    rows += "<row r=\"" + r + "\"><c r=\"A" + r + "\"><v>" + std::to_string(row - 1) + "</v></c>";
    for (size_t i = 0; i < cells.size(); ++i) {
      if (cells[i].empty()) continue;
      rows += strings->Cell(std::string(1, static_cast<char>('B' + i)) + r, cells[i]);
    }
    rows += "</row>";
  }
  return SheetXml(rows, "A1:J" + std::to_string(row));
}

std::string ContentTypes() {
  std::string types =
      std::string(kXmlHead) +
      R"(<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">)"
      R"(<Default Extension="rels" )"
      R"(ContentType="application/vnd.openxmlformats-package.relationships+xml"/>)"
      R"(<Default Extension="xml" ContentType="application/xml"/>)";
  const std::pair<const char*, const char*> parts[] = {{"/xl/workbook.xml", "sheet.main"},
                                                       {"/xl/worksheets/sheet1.xml", "worksheet"},
                                                       {"/xl/worksheets/sheet2.xml", "worksheet"},
                                                       {"/xl/sharedStrings.xml", "sharedStrings"},
                                                       {"/xl/styles.xml", "styles"}};
  for (const auto& [part, type] : parts) {
    types += std::string("<Override PartName=\"") + part +
             "\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml." +
             type + "+xml\"/>";
  }
  return types + "</Types>";
}

// Relationships rId1, rId2 ... of (type, target).
std::string Relationships(const std::vector<std::pair<std::string, std::string>>& targets) {
  std::string xml = std::string(kXmlHead) +
                    R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/)"
                    R"(relationships">)";
  for (size_t i = 0; i < targets.size(); ++i) {
    xml += "<Relationship Id=\"rId" + std::to_string(i + 1) + "\" Type=\"" + kRelations + "/" +
           targets[i].first + "\" Target=\"" + targets[i].second + "\"/>";
  }
  return xml + "</Relationships>";
}

std::string Styles() {
  return std::string(kXmlHead) + "<styleSheet xmlns=\"" + kMain + "\">" +
         R"(<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>)"
         R"(<fills count="2"><fill><patternFill patternType="none"/></fill>)"
         R"(<fill><patternFill patternType="gray125"/></fill></fills>)"
         R"(<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border>)"
         R"(</borders><cellStyleXfs count="1">)"
         R"(<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>)"
         R"(<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>)"
         R"(</cellXfs></styleSheet>)";
}

uint32_t Crc32(const std::string& data) {
  uint32_t crc = 0xFFFFFFFFu;
  for (const char c : data) {
    crc ^= static_cast<unsigned char>(c);
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

// Appends little-endian fields, each (value, bytes).
void Put(std::string* out, std::initializer_list<std::pair<uint32_t, int>> fields) {
  for (const auto& [value, bytes] : fields) {
    for (int i = 0; i < bytes; ++i) out->push_back(static_cast<char>((value >> (8 * i)) & 0xff));
  }
}

// A ZIP archive of stored (uncompressed) entries, as every XLSX reader accepts.
std::string StoredZip(const std::vector<std::pair<std::string, std::string>>& entries) {
  constexpr uint32_t kDosDate = (45 << 9) | (6 << 5) | 30;  // 2025-06-30, 00:00
  std::string out, directory;
  for (const auto& [name, data] : entries) {
    const auto offset = static_cast<uint32_t>(out.size());
    const auto size = static_cast<uint32_t>(data.size());
    std::string common;  // version, flags, method, time, date, CRC, sizes, name and extra length
    Put(&common, {{20, 2},
                  {0, 2},
                  {0, 2},
                  {0, 2},
                  {kDosDate, 2},
                  {Crc32(data), 4},
                  {size, 4},
                  {size, 4},
                  {static_cast<uint32_t>(name.size()), 2},
                  {0, 2}});
    Put(&out, {{0x04034b50, 4}});
    out += common + name + data;
    Put(&directory, {{0x02014b50, 4}, {20, 2}});
    directory += common;
    Put(&directory, {{0, 2}, {0, 2}, {0, 2}, {0, 4}, {offset, 4}});  // comment, disk, attributes
    directory += name;
  }
  const auto count = static_cast<uint32_t>(entries.size());
  const auto directory_offset = static_cast<uint32_t>(out.size());
  out += directory;
  Put(&out, {{0x06054b50, 4},
             {0, 2},
             {0, 2},
             {count, 2},
             {count, 2},
             {static_cast<uint32_t>(directory.size()), 4},
             {directory_offset, 4},
             {0, 2}});
  return out;
}

std::string AttendeeWorkbook(const Customers& customers, SampleRandom& random) {
  SharedStringTable strings;
  const std::string attendees = AttendeeSheet(customers, random, &strings);
  const std::string notes =
      SheetXml("<row r=\"1\">" + strings.Cell("A1", "Anmeldungen der Hausmesse 2025") +
                   "</row><row r=\"2\">" + strings.Cell("A2", "Privat") + "</row>",
               "A1:A2");
  const std::string workbook = std::string(kXmlHead) + "<workbook xmlns=\"" + kMain +
                               "\" xmlns:r=\"" + kRelations + "\"><sheets>" +
                               R"(<sheet name="Teilnehmer" sheetId="1" r:id="rId1"/>)"
                               R"(<sheet name="Hinweise" sheetId="2" r:id="rId2"/>)"
                               "</sheets></workbook>";
  return StoredZip(
      {{"[Content_Types].xml", ContentTypes()},
       {"_rels/.rels", Relationships({{"officeDocument", "xl/workbook.xml"}})},
       {"xl/workbook.xml", workbook},
       {"xl/_rels/workbook.xml.rels", Relationships({{"worksheet", "worksheets/sheet1.xml"},
                                                     {"worksheet", "worksheets/sheet2.xml"},
                                                     {"sharedStrings", "sharedStrings.xml"},
                                                     {"styles", "styles.xml"}})},
       {"xl/worksheets/sheet1.xml", attendees},
       {"xl/worksheets/sheet2.xml", notes},
       {"xl/sharedStrings.xml", strings.Xml()},
       {"xl/styles.xml", Styles()}});
}

std::string VcardEscape(const std::string& text) {
  std::string escaped;
  for (const char c : text) {
    if (c == '\\' || c == ',' || c == ';') escaped += '\\';
    escaped += c == '\n' ? std::string("\\n") : std::string(1, c);
  }
  return escaped;
}

// Folds at 75 bytes without splitting a UTF-8 character (RFC 6350 3.2).
std::string Folded(std::string line) {
  std::string out;
  size_t limit = 75;
  while (line.size() > limit) {
    size_t cut = limit;
    while ((static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
    out += line.substr(0, cut) + "\r\n ";
    line.erase(0, cut);
    limit = 74;
  }
  return out + line + "\r\n";
}

std::string AddressBook(const Customers& customers, SampleRandom& random) {
  std::string vcf;
  for (size_t i = 0; i < customers.size(); ++i) {
    const CustomerRow& c = *customers[i];
    vcf += "BEGIN:VCARD\r\nVERSION:3.0\r\n";
    if (i + 1 < customers.size()) {  // the last card has no UID, as hand-made cards often do
      vcf += "UID:urn:uuid:5a3e0c1d-" + random.Digits(4) + "-4" + random.Digits(3) + "-8" +
             random.Digits(3) + "-" + random.Digits(12) + "\r\n";
    }
    vcf += Folded("FN:" + VcardEscape(c.first_name + " " + c.last_name));
    vcf += Folded("N:" + VcardEscape(c.last_name) + ";" + VcardEscape(c.first_name) + ";;;");
    vcf += Folded("ORG:" + VcardEscape(random.Pick(kCompanies)));
    vcf += "EMAIL;TYPE=INTERNET:" + c.email + "\r\n";
    if (!c.phone.empty()) vcf += Folded("TEL;TYPE=VOICE:" + VcardEscape(c.phone));
    if (!c.street.empty()) {
      vcf += Folded("ADR;TYPE=WORK:;;" + VcardEscape(c.street) + ";" + VcardEscape(c.city) + ";;" +
                    VcardEscape(c.postal_code) + ";" + c.country);
    }
    vcf += Folded("NOTE:Kontakt aus " + c.created_at.substr(0, 4) +
                  ", Ansprechpartnerin im Vertrieb: Jana Hübner; Themen: Rabatte, Lieferung\n"
                  "Zweite Zeile der Notiz.");
    vcf += "END:VCARD\r\n";
  }
  return vcf;
}

std::string VisitorIp(SampleRandom& random) {
  static const std::vector<std::string> kNets = {"192.0.2.", "198.51.100.", "203.0.113."};
  if (random.Chance(150)) return "2001:db8::" + std::to_string(random.Between(1, 9999));
  return random.Pick(kNets) + std::to_string(random.Between(1, 254));
}

// One chat: the visitor's lines carry their IP address; a known visitor
// gives name and e-mail address at the start and repeats the address later.
std::vector<nlohmann::json> Session(const CustomerRow* customer, const std::string& id,
                                    SampleRandom& random) {
  const std::string ip = VisitorIp(random);
  std::vector<nlohmann::json> lines;
  const int64_t count = random.Between(3, 6);
  for (int64_t l = 0; l < count; ++l) {
    const bool visitor = l % 2 == 0;
    nlohmann::json line = {{"session_id", id}, {"from", visitor ? "visitor" : "agent"}};
    if (visitor) line["visitor_ip"] = ip;
    if (l == 0 && customer != nullptr) {
      line["visitor_name"] = customer->first_name + " " + customer->last_name;
      line["visitor_email"] = customer->email;
    }
    line["text"] = visitor ? random.Pick(kVisitorTexts) : random.Pick(kAgentTexts);
    if (l == 2 && customer != nullptr) {
      line["text"] = "Meine Adresse ist " + customer->email + ", danke.";
    }
    lines.push_back(std::move(line));
  }
  return lines;
}

// The sessions of a month, plus three of visitors who never said who they
// are; two chats run at a time, so their lines interleave.
std::string ChatLog(const Customers& customers, const std::string& month, SampleRandom& random) {
  std::vector<std::vector<nlohmann::json>> sessions;
  for (size_t s = 0; s < customers.size() + 3; ++s) {
    char id[32];
    std::snprintf(id, sizeof id, "chat-%s-%04zu", month.c_str(), s + 1);
    sessions.push_back(Session(s < customers.size() ? customers[s] : nullptr, id, random));
  }
  std::string log;
  int minute = 0;
  for (size_t first = 0; first < sessions.size(); first += 2) {
    const size_t last = std::min(first + 2, sessions.size());
    for (size_t l = 0; l < 6; ++l) {
      for (size_t s = first; s < last; ++s) {
        if (l >= sessions[s].size()) continue;
        char ts[32];
        std::snprintf(ts, sizeof ts, "%s-%02dT%02d:%02d:00Z", month.c_str(), 1 + minute / 600 % 28,
                      9 + minute / 60 % 9, minute % 60);
        ++minute;
        nlohmann::json line = {{"ts", ts}};
        line.update(sessions[s][l]);
        log += line.dump() + "\n";
      }
    }
  }
  return log;
}

}  // namespace

Status WriteSampleFiles(const SampleCrmData& data, const std::string& root, uint64_t seed) {
  SampleRandom random(seed);
  const Customers newsletter = Pick(data, random, 40);
  const Customers attendees = Pick(data, random, 25);
  const Customers contacts = Pick(data, random, 30);
  const Customers may = Pick(data, random, 12);
  const Customers june = Pick(data, random, 12);
  const std::vector<std::pair<std::string, std::string>> files = {
      {"lists/newsletter.csv", NewsletterCsv(newsletter, random)},
      {"events/teilnehmer-2025.xlsx", AttendeeWorkbook(attendees, random)},
      {"contacts/vertrieb.vcf", AddressBook(contacts, random)},
      {"chat/2025-05.jsonl", ChatLog(may, "2025-05", random)},
      {"chat/2025-06.jsonl", ChatLog(june, "2025-06", random)},
      {"notes/rueckruf-notizen.txt",
       "Rückruf 12.06.: Kundin bittet um Rückruf unter +49 30 901820 oder per Mail an "
       "rueckruf@example.org.\nErstattung auf IBAN DE89 3704 0044 0532 0130 00 veranlasst.\n"}};
  for (const auto& [relative, content] : files) {
    const std::string path = root + "/" + relative;
    DSR_RETURN_IF_ERROR(MakePrivateDirectories(path.substr(0, path.rfind('/'))));
    DSR_RETURN_IF_ERROR(WriteFileAtomically(path, content));
  }
  return Status::Ok();
}

}  // namespace dsr::sample_crm
