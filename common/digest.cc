#include "common/digest.h"

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>
#include <Poco/UUIDGenerator.h>

#include <fstream>
#include <vector>

namespace dsr {

struct Sha256::Impl {
  Poco::SHA2Engine engine{Poco::SHA2Engine::SHA_256};
};

Sha256::Sha256() : impl_(std::make_unique<Impl>()) {}
Sha256::~Sha256() = default;
Sha256::Sha256(Sha256&&) noexcept = default;
Sha256& Sha256::operator=(Sha256&&) noexcept = default;

void Sha256::Update(std::string_view data) {
  impl_->engine.update(data.data(), data.size());
}

std::string Sha256::HexDigest() {
  return Poco::DigestEngine::digestToHex(impl_->engine.digest());
}

std::string Sha256Hex(std::string_view data) {
  Sha256 hash;
  hash.Update(data);
  return hash.HexDigest();
}

Result<std::string> Sha256OfFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Internal("cannot open " + path + " to hash it");
  Sha256 hash;
  std::vector<char> buffer(1 << 16);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    hash.Update(std::string_view(buffer.data(), static_cast<size_t>(in.gcount())));
  }
  if (in.bad()) return Internal("read error while hashing " + path);
  return hash.HexDigest();
}

std::string NewUuid() {
  return Poco::UUIDGenerator::defaultGenerator().createRandom().toString();
}

}  // namespace dsr
