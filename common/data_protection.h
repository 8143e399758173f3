// Encryption at rest of personal data, with libsodium.
//
// DataKeyring holds the operator's data keys: the current one, which encrypts
// everything new, and older ones kept for rotation, which still decrypt. Each
// key is named by a short key id (8 hex digits of a hash of the key), and
// every ciphertext names the id of its key, so a rotation needs no flag day.
//
// Two forms of ciphertext:
// - Fields (store columns): Seal/Open with XChaCha20-Poly1305 (IETF AEAD).
//   The caller's `context` (table, column and row id) is bound as associated
//   data, so a ciphertext copied into another row or column does not open.
//   Text form: "dsr-sealed:1:<key id>:<base64 of nonce and ciphertext>".
// - Files: EncryptedFileWriter / EncryptedFileReader, a secretstream
//   (XChaCha20-Poly1305) of frames of at most 64 KiB, so memory stays flat
//   for files of any size. The last frame carries the FINAL tag: a file cut
//   short, frames reordered, dropped or altered fail to read.
//   Layout: "DSRENC01", key id length (1 byte), key id, secretstream header
//   (24 bytes), then frames: ciphertext length (4 bytes, little endian),
//   ciphertext.
//
// Key files hold 32 random bytes as 64 hex digits (a trailing line break is
// fine) and must not be readable by group or others.
#pragma once

#include <array>
#include <cstdint>
#include <istream>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "common/durable_file.h"
#include "common/status.h"

namespace dsr {

inline constexpr size_t kDataKeyBytes = 32;

struct DataKey {
  std::string id;  // 8 hex digits
  std::array<unsigned char, kDataKeyBytes> bytes{};
};

class DataKeyring {
 public:
  // Reads the current key from `key_file` and the older ones from
  // `previous_key_files`. `config_key` prefixes error messages (e.g.
  // "data_protection.key_file"). kValidation for a missing, unreadable,
  // malformed or group/other-readable file, or two files with one key.
  static Result<DataKeyring> Load(const std::string& key_file,
                                  const std::vector<std::string>& previous_key_files,
                                  const std::string& config_key = "data_protection");
  // From raw 32-byte keys, the first the current one (tests, tools).
  static Result<DataKeyring> FromKeys(const std::vector<std::string>& raw_keys);

  const std::string& current_id() const { return keys_.front().id; }
  const DataKey& current() const { return keys_.front(); }
  // The key with this id; nullptr when the ring does not hold it.
  const DataKey* Find(std::string_view id) const;

  // A sealed text for `plain`, bound to `context`.
  std::string Seal(std::string_view plain, std::string_view context) const;
  // The plain text of a sealed text; kInternal for an unknown key, a
  // different context, or an altered text (the message never holds content).
  Result<std::string> Open(std::string_view sealed, std::string_view context) const;

 private:
  std::vector<DataKey> keys_;  // current first
};

// Whether `text` has the form Seal() writes.
bool IsSealed(std::string_view text);
// The key id a sealed text names; empty when it is not sealed.
std::string SealedKeyId(std::string_view text);

// Reads one key file (see above); `config_key` names it in errors.
Result<DataKey> ReadDataKeyFile(const std::string& path, const std::string& config_key);
// Writes a new key file with mode 0600; fails when `path` exists. Returns its key id.
Result<std::string> GenerateDataKeyFile(const std::string& path);

// Writes an encrypted file. Data is framed as it comes; Sync() ends the
// current frame and makes everything durable; Close() writes the final frame.
// A writer destroyed without Close() leaves a file that does not read (no
// final frame). Not thread-safe.
class EncryptedFileWriter {
 public:
  EncryptedFileWriter(EncryptedFileWriter&&) noexcept;
  EncryptedFileWriter& operator=(EncryptedFileWriter&&) noexcept;
  ~EncryptedFileWriter();

  // Creates `path` (truncating an existing file) with mode 0600.
  static Result<EncryptedFileWriter> Create(const std::string& path, const DataKeyring& keys);
  Status Append(std::string_view data);
  Status Sync();
  // Writes the final frame, syncs and closes. Plain bytes written so far.
  Status Close();
  int64_t plain_bytes() const;

 private:
  struct State;
  explicit EncryptedFileWriter(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// Reads an encrypted file back. Read() returns 0 only at the verified end;
// a file without its final frame, or with an altered byte, is kInternal
// naming the file. Not thread-safe.
class EncryptedFileReader {
 public:
  EncryptedFileReader(EncryptedFileReader&&) noexcept;
  EncryptedFileReader& operator=(EncryptedFileReader&&) noexcept;
  ~EncryptedFileReader();

  static Result<EncryptedFileReader> Open(const std::string& path, const DataKeyring& keys);
  // Up to `capacity` plain bytes into `out`; 0 at the end.
  Result<size_t> Read(char* out, size_t capacity);
  // The id of the key the file was written with.
  const std::string& key_id() const;

 private:
  struct State;
  explicit EncryptedFileReader(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// std::istream over a decrypting reader, for code that reads lines. An error
// sets badbit; error() then says what went wrong.
class DecryptingInputStream : public std::istream {
 public:
  static Result<std::unique_ptr<DecryptingInputStream>> Open(const std::string& path,
                                                             const DataKeyring& keys);
  ~DecryptingInputStream() override;
  const Status& error() const;

 private:
  class Buffer;
  explicit DecryptingInputStream(std::unique_ptr<Buffer> buffer);
  std::unique_ptr<Buffer> buffer_;
};

// std::ostream over an encrypting writer. Close() must be called to finish
// the file; a write error sets badbit and Close() returns it.
class EncryptingOutputStream : public std::ostream {
 public:
  static Result<std::unique_ptr<EncryptingOutputStream>> Create(const std::string& path,
                                                                const DataKeyring& keys);
  ~EncryptingOutputStream() override;
  Status Close();

 private:
  class Buffer;
  explicit EncryptingOutputStream(std::unique_ptr<Buffer> buffer);
  std::unique_ptr<Buffer> buffer_;
};

// Writes `content` encrypted to `path` atomically (write beside, fsync,
// rename, fsync the folder), mode 0600.
Status WriteEncryptedFileAtomically(const std::string& path, std::string_view content,
                                    const DataKeyring& keys);
// The whole plain content of a (small) encrypted file.
Result<std::string> ReadEncryptedFile(const std::string& path, const DataKeyring& keys);
// Re-encrypts a file with the ring's current key (atomically); no-op when it
// already uses it. True when it was rewritten.
Result<bool> RewrapEncryptedFile(const std::string& path, const DataKeyring& keys);
// The same, and a plain file (written before encryption at rest) is
// encrypted. True when it was rewritten.
Result<bool> ReencryptFile(const std::string& path, const DataKeyring& keys);

// ---- files that are encrypted when a key ring is given ----------------------
// The coordinator always passes its ring; parts tested on their own may pass
// none and get plain files. Readers recognise an encrypted file by its
// header and need the ring for it; a file without the header is read as it
// is (files written before encryption at rest).

// Whether the file at `path` starts with the encrypted file header.
bool IsEncryptedFile(const std::string& path);
// A stream of the plain content of `path`. kNotFound when it is missing.
Result<std::unique_ptr<std::istream>> OpenInputFile(const std::string& path,
                                                    const DataKeyring* keys);

// A file being written: plain (an ofstream) without keys, else encrypted.
class OutputFile {
 public:
  virtual ~OutputFile() = default;
  virtual std::ostream& stream() = 0;
  // Finishes the file; the first write error if there was one.
  virtual Status Close() = 0;
};
// Creates (truncates) `path` with mode 0600.
Result<std::unique_ptr<OutputFile>> CreateOutputFile(const std::string& path,
                                                     const DataKeyring* keys);

// An append-only file (common/durable_file.h's AppendOnlyFile) that is
// encrypted when a ring is given. Not thread-safe.
class AppendFile {
 public:
  AppendFile() = default;
  static Result<AppendFile> Create(const std::string& path, const DataKeyring* keys);
  Status Append(std::string_view data);
  Status Sync();
  Status Close();

 private:
  std::unique_ptr<EncryptedFileWriter> encrypted_;
  std::unique_ptr<AppendOnlyFile> plain_;
};

// Writes `content` atomically, encrypted when a ring is given.
Status WriteFileAtomically(const std::string& path, std::string_view content,
                           const DataKeyring* keys);

}  // namespace dsr
