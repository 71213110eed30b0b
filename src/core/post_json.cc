#include "core/post_json.h"

#include <cstdio>

#include "core/time.h"

namespace yuqing {

using nlohmann::json;

json TypesToJson(const std::vector<TypeHit>& types) {
  json a = json::array();
  for (const auto& t : types) a.push_back({{"type", t.type}, {"evidence", t.evidence}, {"score", t.score}});
  return a;
}

json SchemesToJson(const std::vector<SchemeHit>& s) {
  json a = json::array();
  for (const auto& h : s) a.push_back({{"id", h.scheme_id}, {"terms", h.terms}});
  return a;
}

json AnalysisToJson(const Analysis& a) {
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(a.simhash));
  return {{"sentiment", {{"label", a.sentiment_label}, {"score", a.sentiment_score}}},
          {"types", TypesToJson(a.types)},
          {"rumor", a.rumor},
          {"region", {{"province", a.province}, {"city", a.city}, {"source", a.region_source}}},
          {"keywords", a.keywords},
          {"simhash", hex},
          {"dup_of", a.dup_of.empty() ? json(nullptr) : json(a.dup_of)},
          {"event", a.event_id ? json(a.event_id) : json(nullptr)}};
}

json StoredPostToJson(const StoredPost& sp) {
  const Post& p = sp.post;
  json j = {{"id", p.id},
            {"source", p.source},
            {"channel", p.channel},
            {"url", p.url},
            {"title", p.title},
            {"text", p.text},
            {"author", {{"id", p.author.id}, {"name", p.author.name}, {"followers", p.author.followers},
                        {"verified", p.author.verified}, {"location", p.author.location}}},
            {"published_at", FormatTime(p.published_at)},
            {"ingested_at", FormatTime(p.ingested_at)},
            {"region", p.region},
            {"metrics", {{"reposts", p.metrics.reposts}, {"comments", p.metrics.comments},
                         {"likes", p.metrics.likes}, {"views", p.metrics.views}}},
            {"parent", p.parent},
            {"lang", p.lang},
            {"analysis", AnalysisToJson(sp.analysis)},
            {"schemes", SchemesToJson(sp.schemes)}};
  if (!p.extra_json.empty()) {
    json e = json::parse(p.extra_json, nullptr, false);
    if (!e.is_discarded()) j["extra"] = e;
  }
  return j;
}

}  // namespace yuqing
