// yuqing quarantine list|show|retry
#include <fstream>
#include <iostream>
#include <iterator>

#include "app/pipeline.h"
#include "cli/context.h"
#include "cli/file_plan.h"
#include "cli/ingest_runner.h"
#include "store/post_store.h"
#include "store/quarantine_store.h"

namespace yuqing::cli {
namespace {

nlohmann::json EntryJson(const store::QuarantineStore::Entry& e, bool with_raw) {
  nlohmann::json j = {{"id", e.id},         {"origin", e.record.origin}, {"line", e.record.line},
                      {"offset", e.record.offset}, {"code", e.record.code}, {"reason", e.record.reason},
                      {"format", e.record.format}, {"at", FormatTime(e.record.at)}, {"status", e.status},
                      {"seen", e.seen}, {"last_at", FormatTime(e.last_at ? e.last_at : e.record.at)}};
  if (with_raw) j["raw"] = e.record.raw;
  else j["raw_preview"] = e.record.raw.substr(0, 200);
  return j;
}

struct ListOpts { std::string status = "open"; size_t limit = 100; int64_t after = 0; bool json = false; };
struct ShowOpts { int64_t id = 0; bool json = false; };
struct RetryOpts { std::vector<int64_t> ids; bool all = false; std::string fix; bool json = false; IngestFlags flags; };

Status List(Context& ctx, const ListOpts& o) {
  auto* s = ctx.services();
  if (!s) return Status::Io(ctx.T("无法打开数据目录", "no data directory"));
  YQ_ASSIGN_OR_RETURN(auto q, store::QuarantineStore::Open(s->db()));
  YQ_ASSIGN_OR_RETURN(auto entries, q->List(o.status, o.limit, o.after));
  if (o.json) {
    nlohmann::json items = nlohmann::json::array();
    for (const auto& e : entries) items.push_back(EntryJson(e, false));
    PrintJson({{"items", items}, {"count", entries.size()}});
    return Status::Ok();
  }
  if (entries.empty()) std::cout << ctx.T("隔离区为空", "the quarantine is empty") << std::endl;
  for (const auto& e : entries) {
    std::cout << "#" << e.id << "  " << e.record.origin;
    if (e.record.line) std::cout << ":" << e.record.line;
    else std::cout << " @" << e.record.offset;
    std::cout << "  " << e.record.code << "  " << e.record.reason << "  [" << e.status << "]";
    if (e.seen > 1) std::cout << ctx.T("  （已出现 ", "  (seen ") << e.seen << ctx.T(" 次）", " times)");
    std::cout << "\n";
  }
  return Status::Ok();
}

Status Show(Context& ctx, const ShowOpts& o) {
  auto* s = ctx.services();
  if (!s) return Status::Io(ctx.T("无法打开数据目录", "no data directory"));
  YQ_ASSIGN_OR_RETURN(auto q, store::QuarantineStore::Open(s->db()));
  YQ_ASSIGN_OR_RETURN(auto e, q->Get(o.id));
  if (!e) return Status::NotFound(std::string(ctx.T("没有这条隔离记录: #", "no quarantine record #")) + std::to_string(o.id));
  if (o.json) {
    PrintJson(EntryJson(*e, true));
    return Status::Ok();
  }
  std::cout << "#" << e->id << " " << e->status << "\n"
            << ctx.T("来源: ", "origin: ") << e->record.origin << "  line " << e->record.line << "  offset "
            << e->record.offset << "\n"
            << ctx.T("原因: ", "reason: ") << e->record.code << ": " << e->record.reason << "\n"
            << ctx.T("原始记录:\n", "raw record:\n") << e->record.raw << std::endl;
  return Status::Ok();
}

Status Retry(Context& ctx, RetryOpts& o) {
  auto* s = ctx.services();
  if (!s) return Status::Io(ctx.T("无法打开数据目录", "no data directory"));
  if (o.ids.empty() && !o.all) return Status::Invalid(ctx.T("请给出记录编号，或 --all", "give record ids or --all"));
  if (!o.fix.empty() && o.ids.size() != 1) return Status::Invalid(ctx.T("--fix 只替换一条记录: 请只给一个编号", "--fix replaces one record: give exactly one id"));
  YQ_ASSIGN_OR_RETURN(auto pipeline, app::Pipeline::Create(*s));
  YQ_ASSIGN_OR_RETURN(auto q, store::QuarantineStore::Open(pipeline->db()));
  std::vector<store::QuarantineStore::Entry> entries;
  if (o.all) {
    int64_t after = 0;
    while (true) {
      YQ_ASSIGN_OR_RETURN(auto page, q->List("open", 1000, after));
      if (page.empty()) break;
      after = page.back().id;
      entries.insert(entries.end(), page.begin(), page.end());
    }
  } else {
    for (int64_t id : o.ids) {
      YQ_ASSIGN_OR_RETURN(auto e, q->Get(id));
      if (!e) return Status::NotFound(ctx.T("找不到隔离记录 #", "no quarantine record #") + std::to_string(id));
      entries.push_back(*e);
    }
  }
  nlohmann::json out = nlohmann::json::array();
  int64_t resolved = 0;
  for (auto& e : entries) {
    if (!o.fix.empty()) {
      std::ifstream in(o.fix, std::ios::binary);
      if (!in) return Status::NotFound(ctx.T("无法打开文件 ", "cannot open ") + o.fix);
      e.record.raw.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
      YQ_RETURN_IF_ERROR(q->ReplaceRaw(e.id, e.record.raw));
    }
    if (o.fix.empty() && NeedsSourceToRetry(e.record.format)) {
      out.push_back({{"id", e.id}, {"status", "open"},
                     {"reason", ctx.T("爬虫格式或表格中的记录：请修正源文件后重新导入", "a crawler's or a table's record: fix the source file and ingest it again")}});
      continue;
    }
    IngestFlags flags = o.flags;
    if (flags.format == "auto") {
      flags.format = e.record.format == "api" ? "jsonl" : e.record.format == "feed" ? "rss" : e.record.format;
      if (!o.fix.empty() || flags.format == "json") flags.format = "auto";
    }
    YQ_ASSIGN_OR_RETURN(auto ropts, MakeReadOptions(flags, s->clock().Now()));
    std::vector<ingest::Item> batch;
    YQ_RETURN_IF_ERROR(ingest::ReadBuffer(e.record.raw, e.record.origin, ropts, [&](ingest::Item& it) {
      batch.push_back(std::move(it));
      return Status::Ok();
    }));
    bool all_ok = !batch.empty();
    std::string why;
    for (auto& in : batch)
      if (!in.ok) {
        all_ok = false;
        why = in.bad.code + ": " + in.bad.reason;
      }
    nlohmann::json r = {{"id", e.id}};
    if (all_ok) {
      YQ_ASSIGN_OR_RETURN(auto res, pipeline->Process(batch));
      YQ_RETURN_IF_ERROR(q->MarkResolved(e.id, s->clock().Now()));
      ++resolved;
      r["status"] = "resolved";
      r["post_ids"] = nlohmann::json::array();
      for (auto& rr : res) r["post_ids"].push_back(rr.id);
    } else {
      r["status"] = "open";
      r["reason"] = why.empty() ? "no record found" : why;
    }
    out.push_back(r);
  }
  if (o.json) {
    PrintJson({{"retried", entries.size()}, {"resolved", resolved}, {"results", out}});
  } else {
    for (auto& r : out)
      std::cout << "#" << r["id"] << "  " << r["status"].get<std::string>()
                << (r.contains("reason") ? "  " + r["reason"].get<std::string>() : "") << "\n";
    std::cout << ctx.T("已恢复 ", "resolved ") << resolved << " / " << entries.size() << std::endl;
  }
  return Status::Ok();
}

}  // namespace

void RegisterQuarantineCommand(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("quarantine", ctx.T("隔离区：未能入库的记录及原因", "quarantine: records that could not be stored, with the reason"));
  cmd->require_subcommand(1);
  auto lo = std::make_shared<ListOpts>();
  auto* list = cmd->add_subcommand("list", ctx.T("列出隔离记录", "list quarantined records"));
  list->add_option("--status", lo->status, ctx.T("状态：open（未处理）、resolved（已处理）或 all（全部）", "open, resolved or all"))->check(CLI::IsMember({"open", "resolved", "all"}));
  list->add_option("--limit", lo->limit, ctx.T("最多显示条数", "at most this many"))->check(CLI::Range(1, 100000));
  list->add_option("--after", lo->after, ctx.T("从此编号之后开始（翻页）", "records after this id (paging)"));
  list->add_flag("--json", lo->json, ctx.T("输出 JSON", "print JSON"));
  list->callback([&ctx, lo] { if (Status st = List(ctx, *lo); !st.ok()) ctx.Fail(st); });
  auto so = std::make_shared<ShowOpts>();
  auto* show = cmd->add_subcommand("show", ctx.T("查看一条记录及其原始内容", "show one record with its raw bytes"));
  show->add_option("id", so->id, ctx.T("记录编号", "record id"))->required();
  show->add_flag("--json", so->json, ctx.T("输出 JSON", "print JSON"));
  show->callback([&ctx, so] { if (Status st = Show(ctx, *so); !st.ok()) ctx.Fail(st); });
  auto ro = std::make_shared<RetryOpts>();
  auto* retry = cmd->add_subcommand("retry", ctx.T("重新解析记录（可用修正后的版本替换）", "parse records again (optionally replaced by a fixed version)"));
  retry->add_option("ids", ro->ids, ctx.T("记录编号", "record ids"));
  retry->add_flag("--all", ro->all, ctx.T("重试全部未处理记录", "retry every open record"));
  retry->add_option("--fix", ro->fix, ctx.T("存放修正后记录的文件（仅限一个编号）", "a file holding the corrected record (one id only)"));
  retry->add_option("--encoding", ro->flags.encoding, ctx.T("编码：auto（自动）、utf-8、gbk", "auto, utf-8, gbk"));
  retry->add_option("--source", ro->flags.source, ctx.T("记录未写来源时使用的来源", "source for records that name none"));
  retry->add_flag("--json", ro->json, ctx.T("输出 JSON", "print JSON"));
  retry->callback([&ctx, ro] { if (Status st = Retry(ctx, *ro); !st.ok()) ctx.Fail(st); });
}

}  // namespace yuqing::cli
