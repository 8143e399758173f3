#include "connectors/files/xlsx_parts.h"

#include <cstdlib>
#include <map>

namespace dsr::connectors::files {
namespace {

constexpr size_t kNone = std::string_view::npos;

struct Relationship {
  std::string type;    // the last part of its Type URI: "worksheet", "sharedStrings" ...
  std::string target;  // resolved part name
};

std::string Folder(const std::string& part) {
  const size_t slash = part.rfind('/');
  return slash == std::string::npos ? "" : part.substr(0, slash + 1);
}

// `target` relative to `folder` (or absolute, starting with '/'), with ".." resolved.
std::string ResolvePart(const std::string& folder, const std::string& target) {
  const std::string joined = target.front() == '/' ? target.substr(1) : folder + target;
  std::vector<std::string> parts;
  size_t begin = 0;
  while (begin <= joined.size()) {
    size_t end = joined.find('/', begin);
    if (end == std::string::npos) end = joined.size();
    const std::string part = joined.substr(begin, end - begin);
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    begin = end + 1;
  }
  std::string resolved;
  for (const auto& part : parts) resolved += (resolved.empty() ? "" : "/") + part;
  return resolved;
}

// Id → relationship of the part `part` (empty when it has none).
Result<std::map<std::string, Relationship>> ReadRelationships(const ZipPackage& package,
                                                              const std::string& part) {
  const std::string name = Folder(part) + "_rels/" + part.substr(Folder(part).size()) + ".rels";
  std::map<std::string, Relationship> relationships;
  if (!package.Has(name)) return relationships;
  auto xml = package.Read(name);
  if (!xml.ok()) return xml.status();
  XmlScanner scanner(*xml);
  XmlTag tag;
  while (scanner.Next(&tag)) {
    if (tag.closing || tag.name != "Relationship") continue;
    const auto id = XmlAttribute(tag.attributes, "Id");
    const auto type = XmlAttribute(tag.attributes, "Type");
    const auto target = XmlAttribute(tag.attributes, "Target");
    if (!id || !type || !target || target->empty()) continue;
    if (XmlAttribute(tag.attributes, "TargetMode") == std::optional<std::string>("External"))
      continue;
    relationships[*id] = {type->substr(type->rfind('/') + 1), ResolvePart(Folder(part), *target)};
  }
  return relationships;
}

std::optional<std::pair<int, int>> RowRange(const std::string& reference) {
  const size_t colon = reference.find(':');
  const auto first = ParseCellReference(reference.substr(0, colon));
  const auto last =
      colon == std::string::npos ? first : ParseCellReference(reference.substr(colon + 1));
  if (!first || !last) return std::nullopt;
  return std::make_pair(first->second, last->second);
}

int ParseIndex(const std::string& text) {
  char* end = nullptr;
  const long value = std::strtol(text.c_str(), &end, 10);
  return end != text.c_str() && *end == '\0' && value >= 0 && value < (1L << 30)
             ? static_cast<int>(value)
             : -1;
}

XlsxCell ReadCell(std::string_view xml, const XmlTag& tag, int previous_column,
                  const SharedStrings& strings) {
  XlsxCell cell;
  cell.begin = tag.begin;
  cell.end = ElementEnd(xml, tag);
  const auto reference = ParseCellReference(XmlAttribute(tag.attributes, "r").value_or(""));
  cell.column = reference ? reference->first : previous_column + 1;
  cell.type = XmlAttribute(tag.attributes, "t").value_or("");
  cell.style = XmlAttribute(tag.attributes, "s").value_or("");
  if (cell.end == kNone || tag.self_closing) return cell;
  const std::string_view inner = xml.substr(tag.end, cell.end - tag.end);
  XmlScanner scanner(inner);
  XmlTag child;
  while (scanner.Next(&child)) {
    if (child.closing) continue;
    if (child.name == "f") cell.formula = true;
    if (child.name == "is")
      cell.text = RunText(inner.substr(child.begin, ElementEnd(inner, child) - child.begin));
    if (child.name != "v" || child.self_closing) continue;
    const size_t close = inner.find('<', child.end);
    const std::string value = XmlUnescape(inner.substr(child.end, close - child.end));
    if (cell.type != "s") {
      cell.text = value;
      continue;
    }
    cell.shared = ParseIndex(value);
    if (cell.shared >= 0 && static_cast<size_t>(cell.shared) < strings.texts.size()) {
      cell.text = strings.texts[static_cast<size_t>(cell.shared)];
    }
  }
  return cell;
}

Result<XlsxRow> ReadRow(std::string_view xml, const XmlTag& tag, int previous_row,
                        const SharedStrings& strings) {
  XlsxRow row;
  row.begin = tag.begin;
  row.end = ElementEnd(xml, tag);
  if (row.end == kNone) return InvalidArgument("not a valid workbook: a row never ends");
  row.inner_end = tag.self_closing ? row.end : xml.rfind('<', row.end - 1);
  const int number = ParseIndex(XmlAttribute(tag.attributes, "r").value_or(""));
  row.number = number > 0 ? number : previous_row + 1;
  XmlScanner scanner(xml, tag.end);
  XmlTag child;
  while (scanner.position() < row.inner_end && scanner.Next(&child)) {
    if (child.closing || child.name != "c" || child.begin >= row.inner_end) continue;
    row.cells.push_back(
        ReadCell(xml, child, row.cells.empty() ? 0 : row.cells.back().column, strings));
    if (row.cells.back().end == kNone)
      return InvalidArgument("not a valid workbook: a cell never ends");
    scanner = XmlScanner(xml, row.cells.back().end);
  }
  return row;
}

}  // namespace

Result<WorkbookParts> FindWorkbookParts(const ZipPackage& package, const std::string& sheet_name) {
  auto package_relations = ReadRelationships(package, "");
  if (!package_relations.ok()) return package_relations.status();
  std::string workbook = "xl/workbook.xml";
  for (const auto& [id, relation] : *package_relations) {
    if (relation.type == "officeDocument") workbook = relation.target;
  }
  auto xml = package.Read(workbook);
  if (!xml.ok()) return xml.status();
  auto relations = ReadRelationships(package, workbook);
  if (!relations.ok()) return relations.status();
  WorkbookParts parts;
  std::string names;
  XmlScanner scanner(*xml);
  XmlTag tag;
  while (scanner.Next(&tag)) {
    if (tag.closing || tag.name != "sheet") continue;
    const std::string name = XmlAttribute(tag.attributes, "name").value_or("");
    const auto relation = relations->find(XmlAttribute(tag.attributes, "id").value_or(""));
    if (relation == relations->end() || relation->second.type != "worksheet") continue;
    parts.all_sheets.push_back(relation->second.target);
    parts.sheet_names.push_back(name);
    names += (names.empty() ? "'" : ", '") + name + "'";
    if (parts.sheet.empty() && (sheet_name.empty() || sheet_name == name)) {
      parts.sheet = relation->second.target;
    }
  }
  if (parts.sheet.empty()) {
    return ValidationError("has no worksheet named '" + sheet_name + "' (it has " +
                           (names.empty() ? "none" : names) + ")");
  }
  for (const auto& [id, relation] : *relations) {
    if (relation.type == "sharedStrings") parts.shared_strings = relation.target;
  }
  auto sheet_relations = ReadRelationships(package, parts.sheet);
  if (!sheet_relations.ok()) return sheet_relations.status();
  for (const auto& [id, relation] : *sheet_relations) {
    if (relation.type == "comments" || relation.type == "threadedComment") {
      parts.comments.push_back(relation.target);
    }
  }
  return parts;
}

Result<SharedStrings> ParseSharedStrings(std::string_view xml) {
  SharedStrings strings;
  XmlScanner scanner(xml);
  XmlTag tag;
  while (scanner.Next(&tag)) {
    if (tag.closing) continue;
    if (tag.name == "sst") strings.table = tag;
    if (tag.name != "si") continue;
    const size_t end = ElementEnd(xml, tag);
    if (end == kNone) return InvalidArgument("not a valid workbook: a shared string never ends");
    strings.texts.push_back(RunText(xml.substr(tag.begin, end - tag.begin)));
    strings.spans.emplace_back(tag.begin, end);
    scanner = XmlScanner(xml, end);
  }
  return strings;
}

Result<XlsxSheet> ParseSheet(std::string_view xml, const SharedStrings& strings) {
  XlsxSheet sheet;
  XmlScanner scanner(xml);
  XmlTag tag;
  bool root = true;
  while (scanner.Next(&tag)) {
    if (tag.closing) continue;
    if (root) sheet.prefix = std::string(tag.prefix);
    root = false;
    if (tag.name != "row") continue;
    auto row = ReadRow(xml, tag, sheet.rows.empty() ? 0 : sheet.rows.back().number, strings);
    if (!row.ok()) return row.status();
    sheet.rows.push_back(std::move(row.value()));
    scanner = XmlScanner(xml, sheet.rows.back().end);
  }
  return sheet;
}

std::vector<int> SharedStringUses(std::string_view sheet_xml) {
  std::vector<int> uses;
  auto sheet = ParseSheet(sheet_xml, SharedStrings{});
  if (!sheet.ok()) return uses;
  for (const auto& row : sheet->rows) {
    for (const auto& cell : row.cells) {
      if (cell.shared >= 0) uses.push_back(cell.shared);
    }
  }
  return uses;
}

std::vector<std::pair<int, int>> ReferencedRows(std::string_view xml, std::string_view element) {
  std::vector<std::pair<int, int>> rows;
  XmlScanner scanner(xml);
  XmlTag tag;
  while (scanner.Next(&tag)) {
    if (tag.closing || tag.name != element) continue;
    const auto range = RowRange(XmlAttribute(tag.attributes, "ref").value_or(""));
    if (range) rows.push_back(*range);
  }
  return rows;
}

std::optional<std::pair<int, int>> ParseCellReference(std::string_view reference) {
  size_t i = 0;
  int column = 0;
  while (i < reference.size() && i < 3 && reference[i] >= 'A' && reference[i] <= 'Z') {
    column = column * 26 + (reference[i++] - 'A' + 1);
  }
  if (column == 0 || i == reference.size()) return std::nullopt;
  const int row = ParseIndex(std::string(reference.substr(i)));
  if (row <= 0) return std::nullopt;
  return std::make_pair(column, row);
}

std::string ColumnLetters(int column) {
  std::string letters;
  for (; column > 0; column = (column - 1) / 26) {
    letters.insert(letters.begin(), static_cast<char>('A' + (column - 1) % 26));
  }
  return letters;
}

}  // namespace dsr::connectors::files
