#include "coordinator/bundle/hashing_file.h"

#include <utility>

namespace dsr::bundle {
namespace {

// Large enough that hashing and writing run on big blocks, small enough to be
// irrelevant for memory.
constexpr size_t kBufferBytes = 256 * 1024;

}  // namespace

HashingFileWriter::HashingFileWriter(std::string path, const DataKeyring* keys)
    : path_(std::move(path)) {
  auto out = CreateOutputFile(path_, keys);
  if (!out.ok()) {
    status_ = out.status();
    return;
  }
  out_ = std::move(out.value());
  buffer_.reserve(kBufferBytes);
}

void HashingFileWriter::Write(std::string_view data) {
  if (buffer_.size() + data.size() > kBufferBytes) Drain();
  if (data.size() >= kBufferBytes) {
    hash_.Update(data);
    if (out_) out_->stream().write(data.data(), static_cast<std::streamsize>(data.size()));
    bytes_ += static_cast<int64_t>(data.size());
    return;
  }
  buffer_.append(data);
}

void HashingFileWriter::Drain() {
  if (buffer_.empty()) return;
  hash_.Update(buffer_);
  if (out_) out_->stream().write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
  bytes_ += static_cast<int64_t>(buffer_.size());
  buffer_.clear();
}

Result<FileDigest> HashingFileWriter::Finish() {
  if (!status_.ok()) return status_;
  Drain();
  const bool written = static_cast<bool>(out_->stream());
  Status closed = out_->Close();
  if (!closed.ok()) return closed;
  if (!written) return Internal("write error on " + path_);
  return FileDigest{bytes_, hash_.HexDigest()};
}

}  // namespace dsr::bundle
