// The broker with CurveZMQ and its ZAP handler, on real sockets in one
// process: allowed keys get in and every message carries the key's name as
// User-Id; other keys never reach the broker.
#include "coordinator/broker/zap_handler.h"

#include <doctest/doctest.h>

#include <chrono>
#include <optional>
#include <zmq.hpp>

#include "common/curve_keys.h"
#include "common/zmq_frames.h"
#include "coordinator/broker/broker_socket.h"

namespace dsr::broker {
namespace {

using std::chrono::milliseconds;
using Steady = std::chrono::steady_clock;

const char* const kReadyHeader =
    R"({"source":"crm","connector":"sql","worker":"crm-1","version":"1","capacity":1,"actions":["export"]})";

// A CURVE broker with its handler, served by PollOnce as the engine would.
struct SecuredBroker {
  explicit SecuredBroker(zmq::context_t& context, BrokerSecurity allowed)
      : security(std::move(allowed)), zap(context, security, *clock), broker(context) {
    REQUIRE(zap.Bind().ok());
    REQUIRE(broker.UseCurve(security.secret_key).ok());
    endpoint = broker.Bind("tcp://127.0.0.1:*").value();
  }

  // Serves the handler and the broker until a message arrives or `patience` passes.
  std::optional<BrokerSocket::Incoming> ReceiveWithin(milliseconds patience) {
    const auto give_up = Steady::now() + patience;
    while (Steady::now() < give_up) {
      zap.HandleWaiting();
      if (auto incoming = broker.Receive()) return incoming;
      zmq::pollitem_t items[] = {{zap.socket().handle(), 0, ZMQ_POLLIN, 0},
                                 {broker.socket().handle(), 0, ZMQ_POLLIN, 0}};
      zmq::poll(items, 2, milliseconds(20));
    }
    return std::nullopt;
  }

  std::unique_ptr<Clock> clock = NewSystemClock();
  BrokerSecurity security;
  ZapHandler zap;
  BrokerSocket broker;
  std::string endpoint;
};

zmq::socket_t Client(zmq::context_t& context, const CurveKeyPair& own,
                     const std::string& server_key, const std::string& endpoint) {
  zmq::socket_t socket(context, zmq::socket_type::dealer);
  ApplyCommonOptions(socket);
  socket.set(zmq::sockopt::curve_serverkey, server_key);
  socket.set(zmq::sockopt::curve_publickey, own.public_key);
  socket.set(zmq::sockopt::curve_secretkey, own.secret_key);
  socket.connect(endpoint);
  return socket;
}

}  // namespace

TEST_SUITE("ZapHandler") {
  TEST_CASE("an allowed key gets in and its messages carry the key's name") {
    zmq::context_t context;
    const CurveKeyPair server = GenerateCurveKeyPair().value();
    const CurveKeyPair crm = GenerateCurveKeyPair().value();
    const CurveKeyPair stranger = GenerateCurveKeyPair().value();
    SecuredBroker secured(context, {server.secret_key, {{"crm-workers", crm.public_key, {"crm"}}}});

    zmq::socket_t intruder = Client(context, stranger, server.public_key, secured.endpoint);
    REQUIRE(SendFrames(intruder, {"DSRW/1", "READY", kReadyHeader}).ok());
    CHECK_FALSE(secured.ReceiveWithin(milliseconds(500)).has_value());
    CHECK(secured.zap.refused_unknown_key() >= 1);
    CHECK(secured.broker.dropped_messages() == 0);

    zmq::socket_t worker = Client(context, crm, server.public_key, secured.endpoint);
    REQUIRE(SendFrames(worker, {"DSRW/1", "READY", kReadyHeader}).ok());
    auto ready = secured.ReceiveWithin(milliseconds(5000));
    REQUIRE(ready.has_value());
    CHECK(ready->user_id == "crm-workers");
    CHECK(ready->message.command == wire::Command::kReady);
    REQUIRE(SendFrames(worker, {"DSRW/1", "HEARTBEAT", "{}"}).ok());
    auto heartbeat = secured.ReceiveWithin(milliseconds(5000));
    REQUIRE(heartbeat.has_value());
    CHECK(heartbeat->user_id == "crm-workers");
    CHECK(heartbeat->routing_id == ready->routing_id);
    // Still nothing from the intruder, however long it keeps trying.
    CHECK_FALSE(secured.ReceiveWithin(milliseconds(300)).has_value());
  }

  TEST_CASE("a second handler in the same context cannot bind: the start must fail") {
    zmq::context_t context;
    const auto clock = NewSystemClock();
    const BrokerSecurity security{GenerateCurveKeyPair().value().secret_key, {}};
    ZapHandler first(context, security, *clock);
    REQUIRE(first.Bind().ok());
    ZapHandler second(context, security, *clock);
    const Status bound = second.Bind();
    REQUIRE_FALSE(bound.ok());
    CHECK(bound.message().find("refusing to run the broker without it") != std::string::npos);
  }

  TEST_CASE("a plaintext client cannot talk to the CURVE broker") {
    zmq::context_t context;
    const CurveKeyPair server = GenerateCurveKeyPair().value();
    SecuredBroker secured(context, {server.secret_key, {}});
    zmq::socket_t plain(context, zmq::socket_type::dealer);
    ApplyCommonOptions(plain);
    plain.connect(secured.endpoint);
    REQUIRE(SendFrames(plain, {"DSRW/1", "READY", kReadyHeader}).ok());
    CHECK_FALSE(secured.ReceiveWithin(milliseconds(500)).has_value());
    CHECK(secured.broker.dropped_messages() == 0);
  }
}

}  // namespace dsr::broker
