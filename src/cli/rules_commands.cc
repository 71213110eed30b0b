// Monitoring-scheme commands: `match` (try a query on a text) and `topics` (manage schemes:
// add, list, show, edit, rm, import, export, test). Exit codes follow cli/context.h; a query
// that does not parse exits 2 with the column in the message.
#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/pipeline.h"
#include "app/scheme_tester.h"
#include "cli/context.h"
#include "rules/match_input.h"
#include "rules/matcher.h"
#include "rules/reference.h"
#include "rules/scheme_io.h"
#include "store/post_store.h"
#include "store/scheme_store.h"
#include "text/utf8.h"

namespace yuqing::cli {
namespace {

using nlohmann::json;

json SpansToJson(const std::vector<rules::HitSpan>& spans) {
  json a = json::array();
  for (const auto& h : spans)
    a.push_back({{"term", h.term}, {"field", rules::FieldName(h.field)}, {"start", h.start}, {"end", h.end}});
  return a;
}

// Reports a scheme's parse failure in the user's language; exit 2.
void FailParse(Context& ctx, const rules::ParseError& e, bool as_json) {
  if (as_json) PrintJson({{"error", e.Message(ctx.zh())}, {"column", e.column}});
  ctx.Fail(Status::Invalid(e.Message(ctx.zh())));
}

Result<std::shared_ptr<const text::Normalizer>> Norm(Context& ctx) {
  auto* s = ctx.services();
  if (!s) return Status::Io(ctx.T("无法打开数据目录", "no data directory"));
  return s->normalizer();
}

Result<std::unique_ptr<store::SchemeStore>> OpenSchemes(Context& ctx) {
  auto* s = ctx.services();
  if (!s) return Status::Io(ctx.T("无法打开数据目录", "no data directory"));
  return store::SchemeStore::Open(s->db());
}

Status ReadFile(const std::string& path, std::string& out) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return Status::Invalid("cannot read " + path);
  std::stringstream ss;
  ss << f.rdbuf();
  out = ss.str();
  return Status::Ok();
}

// Finds a scheme by id or by name.
Result<rules::Scheme> Lookup(const Context& ctx, store::SchemeStore& store, const std::string& key) {
  bool numeric = !key.empty() && key.find_first_not_of("0123456789") == std::string::npos;
  std::optional<rules::Scheme> s;
  if (numeric) {
    YQ_ASSIGN_OR_RETURN(s, store.Get(std::stoll(key)));
  }
  if (!s) {
    YQ_ASSIGN_OR_RETURN(s, store.GetByName(key));
  }
  if (!s) return Status::NotFound(std::string(ctx.T("没有监测方案 ", "no scheme ")) + "'" + key + "'");
  return *s;
}

// ---------------------------------------------------------------- match
struct MatchArgs {
  std::string query, text, title, author, source;
  std::vector<std::string> exclude;
  bool json = false;
};

void RunMatch(Context& ctx, const MatchArgs& a) {
  auto norm = Norm(ctx);
  if (!norm.ok()) return ctx.Fail(norm.status());
  rules::Scheme scheme;
  scheme.id = 1;
  scheme.name = "match";
  scheme.query = a.query;
  scheme.exclude = a.exclude;
  rules::ParseError err;
  auto parsed = rules::ParseScheme(scheme, **norm, {}, &err);
  if (!parsed.ok()) return FailParse(ctx, err, a.json);
  auto m = rules::Matcher::Compile({scheme}, *norm);
  if (!m.ok()) return ctx.Fail(m.status());
  Post post;
  post.title = a.title;
  post.text = a.text;
  post.author.name = a.author;
  post.source = a.source;
  std::string title = (*norm)->Normalize(post.title), text = (*norm)->Normalize(post.text);
  const rules::MatchInput in = rules::MatchInputFrom(post, title, text);
  std::vector<SchemeHit> hits;
  rules::Scratch scratch;
  (*m)->Match(in, hits, scratch);
  bool matched = !hits.empty();
  auto spans = rules::HighlightSpans(parsed->query, rules::NormalizeFields(in, **norm, true));
  if (a.json) {
    PrintJson({{"matched", matched},
               {"query", rules::ToString(parsed->query.root)},
               {"terms", matched ? json(hits[0].terms) : json::array()},
               {"hits", SpansToJson(spans)}});
  } else {
    std::cout << (matched ? ctx.T("匹配", "match") : ctx.T("不匹配", "no match")) << "  "
              << rules::ToString(parsed->query.root) << "\n";
    for (const auto& h : spans)
      std::cout << "  " << h.term << "  " << rules::FieldName(h.field) << " [" << h.start << ", " << h.end << ")\n";
  }
  ctx.exit_code = matched ? 0 : 1;
}

void RegisterMatch(CLI::App& app, Context& ctx) {
  auto a = std::make_shared<MatchArgs>();
  auto* c = app.add_subcommand("match", ctx.T("试匹配：检索式是否命中一段文本？退出码 0 命中，1 未命中，2 检索式有误", "does a query match a text? exit 0 yes, 1 no, 2 bad query"));
  c->add_option("--query,-q", a->query, ctx.T("检索式", "query"))->required();
  c->add_option("--text,-t", a->text, ctx.T("正文", "post text"))->required();
  c->add_option("--title", a->title, ctx.T("标题", "post title"));
  c->add_option("--author", a->author, ctx.T("作者", "author name"));
  c->add_option("--source", a->source, ctx.T("来源", "source"));
  c->add_option("--exclude", a->exclude, ctx.T("排除词（可重复）", "exclusion, repeatable"));
  c->add_flag("--json", a->json, ctx.T("输出 JSON", "print JSON"));
  c->callback([&ctx, a] { RunMatch(ctx, *a); });
}

// ---------------------------------------------------------------- topics
struct SchemeArgs {
  std::string key, name, query, policy_file;
  std::vector<std::string> exclude, departments, regions;
  int priority = 0;
  bool enable = false, disable = false, json = false, all = false;
  std::string file, format, last = "7d";
  int samples = 5;
};

void AddSchemeOptions(CLI::App* c, SchemeArgs& a, const Context& ctx) {
  c->add_option("--exclude", a.exclude, ctx.T("排除词（可重复）", "exclusion, repeatable"));
  c->add_option("--department", a.departments, ctx.T("责任部门（可重复）", "owning department, repeatable"));
  c->add_option("--region", a.regions, ctx.T("涉及地区（可重复）", "region concerned, repeatable"));
  c->add_option("--priority", a.priority, ctx.T("优先级", "priority"));
  c->add_option("--policy", a.policy_file, ctx.T("预警策略文件，JSON 或 YAML", "warning policy file, JSON or YAML"));
}

// Validates a scheme's query and exclusions; on failure reports and returns false.
bool Validate(Context& ctx, const rules::Scheme& s, bool as_json) {
  auto norm = Norm(ctx);
  if (!norm.ok()) {
    ctx.Fail(norm.status());
    return false;
  }
  rules::ParseError err;
  if (!rules::ParseScheme(s, **norm, {}, &err).ok()) {
    FailParse(ctx, err, as_json);
    return false;
  }
  return true;
}

void PrintScheme(Context& ctx, const rules::Scheme& s, bool as_json) {
  if (as_json) return PrintJson(rules::SchemeToJson(s));
  std::cout << "#" << s.id << "  " << s.name << (s.enabled ? "" : ctx.T("  (已停用)", "  (disabled)")) << "\n"
            << ctx.T("  检索式: ", "  query: ") << s.query << "\n";
  if (!s.exclude.empty()) {
    std::cout << ctx.T("  排除词: ", "  exclude: ");
    for (const auto& e : s.exclude) std::cout << e << "; ";
    std::cout << "\n";
  }
  if (!s.departments.empty()) {
    std::cout << ctx.T("  部门: ", "  departments: ");
    for (const auto& e : s.departments) std::cout << e << " ";
    std::cout << "\n";
  }
  if (!s.regions.empty()) {
    std::cout << ctx.T("  地区: ", "  regions: ");
    for (const auto& e : s.regions) std::cout << e << " ";
    std::cout << "\n";
  }
  std::cout << ctx.T("  优先级: ", "  priority: ") << s.priority << "\n";
  if (!s.policy.empty()) std::cout << ctx.T("  预警策略: ", "  policy: ") << s.policy << "\n";
  std::cout << ctx.T("  更新于: ", "  updated: ") << FormatTime(s.updated_at) << "\n";
}

void TopicsAdd(Context& ctx, const SchemeArgs& a) {
  rules::Scheme s;
  s.name = a.name;
  s.query = a.query;
  s.exclude = a.exclude;
  s.departments = a.departments;
  s.regions = a.regions;
  s.priority = a.priority;
  s.enabled = !a.disable;
  if (!a.policy_file.empty()) {
    if (Status st = ReadFile(a.policy_file, s.policy); !st.ok()) return ctx.Fail(st);
  }
  if (!Validate(ctx, s, a.json)) return;
  auto store = OpenSchemes(ctx);
  if (!store.ok()) return ctx.Fail(store.status());
  auto id = (*store)->Add(s, ctx.services()->clock().Now());
  if (!id.ok()) return ctx.Fail(id.status());
  auto saved = (*store)->Get(*id);
  if (!saved.ok() || !saved->has_value()) return ctx.Fail(saved.ok() ? Status::Internal(ctx.T("方案保存后未能读回", "lost scheme")) : saved.status());
  if (a.json) return PrintJson(rules::SchemeToJson(**saved));
  std::cout << ctx.T("已添加监测方案 #", "added scheme #") << *id << "  " << s.name << "\n";
}

void TopicsList(Context& ctx, const SchemeArgs& a) {
  auto store = OpenSchemes(ctx);
  if (!store.ok()) return ctx.Fail(store.status());
  auto list = (*store)->List(true);
  if (!list.ok()) return ctx.Fail(list.status());
  if (a.json) {
    json arr = json::array();
    for (const auto& s : *list) arr.push_back(rules::SchemeToJson(s));
    return PrintJson({{"schemes", arr}, {"count", list->size()}});
  }
  if (list->empty()) std::cout << ctx.T("还没有监测方案（yuqing topics add --name ... --query ...）\n",
                                        "no schemes yet (yuqing topics add --name ... --query ...)\n");
  for (const auto& s : *list)
    std::cout << "#" << s.id << "\t" << s.name << "\t" << (s.enabled ? "" : ctx.T("[停用] ", "[off] "))
              << s.query << "\n";
}

void TopicsShow(Context& ctx, const SchemeArgs& a) {
  auto store = OpenSchemes(ctx);
  if (!store.ok()) return ctx.Fail(store.status());
  auto s = Lookup(ctx, **store, a.key);
  if (!s.ok()) return ctx.Fail(s.status());
  PrintScheme(ctx, *s, a.json);
}

void TopicsEdit(Context& ctx, const SchemeArgs& a, CLI::App* cmd) {
  auto store = OpenSchemes(ctx);
  if (!store.ok()) return ctx.Fail(store.status());
  auto found = Lookup(ctx, **store, a.key);
  if (!found.ok()) return ctx.Fail(found.status());
  rules::Scheme s = *found;
  if (cmd->count("--name")) s.name = a.name;
  if (cmd->count("--query")) s.query = a.query;
  if (cmd->count("--exclude")) s.exclude = a.exclude;
  if (cmd->count("--department")) s.departments = a.departments;
  if (cmd->count("--region")) s.regions = a.regions;
  if (cmd->count("--priority")) s.priority = a.priority;
  if (a.enable) s.enabled = true;
  if (a.disable) s.enabled = false;
  if (!a.policy_file.empty()) {
    if (Status st = ReadFile(a.policy_file, s.policy); !st.ok()) return ctx.Fail(st);
  }
  if (!Validate(ctx, s, a.json)) return;
  if (Status st = (*store)->Update(s, ctx.services()->clock().Now()); !st.ok()) return ctx.Fail(st);
  auto saved = Lookup(ctx, **store, std::to_string(s.id));
  if (!saved.ok()) return ctx.Fail(saved.status());
  if (a.json) return PrintJson(rules::SchemeToJson(*saved));
  std::cout << ctx.T("已更新监测方案 #", "updated scheme #") << s.id << "  " << s.name << "\n";
}

void TopicsRemove(Context& ctx, const SchemeArgs& a) {
  auto store = OpenSchemes(ctx);
  if (!store.ok()) return ctx.Fail(store.status());
  auto s = Lookup(ctx, **store, a.key);
  if (!s.ok()) return ctx.Fail(s.status());
  if (Status st = (*store)->Remove(s->id); !st.ok()) return ctx.Fail(st);
  if (a.json) return PrintJson({{"removed", s->id}, {"name", s->name}});
  std::cout << ctx.T("已删除监测方案 #", "removed scheme #") << s->id << "  " << s->name << "\n";
}

void TopicsImport(Context& ctx, const SchemeArgs& a) {
  std::string text;
  if (Status st = ReadFile(a.file, text); !st.ok()) return ctx.Fail(st);
  auto schemes = rules::ParseSchemesDocument(text);
  if (!schemes.ok()) return ctx.Fail(schemes.status());
  // Validate everything first, so that a bad scheme in the file changes nothing.
  for (const auto& s : *schemes) {
    auto norm = Norm(ctx);
    if (!norm.ok()) return ctx.Fail(norm.status());
    rules::ParseError err;
    if (!rules::ParseScheme(s, **norm, {}, &err).ok()) {
      err.en = "scheme '" + s.name + "': " + err.Message(false);
      err.zh = "方案「" + s.name + "」：" + err.Message(true);
      err.column = 0;
      return FailParse(ctx, err, a.json);
    }
  }
  auto store = OpenSchemes(ctx);
  if (!store.ok()) return ctx.Fail(store.status());
  int added = 0, updated = 0;
  TimeMs now = ctx.services()->clock().Now();
  for (auto s : *schemes) {
    auto existing = (*store)->GetByName(s.name);
    if (!existing.ok()) return ctx.Fail(existing.status());
    Status st;
    if (*existing) {
      s.id = (*existing)->id;
      st = (*store)->Update(s, now);
      ++updated;
    } else {
      s.id = 0;  // ids belong to the store they were exported from
      auto id = (*store)->Add(s, now);
      st = id.status();
      ++added;
    }
    if (!st.ok()) return ctx.Fail(st);
  }
  if (a.json) return PrintJson({{"added", added}, {"updated", updated}});
  std::cout << ctx.T("导入完成：新增 ", "imported: added ") << added << ctx.T("，更新 ", ", updated ") << updated
            << "\n";
}

void TopicsExport(Context& ctx, const SchemeArgs& a) {
  auto store = OpenSchemes(ctx);
  if (!store.ok()) return ctx.Fail(store.status());
  auto list = (*store)->List(true);
  if (!list.ok()) return ctx.Fail(list.status());
  std::string format = a.format;
  if (format.empty()) {
    bool json_ext = a.file.size() > 5 && a.file.substr(a.file.size() - 5) == ".json";
    format = a.json || json_ext ? "json" : "yaml";
  }
  std::string doc = format == "json" ? rules::SchemesToJson(*list) + "\n" : rules::SchemesToYaml(*list);
  if (a.file.empty() || a.file == "-") {
    std::cout << doc;
    return;
  }
  std::ofstream f(a.file, std::ios::binary);
  if (!(f << doc)) return ctx.Fail(Status::Io(ctx.T("无法写入文件 ", "cannot write ") + a.file));
  if (a.json) return PrintJson({{"exported", list->size()}, {"file", a.file}, {"format", format}});
  std::cout << ctx.T("已导出 ", "exported ") << list->size() << ctx.T(" 个监测方案到 ", " schemes to ") << a.file << "\n";
}

// Runs a scheme (stored, or given by --query) over the stored posts of the last period.
void TopicsTest(Context& ctx, const SchemeArgs& a, CLI::App* cmd) {
  rules::Scheme s;
  if (!a.key.empty()) {
    auto store = OpenSchemes(ctx);
    if (!store.ok()) return ctx.Fail(store.status());
    auto found = Lookup(ctx, **store, a.key);
    if (!found.ok()) return ctx.Fail(found.status());
    s = *found;
  } else if (a.query.empty()) {
    return ctx.Fail(Status::Invalid(ctx.T("请给出方案编号或 --query", "give a scheme id or --query")));
  }
  if (cmd->count("--query")) s.query = a.query;
  if (cmd->count("--exclude")) s.exclude = a.exclude;
  s.enabled = true;
  if (s.id == 0) s.id = 1;
  if (!Validate(ctx, s, a.json)) return;
  auto norm = Norm(ctx);
  if (!norm.ok()) return ctx.Fail(norm.status());
  TimeMs now = ctx.services()->clock().Now(), from = 0;
  if (a.last != "all" && a.last != "0") {
    auto d = ParseDuration(a.last);
    if (!d.ok()) return ctx.Fail(d.status());
    from = now - *d;
  }
  auto db = app::OpenStoreConnection(*ctx.services());
  if (!db.ok()) return ctx.Fail(db.status());
  auto posts = store::PostStore::Open(**db);
  if (!posts.ok()) return ctx.Fail(posts.status());
  app::SchemeTestOptions opts;
  opts.from = from;
  opts.max_samples = static_cast<size_t>(std::max(a.samples, 0));
  auto t0 = std::chrono::steady_clock::now();
  auto tested = app::TestScheme(**posts, s, *norm, opts);
  if (!tested.ok()) return ctx.Fail(tested.status());
  const int64_t scanned = tested->scanned, matched = tested->matched;
  json samples = json::array();
  for (const auto& x : tested->samples)
    samples.push_back({{"id", x.post.post.id},
                       {"published_at", FormatTime(x.post.post.published_at)},
                       {"title", x.post.post.title},
                       {"text", x.post.post.text},
                       {"terms", x.terms},
                       {"hits", SpansToJson(x.spans)}});
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  if (a.json) {
    return PrintJson({{"scheme", s.id}, {"query", s.query}, {"from", FormatTime(from)}, {"to", FormatTime(now)},
                      {"scanned", scanned}, {"matched", matched}, {"elapsed_ms", ms}, {"samples", samples}});
  }
  std::cout << ctx.T("检索式: ", "query: ") << s.query << "\n"
            << ctx.T("时间范围: ", "period: ") << FormatTime(from) << " — " << FormatTime(now) << "\n"
            << ctx.T("扫描帖子: ", "posts scanned: ") << scanned << ctx.T("，命中: ", ", matched: ") << matched
            << "  (" << static_cast<int64_t>(ms) << " ms)\n";
  for (const auto& x : samples) {
    std::string t = x["text"].get<std::string>();
    size_t cut = 0, chars = 0;
    while (cut < t.size() && chars < 80) {
      text::DecodeUtf8(t, cut);
      ++chars;
    }
    std::cout << "  " << x["published_at"].get<std::string>() << "  " << t.substr(0, cut)
              << (cut < t.size() ? "…" : "") << "\n";
  }
}

void RegisterTopics(CLI::App& app, Context& ctx) {
  auto* topics = app.add_subcommand("topics", ctx.T("监测方案：新增、列出、查看、修改、删除、导入、导出、试运行", "monitoring schemes (add, list, show, edit, rm, import, export, test)"));
  topics->require_subcommand(1);

  auto add_args = std::make_shared<SchemeArgs>();
  auto* add = topics->add_subcommand("add", ctx.T("新增方案", "add a scheme"));
  add->add_option("--name", add_args->name, ctx.T("名称", "name"))->required();
  add->add_option("--query", add_args->query, ctx.T("检索式", "query"))->required();
  AddSchemeOptions(add, *add_args, ctx);
  add->add_flag("--disabled", add_args->disable, ctx.T("保存为停用状态", "store it disabled"));
  add->add_flag("--json", add_args->json, ctx.T("输出 JSON", "print JSON"));
  add->callback([&ctx, add_args] { TopicsAdd(ctx, *add_args); });

  auto list_args = std::make_shared<SchemeArgs>();
  auto* list = topics->add_subcommand("list", ctx.T("方案列表", "list schemes"));
  list->add_flag("--json", list_args->json, ctx.T("输出 JSON", "print JSON"));
  list->callback([&ctx, list_args] { TopicsList(ctx, *list_args); });

  auto show_args = std::make_shared<SchemeArgs>();
  auto* show = topics->add_subcommand("show", ctx.T("查看方案", "show one scheme"));
  show->add_option("id", show_args->key, ctx.T("方案编号或名称", "scheme id or name"))->required();
  show->add_flag("--json", show_args->json, ctx.T("输出 JSON", "print JSON"));
  show->callback([&ctx, show_args] { TopicsShow(ctx, *show_args); });

  auto edit_args = std::make_shared<SchemeArgs>();
  auto* edit = topics->add_subcommand("edit", ctx.T("修改方案的字段", "change fields of a scheme"));
  edit->add_option("id", edit_args->key, ctx.T("方案编号或名称", "scheme id or name"))->required();
  edit->add_option("--name", edit_args->name, ctx.T("新名称", "new name"));
  edit->add_option("--query", edit_args->query, ctx.T("新检索式", "new query"));
  AddSchemeOptions(edit, *edit_args, ctx);
  edit->add_flag("--enable", edit_args->enable, ctx.T("启用", "enable"));
  edit->add_flag("--disable", edit_args->disable, ctx.T("停用", "disable"));
  edit->add_flag("--json", edit_args->json, ctx.T("输出 JSON", "print JSON"));
  edit->callback([&ctx, edit_args, edit] { TopicsEdit(ctx, *edit_args, edit); });

  auto rm_args = std::make_shared<SchemeArgs>();
  auto* rm = topics->add_subcommand("rm", ctx.T("删除方案", "remove a scheme"));
  rm->add_option("id", rm_args->key, ctx.T("方案编号或名称", "scheme id or name"))->required();
  rm->add_flag("--json", rm_args->json, ctx.T("输出 JSON", "print JSON"));
  rm->callback([&ctx, rm_args] { TopicsRemove(ctx, *rm_args); });

  auto imp_args = std::make_shared<SchemeArgs>();
  auto* imp = topics->add_subcommand("import", ctx.T("从 YAML 或 JSON 导入方案（同名则更新）", "import schemes from YAML or JSON (same name: updated)"));
  imp->add_option("file", imp_args->file, ctx.T("YAML 或 JSON 文件", "YAML or JSON file"))->required();
  imp->add_flag("--json", imp_args->json, ctx.T("输出 JSON", "print JSON"));
  imp->callback([&ctx, imp_args] { TopicsImport(ctx, *imp_args); });

  auto exp_args = std::make_shared<SchemeArgs>();
  auto* exp = topics->add_subcommand("export", ctx.T("导出全部方案为 YAML（默认）或 JSON", "export all schemes as YAML (default) or JSON"));
  exp->add_option("file", exp_args->file, ctx.T("输出文件（默认：标准输出）", "output file (default: stdout)"));
  exp->add_option("--format", exp_args->format, ctx.T("yaml 或 json", "yaml or json"))->check(CLI::IsMember({"yaml", "json"}));
  exp->add_flag("--json", exp_args->json, ctx.T("输出 JSON（写到标准输出；写文件时输出 JSON 摘要）", "JSON (to stdout, or a JSON summary when writing a file)"));
  exp->callback([&ctx, exp_args] { TopicsExport(ctx, *exp_args); });

  auto test_args = std::make_shared<SchemeArgs>();
  auto* test = topics->add_subcommand("test", ctx.T("试运行：方案能命中库中多少帖子", "how many stored posts a scheme would have caught"));
  test->add_option("id", test_args->key, ctx.T("方案编号或名称（省略则试运行 --query）", "scheme id or name (omit to test --query)"));
  test->add_option("--query", test_args->query, ctx.T("用来试运行的检索式（代替或覆盖已保存的）", "query to test instead of (or over) the stored one"));
  test->add_option("--exclude", test_args->exclude, ctx.T("排除词（可重复）", "exclusions, repeatable"));
  test->add_option("--last", test_args->last, ctx.T("时间范围：7d、24h … 或 all（全部）", "period: 7d, 24h, ... or all"))->capture_default_str();
  test->add_option("--samples", test_args->samples, ctx.T("显示的命中帖子数", "matched posts to show"))->capture_default_str();
  test->add_flag("--json", test_args->json, ctx.T("输出 JSON", "print JSON"));
  test->callback([&ctx, test_args, test] { TopicsTest(ctx, *test_args, test); });
}

}  // namespace

void RegisterRulesCommands(CLI::App& app, Context& ctx) {
  RegisterMatch(app, ctx);
  RegisterTopics(app, ctx);
}

}  // namespace yuqing::cli
