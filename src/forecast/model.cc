#include "forecast/model.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

namespace yuqing::forecast {

namespace {

using nlohmann::json;

constexpr int kVersion = 1;

json LinearToJson(const LinearModel& m) {
  return {{"intercept", m.intercept}, {"weights", m.weights}, {"mean", m.mean}, {"scale", m.scale}};
}

Result<LinearModel> LinearFromJson(const json& j, size_t dims, const std::string& what) {
  LinearModel m;
  try {
    m.intercept = j.at("intercept").get<double>();
    m.weights = j.at("weights").get<std::vector<double>>();
    m.mean = j.at("mean").get<std::vector<double>>();
    m.scale = j.at("scale").get<std::vector<double>>();
  } catch (const json::exception& e) {
    return Status::Invalid(what + ": " + e.what());
  }
  if (m.weights.size() != dims || m.mean.size() != dims || m.scale.size() != dims)
    return Status::Invalid(what + ": " + std::to_string(m.weights.size()) + " weights, this build has " +
                           std::to_string(dims) + " features");
  for (double s : m.scale)
    if (!(s > 0)) return Status::Invalid(what + ": a scale is not positive");
  return m;
}

json TreesToJson(const BoostedTrees& b) {
  json trees = json::array();
  for (const auto& t : b.trees) {
    json nodes = json::array();
    for (const auto& n : t.nodes) nodes.push_back({n.feature, n.threshold, n.left, n.right, n.value});
    trees.push_back(std::move(nodes));
  }
  return {{"learning_rate", b.learning_rate}, {"trees", trees}};
}

// Each node is [feature, threshold, left, right, value]; children must come after their parent
// (so a file cannot make Predict loop) and features must exist.
Result<BoostedTrees> TreesFromJson(const json& j, size_t dims) {
  BoostedTrees b;
  if (j.is_null()) {
    b.learning_rate = 0;
    return b;
  }
  try {
    b.learning_rate = j.at("learning_rate").get<double>();
    for (const auto& jt : j.at("trees")) {
      Tree t;
      for (const auto& jn : jt) {
        TreeNode n{jn.at(0).get<int>(), jn.at(1).get<double>(), jn.at(2).get<int>(), jn.at(3).get<int>(), jn.at(4).get<double>()};
        const int id = static_cast<int>(t.nodes.size());
        if (n.feature >= static_cast<int>(dims) || (n.feature >= 0 && (n.left <= id || n.right <= id)))
          return Status::Invalid("boost: a node with a bad feature or child");
        t.nodes.push_back(n);
      }
      for (const auto& n : t.nodes)
        if (n.feature >= 0 && (n.left >= static_cast<int>(t.nodes.size()) || n.right >= static_cast<int>(t.nodes.size())))
          return Status::Invalid("boost: a child beyond the tree");
      b.trees.push_back(std::move(t));
    }
  } catch (const json::exception& e) {
    return Status::Invalid(std::string("boost: ") + e.what());
  }
  return b;
}

Status CheckNames(const json& j, const char* key, const std::vector<std::string>& want) {
  if (!j.contains(key) || j[key] != json(want))
    return Status::Invalid(std::string("cascade model: ") + key + " differ from this build's (retrain with `yuqing model train --only cascade`)");
  return Status::Ok();
}

Result<HorizonModel> HorizonFromJson(const json& h) {
  HorizonModel m;
  if (!h.is_object() || !h.contains("at_ms") || !h["at_ms"].is_number_integer())
    return Status::Invalid("cascade model: a horizon without at_ms");
  m.at = h["at_ms"].get<TimeMs>();
  YQ_ASSIGN_OR_RETURN(m.size, LinearFromJson(h.value("size", json::object()), SizeFeatureNames().size(), "size"));
  YQ_ASSIGN_OR_RETURN(m.rumor, LinearFromJson(h.value("rumor", json::object()), RumorFeatureNames().size(), "rumor"));
  YQ_ASSIGN_OR_RETURN(m.boost, TreesFromJson(h.value("boost", json()), SizeFeatureNames().size()));
  if (!h.contains("sigma") || !h["sigma"].is_array() || h["sigma"].size() != kSigmaBuckets)
    return Status::Invalid("cascade model: sigma must list " + std::to_string(kSigmaBuckets) + " buckets");
  for (const auto& s : h["sigma"]) {
    if (!s.is_number() || !(s.get<double>() > 0)) return Status::Invalid("cascade model: a sigma is not positive");
    m.sigma.push_back(s.get<double>());
  }
  if (h.contains("residual_quantiles") && !(h["residual_quantiles"].is_array() && h["residual_quantiles"].empty())) {
    const json& rq = h["residual_quantiles"];
    if (!rq.is_array() || rq.size() != kSigmaBuckets)
      return Status::Invalid("cascade model: residual_quantiles must list " + std::to_string(kSigmaBuckets) + " buckets");
    for (const auto& b : rq) {
      std::vector<double> q;
      if (b.is_array())
        for (const auto& v : b)
          if (v.is_number()) q.push_back(v.get<double>());
      if (q.size() < 3 || q.size() != b.size() || !std::is_sorted(q.begin(), q.end()))
        return Status::Invalid("cascade model: residual_quantiles must be ≥ 3 non-decreasing numbers a bucket");
      m.residual_quantiles.push_back(std::move(q));
    }
  }
  return m;
}

}  // namespace

int SigmaBucket(int64_t observed) {
  if (observed < 1) return 0;
  if (observed < 10) return 1;
  if (observed < 50) return 2;
  return 3;
}

Result<CascadeModel> ParseCascadeModel(std::string_view text) {
  auto j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Status::Invalid("cascade model: not a JSON object");
  if (j.value("version", 0) != kVersion)
    return Status::Invalid("cascade model: version " + std::to_string(j.value("version", 0)) + ", want " +
                           std::to_string(kVersion));
  YQ_RETURN_IF_ERROR(CheckNames(j, "size_features", SizeFeatureNames()));
  YQ_RETURN_IF_ERROR(CheckNames(j, "rumor_features", RumorFeatureNames()));
  CascadeModel m;
  const json s = j.value("seismic", json::object());
  m.seismic.theta = s.value("theta", m.seismic.theta);
  m.seismic.s0_seconds = s.value("s0_seconds", m.seismic.s0_seconds);
  m.seismic.default_followers = s.value("default_followers", m.seismic.default_followers);
  m.seismic.max_branching = s.value("max_branching", m.seismic.max_branching);
  m.rumor_prior = j.value("rumor_prior", 0.5);
  if (!(m.rumor_prior > 0 && m.rumor_prior < 1)) return Status::Invalid("cascade model: rumor_prior outside (0, 1)");
  if (!j.contains("horizons") || !j["horizons"].is_array() || j["horizons"].empty())
    return Status::Invalid("cascade model: no horizons");
  for (const auto& h : j["horizons"]) {
    YQ_ASSIGN_OR_RETURN(HorizonModel hm, HorizonFromJson(h));
    m.horizons.push_back(std::move(hm));
  }
  std::sort(m.horizons.begin(), m.horizons.end(), [](const auto& a, const auto& b) { return a.at < b.at; });
  m.card = j.value("card", json::object());
  return m;
}

Result<CascadeModel> LoadCascadeModel(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("no cascade model at " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  auto m = ParseCascadeModel(ss.str());
  if (!m.ok()) return Status::Invalid(path + ": " + m.status().message());
  return m;
}

json CascadeModelToJson(const CascadeModel& m) {
  json hs = json::array();
  for (const auto& h : m.horizons)
    hs.push_back({{"at_ms", h.at}, {"size", LinearToJson(h.size)}, {"boost", TreesToJson(h.boost)},
                  {"sigma", h.sigma}, {"residual_quantiles", h.residual_quantiles}, {"rumor", LinearToJson(h.rumor)}});
  return {{"version", kVersion},
          {"size_features", SizeFeatureNames()},
          {"rumor_features", RumorFeatureNames()},
          {"seismic", {{"theta", m.seismic.theta}, {"s0_seconds", m.seismic.s0_seconds},
                       {"default_followers", m.seismic.default_followers}, {"max_branching", m.seismic.max_branching}}},
          {"rumor_prior", m.rumor_prior},
          {"horizons", hs},
          {"card", m.card}};
}

const HorizonModel& PickHorizon(const CascadeModel& m, TimeMs at) {
  const HorizonModel* best = &m.horizons.front();
  double gap = 1e300;
  for (const auto& h : m.horizons) {
    const double g = std::abs(std::log(std::max<TimeMs>(h.at, 1)) - std::log(std::max<TimeMs>(at, 1)));
    if (g < gap) gap = g, best = &h;
  }
  return *best;
}

Forecast Predict(const Observation& obs, TimeMs at, const CascadeModel* model) {
  Forecast f;
  f.observed = static_cast<int64_t>(ObservedWithin(obs, at));
  const SeismicParams seismic = model ? model->seismic : SeismicParams{};
  f.seismic = std::max(SeismicFinal(obs, at, seismic), static_cast<double>(f.observed));
  if (model && !model->horizons.empty()) {
    const HorizonModel& h = PickHorizon(*model, at);
    f.method = "model";
    const auto x = SizeFeatures(obs, at, seismic);
    f.mu = h.size.Predict(x) + h.boost.Predict(x);
    f.sigma = h.sigma[SigmaBucket(f.observed)];
    if (!h.residual_quantiles.empty()) f.residual_quantiles = h.residual_quantiles[SigmaBucket(f.observed)];
    // Product of experts: the text model's odds times the reposts' likelihood ratio.
    const double z = h.rumor.Predict(RumorFeatures(obs, at));
    f.rumor = obs.text_rumor_p >= 0 ? Sigmoid(Logit(obs.text_rumor_p) + z - Logit(model->rumor_prior)) : Sigmoid(z);
  } else {
    f.method = "seismic";
    f.mu = std::log1p(f.seismic);
    f.sigma = kSeismicSigma;
    f.rumor = obs.text_rumor_p >= 0 ? obs.text_rumor_p : 0.5;
  }
  f.forecast = f.Quantile(0.5);
  f.low = std::min(f.Quantile(0.1), f.forecast);
  f.high = std::max(f.Quantile(0.9), f.forecast);
  return f;
}

}  // namespace yuqing::forecast
