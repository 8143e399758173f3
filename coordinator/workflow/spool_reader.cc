#include "coordinator/workflow/spool_reader.h"

#include <fstream>

#include "common/data_protection.h"

namespace dsr::workflow {
namespace {

Result<SpooledRecord> ParseEnvelope(const std::string& text, int64_t line,
                                    const std::string& path) {
  const auto envelope = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!envelope.is_object() || !envelope.contains("record") || !envelope["record"].is_object()) {
    return Internal("spool " + path + " line " + std::to_string(line + 1) + " is malformed");
  }
  SpooledRecord record;
  record.line = line;
  if (envelope.contains("key") && envelope["key"].is_string())
    record.key = envelope["key"].get<std::string>();
  record.ambiguous = envelope.value("match", "confirmed") == "ambiguous";
  record.ambiguity = envelope.value("ambiguity", "");
  record.record = envelope["record"];
  if (envelope.contains("attributes") && envelope["attributes"].is_object()) {
    for (const auto& [name, value] : envelope["attributes"].items()) {
      if (value.is_string()) record.attributes[name] = value.get<std::string>();
    }
  }
  return record;
}

}  // namespace

Status ReadSpool(const std::string& path, const DataKeyring* keys, int64_t offset, int64_t limit,
                 const std::function<bool(const SpooledRecord&)>& visit) {
  auto opened = OpenInputFile(path, keys);
  if (!opened.ok()) return Internal("cannot open spool " + path + ": " + opened.status().message());
  std::istream& in = **opened;
  std::string text;
  for (int64_t line = 0; line < offset + limit && std::getline(in, text); ++line) {
    if (line < offset) continue;
    auto record = ParseEnvelope(text, line, path);
    if (!record.ok()) return record.status();
    if (!visit(*record)) break;
  }
  if (in.bad()) return Internal("read error in spool " + path);
  return Status::Ok();
}

Result<SpooledRecord> ReadSpoolLine(const std::string& path, const DataKeyring* keys,
                                    int64_t line) {
  std::optional<SpooledRecord> found;
  DSR_RETURN_IF_ERROR(ReadSpool(path, keys, line, 1, [&](const SpooledRecord& record) {
    found = record;
    return false;
  }));
  if (!found) return NotFound("no record on line " + std::to_string(line));
  return *found;
}

}  // namespace dsr::workflow
