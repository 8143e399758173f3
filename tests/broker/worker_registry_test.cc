#include "coordinator/broker/worker_registry.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace dsr::broker {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

WorkerInfo Worker(const std::string& routing_id, const std::string& source, int capacity,
                  Clock::MonotonicTime seen = {}) {
  WorkerInfo info;
  info.routing_id = routing_id;
  info.name = "worker-" + routing_id;
  info.source = source;
  info.connector = "sql";
  info.version = "1";
  info.capacity = capacity;
  info.last_seen = seen;
  return info;
}

std::vector<std::string> Picks(WorkerRegistry& registry, const std::string& source, int count) {
  std::vector<std::string> picked;
  for (int i = 0; i < count; ++i) picked.push_back(registry.PickWorker(source).value_or("-"));
  return picked;
}

}  // namespace

TEST_SUITE("WorkerRegistry") {
  TEST_CASE("hands tasks round-robin to the workers of a source") {
    WorkerRegistry registry(seconds(3));
    REQUIRE_FALSE(registry.Register(Worker("a", "crm", 4)).has_value());
    REQUIRE_FALSE(registry.Register(Worker("b", "crm", 4)).has_value());
    std::vector<std::string> assigned;
    for (int i = 0; i < 5; ++i) {
      const std::string picked = registry.PickWorker("crm").value_or("-");
      registry.Assign(picked, Slot{"t" + std::to_string(i), 1});
      assigned.push_back(picked);
    }
    CHECK(assigned == std::vector<std::string>{"a", "b", "a", "b", "a"});
  }

  TEST_CASE("a pick that finds no task to hand out does not skip a worker") {
    // Regression: the engine picks a worker, then learns the queue is empty;
    // rotating on that pick sent every single task to the same worker.
    WorkerRegistry registry(seconds(3));
    (void)registry.Register(Worker("a", "crm", 1));
    (void)registry.Register(Worker("b", "crm", 1));
    for (int round = 0; round < 3; ++round) {
      const std::string first = registry.PickWorker("crm").value_or("-");
      registry.Assign(first, Slot{"t" + std::to_string(round), 1});
      CHECK(registry.PickWorker("crm").has_value());  // the idle one, not handed anything
      registry.Release(first, Slot{"t" + std::to_string(round), 1});
      CHECK(first == (round % 2 == 0 ? "a" : "b"));
    }
  }

  TEST_CASE("skips a busy worker and gives none when all are busy") {
    WorkerRegistry registry(seconds(3));
    (void)registry.Register(Worker("a", "crm", 1));
    (void)registry.Register(Worker("b", "crm", 2));
    registry.Assign("a", Slot{"t1", 1});
    CHECK(Picks(registry, "crm", 3) == std::vector<std::string>{"b", "b", "b"});
    registry.Assign("b", Slot{"t2", 1});
    CHECK(registry.PickWorker("crm") == std::optional<std::string>("b"));
    registry.Assign("b", Slot{"t3", 1});
    CHECK_FALSE(registry.PickWorker("crm").has_value());
    CHECK(registry.Find("b")->tasks == std::set<Slot>{{"t2", 1}, {"t3", 1}});

    CHECK(registry.Release("a", Slot{"t1", 1}));
    CHECK(registry.PickWorker("crm") == std::optional<std::string>("a"));
    CHECK(registry.Find("a")->tasks.empty());                  // picking alone does not assign
    CHECK_FALSE(registry.Release("b", Slot{"t-unknown", 1}));  // harmless
    CHECK(registry.Find("b")->tasks.size() == 2);
  }

  TEST_CASE("never picks a worker of another source") {
    WorkerRegistry registry(seconds(3));
    (void)registry.Register(Worker("m", "mail", 8));
    (void)registry.Register(Worker("c", "crm", 8));
    CHECK(Picks(registry, "crm", 4) == std::vector<std::string>{"c", "c", "c", "c"});
    CHECK(Picks(registry, "mail", 2) == std::vector<std::string>{"m", "m"});
    CHECK_FALSE(registry.PickWorker("tickets").has_value());
    CHECK(registry.WorkersOf("crm").size() == 1);
    CHECK(registry.WorkersOf("crm")[0]->routing_id == "c");
    CHECK(registry.All().size() == 2);
  }

  TEST_CASE("Expire removes only silent workers and returns their tasks") {
    ManualClock clock(Clock::WallTime(seconds(1741168800)));
    WorkerRegistry registry(seconds(3));
    (void)registry.Register(Worker("quiet", "crm", 2, clock.Monotonic()));
    (void)registry.Register(Worker("chatty", "crm", 2, clock.Monotonic()));
    registry.Assign("quiet", Slot{"t1", 1});
    registry.Assign("quiet", Slot{"t2", 1});
    registry.Assign("chatty", Slot{"t3", 1});

    clock.Advance(seconds(2));
    CHECK(registry.Touch("chatty", clock.Monotonic()));
    CHECK_FALSE(registry.Touch("stranger", clock.Monotonic()));
    clock.Advance(seconds(1));
    CHECK(registry.Expire(clock.Monotonic()).empty());  // exactly at the expiry: still alive

    clock.Advance(milliseconds(1));
    auto expired = registry.Expire(clock.Monotonic());
    REQUIRE(expired.size() == 1);
    CHECK(expired[0].routing_id == "quiet");
    CHECK(expired[0].tasks == std::set<Slot>{{"t1", 1}, {"t2", 1}});
    CHECK(registry.Find("quiet") == nullptr);
    REQUIRE(registry.Find("chatty") != nullptr);
    CHECK(Picks(registry, "crm", 2) == std::vector<std::string>{"chatty", "chatty"});

    clock.Advance(seconds(5));
    CHECK(registry.Expire(clock.Monotonic()).size() == 1);
    CHECK(registry.All().empty());
    CHECK_FALSE(registry.PickWorker("crm").has_value());
  }

  TEST_CASE("Register of a known routing id replaces the old registration and returns it") {
    WorkerRegistry registry(seconds(3));
    (void)registry.Register(Worker("a", "crm", 1));
    (void)registry.Register(Worker("b", "crm", 1));
    registry.Assign("a", Slot{"t1", 1});

    WorkerInfo again = Worker("a", "crm", 2);
    again.name = "crm-restarted";
    auto replaced = registry.Register(again);
    REQUIRE(replaced.has_value());
    CHECK(replaced->name == "worker-a");
    CHECK(replaced->tasks == std::set<Slot>{{"t1", 1}});

    REQUIRE(registry.Find("a") != nullptr);
    CHECK(registry.Find("a")->name == "crm-restarted");
    CHECK(registry.Find("a")->tasks.empty());
    CHECK(registry.WorkersOf("crm").size() == 2);
    // The replaced worker is in the rotation once, not twice.
    std::vector<std::string> assigned;
    for (int i = 0; i < 4; ++i) {
      const std::string picked = registry.PickWorker("crm").value_or("-");
      registry.Assign(picked, Slot{"t" + std::to_string(i + 10), 1});
      registry.Release(picked, Slot{"t" + std::to_string(i + 10), 1});
      assigned.push_back(picked);
    }
    CHECK(assigned == std::vector<std::string>{"b", "a", "b", "a"});
  }

  TEST_CASE("Remove takes a worker out of the rotation") {
    WorkerRegistry registry(seconds(3));
    (void)registry.Register(Worker("a", "crm", 1));
    (void)registry.Register(Worker("b", "crm", 1));
    auto removed = registry.Remove("a");
    REQUIRE(removed.has_value());
    CHECK(removed->routing_id == "a");
    CHECK_FALSE(registry.Remove("a").has_value());
    CHECK(Picks(registry, "crm", 2) == std::vector<std::string>{"b", "b"});
  }

  TEST_CASE("a slot is freed once, by its own attempt; an abandoned attempt keeps its slot") {
    WorkerRegistry registry(seconds(3));
    (void)registry.Register(Worker("a", "crm", 1));
    (void)registry.Register(Worker("b", "crm", 1));
    // Attempt 1 on "a" was given up by the coordinator, but "a" is still
    // busy with it: only "b" can take attempt 2.
    registry.Assign("a", Slot{"t1", 1});
    CHECK(registry.PickWorker("crm") == std::optional<std::string>("b"));
    registry.Assign("b", Slot{"t1", 2});
    CHECK_FALSE(registry.PickWorker("crm").has_value());
    // The result of attempt 2 frees only the slot of attempt 2.
    CHECK_FALSE(registry.Release("a", Slot{"t1", 2}));
    CHECK(registry.Release("b", Slot{"t1", 2}));
    CHECK_FALSE(registry.Release("b", Slot{"t1", 2}));  // a repeated RESULT frees nothing
    CHECK(registry.PickWorker("crm") == std::optional<std::string>("b"));
    CHECK(registry.Find("a")->tasks.size() == 1);
    // The stale RESULT of attempt 1 frees "a", once.
    CHECK(registry.Release("a", Slot{"t1", 1}));
    CHECK_FALSE(registry.Release("a", Slot{"t1", 1}));
    CHECK(registry.Find("a")->tasks.empty());
  }

  TEST_CASE("a draining worker gets no new task but keeps the ones it runs") {
    WorkerRegistry registry(seconds(3));
    (void)registry.Register(Worker("a", "crm", 2));
    registry.Assign("a", Slot{"t1", 1});
    registry.MarkDraining("a");
    CHECK_FALSE(registry.PickWorker("crm").has_value());
    CHECK(registry.Find("a")->tasks.size() == 1);
    CHECK(registry.Release("a", Slot{"t1", 1}));
    CHECK_FALSE(registry.PickWorker("crm").has_value());
    registry.MarkDraining("unknown");  // harmless
  }
}

}  // namespace dsr::broker
