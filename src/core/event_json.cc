#include "core/event_json.h"

#include <exception>

namespace yuqing {

using nlohmann::json;

namespace {

template <typename M>
json MapToJson(const M& m) {
  json j = json::object();
  for (const auto& [k, v] : m) j[k] = v;
  return j;
}

}  // namespace

json EventToJson(const EventRecord& e) {
  json j;
  j["id"] = e.id;
  j["title"] = e.title;
  j["representative_post"] = e.representative_post;
  j["first_seen"] = FormatTime(e.first_seen);
  j["last_seen"] = FormatTime(e.last_seen);
  j["first_seen_ms"] = e.first_seen;
  j["last_seen_ms"] = e.last_seen;
  j["posts"] = e.posts;
  j["originals"] = e.originals;
  j["copies"] = e.copies;
  j["reposts"] = e.reposts;
  json vol = json::array();
  for (const auto& [t, n] : e.volume) vol.push_back({{"hour", FormatTime(t)}, {"hour_ms", t}, {"posts", n}});
  j["volume"] = std::move(vol);
  j["sentiment"] = {{"negative", e.negative}, {"neutral", e.neutral}, {"positive", e.positive}};
  j["types"] = MapToJson(e.types);
  j["regions"] = MapToJson(e.regions);
  j["sources"] = MapToJson(e.sources);
  j["first_poster"] = {{"post", e.first_post_id}, {"author_id", e.first_author_id}, {"author_name", e.first_author_name}};
  json sp = json::array();
  for (const auto& s : e.spreaders)
    sp.push_back({{"author_id", s.author_id}, {"author_name", s.author_name}, {"posts", s.posts}, {"reach", s.reach}});
  j["spreaders"] = std::move(sp);
  json terms = json::array();
  for (const auto& [w, x] : e.terms) terms.push_back({w, x});
  j["keywords"] = std::move(terms);
  j["merged_into"] = e.merged_into;
  return j;
}

Result<EventRecord> EventFromJson(const json& j) {
  if (!j.is_object()) return Status::Invalid("event document is not an object");
  EventRecord e;
  try {
    e.id = j.value("id", int64_t{0});
    e.title = j.value("title", "");
    e.representative_post = j.value("representative_post", "");
    e.first_seen = j.value("first_seen_ms", int64_t{0});
    e.last_seen = j.value("last_seen_ms", int64_t{0});
    e.posts = j.value("posts", int64_t{0});
    e.originals = j.value("originals", int64_t{0});
    e.copies = j.value("copies", int64_t{0});
    e.reposts = j.value("reposts", int64_t{0});
    if (j.contains("volume"))
      for (const auto& v : j["volume"]) e.volume[v.value("hour_ms", int64_t{0})] = v.value("posts", int64_t{0});
    if (j.contains("sentiment")) {
      e.negative = j["sentiment"].value("negative", int64_t{0});
      e.neutral = j["sentiment"].value("neutral", int64_t{0});
      e.positive = j["sentiment"].value("positive", int64_t{0});
    }
    for (const char* k : {"types", "regions", "sources"}) {
      if (!j.contains(k)) continue;
      auto& m = std::string(k) == "types" ? e.types : std::string(k) == "regions" ? e.regions : e.sources;
      for (const auto& [name, n] : j[k].items()) m[name] = n.get<int64_t>();
    }
    if (j.contains("first_poster")) {
      e.first_post_id = j["first_poster"].value("post", "");
      e.first_author_id = j["first_poster"].value("author_id", "");
      e.first_author_name = j["first_poster"].value("author_name", "");
    }
    if (j.contains("spreaders"))
      for (const auto& s : j["spreaders"])
        e.spreaders.push_back({s.value("author_id", ""), s.value("author_name", ""), s.value("posts", int64_t{0}),
                               s.value("reach", int64_t{0})});
    if (j.contains("keywords"))
      for (const auto& t : j["keywords"])
        if (t.is_array() && t.size() == 2) e.terms.emplace_back(t[0].get<std::string>(), t[1].get<double>());
    e.merged_into = j.value("merged_into", int64_t{0});
  } catch (const std::exception& ex) {
    return Status::Invalid(std::string("malformed event document: ") + ex.what());
  }
  return e;
}

}  // namespace yuqing
