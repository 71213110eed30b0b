// The settings (设置) an admin makes from the dashboard: departments, contacts and their channels,
// 测试发送, the SMTP server. The rules (what a valid contact is, how secrets are masked, where
// SMTP settings live) are notify/directory.h's, shared with the CLI; this file only parses,
// audits and shapes. Secrets and robot keys never leave the server in full.
#include <cstdio>
#include <random>

#include "app/listeners.h"
#include "core/alert.h"
#include "core/outbox.h"
#include "notify/directory.h"
#include "notify/router.h"
#include "server/handlers.h"
#include "store/alert_store.h"

namespace yuqing::server {
namespace {
using nlohmann::json;

std::vector<std::string> Strings(const json& body, const char* key) {
  std::vector<std::string> out;
  if (auto it = body.find(key); it != body.end() && it->is_array())
    for (const auto& e : *it)
      if (e.is_string()) out.push_back(e.get<std::string>());
  return out;
}

Result<Department> FindDepartment(Conn& conn, const std::string& ref) {
  YQ_ASSIGN_OR_RETURN(auto d, conn.outbox->FindDepartment(ref));
  if (!d) return Status::NotFound("no department '" + ref + "'");
  return std::move(*d);
}

Result<Contact> FindContact(Conn& conn, const std::string& ref) {
  YQ_ASSIGN_OR_RETURN(int64_t id, IdFrom(ref, "contact"));
  YQ_ASSIGN_OR_RETURN(auto c, conn.outbox->GetContact(id));
  if (!c) return Status::NotFound("no contact " + std::to_string(id));
  return std::move(*c);
}

Result<int> CountContacts(Conn& conn, const std::string& department) {
  YQ_ASSIGN_OR_RETURN(auto list, conn.outbox->ListContacts(department));
  return static_cast<int>(list.size());
}

// Applies the fields present in `body` to `c` (a new contact or a copy of a stored one).
Status ApplyContact(const json& body, Contact& c) {
  if (body.contains("department")) c.department = body["department"].get<std::string>();
  if (body.contains("name")) c.name = body["name"].get<std::string>();
  if (body.contains("channel")) c.channel = body["channel"].get<std::string>();
  if (body.contains("target")) c.target = body["target"].get<std::string>();
  if (body.contains("secret")) c.secret = body["secret"].is_null() ? "" : body["secret"].get<std::string>();
  if (body.contains("escalation_order")) c.escalation_order = body["escalation_order"].get<int>();
  if (body.contains("enabled")) c.enabled = body["enabled"].get<bool>();
  if (body.contains("min_level")) {
    c.min_severity = ParseLevel(body["min_level"].get<std::string>());
    if (c.min_severity == 0) return Status::Invalid("min_level: must be IV, III, II or I");
  }
  return notify::ValidateContact(c);
}

// What an audit row may say about a contact: never the secret, the target masked.
json ContactAudit(const Contact& c) {
  return {{"department", c.department}, {"name", c.name}, {"channel", c.channel},
          {"target", notify::MaskTarget(c.channel, c.target)}, {"has_secret", !c.secret.empty()},
          {"escalation_order", c.escalation_order}, {"min_level", LevelName(c.min_severity)},
          {"enabled", c.enabled}};
}

json SmtpJson(const notify::SmtpSettings& s, bool configured) {
  return {{"configured", configured}, {"url", s.url}, {"from", configured ? s.from : ""}, {"user", s.user},
          {"password_set", !s.password.empty()}};
}

std::string Nonce() {
  std::random_device rd;
  char buf[17];
  std::snprintf(buf, sizeof buf, "%08x%08x", rd(), rd());
  return buf;
}

}  // namespace

// ---------------------------------------------------------------- departments

Result<Reply> ListDepartmentsHandler(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(Conn * conn, c.conn());
  YQ_ASSIGN_OR_RETURN(auto list, conn->outbox->ListDepartments());
  YQ_ASSIGN_OR_RETURN(auto contacts, conn->outbox->ListContacts(""));
  json items = json::array();
  for (const auto& d : list) {
    int n = 0;
    for (const auto& k : contacts) n += k.department == d.name;
    items.push_back(notify::DepartmentToJson(d, n));
  }
  return Reply(json{{"items", std::move(items)}});
}

Result<Reply> CreateDepartmentHandler(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(json body, c.JsonBody());
  Department d;
  d.name = body["name"].get<std::string>();
  d.description = body.value("description", std::string());
  d.regions = Strings(body, "regions");
  d.created_at = c.now();
  YQ_RETURN_IF_ERROR(notify::ValidateDepartment(d));
  YQ_ASSIGN_OR_RETURN(Conn * conn, c.conn());
  YQ_RETURN_IF_ERROR(conn->outbox->AddDepartment(d));
  YQ_ASSIGN_OR_RETURN(auto saved, FindDepartment(*conn, d.name));
  c.Audit("department.add", "department:" + d.name, {{"description", d.description}, {"regions", d.regions}});
  Reply r(notify::DepartmentToJson(saved, 0));
  r.status = 201;
  return r;
}

Result<Reply> UpdateDepartmentHandler(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(json body, c.JsonBody());
  YQ_ASSIGN_OR_RETURN(Conn * conn, c.conn());
  YQ_ASSIGN_OR_RETURN(auto d, FindDepartment(*conn, c.PathParam(0)));
  if (body.contains("name") && body["name"].get<std::string>() != d.name)
    return Status::Invalid("name: a department is not renamed (schemes, users and alerts refer to it by name)");
  Department next = d;
  if (body.contains("description")) next.description = body["description"].get<std::string>();
  if (body.contains("regions")) next.regions = Strings(body, "regions");
  YQ_RETURN_IF_ERROR(notify::ValidateDepartment(next));
  YQ_RETURN_IF_ERROR(conn->outbox->UpdateDepartment(next));
  c.Audit("department.update", "department:" + d.name,
          {{"before", {{"description", d.description}, {"regions", d.regions}}},
           {"after", {{"description", next.description}, {"regions", next.regions}}}});
  YQ_ASSIGN_OR_RETURN(int n, CountContacts(*conn, d.name));
  return Reply(notify::DepartmentToJson(next, n));
}

Result<Reply> DeleteDepartmentHandler(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(Conn * conn, c.conn());
  YQ_ASSIGN_OR_RETURN(auto d, FindDepartment(*conn, c.PathParam(0)));
  YQ_RETURN_IF_ERROR(conn->outbox->RemoveDepartment(d.name));
  c.Audit("department.remove", "department:" + d.name, {{"description", d.description}, {"regions", d.regions}});
  return Reply(json{{"deleted", d.name}});
}

// ---------------------------------------------------------------- contacts

Result<Reply> ListContactsHandler(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(Conn * conn, c.conn());
  std::string department = c.Param("department");
  if (!department.empty()) {
    YQ_ASSIGN_OR_RETURN(auto d, FindDepartment(*conn, department));
    department = d.name;
  }
  YQ_ASSIGN_OR_RETURN(auto list, conn->outbox->ListContacts(department));
  json items = json::array();
  for (const auto& k : list) items.push_back(notify::ContactToJson(k));
  return Reply(json{{"items", std::move(items)}});
}

Result<Reply> CreateContactHandler(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(json body, c.JsonBody());
  Contact k;
  k.created_at = c.now();
  YQ_RETURN_IF_ERROR(ApplyContact(body, k));
  YQ_ASSIGN_OR_RETURN(Conn * conn, c.conn());
  YQ_ASSIGN_OR_RETURN(auto d, conn->outbox->GetDepartment(k.department));
  if (!d) return Status::Invalid("department: no department '" + k.department + "' (create it first)");
  YQ_ASSIGN_OR_RETURN(k.id, conn->outbox->AddContact(k));
  c.Audit("contact.add", "contact:" + std::to_string(k.id), ContactAudit(k));
  Reply r(notify::ContactToJson(k));
  r.status = 201;
  return r;
}

Result<Reply> UpdateContactHandler(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(json body, c.JsonBody());
  YQ_ASSIGN_OR_RETURN(Conn * conn, c.conn());
  YQ_ASSIGN_OR_RETURN(auto before, FindContact(*conn, c.PathParam(0)));
  Contact k = before;
  YQ_RETURN_IF_ERROR(ApplyContact(body, k));
  YQ_RETURN_IF_ERROR(conn->outbox->UpdateContact(k));
  json changed = json::array();
  for (const auto& [field, value] : body.items()) changed.push_back(field);
  c.Audit("contact.update", "contact:" + std::to_string(k.id),
          {{"changed", changed}, {"before", ContactAudit(before)}, {"after", ContactAudit(k)},
           {"secret_changed", k.secret != before.secret}});
  return Reply(notify::ContactToJson(k));
}

Result<Reply> DeleteContactHandler(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(Conn * conn, c.conn());
  YQ_ASSIGN_OR_RETURN(auto k, FindContact(*conn, c.PathParam(0)));
  YQ_RETURN_IF_ERROR(conn->outbox->RemoveContact(k.id));
  c.Audit("contact.remove", "contact:" + std::to_string(k.id), ContactAudit(k));
  return Reply(json{{"deleted", k.id}});
}

Result<Reply> TestContactHandler(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(Conn * conn, c.conn());
  YQ_ASSIGN_OR_RETURN(auto k, FindContact(*conn, c.PathParam(0)));
  // The same path as `yuqing notify test` and the alerts: an outbox row the dispatcher delivers.
  YQ_ASSIGN_OR_RETURN(auto router, app::OpenRouter(c.state.services, *conn->db));
  YQ_ASSIGN_OR_RETURN(int64_t id, router->EnqueueTest(k.id, c.who.name, c.now(), Nonce()));
  c.Audit("contact.test", "contact:" + std::to_string(k.id), {{"outbox_id", id}, {"channel", k.channel}});
  Reply r(json{{"outbox_id", id}, {"contact_id", k.id}, {"status", "pending"}});
  r.status = 202;
  return r;
}

Result<Reply> GetOutboxEntry(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(int64_t id, IdFrom(c.PathParam(0), "outbox entry"));
  YQ_ASSIGN_OR_RETURN(Conn * conn, c.conn());
  YQ_ASSIGN_OR_RETURN(auto e, conn->outbox->Get(id));
  if (!e) return Status::NotFound("no outbox entry " + std::to_string(id));
  YQ_ASSIGN_OR_RETURN(auto log, conn->outbox->Log(0, id, 100));
  json tries = json::array();
  for (const auto& t : log)
    tries.push_back({{"at", FormatTime(t.at)}, {"attempt", t.attempt}, {"ok", t.ok}, {"status_code", t.status_code},
                     {"error", t.error}, {"duration_ms", t.duration_ms}});
  return Reply(json{{"id", e->id},
                    {"alert_id", e->alert_id},
                    {"notice", e->notice},
                    {"contact_id", e->contact_id},
                    {"department", e->department},
                    {"channel", e->channel},
                    {"target", notify::MaskTarget(e->channel, e->target)},
                    {"status", e->status},
                    {"attempts", e->attempts},
                    {"last_error", e->last_error},
                    {"created_at", FormatTime(e->created_at)},
                    {"delivered_at", e->delivered_at ? json(FormatTime(e->delivered_at)) : json(nullptr)},
                    {"next_attempt_at", e->status == "pending" ? json(FormatTime(e->next_attempt_at)) : json(nullptr)},
                    {"log", std::move(tries)}});
}

// ---------------------------------------------------------------- SMTP

Result<Reply> GetSmtp(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(Conn * conn, c.conn());
  YQ_ASSIGN_OR_RETURN(auto s, notify::LoadSmtp(*conn->outbox));
  return Reply(SmtpJson(s, !s.url.empty()));
}

Result<Reply> PutSmtp(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(json body, c.JsonBody());
  YQ_ASSIGN_OR_RETURN(Conn * conn, c.conn());
  YQ_ASSIGN_OR_RETURN(auto before, notify::LoadSmtp(*conn->outbox));
  notify::SmtpSettings s;
  s.url = body["url"].get<std::string>();
  s.from = body["from"].get<std::string>();
  s.user = body.value("user", std::string());
  // The password is never shown, so a form that leaves it out keeps the stored one.
  bool password_given = body.contains("password") && !body["password"].is_null();
  s.password = password_given ? body["password"].get<std::string>() : before.password;
  YQ_RETURN_IF_ERROR(notify::SaveSmtp(*conn->outbox, s));
  c.Audit("smtp.update", "settings:smtp",
          {{"url", s.url}, {"from", s.from}, {"user", s.user}, {"password_changed", s.password != before.password}});
  return Reply(SmtpJson(s, true));
}

}  // namespace yuqing::server
