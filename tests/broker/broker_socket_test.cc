#include "coordinator/broker/broker_socket.h"

#include <doctest/doctest.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>
#include <zmq.hpp>

#include "common/zmq_frames.h"

namespace dsr::broker {
namespace {

using std::chrono::milliseconds;
using Steady = std::chrono::steady_clock;

constexpr milliseconds kPatience(5000);

const char* const kReadyHeader =
    R"({"source":"crm","connector":"sql","worker":"crm-1","version":"1","capacity":1,"actions":["export"]})";

// Waits (bounded) for the next valid message; invalid ones are dropped on the way.
std::optional<BrokerSocket::Incoming> ReceiveWithin(BrokerSocket& broker, milliseconds patience) {
  const auto give_up = Steady::now() + patience;
  while (Steady::now() < give_up) {
    if (auto incoming = broker.Receive()) return incoming;
    zmq::pollitem_t item{broker.socket().handle(), 0, ZMQ_POLLIN, 0};
    zmq::poll(&item, 1, milliseconds(50));
  }
  return std::nullopt;
}

std::optional<std::vector<std::string>> ReceiveWithin(zmq::socket_t& socket,
                                                      milliseconds patience) {
  zmq::pollitem_t item{socket.handle(), 0, ZMQ_POLLIN, 0};
  if (zmq::poll(&item, 1, patience) != 1) return std::nullopt;
  return ReceiveFrames(socket);
}

struct BrokerFixture {
  zmq::context_t context;
  BrokerSocket broker{context};
  std::string endpoint;

  BrokerFixture() {
    auto bound = broker.Bind("tcp://127.0.0.1:*");
    REQUIRE(bound.ok());
    endpoint = *bound;
  }

  zmq::socket_t Dealer() {
    zmq::socket_t dealer(context, zmq::socket_type::dealer);
    ApplyCommonOptions(dealer);
    dealer.connect(endpoint);
    return dealer;
  }
};

}  // namespace

TEST_SUITE("BrokerSocket") {
  TEST_CASE("binds a free port on loopback") {
    BrokerFixture f;
    CHECK(f.endpoint.rfind("tcp://127.0.0.1:", 0) == 0);
    CHECK(f.endpoint != "tcp://127.0.0.1:*");
    BrokerSocket other(f.context);
    CHECK(other.Bind(f.endpoint).status().code() == StatusCode::kUnavailable);
  }

  TEST_CASE("delivers a valid message decoded, with the sender's routing id") {
    BrokerFixture f;
    CHECK_FALSE(f.broker.Receive().has_value());
    zmq::socket_t first = f.Dealer();
    zmq::socket_t second = f.Dealer();
    REQUIRE(SendFrames(first, {"DSRW/1", "READY", kReadyHeader}).ok());
    auto ready = ReceiveWithin(f.broker, kPatience);
    REQUIRE(ready.has_value());
    CHECK(ready->message.command == wire::Command::kReady);
    CHECK(ready->message.header.at("source") == "crm");
    CHECK(ready->message.header.at("worker") == "crm-1");
    CHECK_FALSE(ready->routing_id.empty());

    REQUIRE(SendFrames(second, {"DSRW/1", "HEARTBEAT", "{}"}).ok());
    auto beat = ReceiveWithin(f.broker, kPatience);
    REQUIRE(beat.has_value());
    CHECK(beat->message.command == wire::Command::kHeartbeat);
    CHECK(beat->routing_id != ready->routing_id);

    // A reply to the routing id reaches that peer and no other.
    REQUIRE(f.broker.Send(ready->routing_id, wire::Disconnect("bye")).ok());
    auto reply = ReceiveWithin(first, kPatience);
    REQUIRE(reply.has_value());
    auto decoded = wire::Decode(*reply, wire::Sender::kCoordinator);
    REQUIRE(decoded.ok());
    CHECK(decoded->command == wire::Command::kDisconnect);
    CHECK(decoded->header.at("reason") == "bye");
    CHECK_FALSE(ReceiveWithin(second, milliseconds(50)).has_value());
    CHECK(f.broker.dropped_messages() == 0);
  }

  TEST_CASE("drops and counts garbage, then delivers the next valid message") {
    BrokerFixture f;
    zmq::socket_t dealer = f.Dealer();
    const std::vector<std::vector<std::string>> garbage = {
        {"MDPW01", "READY", kReadyHeader},                             // wrong signature
        {"DSRW/1", "EXPLODE", "{}"},                                   // unknown command
        {"DSRW/1", "READY", R"({"source": "crm", )"},                  // bad JSON
        {"DSRW/1", "READY", R"({"source":"crm","connector":"sql"})"},  // breaks the schema
        {"DSRW/1", "TASK", "{}"},                                      // the coordinator's command
        {"DSRW/1", "HEARTBEAT", "{}", "unexpected payload"},           // wrong frame count
        {"DSRW/1"},                                                    // too few frames
    };
    for (const auto& frames : garbage) REQUIRE(SendFrames(dealer, frames).ok());
    REQUIRE(SendFrames(dealer, {"DSRW/1", "HEARTBEAT", "{}"}).ok());

    auto valid = ReceiveWithin(f.broker, kPatience);
    REQUIRE(valid.has_value());
    CHECK(valid->message.command == wire::Command::kHeartbeat);
    // One peer's messages arrive in order: all garbage was seen before the heartbeat.
    CHECK(f.broker.dropped_messages() == garbage.size());
    CHECK_FALSE(f.broker.Receive().has_value());
  }

  TEST_CASE("Send to an unknown routing id is kUnavailable, not a silent loss") {
    BrokerFixture f;
    const Status sent = f.broker.Send("no-such-peer", wire::Heartbeat());
    CHECK(sent.code() == StatusCode::kUnavailable);
  }

  TEST_CASE("Send to a worker that went away becomes kUnavailable") {
    BrokerFixture f;
    std::string routing_id;
    {
      zmq::socket_t dealer = f.Dealer();
      REQUIRE(SendFrames(dealer, {"DSRW/1", "HEARTBEAT", "{}"}).ok());
      auto beat = ReceiveWithin(f.broker, kPatience);
      REQUIRE(beat.has_value());
      routing_id = beat->routing_id;
      REQUIRE(f.broker.Send(routing_id, wire::Heartbeat()).ok());
    }
    // The ROUTER notices the closed connection asynchronously.
    const auto give_up = Steady::now() + kPatience;
    Status sent;
    while (Steady::now() < give_up) {
      sent = f.broker.Send(routing_id, wire::Heartbeat());
      if (!sent.ok()) break;
      zmq::pollitem_t item{f.broker.socket().handle(), 0, ZMQ_POLLIN, 0};
      zmq::poll(&item, 1, milliseconds(10));
    }
    CHECK(sent.code() == StatusCode::kUnavailable);
  }

  TEST_CASE("Send refuses a message that breaks its schema") {
    BrokerFixture f;
    wire::Message task;
    task.command = wire::Command::kTask;
    task.header = {{"task_id", "not-a-uuid"}};
    CHECK(f.broker.Send("anyone", task).code() == StatusCode::kInternal);
  }
}

}  // namespace dsr::broker
