// yuqing analyze | events | model: per-post analysis, the event list, and the models behind them.
#include <filesystem>
#include <fstream>
#include <iostream>

#include "analysis/analyzer.h"
#include "analysis/cascade_trainer.h"
#include "analysis/event_tracker.h"
#include "analysis/model_paths.h"
#include "analysis/trainer.h"
#include "app/event_forecast.h"
#include "cli/context.h"
#include "core/event_json.h"
#include "core/time.h"
#include "store/event_store.h"

namespace yuqing::cli {

namespace {

using nlohmann::json;

char Hex(int v) { return "0123456789abcdef"[v & 15]; }

std::string HexHash(uint64_t h) {
  std::string s(16, '0');
  for (int i = 15; i >= 0; --i, h >>= 4) s[i] = Hex(static_cast<int>(h & 15));
  return s;
}

json AnalysisJson(const ProcessedPost& p) {
  const Analysis& a = p.analysis;
  json j;
  if (!p.post.id.empty()) j["id"] = p.post.id;
  j["sentiment"] = {{"label", a.sentiment_label}, {"score", std::round(a.sentiment_score * 1000) / 1000}};
  j["rumor"] = std::round(a.rumor * 1000) / 1000;
  json types = json::array();
  for (const auto& t : a.types) types.push_back({{"type", t.type}, {"evidence", t.evidence}, {"score", t.score}});
  j["types"] = std::move(types);
  j["region"] = {{"province", a.province}, {"city", a.city}, {"source", a.region_source}};
  j["keywords"] = a.keywords;
  j["simhash"] = HexHash(a.simhash);
  j["dup_of"] = a.dup_of.empty() ? json(nullptr) : json(a.dup_of);
  j["event"] = a.event_id;
  return j;
}

TimeMs TimeField(const json& v) {
  if (v.is_number_integer()) {
    int64_t x = v.get<int64_t>();
    return x < 100000000000LL ? x * 1000 : x;  // unix seconds or milliseconds
  }
  if (v.is_string()) {
    auto t = ParseTime(v.get<std::string>());
    if (t.ok()) return *t;
  }
  return 0;
}

std::string Str(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end()) return "";
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer()) return std::to_string(it->get<int64_t>());
  return "";
}

// A post from one JSON line (the ingest format: id, title, text, source, parent, published_at,
// author {id, name, location, followers}, region, metrics). kInvalid when it has no text.
Result<Post> PostFromJson(const json& j) {
  if (!j.is_object()) return Status::Invalid("not a JSON object");
  Post p;
  p.id = Str(j, "id");
  p.title = Str(j, "title");
  p.text = Str(j, "text");
  if (p.text.empty()) p.text = Str(j, "content");
  if (p.text.empty() && p.title.empty()) return Status::Invalid("no text");
  p.source = Str(j, "source");
  p.parent = Str(j, "parent");
  p.region = Str(j, "region");
  for (const char* k : {"published_at", "time", "created_at"})
    if (j.contains(k) && (p.published_at = TimeField(j[k])) != 0) break;
  if (j.contains("author") && j["author"].is_object()) {
    const json& a = j["author"];
    p.author.id = Str(a, "id");
    p.author.name = Str(a, "name");
    p.author.location = Str(a, "location");
    if (a.contains("followers") && a["followers"].is_number()) p.author.followers = a["followers"].get<int64_t>();
    if (a.contains("verified") && a["verified"].is_boolean()) p.author.verified = a["verified"].get<bool>();
  } else if (j.contains("author") && j["author"].is_string()) {
    p.author.name = j["author"].get<std::string>();
  }
  if (p.author.location.empty()) p.author.location = Str(j, "location");
  if (j.contains("metrics") && j["metrics"].is_object()) {
    const json& m = j["metrics"];
    p.metrics.reposts = m.value("reposts", int64_t{0});
    p.metrics.comments = m.value("comments", int64_t{0});
    p.metrics.likes = m.value("likes", int64_t{0});
  }
  if (p.text.size() > kMaxTextBytes) p.text.resize(kMaxTextBytes);
  return p;
}

// `analyze` reads and prints only: it loads the text tools itself rather than through
// ctx.services(), which opens (and would create) the data directory.
Result<std::unique_ptr<analysis::Analyzer>> MakeAnalyzer(const std::string& models_dir) {
  YQ_ASSIGN_OR_RETURN(std::shared_ptr<const text::Normalizer> norm, text::Normalizer::Create());
  YQ_ASSIGN_OR_RETURN(std::shared_ptr<const text::Segmenter> seg, text::Segmenter::Create());
  analysis::AnalyzerOptions o;
  o.models_dir = models_dir;
  return analysis::Analyzer::Create(o, norm, seg);
}

void PrintHuman(const ProcessedPost& p) {
  const Analysis& a = p.analysis;
  std::cout << (p.post.id.empty() ? "" : p.post.id + "  ") << a.sentiment_label << " " << a.sentiment_score;
  for (const auto& t : a.types) {
    std::cout << "  " << t.type << "[";
    for (size_t i = 0; i < t.evidence.size(); ++i) std::cout << (i ? "," : "") << t.evidence[i];
    std::cout << "]";
  }
  if (!a.province.empty()) std::cout << "  " << a.province << (a.city.empty() ? "" : "/" + a.city);
  std::cout << "  #";
  for (const auto& k : a.keywords) std::cout << " " << k;
  std::cout << "  simhash=" << HexHash(a.simhash) << " event=" << a.event_id;
  if (!a.dup_of.empty()) std::cout << " dup_of=" << a.dup_of;
  std::cout << "\n";
}

struct AnalyzeArgs {
  std::string text, input, models;
  bool json = false;
};

void RunAnalyze(Context& ctx, const AnalyzeArgs& args) {
  if (args.text.empty() == args.input.empty()) {
    ctx.Fail(Status::Invalid(ctx.T("需要 --text 或 --input 之一", "give exactly one of --text or --input")));
    return;
  }
  auto an = MakeAnalyzer(args.models);
  if (!an.ok()) return ctx.Fail(an.status());
  analysis::EventTracker tracker;
  auto emit = [&](ProcessedPost& p) {
    (*an)->Prepare(p);
    (*an)->Analyze(p);
    tracker.Assign(p);
    if (args.json) PrintJson(AnalysisJson(p));
    else PrintHuman(p);
  };
  if (!args.text.empty()) {
    ProcessedPost p;
    p.post.text = args.text;
    emit(p);
    return;
  }
  std::ifstream in(args.input, std::ios::binary);
  if (!in) return ctx.Fail(Status::NotFound(std::string(ctx.T("无法读取 ", "cannot read ")) + args.input));
  std::string line;
  size_t lineno = 0, bad = 0;
  while (std::getline(in, line)) {
    ++lineno;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    auto j = json::parse(line, nullptr, false);
    auto post = j.is_discarded() ? Result<Post>(Status::Invalid("invalid JSON")) : PostFromJson(j);
    if (!post.ok()) {
      // One output line per input line, in order: a bad line gets an error object in its place.
      ++bad;
      json e = {{"line", lineno}, {"error", post.status().message()}};
      if (args.json) PrintJson(e);
      else std::cout << ctx.T("第 ", "line ") << lineno << ctx.T(" 行: ", ": ") << post.status().message() << "\n";
      continue;
    }
    ProcessedPost p;
    p.post = std::move(post).value();
    if (p.post.id.empty()) p.post.id = "line" + std::to_string(lineno);
    emit(p);
  }
  if (bad) ctx.exit_code = 2;
}

Result<std::unique_ptr<store::EventStore>> OpenEvents(Context& ctx) {
  app::Services* s = ctx.services();
  if (!s) return Status::Unavailable("no services");
  return store::EventStore::Open(s->db());
}

void RegisterEvents(CLI::App& app, Context& ctx) {
  auto* ev = app.add_subcommand("events", ctx.T("事件(话题)列表与详情", "events (clusters of posts): list and show"));
  ev->require_subcommand(1);
  struct ListArgs {
    std::string since;
    size_t limit = 50;
    int64_t min_posts = 0;
    std::string order = "last_seen";
    bool json = false;
  };
  auto la = std::make_shared<ListArgs>();
  auto* list = ev->add_subcommand("list", ctx.T("列出事件", "list events, newest activity first"));
  list->add_option("--since", la->since, ctx.T("ISO 时间，或从现在往前的时长（如 24h）", "ISO time or duration back from now (e.g. 24h)"));
  list->add_option("--limit", la->limit, ctx.T("最多显示条数", "at most this many"));
  list->add_option("--min-posts", la->min_posts, ctx.T("只看帖子数不少于此数的事件", "only events with at least this many posts"));
  list->add_option("--order", la->order, ctx.T("排序：last_seen（最近活跃）| posts（帖子数）| first_seen（首次出现）", "last_seen | posts | first_seen"))->check(CLI::IsMember({"last_seen", "posts", "first_seen"}));
  list->add_flag("--json", la->json, ctx.T("输出 JSON", "JSON output"));
  list->callback([&ctx, la] {
    auto es = OpenEvents(ctx);
    if (!es.ok()) return ctx.Fail(es.status());
    store::EventQuery q;
    q.limit = la->limit;
    q.min_posts = la->min_posts;
    q.order = la->order;
    if (!la->since.empty()) {
      if (auto d = ParseDuration(la->since); d.ok()) q.since = ctx.services()->clock().Now() - *d;
      else if (auto t = ParseTime(la->since); t.ok()) q.since = *t;
      else return ctx.Fail(Status::Invalid(ctx.T("--since 无法识别: ", "--since: ") + la->since));
    }
    auto rows = (*es)->List(q);
    if (!rows.ok()) return ctx.Fail(rows.status());
    if (la->json) {
      json arr = json::array();
      for (const auto& e : *rows) arr.push_back(EventToJson(e));
      PrintJson({{"events", arr}, {"count", rows->size()}});
      return;
    }
    for (const auto& e : *rows)
      std::cout << e.id << "\t" << e.posts << "\t" << FormatTime(e.first_seen) << "\t" << FormatTime(e.last_seen) << "\t"
                << e.title << "\n";
  });
  auto sid = std::make_shared<int64_t>(0);
  auto sjson = std::make_shared<bool>(false);
  auto* show = ev->add_subcommand("show", ctx.T("事件详情", "show one event"));
  show->add_option("id", *sid, ctx.T("事件编号", "event id"))->required();
  show->add_flag("--json", *sjson, ctx.T("输出 JSON", "JSON output"));
  show->callback([&ctx, sid, sjson] {
    auto es = OpenEvents(ctx);
    if (!es.ok()) return ctx.Fail(es.status());
    auto e = (*es)->Get(*sid);
    if (!e.ok()) return ctx.Fail(e.status());
    json j = EventToJson(*e);
    auto model = ctx.services()->cascade_model();
    if (!model.ok()) return ctx.Fail(model.status());
    auto fc = app::ForecastEvent(ctx.services()->db(), *e, model->get());
    if (!fc.ok()) return ctx.Fail(fc.status());
    j["forecast"] = app::ForecastToJson(*fc, e->last_seen);
    if (*sjson) return PrintJson(j);
    std::cout << j.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
  });
}

void PrintReport(Context& ctx, const analysis::TrainReport& r, bool as_json) {
  json j = {{"sentiment_rows", r.sentiment_rows}, {"user_rows", r.user_rows},
            {"sentiment_dev_accuracy", r.sentiment_dev_accuracy}, {"sentiment_dev_rows", r.sentiment_dev_rows},
            {"neutral_rows", r.neutral_rows}, {"held_out_rows", r.held_out_rows},
            {"news_train_rows", r.news_train_rows}, {"types_train_rows", r.types_train_rows},
            {"types_confirmed", r.types_confirmed}, {"types_contradicted", r.types_contradicted},
            {"rumor_train_rows", r.rumor_train_rows}, {"rumor_holdout_rows", r.rumor_holdout_rows},
            {"rumor_holdout_accuracy", r.rumor_holdout_accuracy}, {"seconds", r.seconds}, {"notes", r.notes}};
  if (as_json) return PrintJson(j);
  std::cout << j.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
}

struct TrainArgs {
  std::string data, out, corpus, only;
  bool json = false, keep = false, no_corrections = false;
};

// The cascade forecast (models/cascade.json) from CED's repost trees. Needs no data directory:
// it reads the public corpus and the text rumour model in the output directory.
void TrainCascade(Context& ctx, const TrainArgs& ta) {
  analysis::CascadeTrainOptions o;
  o.data_dir = ta.corpus.empty() ? analysis::DefaultTrainDataDir() : ta.corpus;
  o.out_dir = ta.out.empty() ? analysis::ResolveModelsDir() : ta.out;
  auto an = MakeAnalyzer(o.out_dir);
  if (!an.ok())
    std::cerr << ctx.T("提示: 无法加载文本模型 (", "note: no text models (") << an.status().message()
              << ctx.T("), 级联模型不含文本谣言概率\n", "); the cascade model is fitted without the text rumour probability\n");
  auto r = analysis::TrainCascadeModel(o, an.ok() ? an->get() : nullptr);
  if (!r.ok()) return ctx.Fail(r.status());
  json hs = json::array();
  for (const auto& h : r->horizons)
    hs.push_back({{"at_minutes", h.at / kMinute}, {"cv_mdape_final_ge_20", h.mdape_20},
                  {"cv_within_2x_final_ge_20", h.within_2x_20}, {"cv_rumor_accuracy_reposts_only", h.rumor_accuracy},
                  {"cv_p_exceeds_500_recall", h.recall_500}, {"cv_p_exceeds_500_precision", h.precision_500}});
  json j = {{"cascade_model", r->path}, {"train_cascades", r->train_cascades},
            {"held_out_cascades", r->held_out_cascades}, {"horizons", hs}, {"seconds", r->seconds}};
  if (ta.json) return PrintJson(j);
  std::cout << j.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
}

void RegisterModel(CLI::App& app, Context& ctx) {
  auto* model = app.add_subcommand("model", ctx.T("训练与评估分析模型", "train and evaluate the analysis models"));
  model->require_subcommand(1);
  auto ta = std::make_shared<TrainArgs>();
  auto* train = model->add_subcommand("train", ctx.T("训练情感、谣言、新闻与级联模型", "train the sentiment, rumour, news and cascade models"));
  train->add_option("--data", ta->data, ctx.T("自己标注的帖子：JSON Lines {\"text\",\"label\"}，或 文本<TAB>标签", "your labelled posts: JSON lines {\"text\",\"label\"} or text<TAB>label"));
  train->add_option("--out", ta->out, ctx.T("输出目录（默认：模型目录）", "output directory (default: the models directory)"));
  train->add_option("--corpus", ta->corpus, ctx.T("公开语料根目录，含 sentiment/ 和 rumor/（$YUQING_TRAIN_DATA）", "public corpora root with sentiment/ and rumor/ ($YUQING_TRAIN_DATA)"));
  train->add_option("--only", ta->only, ctx.T("sentiment（情感）| rumor（谣言）| news（新闻）| types（类型语境）| cascade（级联预测）",
                                         "sentiment | rumor | news | types | cascade"))
      ->check(CLI::IsMember({"sentiment", "rumor", "news", "types", "cascade"}));
  train->add_flag("--keep-files", ta->keep, ctx.T("在 --out 目录保留 fastText 训练输入文件", "keep the fastText input files in --out"));
  train->add_flag("--no-corrections", ta->no_corrections, ctx.T("不使用库中分析员的纠正", "ignore analysts' corrections in the store"));
  train->add_flag("--json", ta->json, ctx.T("输出 JSON", "JSON output"));
  train->callback([&ctx, ta] {
    if (ta->only == "cascade") return TrainCascade(ctx, *ta);
    app::Services* s = ctx.services();
    if (!s) return;
    auto norm = s->normalizer();
    auto seg = s->segmenter();
    if (!norm.ok()) return ctx.Fail(norm.status());
    if (!seg.ok()) return ctx.Fail(seg.status());
    analysis::TrainOptions o;
    o.data_dir = ta->corpus.empty() ? analysis::DefaultTrainDataDir() : ta->corpus;
    o.user_data = ta->data;
    o.out_dir = ta->out.empty() ? analysis::ResolveModelsDir() : ta->out;
    o.train_sentiment = ta->only.empty() || ta->only == "sentiment";
    o.train_rumor = ta->only.empty() || ta->only == "rumor";
    o.train_news = ta->only.empty() || ta->only == "news";
    o.train_types = ta->only.empty() || ta->only == "types";
    o.keep_files = ta->keep;
    if (!ta->no_corrections) {
      auto es = store::EventStore::Open(s->db());
      if (!es.ok()) return ctx.Fail(es.status());
      auto cs = (*es)->Corrections();
      if (!cs.ok()) return ctx.Fail(cs.status());
      for (const auto& c : *cs) o.corrections.push_back({c.text, c.label, c.post_id});
    }
    auto r = analysis::TrainModels(o, **norm, **seg);
    if (!r.ok()) return ctx.Fail(r.status());
    PrintReport(ctx, *r, ta->json);
    if (ta->only.empty()) TrainCascade(ctx, *ta);
  });

  struct EvalArgs {
    std::string models, corpus;
    bool json = false;
  };
  auto ea = std::make_shared<EvalArgs>();
  auto* eval = model->add_subcommand("eval", ctx.T("评估模型", "evaluate the models on the held-out data"));
  eval->add_option("--models", ea->models, ctx.T("模型目录", "models directory"));
  eval->add_option("--corpus", ea->corpus, ctx.T("公开语料根目录", "public corpora root"));
  eval->add_flag("--json", ea->json, ctx.T("输出 JSON", "JSON output"));
  eval->callback([&ctx, ea] {
    app::Services* s = ctx.services();
    if (!s) return;
    auto norm = s->normalizer();
    auto seg = s->segmenter();
    if (!norm.ok()) return ctx.Fail(norm.status());
    if (!seg.ok()) return ctx.Fail(seg.status());
    std::string dir = analysis::ResolveModelsDir(ea->models);
    std::string data = ea->corpus.empty() ? analysis::DefaultTrainDataDir() : ea->corpus;
    analysis::TrainReport r;
    auto acc = analysis::EvalSentimentDev(dir, data + "/sentiment/chnsenticorp_dev.tsv", **norm, **seg,
                                          &r.sentiment_dev_rows);
    if (acc.ok()) r.sentiment_dev_accuracy = *acc;
    else r.notes.push_back(acc.status().message());
    auto racc = analysis::EvalRumorHoldout(dir + "/rumor.ftz", data + "/rumor/ced_weibo_rumor_train.jsonl.gz", **norm,
                                           **seg, &r.rumor_holdout_rows);
    if (racc.ok()) r.rumor_holdout_accuracy = *racc;
    else r.notes.push_back(racc.status().message());
    PrintReport(ctx, r, ea->json);
    if (!acc.ok() && !racc.ok()) ctx.exit_code = 2;
  });

  struct CorrectArgs {
    std::string text, label, post, user;
  };
  auto ca = std::make_shared<CorrectArgs>();
  auto* correct = model->add_subcommand("correct", ctx.T("记录分析员的情感纠正", "record an analyst's sentiment correction"));
  correct->add_option("--text", ca->text, ctx.T("帖子正文", "the post text"))->required();
  correct->add_option("--label", ca->label, ctx.T("negative（负面）| neutral（中性）| positive（正面）", "negative | neutral | positive"))->required();
  correct->add_option("--post", ca->post, ctx.T("帖子编号", "the post id"));
  correct->add_option("--user", ca->user, ctx.T("纠正人", "who corrected it"));
  correct->callback([&ctx, ca] {
    auto es = OpenEvents(ctx);
    if (!es.ok()) return ctx.Fail(es.status());
    store::SentimentCorrection c;
    c.text = ca->text;
    c.label = analysis::CanonicalSentiment(ca->label);
    c.post_id = ca->post;
    c.user = ca->user;
    c.created_at = ctx.services()->clock().Now();
    Status st = (*es)->AddCorrection(c);
    if (!st.ok()) return ctx.Fail(st);
    std::cout << ctx.T("已记录; 下次 yuqing model train 会用到它\n", "recorded; the next `yuqing model train` uses it\n");
  });
}

}  // namespace

void RegisterAnalysisCommands(CLI::App& app, Context& ctx) {
  auto aa = std::make_shared<AnalyzeArgs>();
  auto* an = app.add_subcommand("analyze", ctx.T("分析文本：情感、类型、地域、关键词、相似", "analyse text: sentiment, types, region, keywords, simhash"));
  an->add_option("--text", aa->text, ctx.T("一段文本", "one text"));
  an->add_option("--input", aa->input, ctx.T("帖子的 JSON Lines 文件（每行输入对应一行输出）", "JSON lines of posts (one output line per input line)"));
  an->add_option("--models", aa->models, ctx.T("模型目录（$YUQING_MODELS_DIR）", "models directory ($YUQING_MODELS_DIR)"));
  an->add_flag("--json", aa->json, ctx.T("输出 JSON", "JSON output"));
  an->callback([&ctx, aa] { RunAnalyze(ctx, *aa); });
  RegisterEvents(app, ctx);
  RegisterModel(app, ctx);
}

}  // namespace yuqing::cli
