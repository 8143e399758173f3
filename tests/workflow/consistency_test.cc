#include "coordinator/workflow/consistency.h"

#include <doctest/doctest.h>

#include <fstream>

#include "tests/workflow/workflow_fixture.h"

namespace dsr::workflow {
namespace {

std::string Spool(const dsr::testing::TempDir& dir, const std::string& name,
                  const std::vector<nlohmann::json>& attributes, bool ambiguous = false) {
  const std::string path = dir.File(name);
  std::ofstream out(path);
  int key = 0;
  for (const auto& attrs : attributes) {
    nlohmann::json line = {{"key", std::to_string(++key)},
                           {"match", ambiguous ? "ambiguous" : "confirmed"},
                           {"record", {{"id", key}}},
                           {"attributes", attrs}};
    if (ambiguous) line["ambiguity"] = "matches phone; email differs";
    out << line.dump() << "\n";
  }
  return path;
}

}  // namespace

TEST_SUITE("Consistency") {
  TEST_CASE("normalises spellings before comparing") {
    CHECK(NormalizedAttribute("phone", "+49 30 1234567", "49") ==
          NormalizedAttribute("phone", "030/1234567", "49"));
    CHECK(NormalizedAttribute("phone", "0049 30 1234567", "49") == "49301234567");
    CHECK(NormalizedAttribute("email", "Jane.Doe@Example.org ", "49") == "jane.doe@example.org");
    CHECK(NormalizedAttribute("name", "Jürgen   Müller", "49") ==
          NormalizedAttribute("name", "jürgen müller", "49"));
    CHECK(CountryCallingCode("DE-BY") == "49");
    CHECK(CountryCallingCode("XX").empty());
  }

  TEST_CASE(
      "reports the attributes on which the sources disagree, with the sources of each value") {
    testing::WorkflowFixture f;
    const auto planned = f.Submit();  // tasks: mail, crm
    const std::string mail =
        Spool(f.dir, "mail.jsonl", {{{"email", "jane@example.org"}, {"name", "Jane Doe"}}});
    const std::string crm = Spool(f.dir, "crm.jsonl",
                                  {{{"email", "JANE@example.org"}, {"phone", "030 1234567"}},
                                   {{"phone", "+49 30 7654321"}, {"name", "Jane Doe"}}});
    const std::string other =
        Spool(f.dir, "other.jsonl", {{{"phone", "0170 999999"}}}, /*ambiguous=*/true);
    REQUIRE(f.store
                ->Write([&](store::StoreWriter& writer) {
                  DSR_RETURN_IF_ERROR(writer.ReplaceResults(
                      planned.tasks[0].id, {{planned.tasks[0].id, "inbox", 1, mail, "x", 1}}));
                  return writer.ReplaceResults(
                      planned.tasks[1].id, {{planned.tasks[1].id, "customers", 2, crm, "x", 1},
                                            {planned.tasks[1].id, "contacts", 1, other, "x", 1}});
                })
                .ok());
    auto differences = CompareAttributes(*f.store, planned.request.id, "49");
    REQUIRE(differences.ok());
    REQUIRE(differences->size() ==
            1);  // the e-mail and name agree; the ambiguous phone does not count
    const auto& phone = differences->at(0);
    CHECK(phone.at("attribute") == "phone");
    REQUIRE(phone.at("values").size() == 2);
    for (const auto& value : phone.at("values"))
      CHECK(value.at("sources") == nlohmann::json{"crm"});
  }
}

}  // namespace dsr::workflow
