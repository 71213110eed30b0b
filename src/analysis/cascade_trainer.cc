#include "analysis/cascade_trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <unordered_map>

#include <nlohmann/json.hpp>
#include <zlib.h>

#include "analysis/corpus.h"

namespace yuqing::analysis {

namespace {

using nlohmann::json;
using forecast::Matrix;

constexpr TimeMs kBeijing = 8 * kHour;

Result<std::string> Gunzip(const std::string& path) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) return Status::NotFound("cannot read " + path);
  std::string out;
  char buf[1 << 16];
  int n;
  while ((n = gzread(f, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  gzclose(f);
  if (n < 0) return Status::Io("corrupt gzip: " + path);
  return out;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
int64_t DaysFromCivil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097LL + static_cast<int64_t>(doe) - 719468;
}

TimeMs Civil(int y, int mo, int d, int h, int mi, int s) {
  return ((DaysFromCivil(y, mo, d) * 24 + h) * 60 + mi) * kMinute + s * kSecond;
}

// Weibo's "Wed Aug 08 13:25:02 +0800 2012".
Result<TimeMs> ParseWeiboTime(const std::string& s) {
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char wd[4] = {}, mon[4] = {};
  int d, h, mi, sec, off, y;
  if (std::sscanf(s.c_str(), "%3s %3s %d %d:%d:%d %d %d", wd, mon, &d, &h, &mi, &sec, &off, &y) != 8)
    return Status::Invalid("bad time: " + s);
  for (int m = 0; m < 12; ++m) {
    if (std::strcmp(mon, kMonths[m]) != 0) continue;
    const TimeMs offset = ((std::abs(off) / 100) * 60 + std::abs(off) % 100) * kMinute * (off < 0 ? -1 : 1);
    return Civil(y, m + 1, d, h, mi, sec) - offset;
  }
  return Status::Invalid("bad month: " + s);
}

Result<TimeMs> OriginalTime(const json& v) {
  if (v.is_number()) return static_cast<TimeMs>(v.get<double>() * 1000);
  if (!v.is_string()) return Status::Invalid("no time");
  const std::string s = v.get<std::string>();
  if (!s.empty() && std::all_of(s.begin(), s.end(), ::isdigit)) return std::stoll(s) * kSecond;
  return ParseWeiboTime(s);
}

int BeijingYear(TimeMs t) {
  // Good enough to complete a date without its year: the civil year of the Beijing-time day.
  int64_t days = (t + kBeijing) / kDay;
  int y = 1970 + static_cast<int>(days / 365);
  while (DaysFromCivil(y, 1, 1) > days) --y;
  while (DaysFromCivil(y + 1, 1, 1) <= days) ++y;
  return y;
}

std::string StrField(const json& a, size_t i) {
  if (i >= a.size()) return "";
  if (a[i].is_string()) return a[i].get<std::string>();
  if (a[i].is_number_integer()) return std::to_string(a[i].get<int64_t>());
  return "";
}

// The reposts of one original as a tree: depth from parent_mid links, distinct mids only.
void AddReposts(const json& reposts, CedCascade& c) {
  std::unordered_map<std::string, std::string> parent;
  std::unordered_map<std::string, TimeMs> when;
  std::vector<std::string> order;
  const int year = BeijingYear(c.obs.root_time_ms);
  for (const auto& r : reposts) {
    if (!r.is_array()) continue;
    const std::string mid = StrField(r, 2);
    if (mid.empty() || parent.count(mid)) continue;
    parent[mid] = StrField(r, 3);
    order.push_back(mid);
    if (auto t = ParseCedRepostTime(StrField(r, 0), year); t.ok()) when[mid] = *t;
  }
  c.final_size = static_cast<int64_t>(order.size());
  std::unordered_map<std::string, std::string> text;
  for (const auto& r : reposts)
    if (r.is_array()) text.emplace(StrField(r, 2), StrField(r, 4));
  for (const auto& mid : order) {
    auto t = when.find(mid);
    if (t == when.end()) continue;
    int depth = 1;
    for (std::string p = parent[mid]; !p.empty() && parent.count(p) && depth < 1000; p = parent[p]) ++depth;
    c.obs.reposts.push_back({t->second, -1, false, depth, text[mid]});
  }
}

}  // namespace

Result<TimeMs> ParseCedRepostTime(const std::string& s, int year) {
  int y, mo, d, h, mi, sec = 0;
  if (std::sscanf(s.c_str(), "%d-%d-%d %d:%d:%d", &y, &mo, &d, &h, &mi, &sec) >= 5)
    return Civil(y, mo, d, h, mi, sec) - kBeijing;
  if (std::sscanf(s.c_str(), "%d月%d日 %d:%d", &mo, &d, &h, &mi) == 4) return Civil(year, mo, d, h, mi, 0) - kBeijing;
  return Status::Invalid("unreadable repost date: " + s);
}

Result<std::vector<CedCascade>> LoadCedCascades(const std::string& path) {
  YQ_ASSIGN_OR_RETURN(std::string content, Gunzip(path));
  std::vector<CedCascade> out;
  size_t pos = 0;
  while (pos < content.size()) {
    size_t nl = content.find('\n', pos);
    if (nl == std::string::npos) nl = content.size();
    auto j = json::parse(std::string_view(content).substr(pos, nl - pos), nullptr, false);
    pos = nl + 1;
    if (!j.is_object() || !j.contains("id") || !j["id"].is_string()) continue;
    auto t = OriginalTime(j.value("time", json()));
    if (!t.ok()) continue;
    CedCascade c;
    c.id = j["id"].get<std::string>();
    c.rumor = j.value("label", "") == "rumor";
    c.text = j.contains("text") && j["text"].is_string() ? j["text"].get<std::string>() : "";
    c.obs.id = c.id;
    c.obs.root_time_ms = *t;
    if (j.contains("user") && j["user"].is_object()) {
      const json& u = j["user"];
      c.obs.root_verified = u.contains("verified") && u["verified"].is_boolean() && u["verified"].get<bool>();
      if (u.contains("followers") && u["followers"].is_number()) c.obs.root_followers = u["followers"].get<int64_t>();
    }
    if (j.contains("reposts") && j["reposts"].is_array()) AddReposts(j["reposts"], c);
    out.push_back(std::move(c));
  }
  if (out.empty()) return Status::Invalid("no cascades in " + path);
  return out;
}

namespace {

double Median(std::vector<double> v) {
  if (v.empty()) return -1;
  std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
  return v[v.size() / 2];
}

struct HorizonData {
  Matrix size_x, rumor_x;
  std::vector<double> size_y, rumor_y;
  std::vector<int64_t> observed;
};

HorizonData Features(const std::vector<const CedCascade*>& rows, TimeMs at, const forecast::SeismicParams& sp) {
  HorizonData d;
  for (const CedCascade* c : rows) {
    d.size_x.push_back(forecast::SizeFeatures(c->obs, at, sp));
    d.size_y.push_back(std::log1p(static_cast<double>(c->final_size)));
    d.rumor_x.push_back(forecast::RumorFeatures(c->obs, at));
    d.rumor_y.push_back(c->rumor ? 1.0 : 0.0);
    d.observed.push_back(static_cast<int64_t>(forecast::ObservedWithin(c->obs, at)));
  }
  return d;
}

Matrix Pick(const Matrix& m, const std::vector<size_t>& idx) {
  Matrix out;
  for (size_t i : idx) out.push_back(m[i]);
  return out;
}

std::vector<double> Pick(const std::vector<double>& v, const std::vector<size_t>& idx) {
  std::vector<double> out;
  for (size_t i : idx) out.push_back(v[i]);
  return out;
}

// Quantiles at levels k/40 of the out-of-fold residuals in each observed-count bucket; a bucket
// with fewer than 80 cascades borrows the pooled residuals.
std::vector<std::vector<double>> ResidualQuantiles(const HorizonData& d, const std::vector<double>& pred) {
  constexpr int kLevels = 39;
  std::vector<std::vector<double>> by_bucket(forecast::kSigmaBuckets);
  std::vector<double> all;
  for (size_t i = 0; i < pred.size(); ++i) {
    by_bucket[forecast::SigmaBucket(d.observed[i])].push_back(d.size_y[i] - pred[i]);
    all.push_back(d.size_y[i] - pred[i]);
  }
  auto quantiles = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    std::vector<double> q;
    for (int k = 1; k <= kLevels; ++k) q.push_back(v[std::min(v.size() - 1, v.size() * k / (kLevels + 1))]);
    return q;
  };
  std::vector<std::vector<double>> out;
  for (auto& b : by_bucket) out.push_back(quantiles(b.size() >= 80 ? b : all));
  return out;
}

// The size model: a ridge line, then boosted trees on its residuals.
Status FitSize(const Matrix& x, const std::vector<double>& y, const CascadeTrainOptions& o, forecast::HorizonModel& h) {
  YQ_ASSIGN_OR_RETURN(h.size, forecast::FitRidge(x, y, o.size_lambda));
  std::vector<double> residual(y.size());
  for (size_t i = 0; i < y.size(); ++i) residual[i] = y[i] - h.size.Predict(x[i]);
  YQ_ASSIGN_OR_RETURN(h.boost, forecast::FitBoosted(x, residual, o.boost));
  return Status::Ok();
}

// Fits one horizon: out-of-fold predictions on folds 1–4 give honest residuals (the spread per
// observed-count bucket) and the report's figures; then the fit on all training folds.
Result<forecast::HorizonModel> FitHorizon(const std::vector<const CedCascade*>& rows, TimeMs at,
                                          const CascadeTrainOptions& o, const forecast::SeismicParams& sp,
                                          CascadeHorizonReport& rep) {
  const HorizonData d = Features(rows, at, sp);
  std::vector<double> pred(rows.size(), 0), rumor_z(rows.size(), 0);
  for (int fold = 1; fold <= 4; ++fold) {
    std::vector<size_t> fit, test;
    for (size_t i = 0; i < rows.size(); ++i) (FoldOf(rows[i]->id) == fold ? test : fit).push_back(i);
    if (test.empty() || fit.empty()) continue;
    forecast::HorizonModel part;
    YQ_RETURN_IF_ERROR(FitSize(Pick(d.size_x, fit), Pick(d.size_y, fit), o, part));
    YQ_ASSIGN_OR_RETURN(auto rumor, forecast::FitLogistic(Pick(d.rumor_x, fit), Pick(d.rumor_y, fit), o.rumor_lambda));
    for (size_t i : test) {
      pred[i] = part.size.Predict(d.size_x[i]) + part.boost.Predict(d.size_x[i]);
      rumor_z[i] = rumor.Predict(d.rumor_x[i]);
    }
  }
  forecast::HorizonModel h;
  h.at = at;
  std::vector<double> sq(forecast::kSigmaBuckets, 0), n(forecast::kSigmaBuckets, 0), ape;
  for (size_t i = 0; i < rows.size(); ++i) {
    const int b = forecast::SigmaBucket(d.observed[i]);
    sq[b] += (d.size_y[i] - pred[i]) * (d.size_y[i] - pred[i]);
    n[b] += 1;
  }
  for (int b = 0; b < forecast::kSigmaBuckets; ++b) h.sigma.push_back(n[b] > 5 ? std::sqrt(sq[b] / n[b]) : 1.0);
  h.residual_quantiles = ResidualQuantiles(d, pred);
  // The report scores what the command prints: the predictive median and p_exceeds(500).
  size_t within = 0, right = 0, tp = 0, fp = 0, fn = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    right += (rumor_z[i] >= 0) == (d.rumor_y[i] > 0.5);
    forecast::Forecast fc;
    fc.observed = d.observed[i];
    fc.mu = pred[i];
    fc.residual_quantiles = h.residual_quantiles[forecast::SigmaBucket(d.observed[i])];
    const double final_size = static_cast<double>(rows[i]->final_size);
    const bool said = fc.PExceeds(500) >= 0.5, reached = final_size >= 500;
    tp += said && reached, fp += said && !reached, fn += !said && reached;
    if (final_size < 20) continue;
    const double f = fc.Quantile(0.5);
    ape.push_back(std::abs(f - final_size) / final_size);
    within += f <= 2 * final_size && f >= final_size / 2;
  }
  rep.recall_500 = tp + fn ? static_cast<double>(tp) / (tp + fn) : -1;
  rep.precision_500 = tp + fp ? static_cast<double>(tp) / (tp + fp) : -1;
  rep.at = at;
  rep.mdape_20 = Median(ape);
  rep.within_2x_20 = ape.empty() ? -1 : static_cast<double>(within) / ape.size();
  rep.rumor_accuracy = static_cast<double>(right) / rows.size();
  YQ_RETURN_IF_ERROR(FitSize(d.size_x, d.size_y, o, h));
  YQ_ASSIGN_OR_RETURN(h.rumor, forecast::FitLogistic(d.rumor_x, d.rumor_y, o.rumor_lambda));
  return h;
}

double TextRumor(const Analyzer& an, const CedCascade& c) {
  ProcessedPost p;
  p.post.text = c.text;
  p.post.author.followers = c.obs.root_followers;
  p.post.author.verified = c.obs.root_verified;
  an.Prepare(p);
  an.Analyze(p);
  return p.analysis.rumor;
}

}  // namespace

Result<CascadeTrainReport> TrainCascadeModel(const CascadeTrainOptions& o, const Analyzer* analyzer) {
  const auto start = std::chrono::steady_clock::now();
  const std::string path = o.data_dir + "/rumor/ced_weibo_rumor_train.jsonl.gz";
  YQ_ASSIGN_OR_RETURN(std::vector<CedCascade> all, LoadCedCascades(path));
  CascadeTrainReport rep;
  std::vector<const CedCascade*> rows;
  for (auto& c : all) {
    if (FoldOf(c.id) == 0) {
      ++rep.held_out_cascades;
      continue;
    }
    if (analyzer) c.obs.text_rumor_p = TextRumor(*analyzer, c);
    rows.push_back(&c);
  }
  rep.train_cascades = rows.size();
  if (rows.size() < 50) return Status::Invalid("too few training cascades in " + path);
  forecast::CascadeModel m;
  double rumours = 0;
  for (const auto* c : rows) rumours += c->rumor;
  m.rumor_prior = rumours / rows.size();
  for (TimeMs at : o.horizons) {
    CascadeHorizonReport hr;
    YQ_ASSIGN_OR_RETURN(forecast::HorizonModel h, FitHorizon(rows, at, o, m.seismic, hr));
    m.horizons.push_back(std::move(h));
    rep.horizons.push_back(hr);
  }
  json cv = json::array();
  for (const auto& h : rep.horizons)
    cv.push_back({{"at_minutes", h.at / kMinute}, {"mdape_final_ge_20", h.mdape_20},
                  {"within_2x_final_ge_20", h.within_2x_20}, {"rumor_accuracy_reposts_only", h.rumor_accuracy},
                  {"p_exceeds_500_recall", h.recall_500}, {"p_exceeds_500_precision", h.precision_500}});
  m.card = {{"data", "CED (thunlp/Chinese_Rumor_Dataset) repost trees, folds 1-4 (FoldOf(id) != 0)"},
            {"command", "yuqing model train --only cascade"},
            {"train_cascades", rep.train_cascades},
            {"text_rumor_model", analyzer != nullptr},
            {"cross_validated_on_training_folds", cv}};
  std::error_code ec;
  std::filesystem::create_directories(o.out_dir, ec);
  rep.path = o.out_dir + "/cascade.json";
  std::ofstream out(rep.path, std::ios::binary | std::ios::trunc);
  out << forecast::CascadeModelToJson(m).dump(1) << "\n";
  if (!out) return Status::Io("cannot write " + rep.path);
  rep.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return rep;
}

}  // namespace yuqing::analysis
