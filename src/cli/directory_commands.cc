// yuqing departments edit|remove, yuqing contacts edit|remove: the routing directory changed from
// the shell as the 设置 page changes it through the API — the same store calls, the same checks
// (notify::ValidateDepartment / ValidateContact) and the same audit actions and details.
#include "cli/directory_commands.h"

#include <iostream>
#include <memory>

#include "cli/audit.h"
#include "core/alert.h"
#include "notify/directory.h"
#include "store/alert_store.h"
#include "store/outbox_store.h"
#include "store/user_store.h"

namespace yuqing::cli {
namespace {

using nlohmann::json;

struct EditOpts {
  std::string ref;  // department name (or id); contact id
  std::string description, department, channel, target, secret, name, min_level;
  std::vector<std::string> regions;
  bool clear_regions = false, clear_secret = false, enable = false, disable = false, json = false;
  int escalation_order = -1;
};

Result<std::unique_ptr<store::OutboxStore>> Outbox(Context& ctx) {
  auto* s = ctx.services();
  if (!s) return Status::Io(ctx.T("无法打开数据目录", "no data directory"));
  return store::OutboxStore::Open(s->db());
}

void Audit(Context& ctx, const std::string& action, const std::string& target, json detail) {
  auto users = store::UserStore::Open(ctx.services()->db());
  if (!users.ok()) {
    std::cerr << ctx.T("审计日志写入失败: ", "audit: ") << users.status().message() << std::endl;
    return;
  }
  AuditCli(**users, ctx, action, target, std::move(detail));
}

Result<store::Department> FindDepartment(Context& ctx, store::OutboxStore& ob, const std::string& ref) {
  YQ_ASSIGN_OR_RETURN(auto d, ob.FindDepartment(ref));
  if (!d) return Status::NotFound(ctx.T("没有部门“", "no department '") + ref + ctx.T("”", "'"));
  return *d;
}

Result<store::Contact> FindContact(Context& ctx, store::OutboxStore& ob, const std::string& ref) {
  int64_t id = 0;
  try {
    size_t used = 0;
    id = std::stoll(ref, &used);
    if (used != ref.size() || id <= 0) throw std::invalid_argument(ref);
  } catch (const std::exception&) {
    return Status::Invalid(ctx.T("联系人编号应为正整数: ", "a contact id is a positive number: ") + ref);
  }
  YQ_ASSIGN_OR_RETURN(auto c, ob.GetContact(id));
  if (!c) return Status::NotFound(ctx.T("找不到联系人 #", "no contact #") + ref);
  return *c;
}

json DepartmentAudit(const store::Department& d) { return {{"description", d.description}, {"regions", d.regions}}; }

// The contact as the API audits it: the robot key masked, never the secret itself.
json ContactAudit(const store::Contact& k) {
  return {{"department", k.department}, {"name", k.name}, {"channel", k.channel},
          {"target", notify::MaskTarget(k.channel, k.target)},
          {"has_secret", !k.secret.empty()}, {"escalation_order", k.escalation_order},
          {"min_level", LevelName(k.min_severity)}, {"enabled", k.enabled}};
}

Status DepartmentEdit(Context& ctx, const EditOpts& o) {
  if (o.description.empty() && o.regions.empty() && !o.clear_regions)
    return Status::Invalid(ctx.T("没有要修改的内容（--description、--region 或 --clear-regions）",
                                 "nothing to change (--description, --region or --clear-regions)"));
  if (o.clear_regions && !o.regions.empty())
    return Status::Invalid(ctx.T("--region 与 --clear-regions 不能同时使用", "--region and --clear-regions exclude each other"));
  YQ_ASSIGN_OR_RETURN(auto ob, Outbox(ctx));
  YQ_ASSIGN_OR_RETURN(store::Department before, FindDepartment(ctx, *ob, o.ref));
  store::Department next = before;
  if (!o.description.empty()) next.description = o.description;
  if (!o.regions.empty() || o.clear_regions) next.regions = o.regions;
  YQ_RETURN_IF_ERROR(notify::ValidateDepartment(next));
  YQ_RETURN_IF_ERROR(ob->UpdateDepartment(next));
  Audit(ctx, "department.update", "department:" + next.name, {{"before", DepartmentAudit(before)}, {"after", DepartmentAudit(next)}});
  YQ_ASSIGN_OR_RETURN(auto contacts, ob->ListContacts(next.name));
  if (o.json) PrintJson(notify::DepartmentToJson(next, static_cast<int>(contacts.size())));
  else std::cout << ctx.T("已修改部门 ", "changed department ") << next.name << "\n";
  return Status::Ok();
}

Status DepartmentRemove(Context& ctx, const EditOpts& o) {
  YQ_ASSIGN_OR_RETURN(auto ob, Outbox(ctx));
  YQ_ASSIGN_OR_RETURN(store::Department d, FindDepartment(ctx, *ob, o.ref));
  YQ_ASSIGN_OR_RETURN(auto contacts, ob->ListContacts(d.name));
  if (!contacts.empty())
    return Status::Conflict(std::string(ctx.T("部门“", "department '")) + d.name + ctx.T("”还有 ", "' still has ") +
                            std::to_string(contacts.size()) +
                            ctx.T(" 个联系人，请先删除（yuqing contacts remove 编号）", " contacts; remove them first (yuqing contacts remove ID)"));
  YQ_RETURN_IF_ERROR(ob->RemoveDepartment(d.name));
  Audit(ctx, "department.remove", "department:" + d.name, DepartmentAudit(d));
  if (o.json) PrintJson({{"deleted", d.name}});
  else std::cout << ctx.T("已删除部门 ", "removed department ") << d.name << "\n";
  return Status::Ok();
}

Status ContactEdit(Context& ctx, const EditOpts& o) {
  if (o.enable && o.disable) return Status::Invalid(ctx.T("--enable 与 --disable 不能同时使用", "--enable and --disable exclude each other"));
  if (o.clear_secret && !o.secret.empty())
    return Status::Invalid(ctx.T("--secret 与 --clear-secret 不能同时使用", "--secret and --clear-secret exclude each other"));
  YQ_ASSIGN_OR_RETURN(auto ob, Outbox(ctx));
  YQ_ASSIGN_OR_RETURN(store::Contact before, FindContact(ctx, *ob, o.ref));
  store::Contact k = before;
  json changed = json::array();
  auto set = [&](const char* field, bool given, auto apply) {
    if (!given) return;
    apply();
    changed.push_back(field);
  };
  set("department", !o.department.empty(), [&] { k.department = o.department; });
  set("channel", !o.channel.empty(), [&] { k.channel = o.channel; });
  set("target", !o.target.empty(), [&] { k.target = o.target; });
  set("secret", !o.secret.empty() || o.clear_secret, [&] { k.secret = o.secret; });
  set("name", !o.name.empty(), [&] { k.name = o.name; });
  set("escalation_order", o.escalation_order >= 0, [&] { k.escalation_order = o.escalation_order; });
  set("enabled", o.enable || o.disable, [&] { k.enabled = o.enable; });
  if (!o.min_level.empty()) {
    k.min_severity = ParseLevel(o.min_level);
    if (!k.min_severity) return Status::Invalid(ctx.T("--min-level 应为 IV、III、II 或 I", "--min-level must be IV, III, II or I"));
    changed.push_back("min_level");
  }
  if (changed.empty())
    return Status::Invalid(ctx.T("没有要修改的内容（见 yuqing contacts edit --help）", "nothing to change (see yuqing contacts edit --help)"));
  if (k.department != before.department) {
    YQ_ASSIGN_OR_RETURN(auto d, ob->GetDepartment(k.department));
    if (!d) return Status::Invalid(ctx.T("--department: 没有部门“", "--department: no department '") + k.department + ctx.T("”", "'"));
  }
  YQ_RETURN_IF_ERROR(notify::ValidateContact(k));
  YQ_RETURN_IF_ERROR(ob->UpdateContact(k));
  Audit(ctx, "contact.update", "contact:" + std::to_string(k.id),
        {{"changed", changed}, {"before", ContactAudit(before)}, {"after", ContactAudit(k)},
         {"secret_changed", k.secret != before.secret}});
  if (o.json) PrintJson(notify::ContactToJson(k));
  else std::cout << ctx.T("已修改联系人 #", "changed contact #") << k.id << "\n";
  return Status::Ok();
}

Status ContactRemove(Context& ctx, const EditOpts& o) {
  YQ_ASSIGN_OR_RETURN(auto ob, Outbox(ctx));
  YQ_ASSIGN_OR_RETURN(store::Contact k, FindContact(ctx, *ob, o.ref));
  YQ_RETURN_IF_ERROR(ob->RemoveContact(k.id));
  Audit(ctx, "contact.remove", "contact:" + std::to_string(k.id), ContactAudit(k));
  if (o.json) PrintJson({{"deleted", k.id}});
  else std::cout << ctx.T("已删除联系人 #", "removed contact #") << k.id << "\n";
  return Status::Ok();
}

// Wires a command's callback: run, and report a failure the CLI's way (Chinese, exit code).
template <typename F>
void OnRun(CLI::App* c, Context& ctx, std::shared_ptr<EditOpts> o, F f) {
  c->callback([&ctx, o, f] {
    if (Status st = f(ctx, *o); !st.ok()) ctx.Fail(st);
  });
}

}  // namespace

void RegisterDirectoryEdits(CLI::App& departments, CLI::App& contacts, Context& ctx) {
  {
    auto o = std::make_shared<EditOpts>();
    auto* c = departments.add_subcommand("edit", ctx.T("修改部门的职责说明或地区规则（部门名称不可修改）",
                                                       "change a department's description or region rules (not its name)"));
    c->add_option("name", o->ref, ctx.T("部门名称（或编号）", "department name (or id)"))->required();
    c->add_option("--description", o->description, ctx.T("新的职责说明", "the new description"));
    c->add_option("--region", o->regions, ctx.T("新的地区规则（可重复，替换原有规则）", "the new region rules (repeatable; replace the old ones)"));
    c->add_flag("--clear-regions", o->clear_regions, ctx.T("清除全部地区规则", "remove every region rule"));
    c->add_flag("--json", o->json, ctx.T("输出 JSON", "print JSON"));
    OnRun(c, ctx, o, DepartmentEdit);
  }
  {
    auto o = std::make_shared<EditOpts>();
    auto* c = departments.add_subcommand("remove", ctx.T("删除没有联系人的部门", "remove a department without contacts"));
    c->add_option("name", o->ref, ctx.T("部门名称（或编号）", "department name (or id)"))->required();
    c->add_flag("--json", o->json, ctx.T("输出 JSON", "print JSON"));
    OnRun(c, ctx, o, DepartmentRemove);
  }
  {
    auto o = std::make_shared<EditOpts>();
    auto* c = contacts.add_subcommand("edit", ctx.T("修改联系人（未给出的字段不变）", "change a contact (fields not given stay)"));
    c->add_option("id", o->ref, ctx.T("联系人编号", "contact id"))->required();
    c->add_option("--department", o->department, ctx.T("改到此部门", "move to this department"));
    c->add_option("--channel", o->channel, ctx.T("渠道：webhook、wecom、dingtalk、feishu 或 email", "webhook, wecom, dingtalk, feishu or email"));
    c->add_option("--target", o->target, ctx.T("机器人/webhook URL 或邮箱地址", "robot/webhook URL or e-mail address"));
    c->add_option("--secret", o->secret, ctx.T("新的 HMAC 密钥或加签密钥", "the new HMAC key or signing secret"));
    c->add_flag("--clear-secret", o->clear_secret, ctx.T("清除密钥", "remove the secret"));
    c->add_option("--name", o->name, ctx.T("人员或群组名称", "person or group name"));
    c->add_option("--escalation-order", o->escalation_order, ctx.T("0：首先通知；n：升级到第 n 步时通知", "0: told first; n: told at escalation step n"))
        ->check(CLI::Range(0, 20));
    c->add_option("--min-level", o->min_level, ctx.T("只接收此级别及以上的预警（IV、III、II、I）", "only alerts at this level or above (IV, III, II, I)"));
    c->add_flag("--enable", o->enable, ctx.T("启用", "enable"));
    c->add_flag("--disable", o->disable, ctx.T("停用（保留记录，不再通知）", "disable (kept, no longer told)"));
    c->add_flag("--json", o->json, ctx.T("输出 JSON", "print JSON"));
    OnRun(c, ctx, o, ContactEdit);
  }
  {
    auto o = std::make_shared<EditOpts>();
    auto* c = contacts.add_subcommand("remove", ctx.T("删除联系人", "remove a contact"));
    c->alias("rm");
    c->add_option("id", o->ref, ctx.T("联系人编号", "contact id"))->required();
    c->add_flag("--json", o->json, ctx.T("输出 JSON", "print JSON"));
    OnRun(c, ctx, o, ContactRemove);
  }
}

}  // namespace yuqing::cli
