// Alerts (预警, core/alert.h) and their history (tables `alerts`, `alert_history`, component
// "alerts"), on either backend (store/sqlite/alert_store.cc, store/postgres/alert_store.cc). An
// AlertStore borrows one session (one thread at a time). It only persists: the lifecycle is warning/'s, and the store enforces just one
// rule of it (at most one unresolved alert per (scheme_id, event_id)).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/alert.h"
#include "core/status.h"
#include "core/time.h"
#include "store/database.h"

namespace yuqing::store {

// The domain types are core/alert.h's; these names stay for the store's callers.
using AlertRecord = ::yuqing::AlertRecord;
using AlertHistoryEntry = ::yuqing::AlertHistoryEntry;

struct AlertFilter {
  std::string status;       // "" any; "active" = open or acked; else exact
  int min_severity = 0;
  int64_t scheme_id = 0;
  std::vector<int64_t> scheme_ids;  // restrict to these (department scoping); empty = all
  int64_t event_id = -1;    // -1 any
  int64_t after_id = 0;     // newest first: only ids < after_id when > 0
  int64_t changed_after_rowver = 0;  // only alerts whose version > this (for live feeds)
  size_t limit = 100;
};

class AlertStore {
 public:
  // Creates or migrates the tables.
  static Result<std::unique_ptr<AlertStore>> Open(Database& db);
  virtual ~AlertStore() = default;

  // Inserts a new alert; returns its id. Conflict when another alert for the same
  // (scheme_id, event_id) is not resolved.
  virtual Result<int64_t> Insert(const AlertRecord& a) = 0;
  // Replaces every mutable field of alert a.id. NotFound when absent.
  virtual Status Update(const AlertRecord& a) = 0;
  virtual Result<std::optional<AlertRecord>> Get(int64_t id) = 0;
  // The unresolved alert for (scheme, event), if any.
  virtual Result<std::optional<AlertRecord>> FindActive(int64_t scheme_id, int64_t event_id) = 0;
  // Newest first.
  virtual Result<std::vector<AlertRecord>> List(const AlertFilter& f) = 0;
  // Every unresolved alert (open or acked), oldest first.
  virtual Result<std::vector<AlertRecord>> ListActive() = 0;
  // How many alerts are unresolved (the partial index alerts_active, not a read of the rows).
  virtual Result<int64_t> CountActive() = 0;

  // Every alert so far: how many, when the first was raised and when the first was acknowledged
  // (0: never).
  struct Totals {
    int64_t count = 0;
    TimeMs first_at = 0, first_acked_at = 0;
  };
  virtual Result<Totals> CountAll() = 0;
  // Alerts raised in [from, to) on any of `scheme_ids` (empty: on any scheme).
  virtual Result<int64_t> CountRaised(TimeMs from, TimeMs to, const std::vector<int64_t>& scheme_ids) = 0;

  virtual Status AddHistory(const AlertHistoryEntry& e) = 0;
  virtual Result<std::vector<AlertHistoryEntry>> History(int64_t alert_id) = 0;

  // A number that grows with every insert or update of any alert (a cursor for live feeds such as
  // SSE: poll List({.changed_after_rowver = last}) and remember Version()). Versions are given in
  // commit order: once a reader has seen version v, no change committed later has a version <= v.
  virtual Result<int64_t> Version() = 0;
};

}  // namespace yuqing::store
