// XLSX workbooks as FileDocuments: the rows of one worksheet below its
// header row. Edits change the worksheet's XML in place (xml_scan.h) and the
// package is rewritten entry by entry (zip_package.h), so every other part
// keeps its bytes and every other row its cells.
//
// Erasure removes the row's <row> element; the rows below keep their
// numbers (no shifting, which would have to rewrite every reference,
// formula, table and merged range), so the row is left empty. Shared strings
// that only the erased cells used are blanked in place (indexes of other
// cells stay valid) so that no copy of the person remains in the package.
// Rectification writes a corrected cell as an inline string with the cell's
// own style. Rows with formulas, hyperlinks, merged cells or comments, and
// workbooks with pivot caches (copies of rows), are not changed
// (kNotImplemented). Every edit is checked before it is returned: the parts
// parse as XML (Poco) and the package opens in Poco::Zip.
#include <algorithm>

#include "connectors/files/corrections.h"
#include "connectors/files/document_formats.h"
#include "connectors/files/table_records.h"
#include "connectors/files/xlsx_parts.h"

namespace dsr::connectors::files {
namespace {

// An edit of the worksheet's text: [begin, end) becomes `text`.
struct Splice {
  size_t begin, end;
  std::string text;
};

std::string Applied(const std::string& xml, std::vector<Splice> splices) {
  std::sort(splices.begin(), splices.end(),
            [](const Splice& a, const Splice& b) { return a.begin > b.begin; });
  std::string out = xml;
  for (const auto& splice : splices)
    out.replace(splice.begin, splice.end - splice.begin, splice.text);
  return out;
}

bool Overlaps(const std::vector<std::pair<int, int>>& ranges, int row) {
  return std::any_of(ranges.begin(), ranges.end(), [row](const auto& range) {
    return range.first <= row && row <= range.second;
  });
}

class XlsxDocument final : public FileDocument {
 public:
  XlsxDocument(const FileRule& rule, std::string content)
      : rule_(rule), content_(std::move(content)) {
    modes_ = rule_.identities;
  }

  Status Load(const std::string& relative, int64_t max_part_bytes) {
    auto package = ZipPackage::Open(content_, max_part_bytes);
    if (!package.ok()) return package.status().WithContext(relative);
    package_.emplace(std::move(package.value()));
    auto parts = FindWorkbookParts(*package_, rule_.sheet);
    if (!parts.ok() && parts.status().code() == StatusCode::kValidation) {
      return ValidationError(rule_.config_path + ".sheet: " + relative + " " +
                             parts.status().message());
    }
    if (!parts.ok()) return parts.status().WithContext(relative);
    parts_ = std::move(parts.value());
    if (!parts_.shared_strings.empty()) {
      auto xml = package_->Read(parts_.shared_strings);
      if (!xml.ok()) return xml.status().WithContext(relative);
      strings_xml_ = std::move(xml.value());
      auto strings = ParseSharedStrings(strings_xml_);
      if (!strings.ok()) return strings.status().WithContext(relative);
      strings_ = std::move(strings.value());
    }
    auto sheet_xml = package_->Read(parts_.sheet);
    if (!sheet_xml.ok()) return sheet_xml.status().WithContext(relative);
    sheet_xml_ = std::move(sheet_xml.value());
    auto sheet = ParseSheet(sheet_xml_, strings_);
    if (!sheet.ok()) return sheet.status().WithContext(relative);
    sheet_ = std::move(sheet.value());
    return Status::Ok();
  }

  Status ReadRecords(const std::string& relative) {
    std::map<int, std::string> header;  // column number → cell text
    for (const auto& row : sheet_.rows) {
      if (row.number != rule_.header_row) continue;
      for (const auto& cell : row.cells) header[cell.column] = cell.text;
    }
    std::vector<std::string> texts;
    for (const auto& [column, text] : header) texts.push_back(text);
    const std::vector<std::string> names = ColumnNames(texts);
    DSR_RETURN_IF_ERROR(CheckMappedColumns(rule_, names, relative));
    std::map<int, size_t> slots;  // column number → index into names
    for (const auto& [column, text] : header) {
      const size_t slot = slots.size();
      slots[column] = slot;
      columns_[names[slot]] = column;
    }
    for (size_t r = 0; r < sheet_.rows.size(); ++r) {
      const XlsxRow& row = sheet_.rows[r];
      if (row.number <= rule_.header_row) continue;
      std::vector<std::string> columns = names;
      std::vector<std::string> values(names.size());
      std::string identity;  // the row's values: its fingerprint survives edits of other rows
      for (const auto& cell : row.cells) {
        identity += ColumnLetters(cell.column) + "=" + cell.text + "\n";
        if (const auto slot = slots.find(cell.column); slot != slots.end()) {
          values[slot->second] = cell.text;
        } else if (!cell.text.empty()) {  // a cell without a header still belongs to the row
          columns.push_back(ColumnLetters(cell.column));
          values.push_back(cell.text);
        }
      }
      if (IsBlankRow(values)) continue;
      records_.push_back(TableRecord(rule_, row.number, Fingerprint(identity), columns, values));
      rows_.push_back(r);
    }
    return Status::Ok();
  }

  Result<std::string> Without(const std::set<size_t>& indexes) const override {
    DSR_RETURN_IF_ERROR(CheckEditable(indexes));
    std::vector<Splice> splices;
    std::vector<int> released;
    for (const size_t index : indexes) {
      const XlsxRow& row = sheet_.rows[rows_.at(index)];
      for (const auto& cell : row.cells) {
        if (cell.formula) return NotImplemented("a row to erase holds a formula");
        if (cell.shared >= 0) released.push_back(cell.shared);
      }
      splices.push_back({row.begin, row.end, ""});
    }
    return Commit(Applied(sheet_xml_, splices), released);
  }

  Result<std::string> Rectified(const std::set<size_t>& indexes, const Corrections& corrections,
                                const Subject& /*subject*/,
                                std::set<size_t>* changed) const override {
    DSR_RETURN_IF_ERROR(CheckEditable(indexes));
    auto values = ReadCorrections(corrections);
    if (!values.ok()) return values.status();
    std::map<int, std::string> by_column;  // column number → new value
    for (const auto& [name, value] : ColumnCorrections(rule_, *values)) {
      by_column[columns_.at(name)] = value;
    }
    std::vector<Splice> splices;
    std::vector<int> released;
    for (const size_t index : indexes) {
      const XlsxRow& row = sheet_.rows[rows_.at(index)];
      const size_t before = splices.size();
      DSR_RETURN_IF_ERROR(RectifyRow(row, by_column, &splices, &released));
      if (splices.size() > before) changed->insert(index);
    }
    if (splices.empty()) return content_;
    return Commit(Applied(sheet_xml_, splices), released);
  }

 private:
  Status CheckEditable(const std::set<size_t>& indexes) const {
    for (const auto& name : package_->Names()) {
      if (name.rfind("xl/pivotCache/", 0) == 0) {
        return NotImplemented("the workbook holds pivot caches, which keep copies of rows");
      }
    }
    std::vector<std::pair<int, int>> attached = ReferencedRows(sheet_xml_, "hyperlink");
    for (const auto& range : ReferencedRows(sheet_xml_, "mergeCell")) attached.push_back(range);
    for (const auto& part : parts_.comments) {
      auto xml = package_->Read(part);
      if (!xml.ok()) return xml.status();
      for (const auto& range : ReferencedRows(*xml, "comment")) attached.push_back(range);
      for (const auto& range : ReferencedRows(*xml, "threadedComment")) attached.push_back(range);
    }
    for (const size_t index : indexes) {
      if (Overlaps(attached, sheet_.rows[rows_.at(index)].number)) {
        return NotImplemented("a row to change has hyperlinks, merged cells or comments");
      }
    }
    return Status::Ok();
  }

  std::string InlineCell(int column, int row, const std::string& style,
                         const std::string& value) const {
    const std::string p = sheet_.prefix.empty() ? "" : sheet_.prefix + ":";
    std::string cell = "<" + p + "c r=\"" + ColumnLetters(column) + std::to_string(row) + "\"";
    if (!style.empty()) cell += " s=\"" + XmlEscape(style) + "\"";
    return cell + " t=\"inlineStr\"><" + p + "is><" + p + "t xml:space=\"preserve\">" +
           XmlEscape(value) + "</" + p + "t></" + p + "is></" + p + "c>";
  }

  Status RectifyRow(const XlsxRow& row, const std::map<int, std::string>& by_column,
                    std::vector<Splice>* splices, std::vector<int>* released) const {
    for (const auto& [column, value] : by_column) {
      const auto cell =
          std::find_if(row.cells.begin(), row.cells.end(),
                       [column = column](const XlsxCell& c) { return c.column == column; });
      if (cell != row.cells.end() && cell->text == value) continue;
      if (cell != row.cells.end()) {
        if (cell->formula) return NotImplemented("a cell to correct holds a formula");
        if (cell->shared >= 0) released->push_back(cell->shared);
        splices->push_back(
            {cell->begin, cell->end, InlineCell(column, row.number, cell->style, value)});
        continue;
      }
      const auto after =
          std::find_if(row.cells.begin(), row.cells.end(),
                       [column = column](const XlsxCell& c) { return c.column > column; });
      const size_t at = after == row.cells.end() ? row.inner_end : after->begin;
      splices->push_back({at, at, InlineCell(column, row.number, "", value)});
    }
    return Status::Ok();
  }

  // The package with the edited worksheet, and shared strings that no cell
  // uses any more blanked.
  Result<std::string> Commit(const std::string& sheet, const std::vector<int>& released) const {
    std::map<std::string, std::string> replaced = {{parts_.sheet, sheet}};
    if (!released.empty() && !parts_.shared_strings.empty()) {
      auto strings = StringsWithout(sheet, released);
      if (!strings.ok()) return strings.status();
      if (*strings != strings_xml_) replaced[parts_.shared_strings] = std::move(strings.value());
    }
    for (const auto& [part, xml] : replaced) DSR_RETURN_IF_ERROR(CheckXmlWithPoco(xml, part));
    auto bytes = package_->Rewrite(replaced);
    if (!bytes.ok()) return bytes.status();
    DSR_RETURN_IF_ERROR(CheckZipWithPoco(*bytes));
    return bytes;
  }

  Result<std::string> StringsWithout(const std::string& sheet,
                                     const std::vector<int>& released) const {
    std::map<int, int> uses;
    for (const int index : SharedStringUses(sheet)) ++uses[index];
    for (const auto& other : parts_.all_sheets) {
      if (other == parts_.sheet) continue;
      auto xml = package_->Read(other);
      if (!xml.ok()) return xml.status();
      for (const int index : SharedStringUses(*xml)) ++uses[index];
    }
    const std::string p =
        strings_.table.prefix.empty() ? "" : std::string(strings_.table.prefix) + ":";
    std::vector<Splice> splices;
    for (const int index : std::set<int>(released.begin(), released.end())) {
      if (uses.count(index) != 0 || static_cast<size_t>(index) >= strings_.spans.size()) continue;
      const auto& span = strings_.spans[static_cast<size_t>(index)];
      splices.push_back(
          {span.first, span.second, "<" + p + "si><" + p + "t></" + p + "t></" + p + "si>"});
    }
    if (const auto count = CountValue(); count) {
      int total = 0;
      for (const auto& [index, n] : uses) total += n;
      splices.push_back({count->first, count->second, std::to_string(total)});
    }
    return Applied(strings_xml_, splices);
  }

  // Where the value of <sst count="..."> is, so that it can be kept true.
  std::optional<std::pair<size_t, size_t>> CountValue() const {
    const std::string_view tag(strings_xml_.data() + strings_.table.begin,
                               strings_.table.end - strings_.table.begin);
    for (size_t at = tag.find("count"); at != std::string_view::npos;
         at = tag.find("count", at + 1)) {
      const bool separate =
          at > 0 && (tag[at - 1] == ' ' || tag[at - 1] == '\t' || tag[at - 1] == '\n');
      const size_t quote = tag.find_first_of("\"'", at);
      if (!separate || quote == std::string_view::npos ||
          tag.substr(at + 5, quote - at - 5).find_first_not_of(" =") != std::string_view::npos) {
        continue;
      }
      const size_t end = tag.find(tag[quote], quote + 1);
      if (end == std::string_view::npos) return std::nullopt;
      return std::make_pair(strings_.table.begin + quote + 1, strings_.table.begin + end);
    }
    return std::nullopt;
  }

  const FileRule rule_;
  std::string content_;
  std::optional<ZipPackage> package_;  // views content_
  WorkbookParts parts_;
  std::string strings_xml_;
  SharedStrings strings_;
  std::string sheet_xml_;
  XlsxSheet sheet_;
  std::map<std::string, int> columns_;  // header name → column number
  std::vector<size_t> rows_;            // record index → index into sheet_.rows
};

}  // namespace

Result<std::unique_ptr<FileDocument>> ParseXlsxDocument(const FileRule& rule,
                                                        FileSnapshot* snapshot,
                                                        int64_t max_part_bytes) {
  auto document = std::make_unique<XlsxDocument>(rule, std::move(snapshot->content));
  DSR_RETURN_IF_ERROR(document->Load(snapshot->relative, max_part_bytes));
  DSR_RETURN_IF_ERROR(document->ReadRecords(snapshot->relative));
  return std::unique_ptr<FileDocument>(std::move(document));
}

}  // namespace dsr::connectors::files
