// TransportFiles: the key and certificate files a test setup with CurveZMQ
// and HTTPS needs, written into a folder the way an operator makes them:
// CurveZMQ key pairs as `dsrctl keygen` writes them (same library call), and
// a self-signed certificate for 127.0.0.1 and localhost from the openssl CLI.
#pragma once

#include <map>
#include <string>
#include <zmq.hpp>

namespace dsr::testing {

struct KeyFiles {
  std::string secret_file;  // mode 0600
  std::string public_file;
  std::string public_key;  // Z85
  std::string secret_key;  // Z85
};

class TransportFiles {
 public:
  // Writes keys/coordinator.{key,pub} and tls/coordinator.{crt,key} below
  // `dir`; throws when that fails.
  explicit TransportFiles(std::string dir);

  // The folder the files are in (keys/ and tls/ below it).
  const std::string& dir() const { return dir_; }
  const KeyFiles& coordinator() const { return coordinator_; }
  // The key pair named `name` (keys/NAME.key, keys/NAME.pub), made at the first call.
  const KeyFiles& Key(const std::string& name);
  const std::string& certificate_file() const { return certificate_; }
  const std::string& private_key_file() const { return private_key_; }

  // Another self-signed certificate (a CA the coordinator does not use),
  // written as tls/NAME.crt; returns its path.
  std::string OtherCertificate(const std::string& name) const;

 private:
  std::string dir_;
  KeyFiles coordinator_;
  std::map<std::string, KeyFiles> keys_;
  std::string certificate_;
  std::string private_key_;
};

// Makes `socket` a CurveZMQ client with the key pair `own` that expects the
// server key `server_public_key` (for tests that speak to the broker directly).
void UseCurveKeys(zmq::socket_t& socket, const KeyFiles& own, const std::string& server_public_key);

// Writes a self-signed certificate (EC P-256, valid for 127.0.0.1 and
// localhost) and its key with the openssl CLI; throws when that fails.
void WriteSelfSignedCertificate(const std::string& certificate_file,
                                const std::string& private_key_file);

}  // namespace dsr::testing
