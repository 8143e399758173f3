#include "connectors/files/zip_package.h"

#include <Poco/Checksum.h>
#include <Poco/DeflatingStream.h>
#include <Poco/Exception.h>
#include <Poco/InflatingStream.h>
#include <Poco/Zip/ZipArchive.h>
#include <Poco/Zip/ZipStream.h>

#include <algorithm>
#include <sstream>

namespace dsr::connectors::files {
namespace {

constexpr uint32_t kLocalSignature = 0x04034b50;
constexpr uint32_t kCentralSignature = 0x02014b50;
constexpr uint32_t kEndSignature = 0x06054b50;
constexpr uint32_t kZip64LocatorSignature = 0x07064b50;
constexpr uint32_t kDescriptorSignature = 0x08074b50;
constexpr size_t kLocalHeader = 30;
constexpr size_t kCentralHeader = 46;
constexpr size_t kEndRecord = 22;
constexpr uint16_t kDescriptorFlag = 0x0008;
constexpr uint16_t kDeflate = 8;
constexpr int kRawDeflateWindow = -15;  // negative: no zlib header, as ZIP stores it

uint16_t U16(std::string_view bytes, size_t at) {
  return static_cast<uint16_t>(static_cast<unsigned char>(bytes[at]) |
                               static_cast<unsigned char>(bytes[at + 1]) << 8);
}

uint32_t U32(std::string_view bytes, size_t at) {
  return static_cast<uint32_t>(U16(bytes, at)) | static_cast<uint32_t>(U16(bytes, at + 2)) << 16;
}

void Put16(std::string* out, size_t at, uint16_t value) {
  (*out)[at] = static_cast<char>(value & 0xff);
  (*out)[at + 1] = static_cast<char>(value >> 8);
}

void Put32(std::string* out, size_t at, uint32_t value) {
  Put16(out, at, static_cast<uint16_t>(value & 0xffff));
  Put16(out, at + 2, static_cast<uint16_t>(value >> 16));
}

uint32_t Crc32(std::string_view data) {
  Poco::Checksum crc(Poco::Checksum::TYPE_CRC32);
  crc.update(data.data(), static_cast<unsigned>(data.size()));
  return crc.checksum();
}

std::string Deflate(const std::string& content) {
  std::ostringstream out;
  Poco::DeflatingOutputStream deflater(out, kRawDeflateWindow, 6);
  deflater.write(content.data(), static_cast<std::streamsize>(content.size()));
  deflater.close();
  return out.str();
}

Status Malformed(const std::string& what) {
  return InvalidArgument("not a valid workbook: " + what);
}

}  // namespace

Result<ZipPackage> ZipPackage::Open(std::string_view bytes, int64_t max_entry_bytes) {
  ZipPackage package(bytes);
  DSR_RETURN_IF_ERROR(package.ParseDirectory(max_entry_bytes));
  return package;
}

Status ZipPackage::ParseDirectory(int64_t max_entry_bytes) {
  if (bytes_.size() < kEndRecord) return Malformed("too short for a ZIP archive");
  const size_t lowest = bytes_.size() > kEndRecord + 65535 ? bytes_.size() - kEndRecord - 65535 : 0;
  size_t end = bytes_.size() - kEndRecord + 1;
  do {
    --end;
  } while (end > lowest && U32(bytes_, end) != kEndSignature);
  if (U32(bytes_, end) != kEndSignature) return Malformed("no end of central directory");
  end_record_ = end;
  if (end >= 20 && U32(bytes_, end - 20) == kZip64LocatorSignature) {
    return NotImplemented("ZIP64 workbooks are not rewritten");
  }
  if (U16(bytes_, end + 4) != 0 || U16(bytes_, end + 6) != 0) {
    return NotImplemented("multi-part ZIP archives are not rewritten");
  }
  const uint16_t count = U16(bytes_, end + 10);
  directory_ = U32(bytes_, end + 16);
  if (directory_ > end) return Malformed("central directory out of bounds");
  size_t at = directory_;
  for (uint16_t i = 0; i < count; ++i) DSR_RETURN_IF_ERROR(ParseEntry(&at, max_entry_bytes));
  return Status::Ok();
}

Status ZipPackage::ParseEntry(size_t* at, int64_t max_entry_bytes) {
  if (*at + kCentralHeader > end_record_ || U32(bytes_, *at) != kCentralSignature) {
    return Malformed("broken central directory");
  }
  Entry entry;
  entry.central = *at;
  const uint16_t flags = U16(bytes_, *at + 8);
  entry.method = U16(bytes_, *at + 10);
  entry.crc = U32(bytes_, *at + 16);
  entry.compressed = U32(bytes_, *at + 20);
  entry.uncompressed = U32(bytes_, *at + 24);
  const size_t name_length = U16(bytes_, *at + 28);
  entry.central_size = kCentralHeader + name_length + U16(bytes_, *at + 30) + U16(bytes_, *at + 32);
  entry.local = U32(bytes_, *at + 42);
  if (*at + entry.central_size > end_record_) return Malformed("broken central directory");
  entry.name = std::string(bytes_.substr(*at + kCentralHeader, name_length));
  *at += entry.central_size;
  if ((flags & 0x0001) != 0) return NotImplemented("encrypted workbooks are not rewritten");
  if (entry.method != 0 && entry.method != kDeflate) {
    return NotImplemented("workbook parts compressed with method " + std::to_string(entry.method) +
                          " are not rewritten");
  }
  if (entry.compressed == 0xffffffff || entry.uncompressed == 0xffffffff ||
      entry.local == 0xffffffff) {
    return NotImplemented("ZIP64 workbooks are not rewritten");
  }
  if (entry.uncompressed > max_entry_bytes) return TooLarge("a workbook part is too large");
  if (entry.local + kLocalHeader > directory_ || U32(bytes_, entry.local) != kLocalSignature) {
    return Malformed("broken local header");
  }
  entry.data =
      entry.local + kLocalHeader + U16(bytes_, entry.local + 26) + U16(bytes_, entry.local + 28);
  entry.local_end = entry.data + entry.compressed;
  if ((U16(bytes_, entry.local + 6) & kDescriptorFlag) != 0) {
    const bool signed_descriptor =
        entry.local_end + 4 <= directory_ && U32(bytes_, entry.local_end) == kDescriptorSignature;
    entry.local_end += signed_descriptor ? 16 : 12;
  }
  if (entry.local_end > directory_) return Malformed("entry data out of bounds");
  if (!index_.emplace(entry.name, entries_.size()).second) return Malformed("duplicate entry");
  entries_.push_back(std::move(entry));
  return Status::Ok();
}

std::vector<std::string> ZipPackage::Names() const {
  std::vector<std::string> names;
  for (const auto& entry : entries_) names.push_back(entry.name);
  return names;
}

Result<std::string> ZipPackage::Read(const std::string& name) const {
  const auto found = index_.find(name);
  if (found == index_.end()) return NotFound("the workbook has no part " + name);
  const Entry& entry = entries_[found->second];
  const std::string raw(bytes_.substr(entry.data, entry.compressed));
  std::string content;
  if (entry.method == 0) {
    content = raw;
  } else {
    try {
      std::istringstream in(raw);
      Poco::InflatingInputStream inflater(in, kRawDeflateWindow);
      content.resize(entry.uncompressed);
      inflater.read(content.data(), static_cast<std::streamsize>(content.size()));
      content.resize(static_cast<size_t>(inflater.gcount()));
    } catch (const Poco::Exception&) {
      return Malformed("part " + name + " does not inflate");
    }
  }
  if (content.size() != entry.uncompressed || Crc32(content) != entry.crc) {
    return Malformed("part " + name + " fails its CRC check");
  }
  return content;
}

Result<std::string> ZipPackage::Rewrite(const std::map<std::string, std::string>& replaced) const {
  std::vector<const Entry*> physical;
  for (const auto& entry : entries_) physical.push_back(&entry);
  std::sort(physical.begin(), physical.end(),
            [](const Entry* a, const Entry* b) { return a->local < b->local; });
  std::string out(bytes_.substr(0, physical.empty() ? directory_ : physical.front()->local));
  std::map<const Entry*, size_t> offsets;
  std::map<const Entry*, std::pair<std::string, uint32_t>> written;  // data, crc
  for (const Entry* entry : physical) {
    offsets[entry] = out.size();
    const auto replacement = replaced.find(entry->name);
    if (replacement == replaced.end()) {
      out.append(bytes_.substr(entry->local, entry->local_end - entry->local));
      continue;
    }
    auto& [data, crc] = written[entry] = {Deflate(replacement->second), Crc32(replacement->second)};
    std::string header(bytes_.substr(entry->local, kLocalHeader));
    Put16(&header, 6, static_cast<uint16_t>(U16(header, 6) & ~kDescriptorFlag));
    Put16(&header, 8, kDeflate);
    Put32(&header, 14, crc);
    Put32(&header, 18, static_cast<uint32_t>(data.size()));
    Put32(&header, 22, static_cast<uint32_t>(replacement->second.size()));
    Put16(&header, 28, 0);  // no extra field: what it held described the old data
    out += header + entry->name + data;
  }
  const size_t directory = out.size();
  for (const auto& entry : entries_) {
    std::string record(bytes_.substr(entry.central, entry.central_size));
    Put32(&record, 42, static_cast<uint32_t>(offsets.at(&entry)));
    if (const auto change = written.find(&entry); change != written.end()) {
      Put16(&record, 8, static_cast<uint16_t>(U16(record, 8) & ~kDescriptorFlag));
      Put16(&record, 10, kDeflate);
      Put32(&record, 16, change->second.second);
      Put32(&record, 20, static_cast<uint32_t>(change->second.first.size()));
      Put32(&record, 24, static_cast<uint32_t>(replaced.at(entry.name).size()));
    }
    out += record;
  }
  std::string end(bytes_.substr(end_record_));
  Put32(&end, 12, static_cast<uint32_t>(out.size() - directory));
  Put32(&end, 16, static_cast<uint32_t>(directory));
  if (out.size() + end.size() >= 0xffffffffULL) {
    return NotImplemented("the rewritten workbook would need ZIP64");
  }
  return out + end;
}

Status CheckZipWithPoco(const std::string& bytes) {
  try {
    std::istringstream in(bytes);
    Poco::Zip::ZipArchive archive(in);
    for (auto header = archive.headerBegin(); header != archive.headerEnd(); ++header) {
      if (header->second.isDirectory()) continue;
      std::istringstream entry_in(bytes);
      entry_in.seekg(static_cast<std::streamoff>(header->second.getStartPos()));
      Poco::Zip::ZipInputStream stream(entry_in, header->second, /*reposition=*/true);
      std::string content((std::istreambuf_iterator<char>(stream)),
                          std::istreambuf_iterator<char>());
      if (!stream.crcValid())
        return InvalidArgument("part " + header->first + " fails its CRC check");
    }
  } catch (const Poco::Exception& error) {
    return InvalidArgument("the ZIP archive does not open: " + error.displayText());
  }
  return Status::Ok();
}

}  // namespace dsr::connectors::files
