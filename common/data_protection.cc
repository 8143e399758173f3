#include "common/data_protection.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <streambuf>

#include "common/base64.h"
#include "common/durable_file.h"

namespace dsr {
namespace {

constexpr std::string_view kSealedPrefix = "dsr-sealed:1:";
constexpr std::string_view kFileMagic = "DSRENC01";
constexpr size_t kFramePlainBytes = 64 * 1024;
constexpr size_t kFrameCipherBytes =
    kFramePlainBytes + crypto_secretstream_xchacha20poly1305_ABYTES;
constexpr size_t kKeyIdHexDigits = 8;

void InitSodium() {
  // Idempotent and thread-safe; fails only when no randomness is available.
  if (sodium_init() < 0) std::abort();
}

std::string Hex(const unsigned char* bytes, size_t count) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text;
  for (size_t i = 0; i < count; ++i) {
    text.push_back(kHex[bytes[i] >> 4]);
    text.push_back(kHex[bytes[i] & 0xf]);
  }
  return text;
}

std::string KeyIdOf(const std::array<unsigned char, kDataKeyBytes>& key) {
  // A hash with a fixed personalisation, so the id reveals nothing usable
  // about the key and differs from any other hash of it.
  static constexpr unsigned char kLabel[] = "dsr data key id";
  unsigned char digest[crypto_generichash_BYTES_MIN];
  crypto_generichash(digest, sizeof digest, key.data(), key.size(), kLabel, sizeof kLabel - 1);
  return Hex(digest, kKeyIdHexDigits / 2);
}

Status ErrnoError(const std::string& what, const std::string& path) {
  return Internal(what + " " + path + ": " + std::strerror(errno));
}

Status WriteAll(int fd, const unsigned char* data, size_t size, const std::string& path) {
  while (size > 0) {
    const ssize_t written = ::write(fd, data, size);
    if (written < 0) {
      if (errno == EINTR) continue;
      return ErrnoError("cannot write", path);
    }
    data += written;
    size -= static_cast<size_t>(written);
  }
  return Status::Ok();
}

// Reads exactly `size` bytes; false at a clean end of file before any byte.
Result<bool> ReadExactly(int fd, unsigned char* data, size_t size, const std::string& path) {
  size_t done = 0;
  while (done < size) {
    const ssize_t got = ::read(fd, data + done, size - done);
    if (got < 0) {
      if (errno == EINTR) continue;
      return ErrnoError("cannot read", path);
    }
    if (got == 0) {
      if (done == 0) return false;
      return Internal("encrypted file " + path + " is cut short");
    }
    done += static_cast<size_t>(got);
  }
  return true;
}

}  // namespace

// ---- keys -------------------------------------------------------------------

Result<DataKey> ReadDataKeyFile(const std::string& path, const std::string& config_key) {
  InitSodium();
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    return ValidationError(config_key + ": cannot read key file '" + path +
                           "': " + std::strerror(errno));
  }
  if ((info.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return ValidationError(config_key + ": key file '" + path +
                           "' is accessible to group or others; allow its owner only "
                           "(chmod 600)");
  }
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return ValidationError(config_key + ": cannot read key file '" + path +
                           "': " + std::strerror(errno));
  }
  char text[200];
  const ssize_t got = ::read(fd, text, sizeof text);
  ::close(fd);
  if (got < 0) return ValidationError(config_key + ": cannot read key file '" + path + "'");
  std::string_view content(text, static_cast<size_t>(got));
  while (!content.empty() && (content.back() == '\n' || content.back() == '\r')) {
    content.remove_suffix(1);
  }
  DataKey key;
  size_t decoded = 0;
  if (content.size() != 2 * kDataKeyBytes ||
      sodium_hex2bin(key.bytes.data(), key.bytes.size(), content.data(), content.size(), nullptr,
                     &decoded, nullptr) != 0 ||
      decoded != kDataKeyBytes) {
    return ValidationError(config_key + ": key file '" + path +
                           "' must hold 64 hex digits (32 random bytes); `dsrctl datakey "
                           "generate` writes one");
  }
  key.id = KeyIdOf(key.bytes);
  return key;
}

Result<std::string> GenerateDataKeyFile(const std::string& path) {
  InitSodium();
  std::array<unsigned char, kDataKeyBytes> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  char hex[2 * kDataKeyBytes + 1];
  sodium_bin2hex(hex, sizeof hex, bytes.data(), bytes.size());
  std::string text(hex, 2 * kDataKeyBytes);
  text.push_back('\n');
  sodium_memzero(hex, sizeof hex);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST)
      return InvalidArgument("'" + path + "' exists; a key file is never overwritten");
    return ErrnoError("cannot create", path);
  }
  Status status =
      WriteAll(fd, reinterpret_cast<const unsigned char*>(text.data()), text.size(), path);
  sodium_memzero(text.data(), text.size());
  if (status.ok() && ::fsync(fd) != 0) status = ErrnoError("cannot sync", path);
  ::close(fd);
  if (!status.ok()) {
    std::remove(path.c_str());
    return status;
  }
  const std::string parent = std::filesystem::path(path).parent_path().string();
  DSR_RETURN_IF_ERROR(SyncDirectory(parent.empty() ? "." : parent));
  return KeyIdOf(bytes);
}

Result<DataKeyring> DataKeyring::Load(const std::string& key_file,
                                      const std::vector<std::string>& previous_key_files,
                                      const std::string& config_key) {
  DataKeyring ring;
  auto current = ReadDataKeyFile(key_file, config_key + ".key_file");
  if (!current.ok()) return current.status();
  ring.keys_.push_back(std::move(current.value()));
  for (const std::string& path : previous_key_files) {
    auto key = ReadDataKeyFile(path, config_key + ".previous_key_files");
    if (!key.ok()) return key.status();
    if (ring.Find(key->id) != nullptr) {
      return ValidationError(config_key + ": '" + path + "' holds a key that is listed already");
    }
    ring.keys_.push_back(std::move(key.value()));
  }
  return ring;
}

Result<DataKeyring> DataKeyring::FromKeys(const std::vector<std::string>& raw_keys) {
  InitSodium();
  if (raw_keys.empty()) return InvalidArgument("a key ring needs at least one key");
  DataKeyring ring;
  for (const std::string& raw : raw_keys) {
    if (raw.size() != kDataKeyBytes) return InvalidArgument("a data key has 32 bytes");
    DataKey key;
    std::memcpy(key.bytes.data(), raw.data(), kDataKeyBytes);
    key.id = KeyIdOf(key.bytes);
    if (ring.Find(key.id) != nullptr) return InvalidArgument("a data key is given twice");
    ring.keys_.push_back(key);
  }
  return ring;
}

const DataKey* DataKeyring::Find(std::string_view id) const {
  for (const DataKey& key : keys_) {
    if (key.id == id) return &key;
  }
  return nullptr;
}

// ---- fields -----------------------------------------------------------------

bool IsSealed(std::string_view text) {
  return !SealedKeyId(text).empty();
}

std::string SealedKeyId(std::string_view text) {
  if (text.substr(0, kSealedPrefix.size()) != kSealedPrefix) return "";
  text.remove_prefix(kSealedPrefix.size());
  const size_t colon = text.find(':');
  if (colon != kKeyIdHexDigits) return "";
  return std::string(text.substr(0, colon));
}

std::string DataKeyring::Seal(std::string_view plain, std::string_view context) const {
  const DataKey& key = current();
  std::string box(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + plain.size() +
                      crypto_aead_xchacha20poly1305_ietf_ABYTES,
                  '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(box.data());
  randombytes_buf(nonce, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  unsigned long long cipher_bytes = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      nonce + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, &cipher_bytes,
      reinterpret_cast<const unsigned char*>(plain.data()), plain.size(),
      reinterpret_cast<const unsigned char*>(context.data()), context.size(), nullptr, nonce,
      key.bytes.data());
  std::string sealed(kSealedPrefix);
  sealed += key.id;
  sealed += ':';
  sealed += EncodeBase64(box);
  return sealed;
}

Result<std::string> DataKeyring::Open(std::string_view sealed, std::string_view context) const {
  const std::string id = SealedKeyId(sealed);
  if (id.empty()) return Internal("a sealed field is malformed");
  const DataKey* key = Find(id);
  if (key == nullptr) {
    return Internal("a sealed field uses data key " + id +
                    ", which is not configured (data_protection.previous_key_files)");
  }
  const std::string box = DecodeBase64(sealed.substr(kSealedPrefix.size() + kKeyIdHexDigits + 1));
  constexpr size_t kOverhead =
      crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + crypto_aead_xchacha20poly1305_ietf_ABYTES;
  if (box.size() < kOverhead) return Internal("a sealed field is malformed");
  const auto* nonce = reinterpret_cast<const unsigned char*>(box.data());
  std::string plain(box.size() - kOverhead, '\0');
  unsigned long long plain_bytes = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(plain.data()), &plain_bytes, nullptr,
          nonce + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
          box.size() - crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
          reinterpret_cast<const unsigned char*>(context.data()), context.size(), nonce,
          key->bytes.data()) != 0) {
    return Internal("a sealed field does not open: altered, or moved from another row");
  }
  plain.resize(static_cast<size_t>(plain_bytes));
  return plain;
}

// ---- files: writer ----------------------------------------------------------

struct EncryptedFileWriter::State {
  int fd = -1;
  std::string path;
  crypto_secretstream_xchacha20poly1305_state stream{};
  std::string pending;  // plain bytes of the frame being filled
  std::vector<unsigned char> cipher = std::vector<unsigned char>(4 + kFrameCipherBytes);
  int64_t plain_bytes = 0;
  Status failed;

  ~State() {
    if (fd >= 0) ::close(fd);
    sodium_memzero(&stream, sizeof stream);
  }

  Status WriteFrame(std::string_view plain, unsigned char tag) {
    unsigned long long cipher_bytes = 0;
    crypto_secretstream_xchacha20poly1305_push(&stream, cipher.data() + 4, &cipher_bytes,
                                               reinterpret_cast<const unsigned char*>(plain.data()),
                                               plain.size(), nullptr, 0, tag);
    const auto length = static_cast<uint32_t>(cipher_bytes);
    for (int i = 0; i < 4; ++i) cipher[i] = static_cast<unsigned char>(length >> (8 * i));
    return WriteAll(fd, cipher.data(), 4 + cipher_bytes, path);
  }
};

EncryptedFileWriter::EncryptedFileWriter(std::unique_ptr<State> state) : state_(std::move(state)) {}
EncryptedFileWriter::EncryptedFileWriter(EncryptedFileWriter&&) noexcept = default;
EncryptedFileWriter& EncryptedFileWriter::operator=(EncryptedFileWriter&&) noexcept = default;
EncryptedFileWriter::~EncryptedFileWriter() = default;

Result<EncryptedFileWriter> EncryptedFileWriter::Create(const std::string& path,
                                                        const DataKeyring& keys) {
  auto state = std::make_unique<State>();
  state->path = path;
  state->fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (state->fd < 0) return ErrnoError("cannot create", path);
  const DataKey& key = keys.current();
  std::string head(kFileMagic);
  head.push_back(static_cast<char>(key.id.size()));
  head += key.id;
  unsigned char header[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
  crypto_secretstream_xchacha20poly1305_init_push(&state->stream, header, key.bytes.data());
  head.append(reinterpret_cast<const char*>(header), sizeof header);
  DSR_RETURN_IF_ERROR(
      WriteAll(state->fd, reinterpret_cast<const unsigned char*>(head.data()), head.size(), path));
  state->pending.reserve(kFramePlainBytes);
  return EncryptedFileWriter(std::move(state));
}

Status EncryptedFileWriter::Append(std::string_view data) {
  State& state = *state_;
  if (!state.failed.ok()) return state.failed;
  if (state.fd < 0) return Internal("encrypted file " + state.path + " is closed");
  state.plain_bytes += static_cast<int64_t>(data.size());
  while (!data.empty()) {
    const size_t room = kFramePlainBytes - state.pending.size();
    const size_t take = std::min(room, data.size());
    state.pending.append(data.substr(0, take));
    data.remove_prefix(take);
    if (state.pending.size() == kFramePlainBytes) {
      Status written = state.WriteFrame(state.pending, 0);
      state.pending.clear();
      if (!written.ok()) return state.failed = written;
    }
  }
  return Status::Ok();
}

Status EncryptedFileWriter::Sync() {
  State& state = *state_;
  if (!state.failed.ok()) return state.failed;
  if (state.fd < 0) return Internal("encrypted file " + state.path + " is closed");
  if (!state.pending.empty()) {
    Status written = state.WriteFrame(state.pending, 0);
    state.pending.clear();
    if (!written.ok()) return state.failed = written;
  }
  if (::fdatasync(state.fd) != 0) return state.failed = ErrnoError("cannot sync", state.path);
  return Status::Ok();
}

Status EncryptedFileWriter::Close() {
  State& state = *state_;
  if (!state.failed.ok()) return state.failed;
  if (state.fd < 0) return Status::Ok();
  Status status = state.WriteFrame(state.pending, crypto_secretstream_xchacha20poly1305_TAG_FINAL);
  state.pending.clear();
  if (status.ok() && ::fdatasync(state.fd) != 0) status = ErrnoError("cannot sync", state.path);
  if (::close(state.fd) != 0 && status.ok()) status = ErrnoError("cannot close", state.path);
  state.fd = -1;
  if (!status.ok()) state.failed = status;
  return status;
}

int64_t EncryptedFileWriter::plain_bytes() const {
  return state_->plain_bytes;
}

// ---- files: reader ----------------------------------------------------------

struct EncryptedFileReader::State {
  int fd = -1;
  std::string path;
  std::string key_id;
  crypto_secretstream_xchacha20poly1305_state stream{};
  std::vector<unsigned char> cipher = std::vector<unsigned char>(kFrameCipherBytes);
  std::vector<unsigned char> plain = std::vector<unsigned char>(kFramePlainBytes);
  size_t plain_size = 0;
  size_t plain_offset = 0;
  bool finished = false;

  ~State() {
    if (fd >= 0) ::close(fd);
    sodium_memzero(&stream, sizeof stream);
    sodium_memzero(plain.data(), plain.size());
  }

  Status Corrupt() const { return Internal("encrypted file " + path + " is altered or cut short"); }

  Status NextFrame() {
    unsigned char length_bytes[4];
    auto got = ReadExactly(fd, length_bytes, 4, path);
    if (!got.ok()) return got.status();
    if (!*got) return Corrupt();  // the end before the final frame
    uint32_t length = 0;
    for (int i = 0; i < 4; ++i) length |= static_cast<uint32_t>(length_bytes[i]) << (8 * i);
    if (length < crypto_secretstream_xchacha20poly1305_ABYTES || length > kFrameCipherBytes) {
      return Corrupt();
    }
    got = ReadExactly(fd, cipher.data(), length, path);
    if (!got.ok()) return got.status();
    if (!*got) return Corrupt();
    unsigned long long plain_bytes = 0;
    unsigned char tag = 0;
    if (crypto_secretstream_xchacha20poly1305_pull(&stream, plain.data(), &plain_bytes, &tag,
                                                   cipher.data(), length, nullptr, 0) != 0) {
      return Corrupt();
    }
    plain_size = static_cast<size_t>(plain_bytes);
    plain_offset = 0;
    if (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL) {
      unsigned char extra = 0;
      auto more = ReadExactly(fd, &extra, 1, path);
      if (!more.ok()) return more.status();
      if (*more) return Corrupt();  // bytes after the final frame
      finished = true;
    }
    return Status::Ok();
  }
};

EncryptedFileReader::EncryptedFileReader(std::unique_ptr<State> state) : state_(std::move(state)) {}
EncryptedFileReader::EncryptedFileReader(EncryptedFileReader&&) noexcept = default;
EncryptedFileReader& EncryptedFileReader::operator=(EncryptedFileReader&&) noexcept = default;
EncryptedFileReader::~EncryptedFileReader() = default;

Result<EncryptedFileReader> EncryptedFileReader::Open(const std::string& path,
                                                      const DataKeyring& keys) {
  InitSodium();
  auto state = std::make_unique<State>();
  state->path = path;
  state->fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (state->fd < 0) {
    if (errno == ENOENT) return NotFound("file " + path + " does not exist");
    return ErrnoError("cannot open", path);
  }
  unsigned char head[kFileMagic.size() + 1];
  auto got = ReadExactly(state->fd, head, sizeof head, path);
  if (!got.ok()) return got.status();
  if (!*got ||
      std::string_view(reinterpret_cast<const char*>(head), kFileMagic.size()) != kFileMagic ||
      head[kFileMagic.size()] == 0 || head[kFileMagic.size()] > 32) {
    return Internal("file " + path + " is not an encrypted dsr file");
  }
  std::string id(head[kFileMagic.size()], '\0');
  got = ReadExactly(state->fd, reinterpret_cast<unsigned char*>(id.data()), id.size(), path);
  if (!got.ok()) return got.status();
  if (!*got) return state->Corrupt();
  const DataKey* key = keys.Find(id);
  if (key == nullptr) {
    return Internal("file " + path + " is encrypted with data key " + id +
                    ", which is not configured (data_protection.previous_key_files)");
  }
  unsigned char header[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
  got = ReadExactly(state->fd, header, sizeof header, path);
  if (!got.ok()) return got.status();
  if (!*got) return state->Corrupt();
  if (crypto_secretstream_xchacha20poly1305_init_pull(&state->stream, header, key->bytes.data()) !=
      0) {
    return state->Corrupt();
  }
  state->key_id = std::move(id);
  return EncryptedFileReader(std::move(state));
}

Result<size_t> EncryptedFileReader::Read(char* out, size_t capacity) {
  State& state = *state_;
  while (state.plain_offset == state.plain_size) {
    if (state.finished) return size_t{0};
    DSR_RETURN_IF_ERROR(state.NextFrame());
  }
  const size_t take = std::min(capacity, state.plain_size - state.plain_offset);
  std::memcpy(out, state.plain.data() + state.plain_offset, take);
  state.plain_offset += take;
  return take;
}

const std::string& EncryptedFileReader::key_id() const {
  return state_->key_id;
}

// ---- streams ----------------------------------------------------------------

class DecryptingInputStream::Buffer : public std::streambuf {
 public:
  explicit Buffer(EncryptedFileReader reader) : reader_(std::move(reader)) {}
  const Status& error() const { return error_; }

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    auto got = reader_.Read(block_, sizeof block_);
    if (!got.ok()) {
      error_ = got.status();
      throw std::ios_base::failure(error_.message());
    }
    if (*got == 0) return traits_type::eof();
    setg(block_, block_, block_ + *got);
    return traits_type::to_int_type(*gptr());
  }

 private:
  EncryptedFileReader reader_;
  char block_[16 * 1024];
  Status error_;
};

DecryptingInputStream::DecryptingInputStream(std::unique_ptr<Buffer> buffer)
    : std::istream(buffer.get()), buffer_(std::move(buffer)) {}
DecryptingInputStream::~DecryptingInputStream() = default;
const Status& DecryptingInputStream::error() const {
  return buffer_->error();
}

Result<std::unique_ptr<DecryptingInputStream>> DecryptingInputStream::Open(
    const std::string& path, const DataKeyring& keys) {
  auto reader = EncryptedFileReader::Open(path, keys);
  if (!reader.ok()) return reader.status();
  return std::unique_ptr<DecryptingInputStream>(
      new DecryptingInputStream(std::make_unique<Buffer>(std::move(reader.value()))));
}

class EncryptingOutputStream::Buffer : public std::streambuf {
 public:
  explicit Buffer(EncryptedFileWriter writer) : writer_(std::move(writer)) {
    setp(block_, block_ + sizeof block_);
  }
  Status Close() {
    if (sync() != 0) return error_;
    return writer_.Close();
  }

 protected:
  int_type overflow(int_type ch) override {
    if (sync() != 0) return traits_type::eof();
    if (!traits_type::eq_int_type(ch, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(ch);
      pbump(1);
    }
    return traits_type::not_eof(ch);
  }
  std::streamsize xsputn(const char* data, std::streamsize count) override {
    if (sync() != 0) return 0;
    Status appended = writer_.Append(std::string_view(data, static_cast<size_t>(count)));
    if (!appended.ok()) {
      error_ = appended;
      return 0;
    }
    return count;
  }
  // Hands buffered bytes to the writer (not a durability point).
  int sync() override {
    if (!error_.ok()) return -1;
    if (pptr() == pbase()) return 0;
    Status appended =
        writer_.Append(std::string_view(pbase(), static_cast<size_t>(pptr() - pbase())));
    setp(block_, block_ + sizeof block_);
    if (!appended.ok()) {
      error_ = appended;
      return -1;
    }
    return 0;
  }

 private:
  EncryptedFileWriter writer_;
  char block_[16 * 1024];
  Status error_;
};

EncryptingOutputStream::EncryptingOutputStream(std::unique_ptr<Buffer> buffer)
    : std::ostream(buffer.get()), buffer_(std::move(buffer)) {}
EncryptingOutputStream::~EncryptingOutputStream() = default;
Status EncryptingOutputStream::Close() {
  return buffer_->Close();
}

Result<std::unique_ptr<EncryptingOutputStream>> EncryptingOutputStream::Create(
    const std::string& path, const DataKeyring& keys) {
  auto writer = EncryptedFileWriter::Create(path, keys);
  if (!writer.ok()) return writer.status();
  return std::unique_ptr<EncryptingOutputStream>(
      new EncryptingOutputStream(std::make_unique<Buffer>(std::move(writer.value()))));
}

// ---- whole files ------------------------------------------------------------

namespace {

Status ReplaceWith(const std::string& temporary, const std::string& path) {
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    Status status = ErrnoError("cannot rename into", path);
    std::remove(temporary.c_str());
    return status;
  }
  const std::string parent = std::filesystem::path(path).parent_path().string();
  return SyncDirectory(parent.empty() ? "." : parent);
}

}  // namespace

Status WriteEncryptedFileAtomically(const std::string& path, std::string_view content,
                                    const DataKeyring& keys) {
  const std::string temporary = path + ".partial";
  auto writer = EncryptedFileWriter::Create(temporary, keys);
  if (!writer.ok()) return writer.status();
  Status status = writer->Append(content);
  if (status.ok()) status = writer->Close();
  if (!status.ok()) {
    std::remove(temporary.c_str());
    return status;
  }
  return ReplaceWith(temporary, path);
}

Result<std::string> ReadEncryptedFile(const std::string& path, const DataKeyring& keys) {
  auto reader = EncryptedFileReader::Open(path, keys);
  if (!reader.ok()) return reader.status();
  std::string content;
  char block[16 * 1024];
  while (true) {
    auto got = reader->Read(block, sizeof block);
    if (!got.ok()) return got.status();
    if (*got == 0) break;
    content.append(block, *got);
  }
  return content;
}

namespace {

// Copies the plain content of `in` into a new encrypted file that replaces `path`.
Status ReplaceEncrypted(const std::string& path, std::istream& in, const DataKeyring& keys) {
  const std::string temporary = path + ".rewrap";
  auto writer = EncryptedFileWriter::Create(temporary, keys);
  if (!writer.ok()) return writer.status();
  char block[16 * 1024];
  Status status;
  while (status.ok() && in) {
    in.read(block, sizeof block);
    const auto got = in.gcount();
    if (got > 0) status = writer->Append(std::string_view(block, static_cast<size_t>(got)));
  }
  if (status.ok() && in.bad()) status = Internal("cannot read " + path);
  if (status.ok()) status = writer->Close();
  if (!status.ok()) {
    std::remove(temporary.c_str());
    return status;
  }
  return ReplaceWith(temporary, path);
}

}  // namespace

Result<bool> RewrapEncryptedFile(const std::string& path, const DataKeyring& keys) {
  auto reader = EncryptedFileReader::Open(path, keys);
  if (!reader.ok()) return reader.status();
  if (reader->key_id() == keys.current_id()) return false;
  auto in = DecryptingInputStream::Open(path, keys);
  if (!in.ok()) return in.status();
  DSR_RETURN_IF_ERROR(ReplaceEncrypted(path, **in, keys));
  return true;
}

Result<bool> ReencryptFile(const std::string& path, const DataKeyring& keys) {
  if (IsEncryptedFile(path)) return RewrapEncryptedFile(path, keys);
  std::ifstream in(path, std::ios::binary);
  if (!in) return Internal("cannot open " + path);
  DSR_RETURN_IF_ERROR(ReplaceEncrypted(path, in, keys));
  return true;
}

// ---- files that are encrypted when a key ring is given ----------------------

bool IsEncryptedFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  unsigned char head[kFileMagic.size()];
  auto got = ReadExactly(fd, head, sizeof head, path);
  ::close(fd);
  return got.ok() && *got &&
         std::string_view(reinterpret_cast<const char*>(head), sizeof head) == kFileMagic;
}

Result<std::unique_ptr<std::istream>> OpenInputFile(const std::string& path,
                                                    const DataKeyring* keys) {
  if (IsEncryptedFile(path)) {
    if (keys == nullptr)
      return Internal("file " + path + " is encrypted, and no data key is given");
    auto in = DecryptingInputStream::Open(path, *keys);
    if (!in.ok()) return in.status();
    return std::unique_ptr<std::istream>(std::move(in.value()));
  }
  auto in = std::make_unique<std::ifstream>(path, std::ios::binary);
  if (!*in) {
    if (errno == ENOENT) return NotFound("file " + path + " does not exist");
    return Internal("cannot open " + path);
  }
  return std::unique_ptr<std::istream>(std::move(in));
}

namespace {

class PlainOutputFile final : public OutputFile {
 public:
  explicit PlainOutputFile(std::string path) : path_(std::move(path)) {}
  Status Open() {
    // Created private first, so the content is never readable by others.
    const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return ErrnoError("cannot create", path_);
    ::close(fd);
    out_.open(path_, std::ios::binary | std::ios::trunc);
    if (!out_) return Internal("cannot create " + path_);
    return Status::Ok();
  }
  std::ostream& stream() override { return out_; }
  Status Close() override {
    out_.close();
    return out_ ? Status::Ok() : Internal("write error on " + path_);
  }

 private:
  std::string path_;
  std::ofstream out_;
};

class EncryptedOutputFile final : public OutputFile {
 public:
  explicit EncryptedOutputFile(std::unique_ptr<EncryptingOutputStream> out)
      : out_(std::move(out)) {}
  std::ostream& stream() override { return *out_; }
  Status Close() override { return out_->Close(); }

 private:
  std::unique_ptr<EncryptingOutputStream> out_;
};

}  // namespace

Result<std::unique_ptr<OutputFile>> CreateOutputFile(const std::string& path,
                                                     const DataKeyring* keys) {
  if (keys != nullptr) {
    auto out = EncryptingOutputStream::Create(path, *keys);
    if (!out.ok()) return out.status();
    return std::unique_ptr<OutputFile>(std::make_unique<EncryptedOutputFile>(std::move(*out)));
  }
  auto plain = std::make_unique<PlainOutputFile>(path);
  DSR_RETURN_IF_ERROR(plain->Open());
  return std::unique_ptr<OutputFile>(std::move(plain));
}

Result<AppendFile> AppendFile::Create(const std::string& path, const DataKeyring* keys) {
  AppendFile file;
  if (keys != nullptr) {
    auto writer = EncryptedFileWriter::Create(path, *keys);
    if (!writer.ok()) return writer.status();
    file.encrypted_ = std::make_unique<EncryptedFileWriter>(std::move(writer.value()));
  } else {
    auto plain = AppendOnlyFile::Create(path);
    if (!plain.ok()) return plain.status();
    file.plain_ = std::make_unique<AppendOnlyFile>(std::move(plain.value()));
  }
  return file;
}

Status AppendFile::Append(std::string_view data) {
  if (encrypted_) return encrypted_->Append(data);
  if (plain_) return plain_->Append(data);
  return Internal("append to a file that is not open");
}

Status AppendFile::Sync() {
  if (encrypted_) return encrypted_->Sync();
  if (plain_) return plain_->Sync();
  return Internal("sync of a file that is not open");
}

Status AppendFile::Close() {
  if (encrypted_) return encrypted_->Close();
  if (plain_) return plain_->Close();
  return Status::Ok();
}

Status WriteFileAtomically(const std::string& path, std::string_view content,
                           const DataKeyring* keys) {
  if (keys == nullptr) return WriteFileAtomically(path, content);
  return WriteEncryptedFileAtomically(path, content, *keys);
}

}  // namespace dsr
