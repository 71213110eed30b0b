// Alerts (预警) and their history in the SQLite store (tables `alerts`, `alert_history`,
// component "alerts"). An AlertStore wraps one Database connection (one thread at a time).
//
// Lifecycle, enforced by warning/ (this store only persists): an alert is `open` until someone
// acknowledges it (`acked`) and `resolved` when someone or the quiet period closes it. At most one
// alert per (scheme_id, event_id) is not resolved at a time; event_id 0 is the scheme as a whole.
// Severity is 1 (IV blue 一般) .. 4 (I red 特别重大).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "core/time.h"
#include "store/database.h"

namespace yuqing::store {

struct AlertRecord {
  int64_t id = 0;
  int severity = 0;             // 1 = IV blue .. 4 = I red
  std::string status = "open";  // open | acked | resolved
  int64_t scheme_id = 0;
  std::string scheme_name;
  int64_t event_id = 0;         // 0: the scheme as a whole
  std::vector<std::string> departments;  // routing targets, copied from the scheme when raised
  std::string rule;             // the conditions that fired, e.g. "burst|growth"
  std::string message;          // one line with the numbers, for people
  nlohmann::json numbers = nlohmann::json::object();   // the signals with their values
  nlohmann::json evidence = nlohmann::json::array();   // top posts [{id, source, text, ...}]
  TimeMs created_at = 0;        // stream time the alert was raised
  TimeMs updated_at = 0;        // stream time of the last change
  TimeMs deadline = 0;          // acknowledge before this time
  TimeMs last_fired_at = 0;     // last time a rule fired for this key
  TimeMs next_reminder_at = 0;  // 0: no reminder scheduled
  int reminders = 0;
  int escalation_step = 0;      // 0: primary contacts; n: the n-th escalation level notified
  std::string acked_by;
  TimeMs acked_at = 0;
  std::string resolved_by;
  TimeMs resolved_at = 0;
  std::string resolve_note;
};

struct AlertHistoryEntry {
  int64_t alert_id = 0;
  TimeMs at = 0;
  std::string kind;  // raised | upgraded | reminder | escalated | acked | resolved
  int severity = 0;
  std::string by;
  std::string note;
};

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

  // Inserts a new alert; returns its id. Conflict when another alert for the same
  // (scheme_id, event_id) is not resolved.
  Result<int64_t> Insert(const AlertRecord& a);
  // Replaces every mutable field of alert a.id. NotFound when absent.
  Status Update(const AlertRecord& a);
  Result<std::optional<AlertRecord>> Get(int64_t id);
  // The unresolved alert for (scheme, event), if any.
  Result<std::optional<AlertRecord>> FindActive(int64_t scheme_id, int64_t event_id);
  // Newest first.
  Result<std::vector<AlertRecord>> List(const AlertFilter& f);
  // Every unresolved alert (open or acked), oldest first.
  Result<std::vector<AlertRecord>> ListActive();

  // Every alert so far: how many, when the first was raised and when the first was acknowledged
  // (0: never).
  struct Totals {
    int64_t count = 0;
    TimeMs first_at = 0, first_acked_at = 0;
  };
  Result<Totals> CountAll();
  // Alerts raised in [from, to) on any of `scheme_ids` (empty: on any scheme).
  Result<int64_t> CountRaised(TimeMs from, TimeMs to, const std::vector<int64_t>& scheme_ids);

  Status AddHistory(const AlertHistoryEntry& e);
  Result<std::vector<AlertHistoryEntry>> History(int64_t alert_id);

  // A number that grows with every insert or update of any alert (a cursor for live feeds such as
  // SSE: poll List({.changed_after_rowver = last}) and remember Version()).
  Result<int64_t> Version();

 private:
  explicit AlertStore(Database& db) : db_(db) {}
  Database& db_;
};

// "IV".."I" for severity 1..4 ("" otherwise), the colour ("blue", "yellow", "orange", "red") and
// the Chinese name (一般, 较大, 重大, 特别重大).
const char* LevelName(int severity);
const char* LevelColor(int severity);
const char* LevelNameZh(int severity);
// Parses "IV", "4", "blue", "一般" (and the others); 0 when unknown.
int ParseLevel(std::string_view text);

// The JSON view shared by the CLI and the API (times as ISO 8601 in China Standard Time).
nlohmann::json AlertToJson(const AlertRecord& a);
nlohmann::json AlertHistoryToJson(const AlertHistoryEntry& e);

}  // namespace yuqing::store
