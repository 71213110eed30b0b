// /api/v1/alerts: list, one alert with its history, acknowledge, resolve, delivery log.
// The lifecycle rules live in warning/ (AckAlert, ResolveAlert); this file only scopes and shapes.
#include <algorithm>

#include "app/listeners.h"
#include "core/alert.h"
#include "core/alert_json.h"
#include "server/handlers.h"
#include "warning/engine.h"

namespace yuqing::server {
namespace {
using nlohmann::json;

bool InScope(const Scope& s, int64_t scheme_id) {
  return s.all || std::binary_search(s.scheme_ids.begin(), s.scheme_ids.end(), scheme_id);
}

Result<AlertRecord> VisibleAlert(Ctx& c, int64_t id) {
  YQ_ASSIGN_OR_RETURN(Conn * conn, c.conn());
  YQ_ASSIGN_OR_RETURN(auto a, conn->alerts->Get(id));
  YQ_ASSIGN_OR_RETURN(Scope scope, VisibleScope(c));
  if (!a || !(InScope(scope, a->scheme_id) || c.who.InAnyDepartment(a->departments)))
    return Status::NotFound("no alert " + std::to_string(id));
  return std::move(*a);
}

std::string Note(Ctx& c) {
  if (c.req.body.empty()) return "";
  auto parsed = c.JsonBody();
  if (!parsed.ok()) return "";
  const json& b = *parsed;
  if (!b.is_object() || !b.contains("note") || !b["note"].is_string()) return "";
  return b["note"].get<std::string>().substr(0, 2000);
}

Result<Reply> Change(Ctx& c, bool ack) {
  YQ_ASSIGN_OR_RETURN(int64_t id, IdFrom(c.PathParam(0), "alert"));
  YQ_ASSIGN_OR_RETURN(auto before, VisibleAlert(c, id));
  std::string note = Note(c);
  YQ_ASSIGN_OR_RETURN(Conn * conn, c.conn());
  // The same notice (已确认 / 已解除) goes to the department's contacts as from `yuqing alerts
  // ack`: the listeners every path uses (app/listeners.h) write the outbox rows in the change's
  // transaction and wake the dispatcher.
  YQ_ASSIGN_OR_RETURN(auto listeners, app::AlertListeners::Open(c.state.services, *conn->db));
  if (ack) {
    YQ_RETURN_IF_ERROR(warning::AckAlert(*conn->db, id, c.who.name, c.now(), note, listeners.all()));
  } else {
    YQ_RETURN_IF_ERROR(warning::ResolveAlert(*conn->db, id, c.who.name, c.now(), note, listeners.all()));
  }
  YQ_ASSIGN_OR_RETURN(auto after, conn->alerts->Get(id));
  if (!after) return Status::NotFound("no alert " + std::to_string(id));
  c.Audit(ack ? "alert.ack" : "alert.resolve", "alert:" + std::to_string(id),
          {{"from", before.status}, {"to", after->status}, {"note", note}});
  json j = AlertToJson(*after);
  c.state.hub.PublishAlert(j, after->departments);
  return Reply(std::move(j));
}

}  // namespace

Result<Reply> ListAlerts(Ctx& c) {
  store::AlertFilter f;
  f.status = c.Param("status");
  if (!f.status.empty() && f.status != "active" && f.status != "open" && f.status != "acked" && f.status != "resolved")
    return Status::Invalid("status must be open, acked, resolved or active");
  if (auto lv = c.Param("level"); !lv.empty()) {
    f.min_severity = ParseLevel(lv);
    if (f.min_severity == 0) return Status::Invalid("level must be I, II, III, IV (or red, orange, yellow, blue)");
  }
  if (auto s = c.Param("scheme"); !s.empty()) {
    YQ_ASSIGN_OR_RETURN(f.scheme_id, IdFrom(s, "scheme"));
  }
  if (auto cur = c.Param("cursor"); !cur.empty()) {
    YQ_ASSIGN_OR_RETURN(f.after_id, IdFrom(cur, "cursor"));
  }
  YQ_ASSIGN_OR_RETURN(int64_t limit, IntParam(c, "limit", 50, 500));
  f.limit = static_cast<size_t>(limit);
  YQ_ASSIGN_OR_RETURN(Scope scope, VisibleScope(c));
  json items = json::array();
  if (!scope.all) {
    if (scope.scheme_ids.empty()) return Reply(json{{"items", items}, {"next_cursor", nullptr}});
    f.scheme_ids = scope.scheme_ids;
  }
  YQ_ASSIGN_OR_RETURN(Conn * conn, c.conn());
  YQ_ASSIGN_OR_RETURN(auto alerts, conn->alerts->List(f));
  for (const auto& a : alerts) items.push_back(AlertToJson(a));
  json next = alerts.size() == f.limit && !alerts.empty() ? json(std::to_string(alerts.back().id)) : json(nullptr);
  return Reply(json{{"items", std::move(items)}, {"next_cursor", next}});
}

Result<Reply> GetAlert(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(int64_t id, IdFrom(c.PathParam(0), "alert"));
  YQ_ASSIGN_OR_RETURN(auto a, VisibleAlert(c, id));
  YQ_ASSIGN_OR_RETURN(Conn * conn, c.conn());
  YQ_ASSIGN_OR_RETURN(auto history, conn->alerts->History(id));
  json j = AlertToJson(a);
  json h = json::array();
  for (const auto& e : history) h.push_back(AlertHistoryToJson(e));
  j["history"] = std::move(h);
  return Reply(std::move(j));
}

Result<Reply> AckAlertHandler(Ctx& c) { return Change(c, true); }
Result<Reply> ResolveAlertHandler(Ctx& c) { return Change(c, false); }

Result<Reply> AlertDeliveries(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(int64_t id, IdFrom(c.PathParam(0), "alert"));
  YQ_ASSIGN_OR_RETURN(auto a, VisibleAlert(c, id));
  YQ_ASSIGN_OR_RETURN(Conn * conn, c.conn());
  YQ_ASSIGN_OR_RETURN(auto entries, conn->outbox->List("", id, 200));
  YQ_ASSIGN_OR_RETURN(auto attempts, conn->outbox->Log(id, 0, 500));
  json out = json::array();
  for (const auto& e : entries) {
    json tries = json::array();
    for (const auto& t : attempts) {
      if (t.outbox_id != e.id) continue;
      tries.push_back({{"at", FormatTime(t.at)}, {"attempt", t.attempt}, {"ok", t.ok}, {"status_code", t.status_code},
                       {"error", t.error}, {"duration_ms", t.duration_ms}});
    }
    // Targets can be webhook URLs with keys in them: show the channel and department only.
    out.push_back({{"id", e.id}, {"notice", e.notice}, {"department", e.department}, {"channel", e.channel},
                   {"contact_id", e.contact_id}, {"status", e.status}, {"attempts", e.attempts},
                   {"last_error", e.last_error}, {"created_at", FormatTime(e.created_at)},
                   {"delivered_at", e.delivered_at ? json(FormatTime(e.delivered_at)) : json(nullptr)},
                   {"next_attempt_at", e.next_attempt_at ? json(FormatTime(e.next_attempt_at)) : json(nullptr)},
                   {"log", std::move(tries)}});
  }
  return Reply(json{{"alert_id", a.id}, {"items", std::move(out)}});
}

Result<Reply> Series(Ctx& c) {
  int64_t scheme = 0, event = 0;
  std::string topic = c.Param("topic");
  if (topic.empty()) topic = c.Param("scheme");
  if (!topic.empty()) {
    YQ_ASSIGN_OR_RETURN(scheme, IdFrom(topic, "scheme"));
  }
  if (auto e = c.Param("event"); !e.empty()) {
    YQ_ASSIGN_OR_RETURN(event, IdFrom(e, "event"));
  }
  if (!scheme && !event) return Status::Invalid("give topic=SCHEME_ID and/or event=EVENT_ID");
  YQ_ASSIGN_OR_RETURN(Scope scope, VisibleScope(c));
  if (scheme && !InScope(scope, scheme)) return Status::NotFound("no scheme " + std::to_string(scheme));
  TimeMs now = c.now();
  TimeMs to = (now / kMinute + 1) * kMinute, from = 0;
  if (auto v = c.Param("to"); !v.empty()) {
    YQ_ASSIGN_OR_RETURN(to, ParseTime(v));
  }
  if (auto v = c.Param("from"); !v.empty()) {
    YQ_ASSIGN_OR_RETURN(from, ParseTime(v));
  } else {
    from = to - kDay;
  }
  if (from >= to || to - from > 31 * kDay) return Status::Invalid("from must be before to, at most 31 days apart");
  YQ_ASSIGN_OR_RETURN(Conn * conn, c.conn());
  YQ_ASSIGN_OR_RETURN(auto points, conn->series->Range(scheme, event, from, to));
  json pts = json::array();
  for (const auto& p : points)
    pts.push_back({{"t", FormatTime(p.minute)}, {"volume", p.volume}, {"negative", p.negative},
                   {"sensitive", p.sensitive}, {"authoritative", p.authoritative},
                   {"interactions", p.interactions}, {"reach", p.reach}});
  return Reply(json{{"scheme_id", scheme}, {"event_id", event}, {"from", FormatTime(from)}, {"to", FormatTime(to)},
                    {"step", "minute"}, {"points", std::move(pts)}});
}

}  // namespace yuqing::server
