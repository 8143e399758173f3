// The sample ticket system written for dsr-zendesk-standin: deterministic,
// with every sample customer present and the typical one's phone number
// differing from the CRM's.
#include "tools/sample-crm/sample_tickets.h"

#include <doctest/doctest.h>

#include <algorithm>

#include "tools/sample-crm/sample_crm_data.h"

namespace dsr::sample_crm {
namespace {

const nlohmann::json* UserWithEmail(const nlohmann::json& account, const std::string& email) {
  for (const auto& user : account.at("users")) {
    if (user.at("email") == email) return &user;
  }
  return nullptr;
}

}  // namespace

TEST_SUITE("Sample tickets") {
  TEST_CASE("the same seed gives the same account") {
    const SampleCrmData crm = GenerateSampleCrm(300, 7);
    CHECK(GenerateSampleTickets(crm, 7) == GenerateSampleTickets(crm, 7));
    CHECK(GenerateSampleTickets(crm, 7) != GenerateSampleTickets(crm, 8));
  }

  TEST_CASE("every sample customer has a user; the typical one with an old phone number") {
    const SampleCrmData crm = GenerateSampleCrm(300, 1);
    const nlohmann::json account = GenerateSampleTickets(crm, 1);
    REQUIRE(crm.samples.at(0).reason == "typical");
    const std::string typical = crm.samples.at(0).customer_number;
    for (const auto& sample : crm.samples) {
      const nlohmann::json* user = UserWithEmail(account, sample.email);
      REQUIRE_MESSAGE(user != nullptr, sample.reason);
      if (sample.customer_number == typical) {
        CHECK(user->at("phone") != sample.phone);
      } else {
        CHECK(user->at("phone") == sample.phone);
      }
    }
  }

  TEST_CASE(
      "the typical customer's tickets are closed and one ticket of someone else copies them") {
    const SampleCrmData crm = GenerateSampleCrm(300, 1);
    const nlohmann::json account = GenerateSampleTickets(crm, 1);
    REQUIRE(crm.samples.at(0).reason == "typical");
    const nlohmann::json& typical = *UserWithEmail(account, crm.samples.at(0).email);
    int requested = 0, copied = 0;
    for (const auto& ticket : account.at("tickets")) {
      if (ticket.at("requester_id") == typical.at("id")) {
        ++requested;
        CHECK(ticket.at("status") == "closed");
      }
      const auto& ccs = ticket.at("collaborator_ids");
      if (std::find(ccs.begin(), ccs.end(), typical.at("id")) != ccs.end()) ++copied;
    }
    CHECK(requested == 3);
    CHECK(copied >= 1);
  }

  TEST_CASE("comments are written in German and in English") {
    const nlohmann::json account = GenerateSampleTickets(GenerateSampleCrm(300, 1), 1);
    bool german = false, english = false;
    for (const auto& comment : account.at("comments")) {
      const std::string body = comment.at("body");
      german |= body.rfind("Hallo,", 0) == 0;
      english |= body.rfind("Hello,", 0) == 0;
    }
    CHECK(german);
    CHECK(english);
  }
}

}  // namespace dsr::sample_crm
