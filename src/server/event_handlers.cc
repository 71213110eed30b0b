// /api/v1/events: events (话题/事件) from analysis/'s tracker, scoped by department: a non-admin
// sees an event when one of its posts matched one of their schemes.
#include <algorithm>
#include <cmath>
#include <map>

#include "app/event_forecast.h"
#include "core/event.h"
#include "core/event_json.h"
#include "core/post_json.h"
#include "server/handlers.h"
#include "store/event_store.h"
#include "store/scoped_reads.h"

namespace yuqing::server {
namespace {
using nlohmann::json;

}  // namespace

Result<bool> EventVisible(Ctx& c, const Scope& scope, int64_t event_id) {
  if (scope.all) return true;
  if (scope.scheme_ids.empty()) return false;
  YQ_ASSIGN_OR_RETURN(Conn * conn, c.conn());
  return store::EventTouchesSchemes(*conn->db, event_id, scope.scheme_ids);
}

Result<json> TopEvents(Ctx& c, const Scope& scope, TimeMs since, size_t n) {
  json out = json::array();
  if (!scope.all && scope.scheme_ids.empty()) return out;
  YQ_ASSIGN_OR_RETURN(Conn * conn, c.conn());
  YQ_ASSIGN_OR_RETURN(auto events, store::EventStore::Open(*conn->db));
  store::EventQuery q;
  q.since = since;
  q.order = "posts";
  q.limit = scope.all ? n : n * 5;
  q.summary = true;  // the volume and spreaders are dropped below
  YQ_ASSIGN_OR_RETURN(auto list, events->List(q));
  for (const auto& e : list) {
    if (out.size() >= n) break;
    YQ_ASSIGN_OR_RETURN(bool ok, EventVisible(c, scope, e.id));
    if (!ok) continue;
    // A summary for the overview: the hourly volume and the spreaders are on the event page.
    json j = EventToJson(e);
    j.erase("volume");
    j.erase("spreaders");
    if (j.contains("keywords") && j["keywords"].is_array() && j["keywords"].size() > 5)
      j["keywords"] = json(std::vector<json>(j["keywords"].begin(), j["keywords"].begin() + 5));
    out.push_back(std::move(j));
  }
  return out;
}

// The overview's word cloud: the keywords of the (visible) events active in [from, to), each
// term's weight summed over the events, scaled by the event's post count, so that a big story's
// words stand out the way it does on the wall.
Result<json> EventWordCloud(Ctx& c, const Scope& scope, TimeMs from, TimeMs to, size_t events, size_t words) {
  json out = json::array();
  if (!scope.all && scope.scheme_ids.empty()) return out;
  YQ_ASSIGN_OR_RETURN(Conn * conn, c.conn());
  YQ_ASSIGN_OR_RETURN(auto store, store::EventStore::Open(*conn->db));
  store::EventQuery q;
  q.since = from;
  q.until = to;
  q.order = "posts";
  q.limit = scope.all ? events : events * 5;
  q.summary = true;
  YQ_ASSIGN_OR_RETURN(auto list, store->List(q));
  std::map<std::string, double> weight;
  size_t used = 0;
  for (const auto& e : list) {
    if (used >= events) break;
    YQ_ASSIGN_OR_RETURN(bool ok, EventVisible(c, scope, e.id));
    if (!ok) continue;
    ++used;
    for (const auto& [w, x] : e.terms) weight[w] += x * static_cast<double>(std::max<int64_t>(e.posts, 1));
  }
  std::vector<std::pair<std::string, double>> v(weight.begin(), weight.end());
  std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.second != b.second ? a.second > b.second : a.first < b.first; });
  for (size_t i = 0; i < v.size() && i < words; ++i)
    out.push_back({{"word", v[i].first}, {"weight", std::round(v[i].second * 1000.0) / 1000.0}});
  return out;
}

Result<Reply> ListEvents(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(int64_t limit, IntParam(c, "limit", 50, 200));
  store::EventQuery q;
  q.limit = static_cast<size_t>(limit);
  if (auto v = c.Param("since"); !v.empty()) {
    YQ_ASSIGN_OR_RETURN(q.since, ParseTime(v));
  }
  if (auto v = c.Param("min_posts"); !v.empty()) {
    YQ_ASSIGN_OR_RETURN(q.min_posts, IntParam(c, "min_posts", 1, 1000000000));
  }
  if (auto v = c.Param("order"); !v.empty()) {
    if (v != "last_seen" && v != "posts" && v != "first_seen") return Status::Invalid("order: last_seen, posts or first_seen");
    q.order = v;
  }
  YQ_ASSIGN_OR_RETURN(Scope scope, VisibleScope(c));
  json items = json::array();
  if (!scope.all && scope.scheme_ids.empty()) return Reply(json{{"items", items}});
  YQ_ASSIGN_OR_RETURN(Conn * conn, c.conn());
  YQ_ASSIGN_OR_RETURN(auto events, store::EventStore::Open(*conn->db));
  if (!scope.all) q.limit = std::min<size_t>(q.limit * 5, 1000);  // some are filtered out below
  YQ_ASSIGN_OR_RETURN(auto list, events->List(q));
  for (const auto& e : list) {
    if (items.size() >= static_cast<size_t>(limit)) break;
    YQ_ASSIGN_OR_RETURN(bool ok, EventVisible(c, scope, e.id));
    if (ok) items.push_back(EventToJson(e));
  }
  return Reply(json{{"items", std::move(items)}});
}

Result<Reply> GetEvent(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(int64_t id, IdFrom(c.PathParam(0), "event"));
  YQ_ASSIGN_OR_RETURN(Scope scope, VisibleScope(c));
  YQ_ASSIGN_OR_RETURN(Conn * conn, c.conn());
  YQ_ASSIGN_OR_RETURN(auto events, store::EventStore::Open(*conn->db));
  auto e = events->Get(id, true);
  if (!e.ok()) return e.status().code() == Code::kNotFound ? Status::NotFound("no event " + std::to_string(id)) : e.status();
  YQ_ASSIGN_OR_RETURN(bool ok, EventVisible(c, scope, e->id));
  if (!ok) return Status::NotFound("no event " + std::to_string(id));
  json j = EventToJson(*e);
  YQ_ASSIGN_OR_RETURN(auto model, c.state.services.cascade_model());
  YQ_ASSIGN_OR_RETURN(auto fc, app::ForecastEvent(*conn->db, *e, model.get()));
  j["forecast"] = app::ForecastToJson(fc, e->last_seen);
  // The newest posts of the event the user may see (representative samples for the event page).
  store::SearchQuery q;
  q.event_id = e->id;
  q.limit = 20;
  if (!scope.all) q.scheme_ids = scope.scheme_ids;
  YQ_ASSIGN_OR_RETURN(auto res, conn->posts->Search(q));
  json posts = json::array();
  for (const auto& h : res.hits) posts.push_back(StoredPostToJson(h.post));
  j["recent_posts"] = std::move(posts);
  return Reply(std::move(j));
}

Status RecordCorrection(Ctx& c, const std::string& post_id, const std::string& text, const std::string& label) {
  YQ_ASSIGN_OR_RETURN(Conn * conn, c.conn());
  YQ_ASSIGN_OR_RETURN(auto events, store::EventStore::Open(*conn->db));
  SentimentCorrection sc;
  sc.post_id = post_id;
  sc.text = text;
  sc.label = label;
  sc.user = c.who.name;
  sc.created_at = c.now();
  return events->AddCorrection(sc);
}

}  // namespace yuqing::server
