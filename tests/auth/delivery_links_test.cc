// Delivery links on a real SQLite store with a ManualClock: a link works
// until it expires, a one-time code is checked and five wrong ones revoke
// the link, downloads are counted, and the audit trail never holds the
// token or the code.
#include "coordinator/auth/delivery_links.h"

#include <doctest/doctest.h>

#include "coordinator/auth/credentials.h"
#include "tests/support/temp_dir.h"

namespace dsr::auth {
namespace {

using std::chrono::hours;

struct Fixture {
  testing::TempDir dir;
  std::unique_ptr<store::Store> store =
      std::move(store::Store::Open("sqlite3://db=" + dir.File("dsr.db"), 2).value());
  ManualClock clock{Clock::WallTime(hours(24 * 20000))};
  DeliveryLinks links{*store, clock};

  Fixture() {
    store::RequestRecord request;
    request.id = "r1";
    request.type = store::RequestType::kAccess;
    request.status = store::RequestStatus::kCompleted;
    request.subject = {{"email", "anna@example.org"}};
    request.language = "en";
    request.received_on = CivilDate(2024, 10, 1);
    request.due_on = CivilDate(2024, 11, 1);
    request.created_at = FormatUtc(clock.Now());
    request.updated_at = request.created_at;
    REQUIRE(store->Write([&](store::StoreWriter& w) { return w.InsertRequest(request); }).ok());
  }

  std::vector<store::EventRecord> Events() const {
    auto events = store->EventsOfRequest("r1");
    REQUIRE(events.ok());
    return *events;
  }
};

LinkState StateOf(const Result<LinkVisit>& visit) {
  REQUIRE_MESSAGE(visit.ok(), visit.status().ToString());
  return visit->state;
}

}  // namespace

TEST_SUITE("DeliveryLinks") {
  TEST_CASE("a link works until it expires; the store keeps only the token's digest") {
    Fixture f;
    auto issued = f.links.Create("r1", "anna", 3, false);
    REQUIRE(issued.ok());
    CHECK(IsWellFormedToken(issued->token, kDeliveryTokenPrefix));
    CHECK_FALSE(issued->code);
    CHECK(issued->expires_at == FormatUtc(f.clock.Now() + hours(72)));
    auto stored = f.store->GetDeliveryLink(TokenDigest(issued->token));
    REQUIRE(stored.ok());
    CHECK(stored->created_by == "anna");
    CHECK_FALSE(stored->code_hash);

    CHECK(StateOf(f.links.Look(issued->token)) == LinkState::kOpen);
    CHECK(StateOf(f.links.Download(issued->token, std::nullopt)) == LinkState::kOpen);
    CHECK(StateOf(f.links.Download(issued->token, std::nullopt)) == LinkState::kOpen);
    CHECK(f.store->GetDeliveryLink(TokenDigest(issued->token))->downloads == 2);

    f.clock.Advance(hours(72) - std::chrono::seconds(1));
    CHECK(StateOf(f.links.Look(issued->token)) == LinkState::kOpen);
    f.clock.Advance(std::chrono::seconds(1));
    CHECK(StateOf(f.links.Look(issued->token)) == LinkState::kExpired);
    CHECK(StateOf(f.links.Download(issued->token, std::nullopt)) == LinkState::kExpired);
    CHECK(f.store->GetDeliveryLink(TokenDigest(issued->token))->downloads == 2);

    // What was done is in the audit trail; the token is not.
    std::vector<std::string> kinds;
    for (const auto& event : f.Events()) {
      kinds.push_back(event.kind);
      CHECK(event.details.find(issued->token) == std::string::npos);
      CHECK(event.details.find(TokenDigest(issued->token)) == std::string::npos);
    }
    CHECK(kinds == std::vector<std::string>{"delivery.link_created", "delivery.downloaded",
                                            "delivery.downloaded"});
    CHECK(f.Events().front().actor == "anna");
  }

  TEST_CASE("unknown and malformed tokens are unknown; days are 1 to 30") {
    Fixture f;
    CHECK(StateOf(f.links.Look("dsrd_" + std::string(43, 'A'))) == LinkState::kUnknown);
    CHECK(StateOf(f.links.Look("../etc/passwd")) == LinkState::kUnknown);
    CHECK(StateOf(f.links.Download("", std::nullopt)) == LinkState::kUnknown);
    CHECK(f.links.Create("r1", "anna", 0, false).status().code() == StatusCode::kValidation);
    CHECK(f.links.Create("r1", "anna", 31, false).status().code() == StatusCode::kValidation);
    CHECK(f.links.Create("nope", "anna", 1, false).status().code() == StatusCode::kNotFound);
    CHECK(f.Events().empty());
  }

  TEST_CASE("a code is checked, kept only as Argon2id, and five wrong ones revoke the link") {
    Fixture f;
    auto issued = f.links.Create("r1", "anna", 14, true);
    REQUIRE(issued.ok());
    REQUIRE(issued->code);
    CHECK(issued->code->size() == static_cast<size_t>(kDeliveryCodeDigits));
    CHECK(issued->code->find_first_not_of("0123456789") == std::string::npos);
    const auto stored = f.store->GetDeliveryLink(TokenDigest(issued->token));
    REQUIRE(stored.ok());
    REQUIRE(stored->code_hash);
    CHECK(stored->code_hash->rfind("$argon2id$", 0) == 0);
    CHECK(VerifyPassword(*stored->code_hash, *issued->code));

    CHECK(StateOf(f.links.Download(issued->token, std::nullopt)) == LinkState::kWrongCode);
    CHECK(StateOf(f.links.Download(issued->token, std::string("00000000x"))) ==
          LinkState::kWrongCode);
    CHECK(StateOf(f.links.Download(issued->token, *issued->code)) == LinkState::kOpen);
    CHECK(f.store->GetDeliveryLink(TokenDigest(issued->token))->failed_codes == 1);  // not none
    // Four more wrong codes (five in all) revoke it; the right one no longer helps.
    for (int i = 0; i < 4; ++i) {
      auto visit = f.links.Download(issued->token, std::string("x"));
      CHECK(StateOf(visit) == LinkState::kWrongCode);
      CHECK(visit->link->revoked_at.has_value() == (i == 3));
    }
    CHECK(StateOf(f.links.Look(issued->token)) == LinkState::kRevoked);
    CHECK(StateOf(f.links.Download(issued->token, *issued->code)) == LinkState::kRevoked);
    const auto after = f.store->GetDeliveryLink(TokenDigest(issued->token));
    CHECK(after->failed_codes == kMaxWrongCodes);
    CHECK(after->downloads == 1);

    std::vector<std::string> kinds;
    for (const auto& event : f.Events()) {
      kinds.push_back(event.kind);
      CHECK(event.details.find(*issued->code) == std::string::npos);
    }
    CHECK(kinds == std::vector<std::string>{"delivery.link_created", "delivery.downloaded",
                                            "delivery.link_revoked"});
    CHECK(f.Events().front().details.find("\"one_time_code\":true") != std::string::npos);
  }
}

}  // namespace dsr::auth
