#include "incident/alert_intake.h"

#include <charconv>

#include "core/alert.h"
#include "store/alert_store.h"
#include "store/incident_posts.h"

namespace yuqing::incident {

Status FillFromAlert(store::Database& db, OpenRequest& req) {
  int64_t id = 0;
  const std::string& s = req.alert_id;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
  if (ec != std::errc() || p != s.data() + s.size() || id <= 0)
    return Status::Invalid("--alert: '" + s + "' is not an alert id");
  YQ_ASSIGN_OR_RETURN(auto alerts, store::AlertStore::Open(db));
  YQ_ASSIGN_OR_RETURN(auto a, alerts->Get(id));
  if (!a) return Status::NotFound("no alert " + s);
  if (!req.detected_at) req.detected_at = a->created_at;
  if (req.level.empty()) req.level = LevelName(a->severity);
  if (req.title.empty()) req.title = a->scheme_name.empty() ? "alert " + s : a->scheme_name;
  auto link = [&](const char* kind, const std::string& ref) {
    for (const auto& l : req.links)
      if (l.kind == kind && l.ref == ref) return;
    store::IncidentLinkRow row;
    row.kind = kind;
    row.ref = ref;
    req.links.push_back(std::move(row));
  };
  if (a->scheme_id > 0) link("scheme", std::to_string(a->scheme_id));
  for (const auto& d : a->departments) link("department", d);
  std::vector<std::string> posts;
  if (a->evidence.is_array()) {
    for (const auto& e : a->evidence) {
      if (e.is_object() && e.contains("id") && e["id"].is_string()) posts.push_back(e["id"].get<std::string>());
    }
  }
  for (const auto& pid : posts) link("post", pid);
  if (a->event_id > 0) {
    link("event", std::to_string(a->event_id));
  } else if (!posts.empty()) {
    // A scheme-level alert: the events its evidence belongs to are the incident's events.
    store::IncidentPosts q(db);
    auto events = q.EventsOf(posts);
    if (events.ok())
      for (int64_t e : *events) link("event", std::to_string(e));
  }
  return Status::Ok();
}

}  // namespace yuqing::incident
