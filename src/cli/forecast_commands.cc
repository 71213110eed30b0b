// yuqing cascades: how far each root post's repost cascade will grow, and whether it is a rumour,
// from the reposts within --at of it (src/forecast/, model models/cascade.json).
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <unordered_map>

#include "analysis/analyzer.h"
#include "analysis/model_paths.h"
#include "cli/context.h"
#include "core/time.h"
#include "forecast/grouping.h"
#include "forecast/model.h"
#include "ingest/reader.h"

namespace yuqing::cli {

namespace {

using nlohmann::json;

struct CascadesArgs {
  std::string input, at = "60m", models;
  std::vector<int64_t> thresholds = {500};
  bool json = false, no_text_model = false;
};

struct Loaded {
  std::vector<Post> posts;
  size_t bad = 0;
};

// Reads the posts; every unreadable line is reported on stderr with its number.
Result<Loaded> ReadPosts(Context& ctx, const std::string& path) {
  std::error_code ec;
  if (path != "-" && !std::filesystem::is_regular_file(path, ec))
    return Status::NotFound(std::string(ctx.T("找不到输入文件: ", "no such input file: ")) + path);
  Loaded l;
  ingest::ReadOptions o;
  o.format = ingest::Format::kJsonLines;
  Status st = ingest::ReadFile(path, o, [&](ingest::Item& it) {
    if (it.ok && it.post.published_at == 0) {
      it.ok = false;
      it.bad.line = it.line;
      it.bad.reason = ctx.T("缺少发布时间 published_at", "no published_at");
    }
    if (!it.ok) {
      ++l.bad;
      std::cerr << ctx.T("第 ", "line ") << (it.bad.line ? it.bad.line : it.line) << ctx.T(" 行: ", ": ")
                << it.bad.reason << "\n";
      return Status::Ok();
    }
    l.posts.push_back(std::move(it.post));
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return l;
}

std::vector<forecast::CascadePost> ToCascadePosts(const std::vector<Post>& posts) {
  std::vector<forecast::CascadePost> out;
  out.reserve(posts.size());
  for (const auto& p : posts) {
    // A post without followers reads 0 in yuqing's format; the forecast treats that as unknown.
    const int64_t followers = p.author.followers > 0 ? p.author.followers : -1;
    out.push_back({p.id, p.parent, p.published_at, followers, p.author.verified, p.text});
  }
  return out;
}

// The root texts' rumour probability from the analysis models; -1 each when they cannot load.
void AddTextRumor(Context& ctx, const CascadesArgs& a, const std::vector<Post>& posts, forecast::Grouping& g) {
  if (a.no_text_model) return;
  auto norm = text::Normalizer::Create();
  auto seg = norm.ok() ? text::Segmenter::Create() : Result<std::shared_ptr<const text::Segmenter>>(norm.status());
  analysis::AnalyzerOptions o;
  o.models_dir = a.models;
  auto an = seg.ok() ? analysis::Analyzer::Create(o, *norm, *seg) : Result<std::unique_ptr<analysis::Analyzer>>(seg.status());
  if (!an.ok()) {
    std::cerr << ctx.T("提示: 文本谣言模型不可用 (", "note: no text rumour model (") << an.status().message()
              << ctx.T("), 谣言概率只看转发\n", "); the rumour probability uses the reposts only\n");
    return;
  }
  std::unordered_map<std::string, const Post*> by_id;
  for (const auto& p : posts) by_id.emplace(p.id, &p);
  for (auto& c : g.cascades) {
    ProcessedPost p;
    p.post = *by_id.at(c.id);
    (*an)->Prepare(p);
    (*an)->Analyze(p);
    c.text_rumor_p = p.analysis.rumor;
  }
}

double Round(double v, double unit) { return std::round(v / unit) * unit; }

json ForecastJson(const forecast::Observation& o, const forecast::Forecast& f, const CascadesArgs& a, TimeMs at) {
  json pe = json::object();
  for (int64_t t : a.thresholds) pe[std::to_string(t)] = Round(f.PExceeds(static_cast<double>(t)), 0.001);
  return {{"id", o.id},           {"observed", f.observed},         {"forecast", std::llround(f.forecast)},
          {"low", std::llround(f.low)}, {"high", std::llround(f.high)}, {"p_exceeds", pe},
          {"rumor", Round(f.rumor, 0.001)}, {"text_rumor", o.text_rumor_p >= 0 ? json(Round(o.text_rumor_p, 0.001)) : json(nullptr)},
          {"seismic", std::llround(f.seismic)}, {"at_minutes", at / kMinute}, {"method", f.method}};
}

void PrintTable(Context& ctx, const std::vector<std::pair<const forecast::Observation*, forecast::Forecast>>& rows,
                const CascadesArgs& a) {
  const std::string t = std::to_string(a.thresholds.front());
  std::cout << ctx.T("根帖\t已转发\t预测最终转发\t80% 区间\tP(≥", "root\tobserved\tforecast\t80% interval\tP(≥") << t
            << ")\t" << ctx.T("谣言概率", "rumour") << "\n";
  for (const auto& [o, f] : rows) {
    std::ostringstream line;
    line << o->id << "\t" << f.observed << "\t" << std::llround(f.forecast) << "\t" << std::llround(f.low) << "–"
         << std::llround(f.high) << "\t" << std::fixed << std::setprecision(2)
         << f.PExceeds(static_cast<double>(a.thresholds.front())) << "\t" << f.rumor;
    std::cout << line.str() << "\n";
  }
}

void RunCascades(Context& ctx, const CascadesArgs& a) {
  auto at = ParseDuration(a.at);
  if (!at.ok() || *at <= 0)
    return ctx.Fail(Status::Invalid(std::string(ctx.T("--at 不是有效的时长: ", "--at is not a duration: ")) + a.at +
                                    ctx.T(" (例如 30m、1h、90s)", " (e.g. 30m, 1h, 90s)")));
  for (int64_t t : a.thresholds)
    if (t < 1) return ctx.Fail(Status::Invalid(ctx.T("--threshold 必须 ≥ 1", "--threshold must be ≥ 1")));
  auto model = forecast::LoadCascadeModel(analysis::ResolveModelsDir(a.models) + "/cascade.json");
  if (!model.ok() && model.status().code() != Code::kNotFound) return ctx.Fail(model.status());
  if (!model.ok())
    std::cerr << ctx.T("提示: 没有 cascade.json, 只用 SEISMIC 估计 (method=seismic)\n",
                       "note: no cascade.json; SEISMIC alone (method=seismic)\n");
  auto loaded = ReadPosts(ctx, a.input);
  if (!loaded.ok()) return ctx.Fail(loaded.status());
  forecast::Grouping g = forecast::GroupByRoot(ToCascadePosts(loaded->posts));
  AddTextRumor(ctx, a, loaded->posts, g);
  std::vector<std::pair<const forecast::Observation*, forecast::Forecast>> rows;
  for (const auto& c : g.cascades) {
    rows.emplace_back(&c, forecast::Predict(c, *at, model.ok() ? &*model : nullptr));
    if (a.json) PrintJson(ForecastJson(c, rows.back().second, a, *at));
  }
  if (!a.json) PrintTable(ctx, rows, a);
  if (g.orphans || g.cycles || g.duplicates)
    std::cerr << ctx.T("提示: ", "note: ") << g.orphans << ctx.T(" 条转发的原帖不在输入中, ", " reposts whose original is not in the input, ")
              << g.cycles << ctx.T(" 条成环, ", " in a loop, ") << g.duplicates << ctx.T(" 条重复 id (均未计入)\n", " repeated ids (none counted)\n");
  if (loaded->bad) ctx.exit_code = 2;
}

}  // namespace

void RegisterForecastCommands(CLI::App& app, Context& ctx) {
  auto a = std::make_shared<CascadesArgs>();
  auto* c = app.add_subcommand("cascades", ctx.T("转发级联预测: 最终转发量、区间、超过阈值的概率、谣言概率",
                                                 "cascade forecast: final reposts, interval, P(exceeds), rumour"));
  c->add_option("--input", a->input, ctx.T("帖子 JSON Lines 文件（根帖与带 parent 的转发）", "JSON lines of posts (roots and reposts with parent)"))->required();
  c->add_option("--at", a->at, ctx.T("只用每条根帖发布后这段时间内的转发（如 30m、1h）", "use the reposts within this long of each root (e.g. 30m, 1h)"));
  c->add_option("--threshold", a->thresholds, ctx.T("计算超过概率的转发数阈值（可重复）", "repost counts for p_exceeds (repeatable)"))->expected(1, -1);
  c->add_option("--models", a->models, ctx.T("模型目录（$YUQING_MODELS_DIR）", "models directory ($YUQING_MODELS_DIR)"));
  c->add_flag("--no-text-model", a->no_text_model, ctx.T("不对根帖运行文本谣言模型", "do not run the text rumour model on the roots"));
  c->add_flag("--json", a->json, ctx.T("每条根帖输出一行 JSON", "one JSON line per root"));
  c->callback([&ctx, a] { RunCascades(ctx, *a); });
}

}  // namespace yuqing::cli
