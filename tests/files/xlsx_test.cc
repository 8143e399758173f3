// XLSX workbooks: an erased row's cells are gone, and so are the shared
// strings only it used; every other row, part and shared string stays. The
// result opens in Poco::Zip and Python's zipfile, and its XML parses.
#include <Poco/DateTime.h>
#include <Poco/Path.h>
#include <Poco/Zip/Compress.h>
#include <Poco/Zip/ZipArchive.h>
#include <Poco/Zip/ZipStream.h>
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <sstream>

#include "tests/files/files_test_support.h"

namespace dsr::connectors::testing {
namespace {

const std::string kMain = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const std::string kRel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

const std::string kRow2 =
    R"(<row r="2"><c r="A2" t="s"><v>4</v></c><c r="B2" t="s"><v>5</v></c><c r="C2" t="s"><v>6</v></c><c r="D2"><v>1</v></c></row>)";
const std::string kRow3 =
    R"(<row r="3" spans="1:4"><c r="A3" t="s" s="1"><v>7</v></c><c r="B3" t="s"><v>8</v></c><c r="C3" t="s"><v>9</v></c><c r="D3"><v>2</v></c></row>)";
const std::string kRow4 =
    R"(<row r="4"><c r="A4" t="inlineStr"><is><t>Clara Clausen</t></is></c><c r="B4" t="s" s="1"><v>10</v></c><c r="C4" t="s"><v>6</v></c><c r="D4"><v>3</v></c></row>)";
const std::string kRow5 =
    R"(<row r="5"><c r="A5" t="s"><v>11</v></c><c r="B5" t="s"><v>12</v></c><c r="D5"><f>D4+1</f><v>4</v></c></row>)";

std::string Sheet1() {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet xmlns=\"" +
         kMain +
         "\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" "
         "t=\"s\"><v>1</v></c><c r=\"C1\" t=\"s\"><v>2</v></c><c r=\"D1\" t=\"s\"><v>3</v></c>"
         "</row>" +
         kRow2 + kRow3 + kRow4 + kRow5 + "</sheetData></worksheet>";
}

std::string Strings() {
  const std::vector<std::string> texts = {"Name",
                                          "E-Mail",
                                          "Ort",
                                          "Nr.",
                                          "Anna Schmidt",
                                          "anna@example.com",
                                          "Berlin",
                                          "Bernd Über",
                                          "bernd@example.org",
                                          "Köln",
                                          "clara@example.com",
                                          "Dora Formel",
                                          "dora@example.com"};
  std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sst xmlns=\"" + kMain +
                    "\" count=\"15\" uniqueCount=\"13\">";
  for (const auto& text : texts) xml += "<si><t>" + text + "</t></si>";
  return xml + "</sst>";
}

std::string Relation(const std::string& id, const std::string& type, const std::string& target) {
  return "<Relationship Id=\"" + id + "\" Type=\"" + kRel + "/" + type + "\" Target=\"" + target +
         "\"/>";
}

// A workbook deflated by Poco::Zip (with folder entries, as some writers add).
std::string Workbook() {
  const std::map<std::string, std::string> parts = {
      {"[Content_Types].xml",
       "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"},
      {"_rels/.rels", "<Relationships xmlns=\"x\">" +
                          Relation("rId1", "officeDocument", "xl/workbook.xml") +
                          "</Relationships>"},
      {"xl/workbook.xml",
       "<workbook xmlns=\"" + kMain + "\" xmlns:r=\"" + kRel +
           "\"><sheets><sheet name=\"Teilnehmer\" sheetId=\"1\" r:id=\"rId1\"/>"
           "<sheet name=\"Notizen\" sheetId=\"2\" r:id=\"rId2\"/></sheets></workbook>"},
      {"xl/_rels/workbook.xml.rels",
       "<Relationships xmlns=\"x\">" + Relation("rId1", "worksheet", "worksheets/sheet1.xml") +
           Relation("rId2", "worksheet", "/xl/worksheets/sheet2.xml") +
           Relation("rId3", "sharedStrings", "sharedStrings.xml") + "</Relationships>"},
      {"xl/worksheets/sheet1.xml", Sheet1()},
      {"xl/worksheets/sheet2.xml", "<worksheet xmlns=\"" + kMain +
                                       "\"><sheetData><row r=\"1\"><c r=\"A1\" "
                                       "t=\"s\"><v>9</v></c></row></sheetData></worksheet>"},
      {"xl/sharedStrings.xml", Strings()}};
  std::ostringstream out;
  Poco::Zip::Compress compress(out, true);
  for (const auto& [name, content] : parts) {
    std::istringstream in(content);
    compress.addFile(in, Poco::DateTime(2025, 6, 30), Poco::Path(name, Poco::Path::PATH_UNIX));
  }
  compress.close();
  return out.str();
}

// Every file entry of a ZIP archive, read with Poco::Zip, CRCs checked.
std::map<std::string, std::string> ReadParts(const std::string& bytes) {
  std::map<std::string, std::string> parts;
  std::istringstream in(bytes);
  Poco::Zip::ZipArchive archive(in);
  for (auto header = archive.headerBegin(); header != archive.headerEnd(); ++header) {
    if (header->second.isDirectory()) continue;
    std::istringstream entry(bytes);
    Poco::Zip::ZipInputStream stream(entry, header->second, true);
    std::string content((std::istreambuf_iterator<char>(stream)), std::istreambuf_iterator<char>());
    CHECK_MESSAGE(stream.crcValid(), header->first);
    parts[header->first] = content;
  }
  return parts;
}

void ReplaceOnce(std::string* text, const std::string& from, const std::string& to) {
  const size_t at = text->find(from);
  REQUIRE(at != std::string::npos);
  text->replace(at, from.size(), to);
}

std::vector<std::string> Dropped(std::vector<std::string> rows, const std::string& prefix) {
  rows.erase(std::remove_if(rows.begin(), rows.end(),
                            [&](const std::string& row) { return row.rfind(prefix, 0) == 0; }),
             rows.end());
  return rows;
}

const char kRules[] = R"yaml(
files:
  - {glob: "events/*.xlsx", format: xlsx, sheet: Teilnehmer, identities: {email: E-Mail, name: Name}}
)yaml";

struct XlsxFixture {
  XlsxFixture() : original(Workbook()) { root.Write("events/messe.xlsx", original); }
  std::unique_ptr<Connector> connector() const { return Connect(FilesConfig(root.path(), kRules)); }
  std::string workbook() const { return root.Read("events/messe.xlsx"); }
  std::vector<std::string> Cells() const {
    return PythonRecords({"cells", root.File("events/messe.xlsx"), "Teilnehmer"});
  }
  TempRoot root;
  std::string original;
};

TEST_SUITE("Files connector: XLSX") {
  TEST_CASE("an erased row's cells and its own shared strings are gone, everything else stays") {
    XlsxFixture fixture;
    const std::vector<std::string> cells = fixture.Cells();
    const auto outcomes = MustErase(*fixture.connector(), {{"email", "BERND@example.org"}});
    CHECK(outcomes.at(0).collection == "events_messe_xlsx");
    CHECK(outcomes.at(0).kind == OutcomeKind::kErased);

    const auto before = ReadParts(fixture.original);
    const auto after = ReadParts(fixture.workbook());
    REQUIRE(after.size() == before.size());
    for (const auto& [name, content] : before) {
      if (name == "xl/worksheets/sheet1.xml" || name == "xl/sharedStrings.xml") continue;
      CHECK_MESSAGE(after.at(name) == content, name);
    }
    CHECK(after.at("xl/worksheets/sheet1.xml") == WithoutPart(Sheet1(), kRow3));
    std::string strings = Strings();
    ReplaceOnce(&strings, "<si><t>Bernd Über</t></si>", "<si><t></t></si>");
    ReplaceOnce(&strings, "<si><t>bernd@example.org</t></si>", "<si><t></t></si>");
    ReplaceOnce(&strings, "count=\"15\"", "count=\"12\"");
    CHECK(after.at("xl/sharedStrings.xml") == strings);  // "Köln" stays: the other sheet uses it
    CHECK(fixture.Cells() == Dropped(cells, "3\t"));
    CHECK(PythonRecords({"zipcheck", fixture.root.File("events/messe.xlsx")}) ==
          std::vector<std::string>{"ok"});
  }

  TEST_CASE("a shared string another row still uses is kept") {
    XlsxFixture fixture;
    const std::vector<std::string> cells = fixture.Cells();
    MustErase(*fixture.connector(), {{"name", "anna schmidt"}});
    const std::string strings = ReadParts(fixture.workbook()).at("xl/sharedStrings.xml");
    CHECK(strings.find("<si><t>Berlin</t></si>") != std::string::npos);
    CHECK(strings.find("Anna Schmidt") == std::string::npos);
    CHECK(strings.find("anna@example.com") == std::string::npos);
    CHECK(fixture.Cells() == Dropped(cells, "2\t"));
  }

  TEST_CASE("rectification writes an inline string with the cell's style and keeps other rows") {
    XlsxFixture fixture;
    const std::vector<std::string> cells = fixture.Cells();
    const auto outcomes = MustRectify(*fixture.connector(), {{"email", "clara@example.com"}},
                                      {{"email", "clara.clausen@example.com"}});
    CHECK(outcomes.at(0).kind == OutcomeKind::kUpdated);
    const std::string sheet = ReadParts(fixture.workbook()).at("xl/worksheets/sheet1.xml");
    CHECK(sheet.find(R"(<c r="B4" s="1" t="inlineStr"><is><t xml:space="preserve">)"
                     R"(clara.clausen@example.com</t></is></c>)") != std::string::npos);
    std::vector<std::string> expected = cells;
    for (auto& row : expected) {
      if (row.rfind("4\t", 0) == 0) {
        row = "4\tA=Clara Clausen;B=clara.clausen@example.com;C=Berlin;D=3";
      }
    }
    CHECK(fixture.Cells() == expected);
    const auto found = MustExport(*fixture.connector(), {{"email", "clara.clausen@example.com"}});
    REQUIRE(found.size() == 1);
    CHECK(found[0].record["row"] == 4);
  }

  TEST_CASE("parts that end in data descriptors are copied with them") {
    XlsxFixture fixture;
    fixture.root.Write("plain.zip", fixture.original);
    PythonRecords(
        {"repack", fixture.root.File("plain.zip"), fixture.root.File("events/messe.xlsx")});
    const std::string streamed = fixture.workbook();
    REQUIRE((static_cast<unsigned char>(streamed[6]) & 0x08) != 0);  // the first entry's flags
    const std::vector<std::string> cells = fixture.Cells();
    MustErase(*fixture.connector(), {{"email", "anna@example.com"}});
    CHECK(fixture.Cells() == Dropped(cells, "2\t"));
    CHECK(PythonRecords({"zipcheck", fixture.root.File("events/messe.xlsx")}) ==
          std::vector<std::string>{"ok"});
    const auto parts = ReadParts(fixture.workbook());
    CHECK(parts.at("xl/workbook.xml") == ReadParts(fixture.original).at("xl/workbook.xml"));
  }

  TEST_CASE("a row with a formula is not changed and is reported as not applicable") {
    XlsxFixture fixture;
    CollectingSink untouched;
    const auto outcomes =
        MustErase(*fixture.connector(), {{"email", "dora@example.com"}}, {}, &untouched);
    CHECK(outcomes.at(0).kind == OutcomeKind::kNotApplicable);
    CHECK(untouched.found().size() == 1);
    CHECK(fixture.workbook() == fixture.original);
  }

  TEST_CASE("a sheet that is not in the workbook is an error naming the key") {
    XlsxFixture fixture;
    auto connector = Connect(FilesConfig(fixture.root.path(), R"yaml(
files: [{glob: "events/*.xlsx", format: xlsx, sheet: Gäste, identities: {email: E-Mail}}]
)yaml"));
    auto report = connector->Locate({{"email", "anna@example.com"}});
    CHECK(report.status().code() == StatusCode::kValidation);
    CHECK(report.status().message() ==
          "connector.files[0].sheet: events/messe.xlsx has no worksheet named 'Gäste' (it has "
          "'Teilnehmer', 'Notizen')");
  }
}

}  // namespace
}  // namespace dsr::connectors::testing
