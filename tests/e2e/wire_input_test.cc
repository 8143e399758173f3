// End-to-end: malformed or unknown wire messages are dropped and counted, and
// the coordinator keeps serving real workers.
#include <doctest/doctest.h>

#include <zmq.hpp>

#include "common/wire.h"
#include "common/zmq_frames.h"
#include "tests/e2e/cluster.h"

namespace dsr::testing {
namespace {

int64_t DroppedMessages(const Cluster& cluster) {
  const auto health = cluster.Call("GET", "/healthz");
  if (health.status != 200) return -1;
  return nlohmann::json::parse(health.body).at("engine").at("wire_messages_dropped").get<int64_t>();
}

}  // namespace

TEST_SUITE("EndToEnd") {
  TEST_CASE(
      "malformed and unknown wire messages are dropped and counted; the coordinator keeps "
      "running") {
    Cluster cluster;
    REQUIRE_FALSE(cluster.GenerateCrm(200).empty());
    REQUIRE(cluster.StartCoordinator());
    REQUIRE(DroppedMessages(cluster) == 0);

    zmq::context_t context;
    zmq::socket_t rogue(context, zmq::socket_type::dealer);
    ApplyCommonOptions(rogue);
    // A worker with a key on the allow-list that sends nonsense: its messages
    // pass the handshake and reach the broker, which must drop them.
    UseCurveKeys(rogue, cluster.transport().Key(Cluster::WorkerKeyName("crm")),
                 cluster.transport().coordinator().public_key);
    rogue.connect(cluster.broker());
    const std::string valid_ready =
        R"({"source":"crm","connector":"sql","worker":"rogue","version":"1","capacity":1,"actions":["export"]})";
    const std::vector<std::vector<std::string>> bad_messages = {
        {"MDPW01", "READY", valid_ready},                              // wrong signature
        {"DSRW/1", "READY", R"({"source": "crm", )"},                  // bad JSON
        {"DSRW/1", "EXPLODE", "{}"},                                   // unknown command
        {"DSRW/1", "READY", R"({"source":"crm","connector":"sql"})"},  // missing fields
        {"DSRW/1", "TASK", "{}"},                   // only the coordinator sends TASK
        {"DSRW/1"},                                 // too few frames
        {"DSRW/1", "CHUNK", R"({"task_id":"x"})"},  // no payload frame, bad id
        // a header nested 100,000 deep
        {"DSRW/1", "READY", std::string(100000, '[') + std::string(100000, ']')},
        // a READY whose worker name is stray UTF-8 bytes
        {"DSRW/1", "READY",
         R"({"source":"crm","connector":"sql","worker":")" + std::string(300, '\x80') +
             R"(","version":"1","capacity":1,"actions":["export"]})"},
        {"DSRW/1", "HEARTBEAT", "{}", "1", "2", "3", "4", "5", "6", "7"},  // too many frames
    };
    for (const auto& frames : bad_messages) REQUIRE(SendFrames(rogue, frames).ok());
    CHECK(WaitFor(
        [&] { return DroppedMessages(cluster) == static_cast<int64_t>(bad_messages.size()); }));

    // A READY for a source the coordinator does not have (nor the key may
    // serve) is refused with DISCONNECT.
    REQUIRE(
        SendFrames(
            rogue,
            {"DSRW/1", "READY",
             R"({"source":"billing","connector":"sql","worker":"rogue","version":"1","capacity":1,"actions":["export"]})"})
            .ok());
    zmq::pollitem_t item{rogue.handle(), 0, ZMQ_POLLIN, 0};
    REQUIRE(zmq::poll(&item, 1, std::chrono::seconds(10)) == 1);
    auto reply = wire::Decode(*ReceiveFrames(rogue), wire::Sender::kCoordinator);
    REQUIRE(reply.ok());
    CHECK(reply->command == wire::Command::kDisconnect);
    CHECK(reply->header.at("reason").get<std::string>().find("billing") != std::string::npos);
    rogue.close();

    // The coordinator still works for a real worker.
    REQUIRE(cluster.StartWorker("crm-1"));
    const auto created = cluster.SubmitAccess({{"email", "nobody@nowhere.example"}});
    REQUIRE(created.is_object());
    CHECK(cluster.ReviewAndApprove(created.at("id").get<std::string>()).at("status") ==
          "completed");
  }
}

}  // namespace dsr::testing
