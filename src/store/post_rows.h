// Internal to the PostStore (post_store.cc, post_search.cc, post_stats.cc): the column list that
// PostStore::Read decodes and the hourly counts' keys. Not for use outside src/store/.
#pragma once

#include "core/time.h"

namespace yuqing::store::post_rows {

// The columns of posts p that PostStore::Read decodes, in its order.
inline constexpr const char* kCols =
    "p.rowid, p.id, p.source, p.channel, p.url, p.title, p.text, p.author_id, p.author_name, "
    "p.author_location, p.author_followers, p.author_verified, p.published_at, p.ingested_at, p.region, "
    "p.reposts, p.comments, p.likes, p.views, p.parent, p.lang, p.extra, p.sentiment, p.sentiment_score, "
    "p.types, p.province, p.city, p.keywords, p.simhash, p.dup_of, p.event_id, p.schemes, p.rumor, p.region_source";

// The start of t's UTC hour (the key of table post_counts).
inline TimeMs HourOf(TimeMs t) { return t - ((t % kHour) + kHour) % kHour; }

// post_counts.dim: what a count is by.
enum CountDim { kBySentiment = 0, kBySource = 1, kByProvince = 2 };

}  // namespace yuqing::store::post_rows
