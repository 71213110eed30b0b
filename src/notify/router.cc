#include "notify/router.h"

#include <algorithm>
#include <cstdlib>
#include <set>

#include <nlohmann/json.hpp>

#include "core/alert_json.h"
#include "core/outbox.h"
#include "core/source_names.h"

namespace yuqing::notify {
namespace {

using nlohmann::json;

const char* KindZh(warning::NoticeKind k) {
  switch (k) {
    case warning::NoticeKind::kRaised: return "新预警";
    case warning::NoticeKind::kUpgraded: return "预警升级";
    case warning::NoticeKind::kReminder: return "预警提醒";
    case warning::NoticeKind::kEscalated: return "预警逐级上报";
    case warning::NoticeKind::kResolved: return "预警解除";
    case warning::NoticeKind::kAcked: return "预警已确认";
  }
  return "预警";
}

std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

}  // namespace

std::string NoticeTitle(const warning::AlertNotice& n) {
  const auto& a = n.alert;
  return std::string("【") + LevelName(a.severity) + "级 " + LevelNameZh(a.severity) + "】" + KindZh(n.kind) +
         ": " + (a.scheme_name.empty() ? "方案 " + std::to_string(a.scheme_id) : a.scheme_name) +
         (a.event_id ? " · 事件 " + std::to_string(a.event_id) : "") + " #" + std::to_string(a.id);
}

namespace {

// "12月6日 08:40" in the display time zone (Beijing time by default): what a phone shows.
std::string LocalTime(TimeMs t) {
  std::string iso = FormatTime(t);  // 2026-12-06T08:40:00+08:00
  if (iso.size() < 16) return iso;
  int month = std::atoi(iso.c_str() + 5), day = std::atoi(iso.c_str() + 8);
  return std::to_string(month) + "月" + std::to_string(day) + "日 " + iso.substr(11, 5);
}

}  // namespace

std::string NoticeText(const warning::AlertNotice& n, const std::string& dashboard_url) {
  const auto& a = n.alert;
  std::string t = "### " + NoticeTitle(n) + "\n";
  t += a.message + "\n";
  t += "- 触发条件：" + a.rule + "\n";
  t += "- 时间：" + LocalTime(n.at) + "（北京时间）\n";
  std::string link = dashboard_url.empty() ? "" : dashboard_url + "#/alerts/" + std::to_string(a.id);
  if (a.status == "open" && a.deadline)
    t += "- 请于 " + LocalTime(a.deadline) + " 前确认" +
         (link.empty() ? "（仪表盘「预警」页，或 yuqing alerts ack " + std::to_string(a.id) + "）" : "：" + link) + "\n";
  else if (!link.empty())
    t += "- 查看：" + link + "\n";
  if (!a.acked_by.empty()) t += "- 确认人：" + a.acked_by + "，" + LocalTime(a.acked_at) + "\n";
  if (a.status == "resolved") t += "- 解除：" + (a.resolved_by == "system" ? std::string("系统") : a.resolved_by) + (a.resolve_note.empty() ? "" : "，" + a.resolve_note) + "\n";
  if (a.evidence.is_array() && !a.evidence.empty() && n.kind != warning::NoticeKind::kResolved) {
    t += "代表性信息：\n";
    int i = 0;
    for (const auto& e : a.evidence) {
      if (++i > 3) break;
      const std::string src = SourceDisplayName(e.value("source", std::string()), true);
      t += std::to_string(i) + ". [" + src + "] " + e.value("author", std::string()) + "：" +
           e.value("text", std::string()) + "\n";
    }
  }
  return t;
}

Result<std::unique_ptr<Router>> Router::Create(store::Database& db, std::string dashboard_url) {
  std::unique_ptr<Router> r(new Router(db));
  if (!dashboard_url.empty() && dashboard_url.back() != '/') dashboard_url += '/';
  r->dashboard_url_ = std::move(dashboard_url);
  YQ_ASSIGN_OR_RETURN(r->outbox_, store::OutboxStore::Open(db));
  YQ_ASSIGN_OR_RETURN(r->schemes_, store::SchemeStore::Open(db));
  return r;
}

Status Router::OnAlert(store::Database& db, const warning::AlertNotice& n) {
  if (&db != &db_) return Status::Internal("notify::Router used with another connection");
  const auto& a = n.alert;
  // Departments: the scheme's, plus those whose region rules cover one of the scheme's regions.
  std::vector<std::string> depts = a.departments;
  std::vector<std::string> regions;
  if (a.scheme_id) {
    auto s = schemes_->Get(a.scheme_id);
    if (s.ok() && s->has_value()) {
      regions = (*s)->regions;
      if (depts.empty()) depts = (*s)->departments;
    }
  }
  YQ_ASSIGN_OR_RETURN(auto all_depts, outbox_->ListDepartments());
  for (const auto& d : all_depts)
    for (const auto& r : d.regions)
      if (std::find(regions.begin(), regions.end(), r) != regions.end()) depts.push_back(d.name);
  std::sort(depts.begin(), depts.end());
  depts.erase(std::unique(depts.begin(), depts.end()), depts.end());

  const std::string kind = warning::NoticeKindName(n.kind);
  json alert_json = AlertToJson(a);
  const std::string title = NoticeTitle(n), text = NoticeText(n, dashboard_url_);
  const std::string base = "yq-" + std::to_string(a.id) + "-" + kind + "-" + std::to_string(a.severity) + "-" +
                           std::to_string(a.escalation_step) + "-" + std::to_string(a.reminders);
  int enqueued = 0, routed = 0;
  for (const auto& d : depts) {
    YQ_ASSIGN_OR_RETURN(auto contacts, outbox_->ListContacts(d));
    std::vector<const Contact*> chosen;
    int step = a.escalation_step;
    if (n.kind == warning::NoticeKind::kEscalated) {
      int best = -1;  // the highest order <= step that has contacts
      for (const auto& c : contacts)
        if (c.enabled && c.escalation_order <= step) best = std::max(best, c.escalation_order);
      for (const auto& c : contacts)
        if (c.enabled && c.escalation_order == best) chosen.push_back(&c);
    } else {
      for (const auto& c : contacts)
        if (c.enabled && c.escalation_order <= step) chosen.push_back(&c);
    }
    for (const auto* c : chosen) {
      if (a.severity < c->min_severity) continue;
      ++routed;
      OutboxEntry e;
      e.idem_key = base + "-c" + std::to_string(c->id);
      e.alert_id = a.id;
      e.notice = kind;
      e.contact_id = c->id;
      e.department = d;
      e.channel = c->channel;
      e.target = c->target;
      e.secret = c->secret;
      e.payload = Dump({{"idempotency_key", e.idem_key},
                        {"kind", kind},
                        {"department", d},
                        {"title", title},
                        {"text", text},
                        {"alert", alert_json}});
      e.created_at = n.at;
      e.next_attempt_at = 0;  // due at once (the dispatcher runs on the wall clock)
      YQ_ASSIGN_OR_RETURN(auto r, outbox_->Enqueue(e));
      enqueued += r.second;
    }
  }
  if (routed == 0 && (n.kind == warning::NoticeKind::kRaised || n.kind == warning::NoticeKind::kUpgraded ||
                        n.kind == warning::NoticeKind::kEscalated)) {
    OutboxEntry e;
    e.idem_key = base + "-unrouted";
    e.alert_id = a.id;
    e.notice = kind;
    e.channel = "none";
    e.target = "";
    e.status = "unrouted";
    e.payload = Dump({{"idempotency_key", e.idem_key}, {"kind", kind}, {"title", title}, {"text", text},
                      {"departments", depts}, {"alert", alert_json}});
    e.last_error = depts.empty() ? "the scheme names no department" : "no contact in the departments";
    e.created_at = n.at;
    YQ_RETURN_IF_ERROR(outbox_->Enqueue(e).status());
  }
  if (enqueued > 0 && on_enqueued_) on_enqueued_();
  return Status::Ok();
}

namespace {

OutboxEntry MessageEntry(const Contact& c, const std::string& kind, const std::string& title,
                         const std::string& text, std::string idem_key, TimeMs at, int64_t alert_id) {
  OutboxEntry e;
  e.idem_key = std::move(idem_key);
  e.alert_id = alert_id;
  e.notice = kind;
  e.contact_id = c.id;
  e.department = c.department;
  e.channel = c.channel;
  e.target = c.target;
  e.secret = c.secret;
  e.payload = Dump({{"idempotency_key", e.idem_key}, {"kind", kind}, {"department", c.department},
                    {"title", title}, {"text", text}});
  e.created_at = at;
  return e;
}

}  // namespace

Result<int> Router::EnqueueMessage(const std::string& department, const std::string& kind, const std::string& title,
                                   const std::string& text, const std::string& dedupe_key, TimeMs at, int max_order,
                                   int64_t alert_id) {
  YQ_ASSIGN_OR_RETURN(auto contacts, outbox_->ListContacts(department));
  int n = 0;
  for (const auto& c : contacts) {
    if (!c.enabled || c.escalation_order > max_order) continue;
    YQ_ASSIGN_OR_RETURN(auto r, outbox_->Enqueue(MessageEntry(c, kind, title, text,
                                                              "yq-msg-" + dedupe_key + "-c" + std::to_string(c.id),
                                                              at, alert_id)));
    n += r.second;
  }
  if (n > 0 && on_enqueued_) on_enqueued_();
  return n;
}

Result<int64_t> Router::EnqueueTest(int64_t contact_id, const std::string& by, TimeMs at, const std::string& nonce) {
  YQ_ASSIGN_OR_RETURN(auto c, outbox_->GetContact(contact_id));
  if (!c) return Status::NotFound("no contact " + std::to_string(contact_id));
  std::string text = "这是一条测试消息，发给 " + c->department + (c->name.empty() ? "" : " · " + c->name) +
                     (by.empty() ? "" : "（由 " + by + " 发送）") + "，时间 " + FormatTime(at) +
                     "。收到即说明此渠道可用。\nThis is a test message: this channel works.";
  YQ_ASSIGN_OR_RETURN(auto r, outbox_->Enqueue(MessageEntry(*c, "test", "yuqing 测试消息 test message", text,
                                                            "yq-test-c" + std::to_string(c->id) + "-" + nonce, at, 0)));
  if (r.second && on_enqueued_) on_enqueued_();
  return r.first;
}

}  // namespace yuqing::notify
