// yuqing dict add|remove|list|rebuild: the user dictionary (新冠, officials' names, place and
// brand names) that segmentation and search use. A change re-indexes every post's title and text
// with the new dictionary (a progress bar on a terminal), and the store records the dictionary the
// index was built with, so `dict list` can say whether the index is current.
#include <iostream>

#include "cli/context.h"
#include "cli/progress.h"
#include "store/fts_tokenizer.h"
#include "store/user_dict_store.h"

namespace yuqing::cli {
namespace {

struct DictOpts {
  std::vector<std::string> words;
  bool json = false;
};

Result<std::string> CheckWord(Context& ctx, const text::Normalizer& norm, const std::string& raw) {
  auto w = store::NormalizeUserWord(norm, raw);
  if (!w.ok())
    return Status::Invalid(std::string(ctx.T("词条须为 1–64 字节、不含空白和 / 的文字: ", "a word must be 1-64 bytes of text without spaces or '/': ")) + raw);
  return w;
}

bool HasPosts(store::Database& db) {
  auto has = db.HasComponent("posts");
  return has.ok() && *has;
}

// Re-indexes the posts with the dictionary as it is now and records its version. A running
// `serve` notices the change too and rebuilds in its own process; whichever starts later
// finishes (store::RebuildFullTextIndex): when the server took over, that is said, not failed.
Result<int64_t> Rebuild(Context& ctx, bool json) {
  auto* s = ctx.services();
  YQ_ASSIGN_OR_RETURN(auto dict, store::UserDictStore::Open(s->db()));
  YQ_ASSIGN_OR_RETURN(auto words, dict->Words());
  const std::string version = store::DictVersion(words);
  if (!HasPosts(s->db())) {
    YQ_RETURN_IF_ERROR(dict->SetIndexVersion(version));
    return 0;
  }
  YQ_ASSIGN_OR_RETURN(auto norm, s->normalizer());
  YQ_ASSIGN_OR_RETURN(auto seg, s->segmenter());  // this process loads the dictionary now
  YQ_RETURN_IF_ERROR(store::RegisterYuqingTokenizer(s->db(), norm, seg));
  Progress progress(ctx.T("重建全文索引", "rebuilding the full-text index"), 100, !json,
                    {ctx.T("已用", "elapsed"), ctx.T("剩余", "left")});
  int64_t done = 0;
  Status st = store::RebuildFullTextIndex(s->db(), version, 2000, [&](int64_t n, int64_t total) {
    done = n;
    progress.Update(total ? n * 100 / total : 100, std::to_string(n) + ctx.T(" 条", " posts"));
    return true;
  });
  progress.Finish();
  if (st.code() == Code::kConflict) {
    std::cerr << ctx.T("运行中的 yuqing serve 接手了全文索引的重建（进度见看板的词典页）",
                       "a running yuqing serve took over rebuilding the full-text index (progress on the dashboard's 词典 page)")
              << std::endl;
    return done;
  }
  YQ_RETURN_IF_ERROR(st);
  return done;
}

void Change(Context& ctx, DictOpts& o, bool add) {
  auto* s = ctx.services();
  if (!s) return;
  auto norm = s->normalizer();
  if (!norm.ok()) return ctx.Fail(norm.status());
  auto dict = store::UserDictStore::Open(s->db());
  if (!dict.ok()) return ctx.Fail(dict.status());
  std::vector<std::string> words;
  for (const auto& raw : o.words) {  // all checked before any is changed
    auto w = CheckWord(ctx, **norm, raw);
    if (!w.ok()) return ctx.Fail(w.status());
    words.push_back(*w);
  }
  nlohmann::json changed = nlohmann::json::array();
  {
    store::Transaction tx(s->db());  // all or none, as through the API
    if (!tx.status().ok()) return ctx.Fail(tx.status());
    for (const auto& w : words) {
      auto r = add ? (*dict)->Add(w, s->clock().Now()) : (*dict)->Remove(w);
      if (!r.ok()) return ctx.Fail(r.status());
      if (*r) changed.push_back(w);
    }
    if (Status st = tx.Commit(); !st.ok()) return ctx.Fail(st);
  }
  int64_t reindexed = 0;
  if (!changed.empty()) {
    auto n = Rebuild(ctx, o.json);
    if (!n.ok()) return ctx.Fail(n.status());
    reindexed = *n;
  }
  if (o.json) {
    PrintJson({{add ? "added" : "removed", changed}, {"reindexed", reindexed}});
  } else {
    std::cout << (add ? ctx.T("已加入 ", "added ") : ctx.T("已删除 ", "removed ")) << changed.size()
              << ctx.T(" 个词；重建索引 ", " words; re-indexed ") << reindexed << ctx.T(" 条帖子", " posts") << std::endl;
  }
}

}  // namespace

void RegisterDictCommands(CLI::App& app, Context& ctx) {
  auto* dict = app.add_subcommand("dict", ctx.T("用户词典：分词和检索保持完整的词（新冠、人名、地名、品牌）", "the user dictionary: words segmentation and search keep whole (names, places, brands)"));
  dict->require_subcommand(1);
  auto add = std::make_shared<DictOpts>();
  auto* a = dict->add_subcommand("add", ctx.T("加入词条，并用新词典重建全文索引", "add words, and re-index the posts with them"));
  a->add_option("words", add->words, ctx.T("词条", "words"))->required();
  a->add_flag("--json", add->json, ctx.T("输出 JSON", "print JSON"));
  a->callback([&ctx, add] { Change(ctx, *add, true); });
  auto rm = std::make_shared<DictOpts>();
  auto* r = dict->add_subcommand("remove", ctx.T("删除词条，并重建全文索引", "remove words, and re-index the posts"));
  r->add_option("words", rm->words, ctx.T("词条", "words"))->required();
  r->add_flag("--json", rm->json, ctx.T("输出 JSON", "print JSON"));
  r->callback([&ctx, rm] { Change(ctx, *rm, false); });
  auto ls = std::make_shared<DictOpts>();
  auto* l = dict->add_subcommand("list", ctx.T("列出词条，并说明全文索引是否按当前词典建立", "list the words, and whether the index was built with them"));
  l->add_flag("--json", ls->json, ctx.T("输出 JSON", "print JSON"));
  l->callback([&ctx, ls] {
    auto* s = ctx.services();
    if (!s) return;
    auto dict = store::UserDictStore::Open(s->db());
    if (!dict.ok()) return ctx.Fail(dict.status());
    auto list = (*dict)->List();
    auto version = (*dict)->IndexVersion();
    if (!list.ok()) return ctx.Fail(list.status());
    if (!version.ok()) return ctx.Fail(version.status());
    std::vector<std::string> words;
    nlohmann::json out = nlohmann::json::array();
    for (const auto& w : *list) {
      words.push_back(w.word);
      out.push_back({{"word", w.word}, {"added_at", FormatTime(w.added_at)}});
    }
    const bool current = store::DictVersion(words) == *version;
    if (ls->json) {
      PrintJson({{"words", out}, {"index_current", current}});
      return;
    }
    for (const auto& w : *list) std::cout << w.word << "\t" << FormatTime(w.added_at) << "\n";
    std::cout << list->size() << ctx.T(" 个词", " words")
              << (current ? ctx.T("；全文索引按当前词典建立", "; the index is current")
                          : ctx.T("；全文索引不是按当前词典建立的：运行 yuqing dict rebuild", "; the index predates them: run yuqing dict rebuild"))
              << std::endl;
  });
  auto rb = std::make_shared<DictOpts>();
  auto* b = dict->add_subcommand("rebuild", ctx.T("按当前词典重建全文索引", "re-index the posts with the current dictionary"));
  b->add_flag("--json", rb->json, ctx.T("输出 JSON", "print JSON"));
  b->callback([&ctx, rb] {
    if (!ctx.services()) return;
    auto n = Rebuild(ctx, rb->json);
    if (!n.ok()) return ctx.Fail(n.status());
    if (rb->json) PrintJson({{"reindexed", *n}});
    else std::cout << ctx.T("重建索引 ", "re-indexed ") << *n << ctx.T(" 条帖子", " posts") << std::endl;
  });
}

}  // namespace yuqing::cli
