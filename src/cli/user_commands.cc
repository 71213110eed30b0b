// yuqing user add|list|token|passwd, yuqing audit: accounts and the audit log from the shell.
#include <unistd.h>

#include <iostream>

#include "cli/audit.h"
#include "cli/context.h"
#include "core/user_json.h"
#include "server/auth.h"
#include "store/user_store.h"

namespace yuqing::cli {

std::string Actor() {
  const char* u = getenv("USER");
  return std::string("cli:") + (u && *u ? u : "?");
}

void AuditCli(store::UserStore& users, Context& ctx, const std::string& action, const std::string& target,
              nlohmann::json detail) {
  store::AuditEntry e;
  e.at = ctx.services()->clock().Now();
  e.actor = Actor();
  e.action = action;
  e.target = target;
  e.detail = std::move(detail);
  auto r = users.Audit(e);
  if (!r.ok()) std::cerr << ctx.T("审计日志写入失败: ", "audit: ") << r.status().message() << std::endl;
}

namespace {

struct UserOpts {
  std::string name, role = "viewer", token_name;
  std::vector<std::string> departments;
  bool password_stdin = false;
  bool json = false;
  bool no_change_required = false;  // passwd: the user need not change it at the next login
  size_t limit = 100;
  std::string actor, action;
};

Result<std::unique_ptr<store::UserStore>> Users(Context& ctx) {
  auto* s = ctx.services();
  if (!s) return Status::Io(ctx.T("无法打开数据目录", "no data directory"));
  return store::UserStore::Open(s->db());
}


Result<std::string> ReadPassword(bool from_stdin) {
  if (!from_stdin) return server::RandomPassword();
  std::string line;
  if (!std::getline(std::cin, line)) return Status::Invalid("no password on stdin");
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

Status Add(Context& ctx, const UserOpts& o) {
  YQ_ASSIGN_OR_RETURN(auto users, Users(ctx));
  YQ_ASSIGN_OR_RETURN(std::string password, ReadPassword(o.password_stdin));
  YQ_ASSIGN_OR_RETURN(std::string hash, server::HashPassword(password));
  store::User u;
  u.name = o.name;
  u.role = o.role;
  u.departments = o.departments;
  u.password_hash = hash;
  YQ_ASSIGN_OR_RETURN(int64_t id, users->AddUser(u, ctx.services()->clock().Now()));
  AuditCli(*users, ctx, "user.add", "user:" + o.name, {{"id", id}, {"role", o.role}, {"departments", o.departments}});
  YQ_ASSIGN_OR_RETURN(auto saved, users->GetUser(id));
  if (o.json) {
    nlohmann::json j = {{"user", UserToJson(*saved)}};
    j["password"] = o.password_stdin ? nlohmann::json(nullptr) : nlohmann::json(password);
    PrintJson(j);
  } else {
    std::cout << ctx.T("已创建用户 ", "created user ") << o.name << " (" << o.role << ")";
    if (!o.password_stdin) std::cout << ctx.T("，密码：", ", password: ") << password;
    std::cout << std::endl;
  }
  return Status::Ok();
}

Status Passwd(Context& ctx, const UserOpts& o) {
  YQ_ASSIGN_OR_RETURN(auto users, Users(ctx));
  YQ_ASSIGN_OR_RETURN(auto u, users->FindUser(o.name));
  if (!u) return Status::NotFound(ctx.T("找不到用户 ", "no user ") + o.name);
  YQ_ASSIGN_OR_RETURN(std::string password, ReadPassword(o.password_stdin));
  YQ_ASSIGN_OR_RETURN(std::string hash, server::HashPassword(password));
  // Set by someone else: its owner changes it at the next login (as after an API reset).
  const bool must_change = !o.no_change_required;
  YQ_RETURN_IF_ERROR(users->SetPassword(u->id, hash, must_change));
  YQ_RETURN_IF_ERROR(users->RemoveSessionsOf(u->id));
  AuditCli(*users, ctx, "user.passwd", "user:" + o.name, {{"must_change", must_change}});
  if (o.json) {
    PrintJson({{"user", o.name}, {"password", o.password_stdin ? nlohmann::json(nullptr) : nlohmann::json(password)},
               {"must_change_password", must_change}});
    return Status::Ok();
  }
  std::cout << ctx.T("已修改密码", "password changed");
  if (!o.password_stdin) std::cout << ": " << password;
  std::cout << std::endl;
  if (must_change) std::cout << ctx.T("该用户下次登录时须修改密码。", "The user must change it at the next login.") << std::endl;
  return Status::Ok();
}

Status List(Context& ctx, const UserOpts& o) {
  YQ_ASSIGN_OR_RETURN(auto users, Users(ctx));
  YQ_ASSIGN_OR_RETURN(auto all, users->ListUsers());
  if (o.json) {
    nlohmann::json items = nlohmann::json::array();
    for (const auto& u : all) items.push_back(UserToJson(u));
    PrintJson({{"users", items}});
    return Status::Ok();
  }
  for (const auto& u : all) {
    std::cout << u.name << "\t" << u.role << "\t";
    for (size_t i = 0; i < u.departments.size(); ++i) std::cout << (i ? "," : "") << u.departments[i];
    std::cout << (u.disabled ? "\tdisabled" : "") << "\n";
  }
  return Status::Ok();
}

Status Token(Context& ctx, const UserOpts& o) {
  YQ_ASSIGN_OR_RETURN(auto users, Users(ctx));
  YQ_ASSIGN_OR_RETURN(auto u, users->FindUser(o.name));
  if (!u) return Status::NotFound(ctx.T("找不到用户 ", "no user ") + o.name);
  store::ApiToken t;
  std::string token = server::NewApiToken();
  t.user_id = u->id;
  t.name = o.token_name;
  t.token_hash = server::TokenDigest(token);
  t.created_at = ctx.services()->clock().Now();
  YQ_ASSIGN_OR_RETURN(int64_t id, users->AddToken(t));
  AuditCli(*users, ctx, "token.add", "user:" + o.name, {{"token_id", id}, {"name", o.token_name}});
  if (o.json) PrintJson({{"id", id}, {"user", o.name}, {"token", token}});
  else std::cout << token << std::endl;
  return Status::Ok();
}

Status Audit(Context& ctx, const UserOpts& o) {
  YQ_ASSIGN_OR_RETURN(auto users, Users(ctx));
  YQ_ASSIGN_OR_RETURN(auto entries, users->ListAudit(o.limit, 0, o.actor, o.action));
  if (o.json) {
    nlohmann::json items = nlohmann::json::array();
    for (const auto& e : entries) items.push_back(AuditToJson(e));
    PrintJson({{"entries", items}});
    return Status::Ok();
  }
  for (const auto& e : entries)
    std::cout << FormatTime(e.at) << "  " << e.actor << "  " << e.action << "  " << e.target << "\n";
  return Status::Ok();
}

template <typename F>
void Bind(CLI::App* cmd, Context& ctx, std::shared_ptr<UserOpts> o, F f) {
  cmd->callback([&ctx, o, f] {
    Status st = f(ctx, *o);
    if (!st.ok()) ctx.Fail(st);
  });
}

}  // namespace

void RegisterUserCommands(CLI::App& app, Context& ctx) {
  auto* user = app.add_subcommand("user", ctx.T("用户：服务端账号（角色、部门、API 令牌）", "accounts for the server (roles, departments, API tokens)"));
  user->require_subcommand(1);

  auto add = std::make_shared<UserOpts>();
  auto* a = user->add_subcommand("add", ctx.T("新建用户（未用 --password-stdin 时打印生成的密码）", "create a user (prints a generated password unless --password-stdin)"));
  a->add_option("name", add->name, ctx.T("用户名", "user name"))->required();
  a->add_option("--role", add->role, ctx.T("角色：admin（管理员）、analyst（分析员）、responder（处置员）或 viewer（只读）", "admin, analyst, responder or viewer"))
      ->check(CLI::IsMember({"admin", "analyst", "responder", "viewer"}))->capture_default_str();
  a->add_option("--department", add->departments, ctx.T("部门（可重复）", "department (repeatable)"));
  a->add_flag("--password-stdin", add->password_stdin, ctx.T("从标准输入第一行读取密码", "read the password from the first line of stdin"));
  a->add_flag("--json", add->json, ctx.T("输出 JSON", "print JSON"));
  Bind(a, ctx, add, Add);

  auto pw = std::make_shared<UserOpts>();
  auto* p = user->add_subcommand("passwd", ctx.T("设置用户密码（其现有会话失效）", "set a user's password (ends their sessions)"));
  p->add_option("name", pw->name, ctx.T("用户名", "user name"))->required();
  p->add_flag("--password-stdin", pw->password_stdin, ctx.T("从标准输入读取密码（否则自动生成）", "read the password from stdin (else one is generated)"));
  p->add_flag("--no-change-required", pw->no_change_required,
              ctx.T("不要求该用户下次登录时修改密码（默认要求）", "do not make the user change it at the next login (the default does)"));
  p->add_flag("--json", pw->json, ctx.T("输出 JSON", "print JSON"));
  Bind(p, ctx, pw, Passwd);

  auto ls = std::make_shared<UserOpts>();
  auto* l = user->add_subcommand("list", ctx.T("列出用户", "list users"));
  l->add_flag("--json", ls->json, ctx.T("输出 JSON", "print JSON"));
  Bind(l, ctx, ls, List);

  auto tk = std::make_shared<UserOpts>();
  auto* t = user->add_subcommand("token", ctx.T("为用户创建 API 令牌（只显示一次）", "create an API token for a user (printed once)"));
  t->add_option("name", tk->name, ctx.T("用户名", "user name"))->required();
  t->add_option("--name", tk->token_name, ctx.T("令牌备注", "a label for the token"));
  t->add_flag("--json", tk->json, ctx.T("输出 JSON", "print JSON"));
  Bind(t, ctx, tk, Token);

  auto au = std::make_shared<UserOpts>();
  auto* aud = app.add_subcommand("audit", ctx.T("审计：审计日志，最新在前", "the audit log, newest first"));
  aud->add_option("--limit", au->limit, ctx.T("条数", "entries"))->capture_default_str()->check(CLI::Range(1, 10000));
  aud->add_option("--actor", au->actor, ctx.T("只看此用户", "only this user"));
  aud->add_option("--action", au->action, ctx.T("只看此操作（user.add、scheme.update …）", "only this action (user.add, scheme.update, ...)"));
  aud->add_flag("--json", au->json, ctx.T("输出 JSON", "print JSON"));
  Bind(aud, ctx, au, Audit);
}

}  // namespace yuqing::cli
