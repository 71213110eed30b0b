// Crisis-response commands beyond the lifecycle: statement versions (diff, review comments),
// rumour clarifications (辟谣) and the talking-points library (口径库).
#include "cli/response_commands.h"

#include <cstdlib>
#include <iostream>

#include "app/listeners.h"
#include "incident/clarification.h"
#include "incident/library.h"
#include "incident/response.h"

namespace yuqing::cli {
namespace {

using nlohmann::json;
namespace inc = yuqing::incident;

std::string Actor() {
  const char* u = std::getenv("YUQING_USER");
  if (!u || !*u) u = std::getenv("USER");
  return u && *u ? u : "cli";
}

struct Env {
  app::Services* services = nullptr;
  std::unique_ptr<inc::Response> response;
  TimeMs now() const { return services->clock().Now(); }
  store::IncidentStore& store() { return response->store(); }
};

template <typename F>
void Run(Context& ctx, F body) {
  Env env;
  env.services = ctx.services();
  if (!env.services) return;
  Status st = ApplyIncidentClock(*env.services);
  if (st.ok()) {
    inc::ResponseOptions o = app::ResponseOptionsFor(*env.services);
    o.hooks = false;  // nothing here changes an incident's state: no notices
    auto r = inc::Response::Open(env.services->db(), env.services->clock(), o);
    if (r.ok()) {
      env.response = std::move(r).value();
      st = body(env);
    } else {
      st = r.status();
    }
  }
  if (!st.ok()) ctx.Fail(st);
}

struct Opts {
  int64_t id = 0, other = 0, incident = 0, statement = 0;
  int sentence = -1;
  std::string text, topic, question, answer, claim, evidence, query, status, by = Actor();
  bool json = false;
};

void RegisterStatementExtras(CLI::App& app, Context& ctx) {
  CLI::App* st = app.get_subcommand("statement");
  auto d = std::make_shared<Opts>();
  auto* diff = st->add_subcommand("diff", ctx.T("版本对比：两版之间逐句比较", "sentence-level diff between two versions"));
  diff->add_option("OLD", d->id, ctx.T("旧版口径编号", "statement id of the older version"))->required();
  diff->add_option("NEW", d->other, ctx.T("新版口径编号", "statement id of the newer version"))->required();
  diff->add_flag("--json", d->json, ctx.T("输出 JSON", "print JSON"));
  diff->callback([&ctx, d] {
    Run(ctx, [&](Env& env) -> Status {
      YQ_ASSIGN_OR_RETURN(auto a, env.store().GetStatement(d->id));
      YQ_ASSIGN_OR_RETURN(auto b, env.store().GetStatement(d->other));
      auto ops = inc::DiffStatements(a.body, b.body);
      if (d->json) {
        json j = inc::DiffToJson(ops);
        j["old"] = {{"id", a.id}, {"version", a.version}};
        j["new"] = {{"id", b.id}, {"version", b.version}};
        PrintJson(j);
      } else {
        for (const auto& o : ops) std::cout << (o.op == '=' ? "  " : o.op == '+' ? "+ " : "- ") << o.text << "\n";
      }
      return Status::Ok();
    });
  });
  auto c = std::make_shared<Opts>();
  auto* comment = st->add_subcommand("comment", ctx.T("审核意见：对某一版提意见（可针对某一句）", "comment on a version (optionally on one sentence)"));
  comment->add_option("ID", c->id, ctx.T("口径编号", "statement id"))->required();
  comment->add_option("--text", c->text, ctx.T("意见内容", "the comment"))->required();
  comment->add_option("--sentence", c->sentence, ctx.T("句子序号（从 0 起；默认：整篇）", "sentence index (0-based; default: the whole statement)"));
  comment->add_option("--by", c->by, ctx.T("操作人", "who"));
  comment->add_flag("--json", c->json, ctx.T("输出 JSON", "print JSON"));
  comment->callback([&ctx, c] {
    Run(ctx, [&](Env& env) -> Status {
      YQ_ASSIGN_OR_RETURN(auto row, inc::AddComment(env.store(), c->id, c->sentence, c->text, c->by, env.now()));
      if (c->json) PrintJson(inc::CommentToJson(row));
      else std::cout << ctx.T("已添加意见 ", "comment ") << row.id << "\n";
      return Status::Ok();
    });
  });
  auto cs = std::make_shared<Opts>();
  auto* comments = st->add_subcommand("comments", ctx.T("审核意见列表", "list the comments on a version"));
  comments->add_option("ID", cs->id, ctx.T("口径编号", "statement id"))->required();
  comments->add_flag("--json", cs->json, ctx.T("输出 JSON", "print JSON"));
  comments->callback([&ctx, cs] {
    Run(ctx, [&](Env& env) -> Status {
      YQ_RETURN_IF_ERROR(env.store().GetStatement(cs->id).status());
      YQ_ASSIGN_OR_RETURN(auto rows, env.store().ListStatementComments(cs->id));
      json a = json::array();
      for (const auto& r : rows) a.push_back(inc::CommentToJson(r));
      if (cs->json) PrintJson({{"comments", a}});
      else
        for (const auto& r : rows)
          std::cout << r.id << "  " << (r.sentence >= 0 ? "#" + std::to_string(r.sentence) : "-") << "  " << r.author
                    << "  " << (r.resolved ? "✓ " : "") << r.text << "\n";
      return Status::Ok();
    });
  });
  auto rc = std::make_shared<Opts>();
  auto* resolve = st->add_subcommand("resolve-comment", ctx.T("意见已处理", "mark a comment resolved"));
  resolve->add_option("ID", rc->id, ctx.T("意见编号", "comment id"))->required();
  resolve->callback([&ctx, rc] {
    Run(ctx, [&](Env& env) { return env.store().ResolveStatementComment(rc->id); });
  });
}

void RegisterClarify(CLI::App& app, Context& ctx) {
  auto* cl = app.add_subcommand("clarify", ctx.T("辟谣：辟谣记录及传播该说法的帖子", "rumour clarifications and the posts that spread the claim"));
  cl->require_subcommand(1);
  auto make = [](Env& env, app::Services& s) {
    std::shared_ptr<const text::Normalizer> norm;
    std::shared_ptr<const text::Segmenter> seg;
    if (auto n = s.normalizer(); n.ok()) norm = *n;
    if (auto g = s.segmenter(); g.ok()) seg = *g;
    return inc::Clarifications(env.store(), s.clock(), norm, seg);
  };
  auto a = std::make_shared<Opts>();
  auto* add = cl->add_subcommand("add", ctx.T("记录辟谣：不实说法、证据和辟谣声明", "record a clarification: the false claim, the evidence, the clarification statement"));
  add->add_option("--incident", a->incident, ctx.T("危机事件编号", "incident id"))->required();
  add->add_option("--claim", a->claim, ctx.T("不实说法（按传播原文）", "the false claim, as spread"))->required();
  add->add_option("--evidence", a->evidence, ctx.T("证明其不实的依据", "what shows it is false"));
  add->add_option("--statement", a->statement, ctx.T("辟谣声明的口径编号", "the clarification statement's id"));
  add->add_option("--query", a->query,
                  ctx.T("监测方案的检索式（默认：由说法的关键词生成）", "the monitoring scheme's query (default: generated from the claim's keywords)"));
  add->add_option("--by", a->by, ctx.T("操作人", "who"));
  add->add_flag("--json", a->json, ctx.T("输出 JSON", "print JSON"));
  add->callback([&ctx, a, make] {
    Run(ctx, [&](Env& env) -> Status {
      auto c = make(env, *env.services);
      inc::ClarificationRequest req;
      req.incident_id = a->incident;
      req.claim = a->claim;
      req.evidence = a->evidence;
      req.statement_id = a->statement;
      req.query = a->query;
      req.actor = a->by;
      bool created = false;
      YQ_ASSIGN_OR_RETURN(auto row, c.Add(req, &created));
      YQ_ASSIGN_OR_RETURN(json j, c.Report(row.id, false));
      j["created"] = created;
      if (a->json) {
        PrintJson(j);
      } else {
        std::cout << (created ? ctx.T("已记录辟谣 ", "clarification ") : ctx.T("已有辟谣 ", "existing clarification "))
                  << row.id << ctx.T("，传播帖子 ", ", spreading posts: ") << j["posts"]["total"] << "\n";
        if (row.scheme_id > 0)
          std::cout << ctx.T("监测方案 #", "monitoring scheme #") << row.scheme_id << "  "
                    << j["scheme_name"].get<std::string>() << "  " << row.query << "\n";
      }
      return Status::Ok();
    });
  });
  auto l = std::make_shared<Opts>();
  auto* list = cl->add_subcommand("list", ctx.T("辟谣列表", "list clarifications"));
  list->add_option("--incident", l->incident, ctx.T("危机事件编号", "incident id"))->required();
  list->add_flag("--json", l->json, ctx.T("输出 JSON", "print JSON"));
  list->callback([&ctx, l, make] {
    Run(ctx, [&](Env& env) -> Status {
      auto c = make(env, *env.services);
      YQ_ASSIGN_OR_RETURN(auto rows, env.store().ListClarifications(l->incident));
      json arr = json::array();
      for (const auto& r : rows) {
        YQ_ASSIGN_OR_RETURN(json j, c.Report(r.id, false));
        arr.push_back(std::move(j));
      }
      if (l->json) PrintJson({{"clarifications", arr}});
      else
        for (const auto& j : arr) std::cout << j["id"] << "  " << j["posts"]["total"] << "  " << j["claim"].get<std::string>() << "\n";
      return Status::Ok();
    });
  });
  auto s = std::make_shared<Opts>();
  auto* show = cl->add_subcommand("show", ctx.T("查看辟谣：辟谣前后该说法的传播情况", "show a clarification: the claim's spread, before and after it"));
  show->add_option("ID", s->id, ctx.T("辟谣编号", "clarification id"))->required();
  show->add_flag("--json", s->json, ctx.T("输出 JSON", "print JSON"));
  show->callback([&ctx, s, make] {
    Run(ctx, [&](Env& env) -> Status {
      auto c = make(env, *env.services);
      YQ_ASSIGN_OR_RETURN(json j, c.Report(s->id, true));
      if (s->json) PrintJson(j);
      else std::cout << j.dump(2) << "\n";
      return Status::Ok();
    });
  });
  auto ls = std::make_shared<Opts>();
  auto* link = cl->add_subcommand("statement", ctx.T("关联辟谣声明", "link the clarification statement"));
  link->add_option("ID", ls->id, ctx.T("辟谣编号", "clarification id"))->required();
  link->add_option("--statement", ls->statement, ctx.T("口径编号", "statement id"))->required();
  link->add_option("--by", ls->by, ctx.T("操作人", "who"));
  link->add_flag("--json", ls->json, ctx.T("输出 JSON", "print JSON"));
  link->callback([&ctx, ls, make] {
    Run(ctx, [&](Env& env) -> Status {
      auto c = make(env, *env.services);
      YQ_RETURN_IF_ERROR(c.SetStatement(ls->id, ls->statement, ls->by).status());
      if (ls->json) {
        YQ_ASSIGN_OR_RETURN(json j, c.Report(ls->id, false));
        PrintJson(j);
      }
      return Status::Ok();
    });
  });
}

void RegisterTalkingPoints(CLI::App& app, Context& ctx) {
  auto* tp = app.add_subcommand("talking-points", ctx.T("口径库：按主题整理的已批准答复", "talking points: approved answers per topic"));
  tp->require_subcommand(1);
  auto print = [&ctx](const store::TalkingPointRow& r, bool as_json) {
    if (as_json) PrintJson(inc::TalkingPointToJson(r));
    else std::cout << r.id << "  " << r.status << "  [" << r.topic << "]  " << r.question << "\n";
  };
  auto a = std::make_shared<Opts>();
  auto* add = tp->add_subcommand("add", ctx.T("新增口径（草稿）", "add a talking point (draft)"));
  add->add_option("--topic", a->topic, ctx.T("主题", "topic"))->required();
  add->add_option("--question", a->question, ctx.T("所答问题", "the question it answers"));
  add->add_option("--answer", a->answer, ctx.T("答复内容", "the answer"))->required();
  add->add_option("--by", a->by, ctx.T("操作人", "who"));
  add->add_flag("--json", a->json, ctx.T("输出 JSON", "print JSON"));
  add->callback([&ctx, a, print] {
    Run(ctx, [&](Env& env) -> Status {
      store::TalkingPointRow row;
      row.topic = a->topic;
      row.question = a->question;
      row.answer = a->answer;
      row.created_by = a->by;
      YQ_ASSIGN_OR_RETURN(auto r, inc::AddTalkingPoint(env.store(), row, env.now()));
      print(r, a->json);
      return Status::Ok();
    });
  });
  auto f = std::make_shared<Opts>();
  auto* from = tp->add_subcommand("from-statement", ctx.T("从已发布口径入库", "add a talking point from a published statement"));
  from->add_option("ID", f->id, ctx.T("已发布口径的编号", "published statement id"))->required();
  from->add_option("--topic", f->topic, ctx.T("主题", "topic"))->required();
  from->add_option("--question", f->question, ctx.T("所答问题", "the question it answers"));
  from->add_option("--by", f->by, ctx.T("操作人", "who"));
  from->add_flag("--json", f->json, ctx.T("输出 JSON", "print JSON"));
  from->callback([&ctx, f, print] {
    Run(ctx, [&](Env& env) -> Status {
      YQ_ASSIGN_OR_RETURN(auto r, inc::TalkingPointFromStatement(env.store(), f->id, f->topic, f->question, f->by, env.now()));
      print(r, f->json);
      return Status::Ok();
    });
  });
  auto l = std::make_shared<Opts>();
  auto* list = tp->add_subcommand("list", ctx.T("口径列表", "list talking points"));
  list->add_option("--topic", l->topic, ctx.T("只看此主题", "only this topic"));
  list->add_option("--status", l->status, ctx.T("状态：draft（草稿）| approved（已批准）| retired（已停用）", "draft | approved | retired"));
  list->add_flag("--json", l->json, ctx.T("输出 JSON", "print JSON"));
  list->callback([&ctx, l, print] {
    Run(ctx, [&](Env& env) -> Status {
      YQ_ASSIGN_OR_RETURN(auto rows, env.store().ListTalkingPoints(l->topic, l->status));
      if (l->json) {
        json arr = json::array();
        for (const auto& r : rows) arr.push_back(inc::TalkingPointToJson(r));
        PrintJson({{"talking_points", arr}});
      } else {
        for (const auto& r : rows) print(r, false);
      }
      return Status::Ok();
    });
  });
  for (const char* verb : {"approve", "retire"}) {
    auto o = std::make_shared<Opts>();
    std::string status = std::string(verb) == "approve" ? "approved" : "retired";
    auto* c = tp->add_subcommand(verb, std::string(verb) == "approve" ? ctx.T("批准口径", "approve a talking point")
                                                                 : ctx.T("停用口径", "retire a talking point"));
    c->add_option("ID", o->id, ctx.T("口径编号", "talking point id"))->required();
    c->add_option("--by", o->by, ctx.T("操作人", "who"));
    c->add_flag("--json", o->json, ctx.T("输出 JSON", "print JSON"));
    c->callback([&ctx, o, status, print] {
      Run(ctx, [&](Env& env) -> Status {
        YQ_ASSIGN_OR_RETURN(auto r, inc::SetTalkingPointStatus(env.store(), o->id, status, o->by, env.now()));
        print(r, o->json);
        return Status::Ok();
      });
    });
  }
}

}  // namespace

Status ApplyIncidentClock(app::Services& services) {
  const char* now = std::getenv("YUQING_NOW");
  if (!now || !*now) return Status::Ok();
  auto t = ParseTime(now);
  if (!t.ok()) return Status::Invalid("YUQING_NOW: " + t.status().message());
  services.set_clock(std::make_shared<ManualClock>(*t));
  return Status::Ok();
}

void RegisterResponseCommands(CLI::App& app, Context& ctx) {
  RegisterStatementExtras(app, ctx);
  RegisterClarify(app, ctx);
  RegisterTalkingPoints(app, ctx);
}

}  // namespace yuqing::cli
