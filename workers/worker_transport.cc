#include "workers/worker_transport.h"

#include "common/curve_keys.h"

namespace dsr::workers {

Result<std::optional<WorkerCurveKeys>> LoadWorkerCurve(const nlohmann::json& config) {
  const std::string coordinator = config.at("coordinator").get<std::string>();
  const bool plaintext = config.value("allow_plaintext", false);
  if (plaintext && config.contains("curve")) {
    return ValidationError(
        "both curve and allow_plaintext: true are set; choose one (remove allow_plaintext to "
        "use CurveZMQ)");
  }
  if (plaintext) {
    if (!IsLocalEndpoint(coordinator)) {
      return ValidationError(
          "allow_plaintext: plaintext is allowed only to a coordinator on "
          "loopback, and coordinator is '" +
          coordinator + "'; configure curve instead");
    }
    return std::optional<WorkerCurveKeys>();
  }
  if (!config.contains("curve")) {
    return ValidationError(
        "curve: the worker must authenticate with CurveZMQ keys: set curve.secret_key_file "
        "(`dsrctl keygen`) and curve.coordinator_public_key; an unencrypted connection needs "
        "allow_plaintext: true and a coordinator on loopback");
  }
  const nlohmann::json& curve = config.at("curve");
  WorkerCurveKeys keys;
  auto secret = ReadCurveSecretKeyFile(curve.at("secret_key_file").get<std::string>(),
                                       "curve.secret_key_file");
  if (!secret.ok()) return secret.status();
  keys.secret_key = *secret;
  auto derived = CurvePublicKeyOf(keys.secret_key);
  if (!derived.ok()) return derived.status();
  keys.public_key = *derived;
  if (curve.contains("public_key_file")) {
    auto stated =
        ReadCurveKeyFile(curve.at("public_key_file").get<std::string>(), "curve.public_key_file");
    if (!stated.ok()) return stated.status();
    if (*stated != keys.public_key) {
      return ValidationError(
          "curve.public_key_file: the public key does not belong to the secret key");
    }
  }
  if (curve.contains("coordinator_public_key")) {
    keys.server_key = curve.at("coordinator_public_key").get<std::string>();
    if (!IsZ85Key(keys.server_key)) {
      return ValidationError(
          "curve.coordinator_public_key: not a CURVE public key (40 characters of Z85)");
    }
  } else if (curve.contains("coordinator_public_key_file")) {
    auto read = ReadCurveKeyFile(curve.at("coordinator_public_key_file").get<std::string>(),
                                 "curve.coordinator_public_key_file");
    if (!read.ok()) return read.status();
    keys.server_key = *read;
  } else {
    return ValidationError(
        "curve: the coordinator's public key is missing (coordinator_public_key or "
        "coordinator_public_key_file)");
  }
  return std::optional<WorkerCurveKeys>(std::move(keys));
}

}  // namespace dsr::workers
