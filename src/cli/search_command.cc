// yuqing search QUERY [--from T] [--to T] [--source S] [--limit N] [--sort time|relevance] [--json]
#include <unistd.h>

#include <iostream>

#include "app/pipeline.h"
#include "cli/context.h"
#include "core/post_json.h"
#include "rules/fts_query.h"
#include "store/post_store.h"

namespace yuqing::cli {
namespace {

struct SearchOpts {
  std::string query, from, to, sort = "time", sentiment, type, province, cursor;
  std::vector<std::string> sources;
  int64_t event = 0, scheme = 0;
  size_t limit = 100;
  bool json = false;
};

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  for (size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size()) s.replace(pos, from.size(), to);
  return s;
}

std::string HtmlEscape(const std::string& in) {
  std::string out;
  out.reserve(in.size());
  for (char c : in) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

// Strips terminal control characters from untrusted text before printing it to a terminal.
std::string TerminalSafe(const std::string& in) {
  std::string out;
  for (char c : in) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 && c != '\n') out.push_back(' ');
    else if (u == 0x7f) out.push_back(' ');
    else out.push_back(c);
  }
  return out;
}

Status Run(Context& ctx, const SearchOpts& o) {
  store::SearchQuery q;
  q.text = o.query;
  if (!o.from.empty()) {
    YQ_ASSIGN_OR_RETURN(q.from, ParseTime(o.from));
  }
  if (!o.to.empty()) {
    YQ_ASSIGN_OR_RETURN(q.to, ParseTime(o.to));
  }
  q.sources = o.sources;
  q.sentiment = o.sentiment;
  q.type = o.type;
  q.province = o.province;
  q.event_id = o.event;
  q.scheme_id = o.scheme;
  q.limit = o.limit;
  q.relevance = o.sort == "relevance";
  if (!o.cursor.empty()) YQ_RETURN_IF_ERROR(q.SetCursor(o.cursor));
  auto* s = ctx.services();
  if (!s) return Status::Io(ctx.T("无法打开数据目录", "no data directory"));
  if (!q.text.empty()) {
    YQ_ASSIGN_OR_RETURN(auto norm, s->normalizer());
    rules::ParseError err;
    auto match = rules::ToFtsMatch(q.text, *norm, &err);
    if (!match.ok()) return Status::Invalid(ctx.zh() ? "检索式有误，" + err.Message(true) : err.Message(false));
    q.match = std::move(*match);
  }
  YQ_ASSIGN_OR_RETURN(auto db, app::OpenStoreConnection(*s));
  YQ_ASSIGN_OR_RETURN(auto posts, store::PostStore::Open(*db));
  YQ_ASSIGN_OR_RETURN(auto res, posts->Search(q));
  if (o.json) {
    nlohmann::json hits = nlohmann::json::array();
    for (const auto& h : res.hits) {
      auto j = StoredPostToJson(h.post);
      j["snippet"] = Replace(Replace(h.snippet, store::kMarkStart, "【"), store::kMarkEnd, "】");
      j["snippet_html"] = Replace(Replace(HtmlEscape(h.snippet), store::kMarkStart, "<mark>"), store::kMarkEnd, "</mark>");
      j["rank"] = h.rank;
      hits.push_back(std::move(j));
    }
    PrintJson({{"query", o.query}, {"count", res.hits.size()}, {"hits", hits},
               {"next_cursor", res.next_cursor.empty() ? nlohmann::json(nullptr) : nlohmann::json(res.next_cursor)}});
    return Status::Ok();
  }
  bool tty = isatty(STDOUT_FILENO);
  std::string on = tty ? "\033[1;31m" : "【", off = tty ? "\033[0m" : "】";
  if (res.hits.empty()) std::cout << ctx.T("没有找到匹配的帖子", "no matching posts") << std::endl;
  for (const auto& h : res.hits) {
    const Post& p = h.post.post;
    std::cout << FormatTime(p.published_at) << "  " << TerminalSafe(p.source) << "  "
              << TerminalSafe(p.author.name.empty() ? p.author.id : p.author.name) << "  [" << p.id << "]\n  "
              << Replace(Replace(TerminalSafe(h.snippet), store::kMarkStart, on), store::kMarkEnd, off) << "\n";
  }
  if (!res.next_cursor.empty())
    std::cout << ctx.T("更多结果: --cursor ", "more: --cursor ") << res.next_cursor << std::endl;
  return Status::Ok();
}

}  // namespace

void RegisterSearchCommand(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<SearchOpts>();
  auto* cmd = app.add_subcommand("search", ctx.T("检索帖子（监测方案的检索式：AND/OR/NOT、括号、\"短语\"、NEAR/n、title:/text:）", "search posts (scheme query syntax: AND/OR/NOT, parentheses, \"phrases\", NEAR/n, title:/text:)"));
  cmd->add_option("query", o->query, ctx.T("检索式，如 东湖 AND (停水 OR 断水) NOT 演练；繁简、全半角互通", "query, e.g. 东湖 AND (停水 OR 断水) NOT 演练; traditional/simplified and full/half width match each other"));
  cmd->add_option("--from", o->from, ctx.T("发布时间不早于（ISO 8601）", "published at or after (ISO 8601)"));
  cmd->add_option("--to", o->to, ctx.T("发布时间早于（ISO 8601）", "published before (ISO 8601)"));
  cmd->add_option("--source", o->sources, ctx.T("只看这些来源（可重复）", "only these sources (repeatable)"));
  cmd->add_option("--sentiment", o->sentiment, ctx.T("情感：negative（负面）、neutral（中性）或 positive（正面）", "negative, neutral or positive"))
      ->check(CLI::IsMember({"negative", "neutral", "positive"}));
  cmd->add_option("--type", o->type, ctx.T("舆情类型：complaint（投诉）、rumor（谣言）、accident（事故）…", "opinion type: complaint, rumor, accident, ..."));
  cmd->add_option("--province", o->province, ctx.T("省份，如 浙江", "province, e.g. 浙江"));
  cmd->add_option("--event", o->event, ctx.T("事件编号", "event id"));
  cmd->add_option("--topic,--scheme", o->scheme, ctx.T("监测方案编号", "monitoring scheme id"));
  cmd->add_option("--limit", o->limit, ctx.T("每页条数", "results per page"))->capture_default_str()->check(CLI::Range(1, 1000));
  cmd->add_option("--sort", o->sort, ctx.T("排序：time（最新在前）或 relevance（相关度）", "time (newest first) or relevance"))->check(CLI::IsMember({"time", "relevance"}));
  cmd->add_option("--cursor", o->cursor, ctx.T("接着上一页继续（翻页游标）", "continue from a previous page"));
  cmd->add_flag("--json", o->json, ctx.T("输出 JSON", "print JSON"));
  cmd->callback([&ctx, o] {
    Status st = Run(ctx, *o);
    if (!st.ok()) ctx.Fail(st);
  });
}

}  // namespace yuqing::cli
