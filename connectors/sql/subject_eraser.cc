#include "connectors/sql/subject_eraser.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "connectors/sql/row_anonymizer.h"
#include "connectors/sql/row_filters.h"

namespace dsr::connectors::sql {
namespace {

std::vector<BoundSql> FiltersOf(const TableConfig& table, const SqlDialect& dialect,
                                const ScopedRows& rows, int batch_size) {
  if (table.key) return KeyFilters(table, dialect, rows.keys, batch_size);
  return rows.filters;
}

// Retained rows are reported per end date (and legal basis), earliest first;
// an open end sorts last.
using HoldGroup = std::pair<int64_t, std::string>;

HoldGroup GroupOf(const Hold& hold) {
  return {hold.until ? hold.until->DaysSinceEpoch() : std::numeric_limits<int64_t>::max(),
          hold.legal_basis};
}

}  // namespace

Result<std::vector<CollectionOutcome>> SubjectEraser::Erase(const Subject& subject,
                                                            const ActionScope& scope,
                                                            BufferedRecords* untouched) {
  scope_ = &scope;
  retained_.assign(config_.tables.size(), {});
  outcomes_.assign(config_.tables.size(), {});
  WriteTransaction transaction(database_);
  auto scoped = ResolveScope(database_, config_, catalog_, subject, scope, untouched);
  if (!scoped.ok()) return scoped.status();
  for (size_t table : ErasureOrder()) DSR_RETURN_IF_ERROR(EraseTable(table, (*scoped)[table]));
  DSR_RETURN_IF_ERROR(Verify(subject, *scoped));
  std::vector<CollectionOutcome> outcomes = Outcomes();
  if (scope.before_commit) DSR_RETURN_IF_ERROR(scope.before_commit(outcomes));
  transaction.Commit();
  return outcomes;
}

std::vector<size_t> SubjectEraser::ErasureOrder() const {
  const size_t count = config_.tables.size();
  std::vector<std::set<size_t>> referrers(count);
  for (size_t child = 0; child < count; ++child) {
    for (const auto& reference : config_.tables[child].references) {
      if (reference.parent_table != child) referrers[reference.parent_table].insert(child);
    }
  }
  std::vector<size_t> order;
  std::vector<bool> placed(count, false);
  while (order.size() < count) {
    size_t next = count;
    for (size_t table = 0; table < count && next == count; ++table) {
      if (placed[table]) continue;
      const bool ready = std::all_of(referrers[table].begin(), referrers[table].end(),
                                     [&](size_t child) { return placed[child]; });
      if (ready) next = table;
    }
    if (next == count) {  // a cycle: break it in config order
      next = static_cast<size_t>(std::find(placed.begin(), placed.end(), false) - placed.begin());
    }
    placed[next] = true;
    order.push_back(next);
  }
  return order;
}

ErasureStrategy SubjectEraser::Applied(size_t table) const {
  const ErasureConfig& erasure = config_.tables[table].erasure;
  if (erasure.strategy == ErasureStrategy::kRetain && scope_->mode == ActionScope::Mode::kOnly &&
      scope_->retention_ended) {
    return erasure.retain->then;
  }
  return erasure.strategy;
}

Status SubjectEraser::EraseTable(size_t table, const ScopedRows& rows) {
  switch (Applied(table)) {
    case ErasureStrategy::kDelete:
      return DeleteRows(table, rows);
    case ErasureStrategy::kAnonymize:
      return AnonymizeRows(table, rows);
    case ErasureStrategy::kRetain:
      return RetainRows(table, rows);
  }
  return Status::Ok();
}

Status SubjectEraser::DeleteRows(size_t table, const ScopedRows& rows) {
  const TableConfig& config = config_.tables[table];
  const SqlDialect& dialect = database_.dialect();
  ScopedRows deleted = rows;
  if (config.key) {
    auto holds = HoldsFromReferrers(table, rows.keys);
    if (!holds.ok()) return holds.status();
    for (const auto& [key, hold] : *holds) deleted.keys.erase(key);
    DSR_RETURN_IF_ERROR(Retain(table, std::move(holds.value())));
  }
  int64_t count = 0;
  for (const auto& filter : FiltersOf(config, dialect, deleted, config_.batch_size)) {
    BoundSql statement = filter;
    statement.text = "DELETE FROM " + dialect.Quote(config.name) + " WHERE " + filter.text;
    count += database_.Execute(statement);
  }
  if (count > 0)
    outcomes_[table].push_back(CountedOutcome(config.name, OutcomeKind::kErased, count));
  return Status::Ok();
}

Status SubjectEraser::AnonymizeRows(size_t table, const ScopedRows& rows) {
  const TableConfig& config = config_.tables[table];
  RowAnonymizer anonymizer(database_, config, catalog_[table], key_);
  int64_t count = 0;
  for (const auto& filter : FiltersOf(config, database_.dialect(), rows, config_.batch_size)) {
    auto changed = anonymizer.Anonymize(filter);
    if (!changed.ok()) return changed.status();
    count += *changed;
  }
  if (count > 0)
    outcomes_[table].push_back(CountedOutcome(config.name, OutcomeKind::kAnonymized, count));
  return Status::Ok();
}

// A row's own period may end before that of a row referring to it (an
// invoice from December paid in January): then the later one counts.
Status SubjectEraser::RetainRows(size_t table, const ScopedRows& rows) {
  auto holds = OwnHolds(database_, config_, table, catalog_[table], rows.keys);
  if (!holds.ok()) return holds.status();
  auto from_referrers = HoldsFromReferrers(table, rows.keys);
  if (!from_referrers.ok()) return from_referrers.status();
  for (auto& [key, hold] : *from_referrers) {
    auto own = holds->find(key);
    if (own == holds->end() || hold.EndsAfter(own->second)) (*holds)[key] = std::move(hold);
  }
  return Retain(table, std::move(holds.value()));
}

Result<std::map<SqlValue, Hold>> SubjectEraser::HoldsFromReferrers(size_t table,
                                                                   const std::set<SqlValue>& keys) {
  auto referrers = FindReferrers(database_, config_, catalog_, table, keys);
  if (!referrers.ok()) return referrers.status();
  std::vector<std::map<SqlValue, Hold>> earlier(config_.tables.size());
  DSR_RETURN_IF_ERROR(EarlierHolds(table, keys, *referrers, &earlier));
  std::map<SqlValue, Hold> result;
  for (const auto& [parent, list] : *referrers) {
    for (const auto& referrer : list) {
      const auto& source = retained_[referrer.table].count(*referrer.key) != 0
                               ? retained_[referrer.table]
                               : earlier[referrer.table];
      const auto found = source.find(*referrer.key);
      if (found == source.end()) continue;  // in scope, same table
      Hold hold{found->second.until,
                "referenced by retained " + config_.tables[referrer.table].name + " rows (" +
                    found->second.root_basis + ")",
                found->second.root_basis};
      const auto best = result.find(parent);
      if (best == result.end() || hold.EndsAfter(best->second)) result[parent] = std::move(hold);
    }
  }
  return result;
}

// Referring rows that this call did not retain were retained by an earlier
// erasure (their table has a retention policy: their own dates count) or
// block the deletion.
Status SubjectEraser::EarlierHolds(size_t table, const std::set<SqlValue>& keys,
                                   const std::map<SqlValue, std::vector<Referrer>>& referrers,
                                   std::vector<std::map<SqlValue, Hold>>* earlier) {
  std::map<size_t, std::set<SqlValue>> needed;
  std::map<size_t, int64_t> blocking;
  for (const auto& [parent, list] : referrers) {
    for (const auto& referrer : list) {
      if (!referrer.key) {
        ++blocking[referrer.table];
      } else if (referrer.table == table && keys.count(*referrer.key) != 0) {
        continue;  // goes together with its parent
      } else if (retained_[referrer.table].count(*referrer.key) != 0) {
        continue;
      } else if (config_.tables[referrer.table].erasure.retain) {
        needed[referrer.table].insert(*referrer.key);
      } else {
        ++blocking[referrer.table];
      }
    }
  }
  if (!blocking.empty()) {
    const auto& [child, count] = *blocking.begin();
    return Conflict(config_.tables[table].name + ": records in scope are still referred to by " +
                    std::to_string(count) + " records of " + config_.tables[child].name +
                    " that are neither in scope nor retained; include those in the scope");
  }
  for (const auto& [child, child_keys] : needed) {
    auto holds = OwnHolds(database_, config_, child, catalog_[child], child_keys);
    if (!holds.ok()) return holds.status();
    (*earlier)[child] = std::move(holds.value());
  }
  return Status::Ok();
}

Status SubjectEraser::Retain(size_t table, std::map<SqlValue, Hold> holds) {
  if (holds.empty()) return Status::Ok();
  const TableConfig& config = config_.tables[table];
  const SqlDialect& dialect = database_.dialect();
  if (config.erasure.retain && config.erasure.retain->restrict_column) {
    const std::string column = dialect.Quote(*config.erasure.retain->restrict_column);
    std::set<SqlValue> keys;
    for (const auto& entry : holds) keys.insert(entry.first);
    for (const auto& filter : KeyFilters(config, dialect, keys, config_.batch_size)) {
      BoundSql statement = filter;
      statement.text = "UPDATE " + dialect.Quote(config.name) + " SET " + column + " = 1 WHERE (" +
                       filter.text + ") AND (" + column + " IS NULL OR " + column + " <> 1)";
      database_.Execute(statement);
    }
  }
  std::map<HoldGroup, CollectionOutcome> groups;
  for (const auto& [key, hold] : holds) {
    CollectionOutcome& outcome = groups[GroupOf(hold)];
    outcome.collection = config.name;
    outcome.kind = OutcomeKind::kRetained;
    outcome.retained_until = hold.until;
    outcome.legal_basis = hold.legal_basis;
    ++outcome.records;
    outcome.keys.push_back(KeyText(key));
  }
  for (auto& [group, outcome] : groups) outcomes_[table].push_back(std::move(outcome));
  retained_[table].merge(holds);
  return Status::Ok();
}

// Checks the rows that were in scope by key, and for kSubject also what
// locating the subject again finds: an anonymized row can no longer be found
// by the identities it lost, but what hangs from it still could.
Status SubjectEraser::Verify(const Subject& subject, const std::vector<ScopedRows>& before) {
  std::vector<ScopedRows> after(config_.tables.size());
  if (scope_->mode == ActionScope::Mode::kSubject) {
    auto located = ResolveScope(database_, config_, catalog_, subject, *scope_, nullptr);
    if (!located.ok()) return located.status();
    after = std::move(located.value());
  }
  const SqlDialect& dialect = database_.dialect();
  for (size_t table = 0; table < config_.tables.size(); ++table) {
    const TableConfig& config = config_.tables[table];
    int64_t left = 0;
    if (config.key) {
      ScopedRows keys = before[table];
      keys.keys.insert(after[table].keys.begin(), after[table].keys.end());
      for (const auto& entry : retained_[table]) keys.keys.erase(entry.first);
      auto count = CountLeft(table, FiltersOf(config, dialect, keys, config_.batch_size));
      if (!count.ok()) return count.status();
      left = *count;
    } else {
      for (const auto& filters : {before[table].filters, after[table].filters}) {
        auto count = CountLeft(table, filters);
        if (!count.ok()) return count.status();
        left = std::max(left, *count);
      }
    }
    if (left > 0) {
      return Internal("verification failed: " + config.name + " still holds " +
                      std::to_string(left) + " records");
    }
  }
  return Status::Ok();
}

Result<int64_t> SubjectEraser::CountLeft(size_t table, const std::vector<BoundSql>& filters) {
  const TableConfig& config = config_.tables[table];
  const bool anonymized = Applied(table) == ErasureStrategy::kAnonymize;
  RowAnonymizer anonymizer(database_, config, catalog_[table], key_);
  int64_t count = 0;
  for (const auto& filter : filters) {
    BoundSql query;
    query.text = "SELECT 1 FROM " + database_.dialect().Quote(config.name) + " WHERE (" +
                 query.Adopt(filter) + ")";
    if (anonymized) query.text += " AND NOT (" + query.Adopt(anonymizer.AlreadyAnonymized()) + ")";
    DSR_RETURN_IF_ERROR(database_.ForEachRow(query, [&](const soci::row&) {
      ++count;
      return Status::Ok();
    }));
  }
  return count;
}

std::vector<CollectionOutcome> SubjectEraser::Outcomes() const {
  std::vector<CollectionOutcome> all;
  for (size_t table = 0; table < config_.tables.size(); ++table) {
    std::vector<CollectionOutcome> outcomes = outcomes_[table];
    if (outcomes.empty()) {
      outcomes.push_back(CountedOutcome(config_.tables[table].name, OutcomeKind::kNotFound, 0));
    }
    std::stable_sort(outcomes.begin(), outcomes.end(),
                     [](const auto& a, const auto& b) { return a.kind < b.kind; });
    all.insert(all.end(), outcomes.begin(), outcomes.end());
  }
  return all;
}

}  // namespace dsr::connectors::sql
