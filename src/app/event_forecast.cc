#include "app/event_forecast.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>

#include "store/post_store.h"

namespace yuqing::app {

Result<forecast::Forecast> ForecastEvent(store::Database& db, const analysis::EventRecord& e,
                                         const forecast::CascadeModel* model, size_t max_posts) {
  YQ_ASSIGN_OR_RETURN(auto posts, store::PostStore::Open(db));
  YQ_ASSIGN_OR_RETURN(auto timeline, posts->EventTimeline(e.id, max_posts));
  forecast::Observation obs;
  obs.id = std::to_string(e.id);
  if (timeline.empty()) return forecast::Predict(obs, kMinute, model);
  const auto& root = timeline.front();
  obs.root_time_ms = root.published_at;
  obs.root_followers = root.author_followers;
  obs.root_verified = root.author_verified;
  obs.text_rumor_p = root.rumor;
  std::unordered_map<std::string, int> depth = {{root.id, 0}};
  for (size_t i = 1; i < timeline.size(); ++i) {
    const auto& p = timeline[i];
    auto parent = depth.find(p.parent);
    int d = parent == depth.end() ? 1 : parent->second + 1;
    depth.emplace(p.id, d);
    obs.reposts.push_back({p.published_at, p.author_followers > 0 ? p.author_followers : -1, p.author_verified, d,
                           p.text});
  }
  // Posts beyond the ones read count at the last one's time (they only add to the observed size).
  for (int64_t i = static_cast<int64_t>(timeline.size()); i < e.posts; ++i)
    obs.reposts.push_back({timeline.back().published_at, -1, false, 1, ""});
  const TimeMs last = std::max(e.last_seen, timeline.back().published_at);
  return forecast::Predict(obs, std::max<TimeMs>(last - obs.root_time_ms, kMinute), model);
}

nlohmann::json ForecastToJson(const forecast::Forecast& f, TimeMs as_of) {
  constexpr int64_t kMinPosts = 5;  // the root and four more (as event_min_volume in warning/)
  if (f.observed + 1 < kMinPosts) return nullptr;
  nlohmann::json pe = nlohmann::json::object();
  for (int t : {100, 500, 1000, 5000}) pe[std::to_string(t)] = std::round(f.PExceeds(t) * 1000) / 1000;
  return {{"observed", f.observed},
          {"forecast", std::llround(f.forecast)},
          {"low", std::llround(f.low)},
          {"high", std::llround(f.high)},
          {"p_exceeds", std::move(pe)},
          {"rumor", std::round(f.rumor * 1000) / 1000},
          {"method", f.method},
          {"as_of", FormatTime(as_of)}};
}

}  // namespace yuqing::app
