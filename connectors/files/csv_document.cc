// CSV files as FileDocuments. Erasure cuts a row's bytes, line ending
// included, out of the text; rectification rebuilds only the changed row
// from its raw fields, so every other byte (BOM, delimiter, quoting, line
// endings, encoding) stays as it was.
#include "connectors/files/corrections.h"
#include "connectors/files/csv_table.h"
#include "connectors/files/document_formats.h"
#include "connectors/files/table_records.h"

namespace dsr::connectors::files {
namespace {

std::vector<std::string> Values(const CsvRecord& record) {
  std::vector<std::string> values;
  for (const auto& field : record.fields) values.push_back(field.value);
  return values;
}

bool IsBlankLine(const CsvRecord& record) {
  return record.fields.size() == 1 && record.fields[0].begin == record.fields[0].end;
}

class CsvDocument final : public FileDocument {
 public:
  CsvDocument(const FileRule& rule, std::string content, CsvTable table)
      : rule_(rule), content_(std::move(content)), table_(std::move(table)) {}

  Status Load(const std::string& relative) {
    const size_t header = static_cast<size_t>(rule_.header_row) - 1;
    if (header >= table_.records.size()) return Status::Ok();  // no header yet, so no rows
    columns_ = ColumnNames(Values(table_.records[header]));
    DSR_RETURN_IF_ERROR(CheckMappedColumns(rule_, columns_, relative));
    modes_ = rule_.identities;
    for (size_t i = header + 1; i < table_.records.size(); ++i) {
      const CsvRecord& row = table_.records[i];
      const std::vector<std::string> values = Values(row);
      if (IsBlankLine(row) || IsBlankRow(values)) continue;
      const std::string_view raw(content_.data() + row.begin, row.end - row.begin);
      records_.push_back(
          TableRecord(rule_, static_cast<int>(i + 1), Fingerprint(raw), columns_, values));
      rows_.push_back(i);
    }
    return Status::Ok();
  }

  Result<std::string> Without(const std::set<size_t>& indexes) const override {
    std::string out;
    out.reserve(content_.size());
    size_t copied = 0;
    for (const size_t index : indexes) {
      const CsvRecord& row = table_.records[rows_.at(index)];
      out.append(content_, copied, row.begin - copied);
      copied = row.next;
    }
    out.append(content_, copied, std::string::npos);
    return out;
  }

  Result<std::string> Rectified(const std::set<size_t>& indexes, const Corrections& corrections,
                                const Subject& /*subject*/,
                                std::set<size_t>* changed) const override {
    auto values = ReadCorrections(corrections);
    if (!values.ok()) return values.status();
    const std::map<std::string, std::string> by_column = ColumnCorrections(rule_, *values);
    std::string out;
    size_t copied = 0;
    for (const size_t index : indexes) {
      const CsvRecord& row = table_.records[rows_.at(index)];
      const std::string rebuilt = Rebuilt(row, by_column);
      if (rebuilt == std::string_view(content_).substr(row.begin, row.end - row.begin)) continue;
      out.append(content_, copied, row.begin - copied);
      out += rebuilt;
      copied = row.end;  // the row keeps its own line ending
      changed->insert(index);
    }
    out.append(content_, copied, std::string::npos);
    return out;
  }

 private:
  // The row's raw fields, with the corrected ones written anew (quoted if they
  // were, or if they must be); a short row is padded to reach a column.
  std::string Rebuilt(const CsvRecord& row,
                      const std::map<std::string, std::string>& by_column) const {
    std::vector<std::string> fields;
    for (const auto& field : row.fields) {
      fields.push_back(content_.substr(field.begin, field.end - field.begin));
    }
    for (size_t column = 0; column < columns_.size(); ++column) {
      const auto correction = by_column.find(columns_[column]);
      if (correction == by_column.end()) continue;
      if (column < row.fields.size() && row.fields[column].value == correction->second) continue;
      if (fields.size() <= column) fields.resize(column + 1);
      const bool quoted = column < row.fields.size() && row.fields[column].quoted;
      fields[column] = CsvFieldText(correction->second, table_.delimiter, quoted);
    }
    std::string text;
    for (size_t i = 0; i < fields.size(); ++i) {
      if (i > 0) text.push_back(table_.delimiter);
      text += fields[i];
    }
    return text;
  }

  const FileRule rule_;
  std::string content_;
  CsvTable table_;
  std::vector<std::string> columns_;
  std::vector<size_t> rows_;  // record index → index into table_.records
};

}  // namespace

Result<std::unique_ptr<FileDocument>> ParseCsvDocument(const FileRule& rule, FileSnapshot* snapshot,
                                                       int64_t max_line_bytes) {
  auto table = ParseCsv(snapshot->content, rule.delimiter, max_line_bytes, snapshot->relative);
  if (!table.ok()) return table.status();
  auto document =
      std::make_unique<CsvDocument>(rule, std::move(snapshot->content), std::move(table.value()));
  DSR_RETURN_IF_ERROR(document->Load(snapshot->relative));
  return std::unique_ptr<FileDocument>(std::move(document));
}

}  // namespace dsr::connectors::files
