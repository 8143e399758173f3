#include "tests/support/transport_files.h"

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include "common/curve_keys.h"

namespace dsr::testing {

void WriteSelfSignedCertificate(const std::string& certificate_file,
                                const std::string& private_key_file) {
  const std::string command =
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 7"
      " -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1"
      " -keyout '" +
      private_key_file + "' -out '" + certificate_file + "' > '" + certificate_file + ".log' 2>&1";
  if (std::system(command.c_str()) != 0) {
    throw std::runtime_error("openssl could not make a certificate; see " + certificate_file +
                             ".log");
  }
  ::chmod(private_key_file.c_str(), 0600);
}

TransportFiles::TransportFiles(std::string dir) : dir_(std::move(dir)) {
  std::filesystem::create_directories(dir_ + "/keys");
  std::filesystem::create_directories(dir_ + "/tls");
  coordinator_ = Key("coordinator");
  certificate_ = dir_ + "/tls/coordinator.crt";
  private_key_ = dir_ + "/tls/coordinator.key";
  WriteSelfSignedCertificate(certificate_, private_key_);
}

const KeyFiles& TransportFiles::Key(const std::string& name) {
  auto found = keys_.find(name);
  if (found != keys_.end()) return found->second;
  auto pair = GenerateCurveKeyPair();
  if (!pair.ok()) throw std::runtime_error(pair.status().ToString());
  KeyFiles files{dir_ + "/keys/" + name + ".key", dir_ + "/keys/" + name + ".pub", pair->public_key,
                 pair->secret_key};
  Status written =
      WriteCurveKeyPair(*pair, files.secret_file, files.public_file, "test key " + name);
  if (!written.ok()) throw std::runtime_error(written.ToString());
  return keys_.emplace(name, files).first->second;
}

void UseCurveKeys(zmq::socket_t& socket, const KeyFiles& own,
                  const std::string& server_public_key) {
  socket.set(zmq::sockopt::curve_serverkey, server_public_key);
  socket.set(zmq::sockopt::curve_publickey, own.public_key);
  socket.set(zmq::sockopt::curve_secretkey, own.secret_key);
}

std::string TransportFiles::OtherCertificate(const std::string& name) const {
  const std::string certificate = dir_ + "/tls/" + name + ".crt";
  WriteSelfSignedCertificate(certificate, dir_ + "/tls/" + name + ".key");
  return certificate;
}

}  // namespace dsr::testing
