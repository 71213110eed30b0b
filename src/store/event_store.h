// Events (话题/事件) and analysts' sentiment corrections in the store, on either backend
// (store/sqlite/event_store.cc, store/postgres/event_store.cc):
//   events: one row per event record (core/event.h), upserted as the tracker changes them;
//           merged events stay with merged_into set, so old ids still resolve.
//   sentiment_corrections: labelled text from analysts, fed to `yuqing model train`.
//   event_tracker: which tracker version wrote the events (app/analysis_stage.cc rebuilds older).
// Schema component "events". An EventStore borrows one session (one thread at a time).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/event.h"
#include "core/status.h"
#include "core/time.h"
#include "store/database.h"

namespace yuqing::store {

struct EventQuery {
  TimeMs since = 0;       // last_seen >= since
  TimeMs until = 0;       // first_seen <= until (0: no bound)
  int64_t min_posts = 0;
  size_t limit = 50;
  bool include_merged = false;
  std::string order = "last_seen";  // last_seen | posts | first_seen (all descending, then id)
  bool summary = false;   // leave out the hourly volume and the spreaders (lists read less)
};

// The domain types are core/event.h's; these names stay for the store's callers.
using SentimentCorrection = ::yuqing::SentimentCorrection;

class EventStore {
 public:
  // Brings the tables up to date; the returned store borrows db (which must outlive it).
  static Result<std::unique_ptr<EventStore>> Open(Database& db);
  virtual ~EventStore() = default;

  // Inserts or replaces each record. Runs no transaction of its own: call it inside the caller's
  // transaction to write a batch at once.
  virtual Status Upsert(const std::vector<EventRecord>& events) = 0;
  // kNotFound when absent. Follows merged_into to the surviving event when follow_merges.
  Result<EventRecord> Get(int64_t id, bool follow_merges = true);
  virtual Result<std::vector<EventRecord>> List(const EventQuery& q) = 0;
  // Events (merged ones included) seen at or after `since`, by id: for EventTracker::Restore.
  virtual Result<std::vector<EventRecord>> LoadActive(TimeMs since) = 0;
  virtual Result<int64_t> MaxId() = 0;
  // Events (not merged) whose span overlaps [from, to): one indexed read, however many posts.
  virtual Result<int64_t> CountActive(TimeMs from, TimeMs to) = 0;
  // The version of the event tracker whose output the store holds (0 before version 2).
  virtual Result<int64_t> TrackerVersion() = 0;
  virtual Status SetTrackerVersion(int64_t v) = 0;
  // Removes every event record (a rebuild writes them again); sentiment corrections stay.
  virtual Status DeleteAll() = 0;

  // kInvalid unless the label is negative, neutral or positive and the text is not empty.
  Status AddCorrection(const SentimentCorrection& c);
  // Oldest first.
  virtual Result<std::vector<SentimentCorrection>> Corrections() = 0;

 protected:
  // The stored record of id as it is (merged or not), or nullopt.
  virtual Result<std::optional<EventRecord>> Read(int64_t id) = 0;
  virtual Status InsertCorrection(const SentimentCorrection& c) = 0;
};

}  // namespace yuqing::store
