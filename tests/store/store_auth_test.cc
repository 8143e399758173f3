// Users, API tokens and sessions in the store, on the backend of this run
// (SQLite, or MariaDB in dsr_store_test_mariadb).
#include <doctest/doctest.h>

#include "coordinator/store/store.h"
#include "tests/store/store_location.h"

namespace dsr::store {
namespace {

std::unique_ptr<Store> OpenStore(const testing::StoreLocation& location) {
  auto store = Store::Open(location.url(), 2);
  REQUIRE_MESSAGE(store.ok(), store.status().ToString());
  return std::move(store.value());
}

UserRecord SampleUser(const std::string& name, const std::string& role) {
  return {name,
          role,
          "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA",
          "2026-11-01T08:00:00.000Z",
          std::nullopt,
          std::nullopt};
}

RequestRecord SampleRequest(const std::string& id) {
  RequestRecord request;
  request.id = id;
  request.type = RequestType::kAccess;
  request.status = RequestStatus::kCompleted;
  request.subject = {{"email", "anna@example.org"}};
  request.language = "de";
  request.received_on = CivilDate(2026, 11, 1);
  request.due_on = CivilDate(2026, 12, 1);
  request.created_at = "2026-11-01T08:00:00.000Z";
  request.updated_at = request.created_at;
  request.completed_at = "2026-11-05T08:00:00.000Z";
  return request;
}

DeliveryLinkRecord SampleLink(const std::string& hash, const std::string& request_id) {
  DeliveryLinkRecord link;
  link.token_sha256 = hash;
  link.request_id = request_id;
  link.created_by = "anna";
  link.created_at = "2026-11-05T09:00:00.000Z";
  link.expires_at = "2026-11-19T09:00:00.000Z";
  return link;
}

Status Write(Store& store, const std::function<Status(StoreWriter&)>& body) {
  return store.Write(body);
}

}  // namespace

TEST_SUITE("StoreAuth") {
  TEST_CASE("users are kept by unique name, listed by name and disabled once") {
    testing::StoreLocation location;
    auto store = OpenStore(location);
    REQUIRE(
        Write(*store, [](StoreWriter& w) { return w.InsertUser(SampleUser("zoe", "dpo")); }).ok());
    REQUIRE(Write(*store, [](StoreWriter& w) {
              return w.InsertUser(SampleUser("anna", "agent"));
            }).ok());
    const Status again =
        Write(*store, [](StoreWriter& w) { return w.InsertUser(SampleUser("anna", "admin")); });
    CHECK(again.code() == StatusCode::kConflict);
    const auto anna = store->GetUser("anna");
    REQUIRE(anna.ok());
    CHECK(anna->role == "agent");
    CHECK(anna->password_hash == SampleUser("anna", "agent").password_hash);
    CHECK_FALSE(anna->disabled_at);
    CHECK(store->GetUser("Anna").status().code() == StatusCode::kNotFound);  // names are exact
    const auto users = store->ListUsers();
    REQUIRE(users.ok());
    REQUIRE(users->size() == 2);
    CHECK(users->at(0).name == "anna");
    CHECK(users->at(1).name == "zoe");

    REQUIRE(Write(*store, [](StoreWriter& w) {
              return w.DisableUser("anna", "2026-11-02T08:00:00.000Z");
            }).ok());
    REQUIRE(Write(*store, [](StoreWriter& w) {
              return w.DisableUser("anna", "2026-11-03T08:00:00.000Z");
            }).ok());
    CHECK(store->GetUser("anna")->disabled_at ==
          std::optional<std::string>("2026-11-02T08:00:00.000Z"));
    CHECK(Write(*store, [](StoreWriter& w) {
            return w.DisableUser("nobody", "2026-11-02T08:00:00.000Z");
          }).code() == StatusCode::kNotFound);
  }

  TEST_CASE("a user's language is none until chosen, then kept and cleared") {
    testing::StoreLocation location;
    auto store = OpenStore(location);
    REQUIRE(Write(*store, [](StoreWriter& w) {
              return w.InsertUser(SampleUser("anna", "agent"));
            }).ok());
    CHECK_FALSE(store->GetUser("anna")->language);
    REQUIRE(Write(*store, [](StoreWriter& w) {
              return w.SetUserLanguage("anna", std::string("de"));
            }).ok());
    CHECK(store->GetUser("anna")->language == std::optional<std::string>("de"));
    // Setting the same value again is no "missing row" (MariaDB counts changed rows only).
    REQUIRE(Write(*store, [](StoreWriter& w) {
              return w.SetUserLanguage("anna", std::string("de"));
            }).ok());
    CHECK(store->ListUsers()->at(0).language == std::optional<std::string>("de"));
    REQUIRE(
        Write(*store, [](StoreWriter& w) { return w.SetUserLanguage("anna", std::nullopt); }).ok());
    CHECK_FALSE(store->GetUser("anna")->language);
    CHECK(Write(*store, [](StoreWriter& w) {
            return w.SetUserLanguage("nobody", std::string("en"));
          }).code() == StatusCode::kNotFound);
  }

  TEST_CASE("API tokens are found by their hash and revoked by id") {
    testing::StoreLocation location;
    auto store = OpenStore(location);
    const std::string hash(64, 'a');
    ApiTokenRecord token{
        "tok-1",      "anna",      hash, std::string("laptop"), "2026-11-01T08:00:00.000Z",
        std::nullopt, std::nullopt};
    // A token needs its user.
    CHECK(Write(*store, [&](StoreWriter& w) { return w.InsertApiToken(token); }).code() ==
          StatusCode::kNotFound);
    REQUIRE(Write(*store, [&](StoreWriter& w) -> Status {
              DSR_RETURN_IF_ERROR(w.InsertUser(SampleUser("anna", "agent")));
              return w.InsertApiToken(token);
            }).ok());
    CHECK(Write(*store, [&](StoreWriter& w) { return w.InsertApiToken(token); }).code() ==
          StatusCode::kConflict);
    const auto found = store->GetApiTokenByHash(hash);
    REQUIRE(found.ok());
    CHECK(found->id == "tok-1");
    CHECK(found->user_name == "anna");
    CHECK(found->label == std::optional<std::string>("laptop"));
    CHECK_FALSE(found->expires_at);
    CHECK(store->GetApiTokenByHash(std::string(64, 'b')).status().code() == StatusCode::kNotFound);
    REQUIRE(Write(*store, [](StoreWriter& w) {
              return w.RevokeApiToken("tok-1", "2026-11-05T08:00:00.000Z");
            }).ok());
    CHECK(store->GetApiTokenByHash(hash)->revoked_at ==
          std::optional<std::string>("2026-11-05T08:00:00.000Z"));
    CHECK(Write(*store, [](StoreWriter& w) {
            return w.RevokeApiToken("tok-2", "2026-11-05T08:00:00.000Z");
          }).code() == StatusCode::kNotFound);
    const auto listed = store->ApiTokensOf("anna");
    REQUIRE(listed.ok());
    CHECK(listed->size() == 1);
  }

  TEST_CASE("sessions are created, touched and ended") {
    testing::StoreLocation location;
    auto store = OpenStore(location);
    const SessionRecord first{std::string(64, 'c'), "anna", "2026-11-01T08:00:00.000Z",
                              "2026-11-01T16:00:00.000Z", "2026-11-01T08:00:00.000Z"};
    SessionRecord second = first;
    second.token_sha256 = std::string(64, 'd');
    REQUIRE(Write(*store, [&](StoreWriter& w) -> Status {
              DSR_RETURN_IF_ERROR(w.InsertUser(SampleUser("anna", "agent")));
              DSR_RETURN_IF_ERROR(w.InsertSession(first));
              return w.InsertSession(second);
            }).ok());
    REQUIRE(Write(*store, [&](StoreWriter& w) {
              return w.TouchSession(first.token_sha256, "2026-11-01T09:00:00.000Z");
            }).ok());
    const auto found = store->GetSessionByHash(first.token_sha256);
    REQUIRE(found.ok());
    CHECK(found->user_name == "anna");
    CHECK(found->expires_at == "2026-11-01T16:00:00.000Z");
    CHECK(found->last_seen_at == "2026-11-01T09:00:00.000Z");
    REQUIRE(
        Write(*store, [&](StoreWriter& w) { return w.DeleteSession(first.token_sha256); }).ok());
    CHECK(store->GetSessionByHash(first.token_sha256).status().code() == StatusCode::kNotFound);
    CHECK(Write(*store, [&](StoreWriter& w) {
            return w.TouchSession(first.token_sha256, "2026-11-01T10:00:00.000Z");
          }).code() == StatusCode::kNotFound);
    CHECK(store->GetSessionByHash(second.token_sha256).ok());
    REQUIRE(Write(*store, [](StoreWriter& w) { return w.DeleteSessionsOf("anna"); }).ok());
    CHECK(store->GetSessionByHash(second.token_sha256).status().code() == StatusCode::kNotFound);
  }

  TEST_CASE("delivery links are kept by token digest, change, and go with a purge") {
    testing::StoreLocation location;
    auto store = OpenStore(location);
    const std::string first(64, 'a'), second(64, 'b');
    REQUIRE(Write(*store, [&](StoreWriter& w) -> Status {
              DSR_RETURN_IF_ERROR(w.InsertRequest(SampleRequest("r1")));
              DSR_RETURN_IF_ERROR(w.InsertRequest(SampleRequest("r2")));
              DeliveryLinkRecord with_code = SampleLink(first, "r1");
              with_code.code_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
              DSR_RETURN_IF_ERROR(w.InsertDeliveryLink(with_code));
              return w.InsertDeliveryLink(SampleLink(second, "r2"));
            }).ok());
    // A link needs its request.
    CHECK(Write(*store, [&](StoreWriter& w) {
            return w.InsertDeliveryLink(SampleLink(std::string(64, 'c'), "nope"));
          }).code() == StatusCode::kNotFound);

    auto read = store->GetDeliveryLink(first);
    REQUIRE(read.ok());
    CHECK(read->request_id == "r1");
    CHECK(read->created_by == "anna");
    CHECK(read->expires_at == "2026-11-19T09:00:00.000Z");
    REQUIRE(read->code_hash);
    CHECK(read->failed_codes == 0);
    CHECK(read->downloads == 0);
    CHECK_FALSE(read->revoked_at);
    CHECK_FALSE(store->GetDeliveryLink(second)->code_hash);
    CHECK(store->GetDeliveryLink(std::string(64, 'f')).status().code() == StatusCode::kNotFound);

    DeliveryLinkRecord changed = *read;
    changed.failed_codes = 5;
    changed.downloads = 2;
    changed.revoked_at = "2026-11-06T10:00:00.000Z";
    changed.expires_at = "2030-01-01T00:00:00.000Z";  // not a mutable field
    REQUIRE(Write(*store, [&](StoreWriter& w) { return w.UpdateDeliveryLink(changed); }).ok());
    read = store->GetDeliveryLink(first);
    REQUIRE(read.ok());
    CHECK(read->failed_codes == 5);
    CHECK(read->downloads == 2);
    CHECK(read->revoked_at == std::optional<std::string>("2026-11-06T10:00:00.000Z"));
    CHECK(read->expires_at == "2026-11-19T09:00:00.000Z");
    CHECK(Write(*store, [&](StoreWriter& w) {
            return w.UpdateDeliveryLink(SampleLink(std::string(64, 'd'), "r1"));
          }).code() == StatusCode::kNotFound);
    REQUIRE(store->DeliveryLinksOf("r1").ok());
    CHECK(store->DeliveryLinksOf("r1")->size() == 1);

    // Purging r1 deletes its link; r2's stays.
    REQUIRE(Write(*store, [&](StoreWriter& w) {
              return w.PurgeRequest("r1", "2026-12-10T00:00:00.000Z", false);
            }).ok());
    CHECK(store->GetDeliveryLink(first).status().code() == StatusCode::kNotFound);
    CHECK(store->DeliveryLinksOf("r1")->empty());
    CHECK(store->GetDeliveryLink(second).ok());
  }
}

}  // namespace dsr::store
