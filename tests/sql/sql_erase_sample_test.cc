// Erasure on the sample CRM with deploy/examples/worker-crm.yaml: customers
// anonymized, orders, order lines and support notes deleted, invoices and
// payments retained for 8 years after the end of their year, and orders kept
// as long as a retained invoice refers to them. Expected rows and dates come
// from plain SQL written here.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "connectors/connector.h"
#include "tests/sql/sample_crm_fixture.h"
#include "tests/sql/sql_test_support.h"

namespace dsr::connectors::testing {
namespace {

using KeySet = std::set<std::string>;
// Collection → end date → keys.
using RetainedKeys = std::map<std::string, std::map<std::string, KeySet>>;

// The end of an 8-year period that starts at the end of the date's year.
constexpr char kUntil[] = "date(%s, 'start of year', '+9 years', '-1 day')";

std::string Until(const std::string& column) {
  char text[128];
  std::snprintf(text, sizeof text, kUntil, column.c_str());
  return text;
}

KeySet Ids(const std::string& path, const std::string& sql, const std::string& customer) {
  KeySet ids;
  for (const auto& row : RawQuery(path, sql, {customer})) {
    ids.insert(std::to_string(row["id"].get<long long>()));
  }
  return ids;
}

// What erasing one customer must do, computed before the erasure.
struct Expected {
  std::map<std::string, KeySet> rows;  // table → the customer's row ids
  RetainedKeys retained;
  KeySet deleted_orders;
};

Expected ExpectedErasure(const std::string& path, long long customer_id) {
  const std::string id = std::to_string(customer_id);
  const std::string orders = "SELECT id FROM orders WHERE customer_id = ?1";
  const std::string invoices =
      "SELECT id FROM invoices WHERE customer_id = ?1 OR order_id IN (" + orders + ")";
  Expected expected;
  expected.rows = {
      {"customers", Ids(path, "SELECT id FROM customers WHERE id = ?1", id)},
      {"orders", Ids(path, orders, id)},
      {"order_lines",
       Ids(path, "SELECT id FROM order_lines WHERE order_id IN (" + orders + ")", id)},
      {"invoices", Ids(path, invoices, id)},
      {"payments", Ids(path, "SELECT id FROM payments WHERE invoice_id IN (" + invoices + ")", id)},
      {"support_notes", Ids(path, "SELECT id FROM support_notes WHERE customer_id = ?1", id)}};
  // An invoice is kept as long as its latest payment; an order as its latest invoice.
  const std::string invoice_until = "SELECT i.id, max(" + Until("i.issued_on") +
                                    ", coalesce((SELECT max(" + Until("p.paid_on") +
                                    ") FROM payments p WHERE p.invoice_id = i.id), '')) AS until " +
                                    "FROM invoices i WHERE i.id IN (" + invoices + ")";
  const std::map<std::string, std::string> until = {
      {"payments", "SELECT id, " + Until("paid_on") +
                       " AS until FROM payments WHERE invoice_id IN (" + invoices + ")"},
      {"invoices", invoice_until},
      {"orders", "SELECT i.order_id AS id, max(u.until) AS until FROM (" + invoice_until +
                     ") u JOIN invoices i ON i.id = u.id WHERE i.order_id IS NOT NULL GROUP BY "
                     "i.order_id"}};
  for (const auto& [table, sql] : until) {
    for (const auto& row : RawQuery(path, sql, {id})) {
      expected.retained[table][row["until"].get<std::string>()].insert(
          std::to_string(row["id"].get<long long>()));
    }
  }
  for (const auto& order : expected.rows["orders"]) {
    bool kept = false;
    for (const auto& [date, keys] : expected.retained["orders"]) kept |= keys.count(order) != 0;
    if (!kept) expected.deleted_orders.insert(order);
  }
  return expected;
}

RetainedKeys RetainedOf(const std::vector<CollectionOutcome>& outcomes) {
  RetainedKeys retained;
  for (const auto& outcome : outcomes) {
    if (outcome.kind != OutcomeKind::kRetained) continue;
    REQUIRE(outcome.retained_until.has_value());
    CHECK(outcome.records == static_cast<int64_t>(outcome.keys.size()));
    auto& keys = retained[outcome.collection][outcome.retained_until->ToString()];
    keys.insert(outcome.keys.begin(), outcome.keys.end());
  }
  return retained;
}

int64_t CountOf(const std::vector<CollectionOutcome>& outcomes, const std::string& collection,
                OutcomeKind kind) {
  int64_t count = 0;
  for (const auto& outcome : outcomes) {
    if (outcome.collection == collection && outcome.kind == kind) count += outcome.records;
  }
  return count;
}

// The dump without the rows in `excluded` (table → ids).
TableDump Without(TableDump dump, const std::map<std::string, KeySet>& excluded) {
  for (auto& [table, rows] : dump) {
    const auto skip = excluded.find(table);
    if (skip == excluded.end()) continue;
    rows.erase(
        std::remove_if(rows.begin(), rows.end(),
                       [&](const nlohmann::json& row) {
                         return skip->second.count(std::to_string(row["id"].get<long long>())) != 0;
                       }),
        rows.end());
  }
  return dump;
}

nlohmann::json RowById(const TableDump& dump, const std::string& table, const std::string& id) {
  for (const auto& row : dump.at(table)) {
    if (std::to_string(row["id"].get<long long>()) == id) return row;
  }
  return nullptr;
}

struct PhoneSharers {
  const sample_crm::SampleCustomer& sample = SampleCustomerOf("shares-phone-with:");
  std::string partner = sample.reason.substr(sample.reason.find(':') + 1);
  Subject subject = {{"email", sample.email}, {"phone", sample.phone}};
};

std::vector<CollectionOutcome> MustErase(Connector& connector, const Subject& subject,
                                         const ActionScope& scope, RecordSink& untouched) {
  auto outcomes = connector.Erase(subject, scope, untouched);
  REQUIRE_MESSAGE(outcomes.ok(), outcomes.status().ToString());
  return outcomes.value();
}

void CheckAnonymizedCustomer(const nlohmann::json& before, const nlohmann::json& after) {
  for (const char* hashed : {"customer_number", "email"}) {
    const std::string value = after[hashed];
    CHECK(value.rfind("anon:", 0) == 0);
    CHECK(value.size() == 5 + 64);
    CHECK(value != before[hashed]);
  }
  CHECK(after["first_name"] == "anonymisiert");
  CHECK(after["last_name"] == "anonymisiert");
  for (const char* cleared : {"phone", "street", "postal_code", "city", "birth_date"}) {
    CHECK(after[cleared].is_null());
  }
  for (const char* kept : {"id", "country", "created_at", "marketing_consent"}) {
    CHECK(after[kept] == before[kept]);
  }
  // No real value survives in any column.
  for (const auto& [column, value] : before.items()) {
    if (!value.is_string() || column == "country" || column == "created_at") continue;
    for (const auto& [other, now] : after.items()) CHECK(now != value);
  }
}

}  // namespace

TEST_SUITE("SqlConnector erasure on the sample CRM") {
  TEST_CASE("anonymizes the customer, deletes and retains the rest, and touches nobody else") {
    SampleCrmCopy crm;
    PhoneSharers people;
    const long long own = CustomerIdIn(crm.path(), people.sample.customer_number);
    const long long other = CustomerIdIn(crm.path(), people.partner);
    const Expected expected = ExpectedErasure(crm.path(), own);
    const Expected others = ExpectedErasure(crm.path(), other);
    REQUIRE_FALSE(expected.deleted_orders.empty());
    REQUIRE_FALSE(expected.retained.at("orders").empty());
    REQUIRE_FALSE(expected.rows.at("support_notes").empty());
    const TableDump before = DumpTables(crm.path());
    auto connector = crm.Connect();
    CollectingSink untouched;
    const auto outcomes = MustErase(*connector, people.subject, {}, untouched);
    const TableDump after = DumpTables(crm.path());

    CHECK(CountOf(outcomes, "customers", OutcomeKind::kAnonymized) == 1);
    CHECK(CountOf(outcomes, "orders", OutcomeKind::kErased) ==
          static_cast<int64_t>(expected.deleted_orders.size()));
    CHECK(CountOf(outcomes, "order_lines", OutcomeKind::kErased) ==
          static_cast<int64_t>(expected.rows.at("order_lines").size()));
    CHECK(CountOf(outcomes, "support_notes", OutcomeKind::kErased) ==
          static_cast<int64_t>(expected.rows.at("support_notes").size()));
    CHECK(RetainedOf(outcomes) == expected.retained);
    for (const auto& outcome : outcomes) {
      if (outcome.kind != OutcomeKind::kRetained) continue;
      const std::string basis = "HGB §257, AO §147: Buchungsbelege";
      if (outcome.collection == "orders") {
        CHECK(outcome.legal_basis == "referenced by retained invoices rows (" + basis + ")");
      } else if (outcome.collection == "payments") {
        CHECK(outcome.legal_basis == basis);
      } else {
        CHECK((outcome.legal_basis == basis ||
               outcome.legal_basis == "referenced by retained payments rows (" + basis + ")"));
      }
    }

    CheckAnonymizedCustomer(RowById(before, "customers", std::to_string(own)),
                            RowById(after, "customers", std::to_string(own)));
    for (const auto& order : expected.rows.at("orders")) {
      CHECK(RowById(after, "orders", order).is_null() ==
            (expected.deleted_orders.count(order) != 0));
    }
    for (const char* table : {"order_lines", "support_notes"}) {
      for (const auto& id : expected.rows.at(table)) CHECK(RowById(after, table, id).is_null());
    }
    for (const char* table : {"invoices", "payments"}) {
      for (const auto& id : expected.rows.at(table)) {
        nlohmann::json row = RowById(after, table, id);
        CHECK(row["processing_restricted"] == 1);
        row["processing_restricted"] = 0;
        CHECK(row == RowById(before, table, id));
      }
    }
    CHECK(Without(after, expected.rows) == Without(before, expected.rows));
    CHECK(RawQuery(crm.path(), "PRAGMA foreign_key_check").empty());

    // The other customer sharing the phone is left alone and reported whole.
    for (const auto& [table, ids] : others.rows) {
      INFO("table " << table);
      KeySet reported;
      for (const auto& found : untouched.Found(table)) {
        CHECK(found.match == Match::kAmbiguous);
        CHECK(found.record == RowById(before, table, *found.key));
        reported.insert(*found.key);
      }
      CHECK(reported == ids);
    }

    auto again = connector->Locate(people.subject);
    REQUIRE(again.ok());
    CHECK(again->confirmed.empty());
    CHECK(again->ambiguous.at("customers") == 1);
    CollectingSink second_untouched;
    for (const auto& outcome : MustErase(*connector, people.subject, {}, second_untouched)) {
      CHECK(outcome.kind == OutcomeKind::kNotFound);
    }
    CHECK(DumpTables(crm.path()) == after);
  }

  TEST_CASE("a December invoice paid in January is kept as long as its payment") {
    SampleCrmCopy crm;
    const auto& sample = SampleCustomerOf("invoice-paid-next-year");
    const Expected expected =
        ExpectedErasure(crm.path(), CustomerIdIn(crm.path(), sample.customer_number));
    CollectingSink untouched;
    const auto outcomes =
        MustErase(*crm.Connect(), {{"customer_id", sample.customer_number}}, {}, untouched);
    CHECK(RetainedOf(outcomes) == expected.retained);
    CHECK(std::any_of(outcomes.begin(), outcomes.end(), [](const CollectionOutcome& outcome) {
      return outcome.collection == "invoices" &&
             outcome.legal_basis.rfind("referenced by retained payments rows (", 0) == 0;
    }));
  }

  TEST_CASE("the keyed hash is the same under the same key and differs under another") {
    PhoneSharers people;
    auto erased_customer = [&](const std::string& key) {
      SampleCrmCopy crm;
      WriteFile(crm.key_path(), key);
      CollectingSink untouched;
      MustErase(*crm.Connect(), people.subject, {}, untouched);
      return RowById(DumpTables(crm.path()), "customers",
                     std::to_string(CustomerIdIn(SampleCrmPath(), people.sample.customer_number)));
    };
    const std::string key(40, 'a');
    const nlohmann::json first = erased_customer(key);
    CHECK(erased_customer(key) == first);
    CHECK(erased_customer(std::string(40, 'b'))["email"] != first["email"]);
  }

  TEST_CASE("an accepted ambiguous customer is erased with everything that hangs from it") {
    SampleCrmCopy crm;
    PhoneSharers people;
    const std::string other = std::to_string(CustomerIdIn(crm.path(), people.partner));
    const Expected others = ExpectedErasure(crm.path(), std::stoll(other));
    ActionScope scope;
    scope.selection["customers"] = {other};
    CollectingSink untouched;
    const auto outcomes = MustErase(*crm.Connect(), people.subject, scope, untouched);
    CHECK(untouched.size() == 0);
    CHECK(CountOf(outcomes, "customers", OutcomeKind::kAnonymized) == 2);
    CHECK(RowById(DumpTables(crm.path()), "customers", other)["first_name"] == "anonymisiert");
    for (const auto& id : others.rows.at("order_lines")) {
      CHECK(RowById(DumpTables(crm.path()), "order_lines", id).is_null());
    }
  }

  TEST_CASE("when the period ends, kOnly with retention_ended deletes exactly the named rows") {
    SampleCrmCopy crm;
    PhoneSharers people;
    auto connector = crm.Connect();
    CollectingSink untouched;
    const RetainedKeys retained = RetainedOf(MustErase(*connector, people.subject, {}, untouched));
    // The earliest end: everything retained until then goes together.
    std::string earliest = "9999-12-31";
    for (const auto& [table, by_date] : retained)
      earliest = std::min(earliest, by_date.begin()->first);
    ActionScope kept;
    kept.mode = ActionScope::Mode::kOnly;
    for (const auto& [table, by_date] : retained) {
      if (by_date.count(earliest) != 0) kept.selection[table] = by_date.at(earliest);
    }
    REQUIRE(kept.selection.count("invoices") != 0);

    // Before the end: retained again, with the same dates, and nothing changes.
    const TableDump before = DumpTables(crm.path());
    const auto again = MustErase(*connector, {}, kept, untouched);
    for (const auto& [table, keys] : RetainedOf(again)) {
      CHECK(keys.size() == 1);
      CHECK(keys.begin()->first == earliest);
    }
    CHECK(DumpTables(crm.path()) == before);

    ActionScope ended = kept;
    ended.retention_ended = true;
    const auto outcomes = MustErase(*connector, {}, ended, untouched);
    std::map<std::string, KeySet> gone;
    for (const auto& [table, keys] : kept.selection) {
      gone[table] = keys;
      CHECK(CountOf(outcomes, table, OutcomeKind::kErased) == static_cast<int64_t>(keys.size()));
      for (const auto& key : keys) CHECK(RowById(DumpTables(crm.path()), table, key).is_null());
    }
    CHECK(Without(DumpTables(crm.path()), gone) == Without(before, gone));
    CHECK(RawQuery(crm.path(), "PRAGMA foreign_key_check").empty());
  }

  TEST_CASE("identities and selection keys that look like SQL erase nothing") {
    SampleCrmCopy crm;
    const TableDump before = DumpTables(crm.path());
    auto connector = crm.Connect();
    CollectingSink untouched;
    for (const std::string attack : {"' OR 1=1 --", "1 OR 1=1", "\"; DELETE FROM orders; --"}) {
      const Subject subject = {
          {"email", attack}, {"phone", attack}, {"name", attack}, {"customer_id", attack}};
      for (const auto& outcome : MustErase(*connector, subject, {}, untouched)) {
        CHECK(outcome.kind == OutcomeKind::kNotFound);
      }
      ActionScope only;
      only.mode = ActionScope::Mode::kOnly;
      only.retention_ended = true;
      only.selection = {{"orders", {attack}}, {"customers", {attack, "1) OR (1=1"}}};
      for (const auto& outcome : MustErase(*connector, {}, only, untouched)) {
        CHECK(outcome.kind == OutcomeKind::kNotFound);
      }
    }
    CHECK(DumpTables(crm.path()) == before);
  }
}

}  // namespace dsr::connectors::testing
