// Online event clustering (话题/事件) and near-duplicate linking.
//
// Each post, in arrival order:
//   1. near-duplicates: its SimHash is looked up in a banded index (Hamming ≤ 3); a hit sets
//      Analysis::dup_of to the earlier original;
//   2. event: a repost joins its parent's event, a copy its original's event; a post without a
//      parent that quotes an earlier post (a //@name: chain, 转发：…, the same link or 【headline】:
//      quote_links.h) joins that post's event; otherwise the post joins the live event whose
//      keyword centroid is most similar (cosine over keyword weights, candidates found through a
//      keyword → recent events index), or starts a new event. A post similar enough to two
//      events merges the younger into the older.
// Every lookup is bounded (keywords per post x events per keyword, ≤ 8 quote keys) and every
// table is flat (open addressing on 64-bit hashes, flat_map.h); the post → event map, the quote
// keys and the near-duplicate index have a fixed capacity with the oldest entries falling out,
// so the cost per post does not grow with the number of posts seen. Events idle for longer than
// the window stop taking posts and leave memory at the next hour of stream time; past
// max_live_events (or max_live_event_bytes) the least recently active leave early, so memory stays
// flat under any rate.
//
// Deterministic: the state, and so every assignment, depends only on the sequence of posts given
// to Assign, never on when TakeDirty is called. A restarted owner replays the stored posts in
// their stored order (app/analysis_stage.cc) and continues exactly where one uninterrupted run
// would be, however the ingest was split or killed.
//
// Not thread-safe: one pipeline thread owns the tracker. It does not touch the store: the owner
// persists TakeDirty() through store::EventStore.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "analysis/event.h"
#include "analysis/simhash.h"
#include "core/post.h"

namespace yuqing::analysis {

struct EventTrackerOptions {
  TimeMs window_ms = 72LL * 3600 * 1000;  // an event takes posts until this long after its last
  double join_threshold = 0.3;            // cosine similarity to join an event
  double merge_threshold = 0.6;           // similarity to two events at once that merges them
  size_t events_per_keyword = 8;          // candidate list length per keyword (at most 8)
  size_t max_candidates = 48;             // at most 64
  size_t centroid_terms = 32;             // keyword terms an event keeps (at most 32)
  size_t dedup_capacity = 1 << 20;    // SimHashes remembered for near-duplicate links
  // Quote keys remembered (text heads, links, headlines of recent posts → event: quote_links.h),
  // the oldest falling out first; 16 bytes each, committed as it fills.
  size_t quote_key_capacity = 1 << 20;
  bool quote_links = true;  // false: a post without parent never follows a quote (the old tracker)
  // Post ids remembered for reposts and copies (their 64-bit hashes: 16 bytes per post reserved
  // up front, committed as it fills).
  size_t post_map_capacity = 1 << 21;
  // Events held in memory at most. A live stream keeps every event younger than the window, so
  // at thousands of posts a second they would fill memory long before the window ends: past this
  // many, the least recently active tenth leave memory (their records go out through TakeDirty,
  // as expired events do). Decided by the posts alone, so restarts stay exact.
  size_t max_live_events = 60000;
  // The same bound in bytes (each live event's estimated footprint: centroid, spreaders, hourly
  // volume and the rest; a busy cascade holds tens of kilobytes, a one-post event about two), so
  // that many busy events cannot fill memory under the count bound either.
  size_t max_live_event_bytes = size_t{128} << 20;
  int max_hamming = 3;
  int64_t first_event_id = 1;          // ids are assigned from here (Restore raises it)
};

class EventTracker {
 public:
  explicit EventTracker(EventTrackerOptions opts = {});
  ~EventTracker();

  // Sets p.analysis.dup_of and p.analysis.event_id. Needs p.analysis.keywords and simhash (from
  // Analyzer::Analyze); uses p.post.published_at (ingested_at when 0) as the post's time.
  void Assign(ProcessedPost& p);

  // The records of events changed since the last call (merged events included, with
  // merged_into set, and events that left memory), by id. Changes nothing else.
  std::vector<EventRecord> TakeDirty();

  // The current record of an event held in memory (following merges), or nullptr.
  const EventRecord* Find(int64_t event_id) const;

  // Seeds the tracker with event records (e.g. loaded from the store), approximately: the
  // centroids keep only their reported terms. For exact restarts replay the posts instead.
  // Event ids continue after the largest seen.
  void Restore(const std::vector<EventRecord>& events);

  // The event a post id was assigned to (0 when unknown or forgotten).
  int64_t EventOfPost(const std::string& post_id) const;

  size_t live_events() const;
  size_t live_event_bytes() const;  // the estimate max_live_event_bytes bounds
  int64_t next_event_id() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace yuqing::analysis
