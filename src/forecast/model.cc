#include "forecast/model.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

namespace yuqing::forecast {

namespace {

using nlohmann::json;

constexpr int kVersion = 1;

double NormalCdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

// Inverse of the standard normal CDF (Acklam's rational approximation, |error| < 1.2e-9).
double NormalQuantile(double p) {
  static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                             1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
  static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                             6.680131188771972e+01, -1.328068155288572e+01};
  static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                             -2.549671010229528e+00, 4.374664141464968e+00, 2.938163982698783e+00};
  static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                             3.754408661907416e+00};
  p = std::clamp(p, 1e-12, 1 - 1e-12);
  if (p < 0.02425) {
    const double q = std::sqrt(-2 * std::log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
           ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - 0.02425) return -NormalQuantile(1 - p);
  const double q = p - 0.5, r = q * q;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
         (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

// The p-quantile of the final size given that it is at least the observed count.
double TruncatedQuantile(const Forecast& f, double p) {
  const double lo = NormalCdf((std::log1p(static_cast<double>(f.observed)) - f.mu) / f.sigma);
  const double q = std::expm1(f.mu + f.sigma * NormalQuantile(lo + p * (1 - lo)));
  return std::max(q, static_cast<double>(f.observed));
}

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
                  {"sigma", h.sigma}, {"rumor", LinearToJson(h.rumor)}});
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
    // Product of experts: the text model's odds times the reposts' likelihood ratio.
    const double z = h.rumor.Predict(RumorFeatures(obs, at));
    f.rumor = obs.text_rumor_p >= 0 ? Sigmoid(Logit(obs.text_rumor_p) + z - Logit(model->rumor_prior)) : Sigmoid(z);
  } else {
    f.method = "seismic";
    f.mu = std::log1p(f.seismic);
    f.sigma = kSeismicSigma;
    f.rumor = obs.text_rumor_p >= 0 ? obs.text_rumor_p : 0.5;
  }
  f.forecast = TruncatedQuantile(f, 0.5);
  f.low = std::min(TruncatedQuantile(f, 0.1), f.forecast);
  f.high = std::max(TruncatedQuantile(f, 0.9), f.forecast);
  return f;
}

}  // namespace yuqing::forecast
