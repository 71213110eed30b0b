#include "report/queries.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "store/post_store.h"
#include "store/scoped_reads.h"

namespace yuqing::report {
namespace {

using nlohmann::json;

int SentimentIndex(std::string_view s) { return s == "negative" ? 0 : s == "positive" ? 2 : 1; }

// Cuts UTF-8 text to at most n characters (never inside a character).
std::string CutChars(std::string_view s, size_t n) {
  size_t chars = 0, i = 0;
  while (i < s.size() && chars < n) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    i += c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    ++chars;
  }
  if (i >= s.size()) return std::string(s);
  return std::string(s.substr(0, i)) + "…";
}

}  // namespace

TimeMs BucketOf(TimeMs t, TimeMs bucket) {
  const TimeMs offset = kDefaultUtcOffsetMinutes * kMinute;
  TimeMs z = t + offset;
  return z - ((z % bucket) + bucket) % bucket - offset;
}

Result<Volume> CountPosts(store::Database& db, const PostFilter& f, TimeMs from, TimeMs to, TimeMs bucket) {
  Volume v;
  if (f.all()) {
    // The dashboard's own counts (hourly table + partial hours), so the figures are the same.
    YQ_ASSIGN_OR_RETURN(auto posts, store::PostStore::Open(db));
    YQ_ASSIGN_OR_RETURN(store::VolumeSummary s, posts->Summarize(from, to));
    v.total = s.total;
    for (const auto& [key, n] : s.hourly) v.trend[BucketOf(key.first, bucket)][SentimentIndex(key.second)] += n;
    v.sentiments = std::move(s.sentiments);
    v.sources = std::move(s.sources);
    v.provinces = std::move(s.provinces);
    return v;
  }
  YQ_RETURN_IF_ERROR(store::ForEachPostFacets(db, f, from, to, [&](const store::PostFacets& p) {
    ++v.total;
    ++v.trend[BucketOf(p.published_at, bucket)][SentimentIndex(p.sentiment)];
    ++v.sentiments[std::string(p.sentiment)];
    ++v.sources[std::string(p.source)];
    if (!p.province.empty()) ++v.provinces[std::string(p.province)];
  }));
  return v;
}

Result<json> TopKeywords(store::Database& db, const PostFilter& f, TimeMs from, TimeMs to, size_t n, size_t scan) {
  YQ_ASSIGN_OR_RETURN(std::vector<std::string> lists, store::ReadKeywordLists(db, f, from, to, scan));
  std::unordered_map<std::string, int64_t> counts;
  for (const std::string& list : lists) {
    json kw = json::parse(list, nullptr, false);
    if (!kw.is_array()) continue;
    for (const auto& k : kw)
      if (k.is_string()) ++counts[k.get<std::string>()];
  }
  std::vector<std::pair<std::string, int64_t>> v(counts.begin(), counts.end());
  std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.second != b.second ? a.second > b.second : a.first < b.first; });
  json out = json::array();
  for (size_t i = 0; i < v.size() && i < n; ++i) out.push_back({{"word", v[i].first}, {"count", v[i].second}});
  return out;
}

Result<json> NotablePosts(store::Database& db, const PostFilter& f, TimeMs from, TimeMs to, size_t n) {
  YQ_ASSIGN_OR_RETURN(std::vector<store::NotablePostRow> rows, store::ReadNotablePosts(db, f, from, to, n));
  json out = json::array();
  for (const store::NotablePostRow& r : rows) {
    const bool negative = r.sentiment == "negative";
    std::string text = r.title.empty() ? r.text : r.title + " " + r.text;
    out.push_back({{"id", r.id},
                   {"source", r.source},
                   {"url", r.url},
                   {"author", r.author},
                   {"published_at", FormatTime(r.published_at)},
                   {"text", CutChars(text, 200)},
                   {"sentiment", r.sentiment},
                   {"rumor", std::round(r.rumor * 100) / 100},
                   {"interactions", r.interactions},
                   {"reason", negative && r.rumor >= 0.5 ? "both" : negative ? "negative" : "rumor"}});
  }
  return out;
}

Result<std::vector<int64_t>> ActiveEvents(store::Database& db, const PostFilter& f, TimeMs from, TimeMs to, size_t n) {
  return store::ReadActiveEvents(db, f, from, to, n);
}

}  // namespace yuqing::report
