// Read-only queries over the stored posts (tables `posts`, `post_schemes` of post_store.h) for
// crisis response: which posts belong to an incident, its first post, its volume curve, window
// figures (volume, negative share, interactions, reach, authoritative posts) and public-feedback
// counts. One Database connection, one thread at a time; no writes.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "store/sqlite/connection.h"

namespace yuqing::store {

// The posts of an incident: posts of its events, plus its linked posts; when it has no events,
// posts of its schemes instead (within [from, to) only, since a scheme also matches routine posts).
struct PostScope {
  std::vector<int64_t> event_ids;
  std::vector<int64_t> scheme_ids;
  std::vector<std::string> post_ids;
  TimeMs from = 0, to = 0;  // bounds on published_at; 0 = open (scheme posts need `from`)
  bool empty() const { return event_ids.empty() && scheme_ids.empty() && post_ids.empty(); }
};

struct PostWindow {
  int64_t volume = 0;
  int64_t negative = 0;
  int64_t interactions = 0;  // reposts + comments + likes
  int64_t reach = 0;         // sum of the authors' followers
  int64_t authoritative = 0; // verified authors with >= authority_followers, or authority sources
  TimeMs first = 0, last = 0;
};

struct CurvePoint {
  TimeMs at = 0;  // start of the bucket
  int64_t volume = 0;
  int64_t negative = 0;
};

struct AuthorityRule {
  int64_t followers = 1000000;
  std::vector<std::string> sources = {"people", "xinhua", "cctv", "chinadaily", "gov", "official"};
};

class IncidentPosts {
 public:
  explicit IncidentPosts(Database& db) : db_(sqlite::Expect(db, "the incident's posts")) {}

  // Figures of the scope's posts published in [from, to) (within the scope's own bounds).
  Result<PostWindow> Window(const PostScope& scope, TimeMs from, TimeMs to, const AuthorityRule& rule = {});
  // Count, first and last publication time of the scope's posts in [from, to) (index only).
  Result<PostWindow> Span(const PostScope& scope, TimeMs from, TimeMs to);
  // Posts per bucket in [from, to), buckets of `bucket` ms starting at `origin` + k * bucket
  // (origin 0: aligned to the epoch); empty buckets are left out.
  Result<std::vector<CurvePoint>> Curve(const PostScope& scope, TimeMs from, TimeMs to, TimeMs bucket,
                                        TimeMs origin = 0);
  // Publication times of the scope's posts in [from, to), newest first, at most `limit`.
  Result<std::vector<TimeMs>> TimesDescending(const PostScope& scope, TimeMs from, TimeMs to, size_t limit);
  // Counts of the scope's posts by source for the given sources, and of posts typed `type`.
  Result<std::vector<std::pair<std::string, int64_t>>> CountSources(const PostScope& scope,
                                                                    const std::vector<std::string>& sources);
  Result<int64_t> CountType(const PostScope& scope, const std::string& type);
  // The events of the given posts (0s left out), most posts first.
  Result<std::vector<int64_t>> EventsOf(const std::vector<std::string>& post_ids);
  // Posts (id, published_at, simhash, dup_of) published in [from, to), at most `limit`, oldest
  // first: the candidates near-duplicate matching walks.
  struct Fingerprint {
    std::string id;
    TimeMs at = 0;
    uint64_t simhash = 0;
    std::string dup_of;
  };
  Result<std::vector<Fingerprint>> Fingerprints(TimeMs from, TimeMs to, size_t limit);
  // Posts in [from, to) whose title or text contains every one of `words` (at most `limit`,
  // oldest first): the generated scheme of a rumour clarification. (id, published_at) pairs.
  Result<std::vector<std::pair<std::string, TimeMs>>> ContainingAll(const std::vector<std::string>& words,
                                                                    TimeMs from, TimeMs to, size_t limit);
  // Posts tagged with scheme `scheme_id` by the pipeline's matcher (post_schemes), published in
  // [from, to) (to 0 = open), at most `limit`, oldest first: (id, published_at) pairs.
  Result<std::vector<std::pair<std::string, TimeMs>>> SchemePosts(int64_t scheme_id, TimeMs from, TimeMs to,
                                                                  size_t limit);
  // The fields a monitoring scheme matches on, as stored (not normalised). Views valid during the
  // callback only.
  struct PostText {
    std::string_view id, title, text, author, source, channel, region, lang;
    bool verified = false;
    int64_t followers = 0;
    TimeMs at = 0;
  };
  // Calls `fn` for each post published in [from, to) (to 0 = open), oldest first, at most
  // `limit`; stops at the first error `fn` returns.
  Status ForEachText(TimeMs from, TimeMs to, size_t limit, const std::function<Status(const PostText&)>& fn);
  // Posts in [from, to) whose ids are in `ids` or whose dup_of is: the number and per-bucket curve.
  Result<std::vector<CurvePoint>> CurveOfIds(const std::vector<std::string>& ids, TimeMs from, TimeMs to,
                                             TimeMs bucket);

 private:
  // "(...)" restricting p.* to the scope, with its arguments appended to `args`.
  std::string Where(const PostScope& scope, std::vector<std::string>& args, TimeMs from, TimeMs to) const;
  sqlite::Connection& db_;
};

}  // namespace yuqing::store
