// Events (话题/事件) and analysts' sentiment corrections in the store.
//   events: one row per event record (core/event.h), upserted as the tracker changes them;
//           merged events stay with merged_into set, so old ids still resolve.
//   sentiment_corrections: labelled text from analysts, fed to `yuqing model train`.
// Schema component "events" (Database::EnsureSchema). Same threading rule as Database.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/event.h"
#include "core/status.h"
#include "core/time.h"
#include "store/sqlite/connection.h"

namespace yuqing::store {

struct EventQuery {
  TimeMs since = 0;       // last_seen >= since
  TimeMs until = 0;       // first_seen <= until (0: no bound)
  int64_t min_posts = 0;
  size_t limit = 50;
  bool include_merged = false;
  std::string order = "last_seen";  // last_seen | posts | first_seen (all descending)
  bool summary = false;   // leave out the hourly volume and the spreaders (lists read less)
};

// The domain types are core/event.h's; these names stay for the store's callers.
using SentimentCorrection = ::yuqing::SentimentCorrection;

class EventStore {
 public:
  // Brings the tables up to date; the returned store borrows db (which must outlive it).
  static Result<EventStore> Open(Database& db);

  // Inserts or replaces each record. Runs no transaction of its own: call it inside the caller's
  // transaction to write a batch at once.
  Status Upsert(const std::vector<EventRecord>& events);
  // kNotFound when absent. Follows merged_into to the surviving event when follow_merges.
  Result<EventRecord> Get(int64_t id, bool follow_merges = true);
  Result<std::vector<EventRecord>> List(const EventQuery& q);
  // Events (merged ones included) seen at or after `since`: for EventTracker::Restore.
  Result<std::vector<EventRecord>> LoadActive(TimeMs since);
  Result<int64_t> MaxId();
  // Events (not merged) whose span overlaps [from, to): one indexed read, however many posts.
  Result<int64_t> CountActive(TimeMs from, TimeMs to);
  // The version of the event tracker whose output the store holds (0 before version 2).
  Result<int64_t> TrackerVersion();
  Status SetTrackerVersion(int64_t v);
  // Removes every event record (a rebuild writes them again); sentiment corrections stay.
  Status DeleteAll();

  Status AddCorrection(SentimentCorrection c);
  Result<std::vector<SentimentCorrection>> Corrections();

 private:
  explicit EventStore(sqlite::Connection& db) : db_(&db) {}
  Result<std::vector<EventRecord>> Query(const std::string& sql, const std::vector<int64_t>& args);
  sqlite::Connection* db_;
};

}  // namespace yuqing::store
