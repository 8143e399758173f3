#include "coordinator/transport_config.h"

#include <unistd.h>

#include "common/curve_keys.h"

namespace dsr {
namespace {

Status CheckReadable(const std::string& path, const std::string& key) {
  if (::access(path.c_str(), R_OK) != 0)
    return ValidationError(key + ": cannot read '" + path + "'");
  return Status::Ok();
}

Result<broker::AllowedWorker> LoadAllowedWorker(const nlohmann::json& entry, const std::string& key,
                                                const std::set<std::string>& sources) {
  broker::AllowedWorker worker;
  worker.name = entry.at("name").get<std::string>();
  if (entry.contains("public_key")) {
    worker.public_key = entry.at("public_key").get<std::string>();
    if (!IsZ85Key(worker.public_key)) {
      return ValidationError(key + ".public_key: not a CURVE public key (40 characters of Z85)");
    }
  } else {
    auto read =
        ReadCurveKeyFile(entry.at("public_key_file").get<std::string>(), key + ".public_key_file");
    if (!read.ok()) return read.status();
    worker.public_key = *read;
  }
  for (const auto& source : entry.at("sources")) {
    const std::string name = source.get<std::string>();
    if (sources.count(name) == 0) {
      return ValidationError(key + ".sources: '" + name + "' is not one of the configured sources");
    }
    worker.sources.push_back(name);
  }
  return worker;
}

}  // namespace

Result<std::optional<broker::BrokerSecurity>> LoadBrokerSecurity(
    const nlohmann::json& broker, const std::string& bind, const std::set<std::string>& sources) {
  const bool plaintext = broker.value("allow_plaintext", false);
  const bool curve = broker.contains("curve");
  if (plaintext && curve) {
    return ValidationError(
        "broker: both curve and allow_plaintext: true are set; choose one (remove "
        "allow_plaintext to use CurveZMQ)");
  }
  if (plaintext) {
    if (!IsLocalEndpoint(bind)) {
      return ValidationError(
          "broker.allow_plaintext: plaintext is allowed only on a loopback "
          "endpoint, and broker.bind is '" +
          bind + "'; configure broker.curve and broker.workers instead");
    }
    if (broker.contains("workers")) {
      return ValidationError("broker.workers: an allow-list of worker keys needs broker.curve");
    }
    return std::optional<broker::BrokerSecurity>();
  }
  if (!curve) {
    return ValidationError(
        "broker.curve: workers must authenticate with CurveZMQ keys: set broker.curve "
        "(the coordinator's key, `dsrctl keygen`) and broker.workers (the allowed worker keys); "
        "an unencrypted broker needs broker.allow_plaintext: true and a loopback bind");
  }
  broker::BrokerSecurity security;
  const nlohmann::json& keys = broker.at("curve");
  auto secret = ReadCurveSecretKeyFile(keys.at("secret_key_file").get<std::string>(),
                                       "broker.curve.secret_key_file");
  if (!secret.ok()) return secret.status();
  security.secret_key = *secret;
  if (keys.contains("public_key_file")) {
    auto stated = ReadCurveKeyFile(keys.at("public_key_file").get<std::string>(),
                                   "broker.curve.public_key_file");
    if (!stated.ok()) return stated.status();
    auto derived = CurvePublicKeyOf(security.secret_key);
    if (!derived.ok()) return derived.status();
    if (*stated != *derived) {
      return ValidationError(
          "broker.curve.public_key_file: the public key does not belong to the secret key");
    }
  }
  if (!broker.contains("workers")) {
    return ValidationError(
        "broker.workers: the allow-list of worker keys is missing; "
        "without it no worker can connect");
  }
  const nlohmann::json& workers = broker.at("workers");
  for (size_t i = 0; i < workers.size(); ++i) {
    const std::string key = "broker.workers[" + std::to_string(i) + "]";
    auto worker = LoadAllowedWorker(workers[i], key, sources);
    if (!worker.ok()) return worker.status();
    for (const auto& earlier : security.workers) {
      if (earlier.name == worker->name) {
        return ValidationError(key + ".name: '" + worker->name + "' appears twice");
      }
      if (earlier.public_key == worker->public_key) {
        return ValidationError(key + ": the same public key as '" + earlier.name +
                               "'; each key has one name");
      }
    }
    security.workers.push_back(std::move(*worker));
  }
  return std::optional<broker::BrokerSecurity>(std::move(security));
}

Result<std::optional<api::TlsSettings>> LoadHttpTls(const nlohmann::json& http) {
  const bool plain = http.value("allow_plain_http", false);
  const bool tls = http.contains("tls");
  if (plain && tls) {
    return ValidationError(
        "http: both tls and allow_plain_http: true are set; choose one (remove allow_plain_http "
        "to serve HTTPS)");
  }
  if (plain) return std::optional<api::TlsSettings>();
  if (!tls) {
    return ValidationError(
        "http.tls: the API is served over HTTPS only: set http.tls.certificate_file and "
        "http.tls.private_key_file; plain HTTP needs http.allow_plain_http: true");
  }
  const nlohmann::json& section = http.at("tls");
  api::TlsSettings settings;
  settings.certificate_file = section.at("certificate_file").get<std::string>();
  settings.private_key_file = section.at("private_key_file").get<std::string>();
  settings.ca_file = section.value("ca_file", "");
  DSR_RETURN_IF_ERROR(CheckReadable(settings.certificate_file, "http.tls.certificate_file"));
  DSR_RETURN_IF_ERROR(CheckReadable(settings.private_key_file, "http.tls.private_key_file"));
  if (!settings.ca_file.empty()) {
    DSR_RETURN_IF_ERROR(CheckReadable(settings.ca_file, "http.tls.ca_file"));
  }
  return std::optional<api::TlsSettings>(std::move(settings));
}

}  // namespace dsr
