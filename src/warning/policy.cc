#include "warning/policy.h"

#include <set>

#include <yaml-cpp/yaml.h>

namespace yuqing::warning {
namespace {

constexpr std::string_view kDefault = R"yaml(# yuqing default warning policy (预警策略默认值)
window: 10m
burst: {min_volume: 5, ratio: 3.0, z: 3.0, warmup: 1h, floor: 0.2, slot_half_life: 7d, global_half_life: 1d, slot_min_windows: 12}
growth: {factor: 1.8, windows: 2, min_volume: 4}
heat:
  window: 1h
  weights: {volume: 0.35, interactions: 0.20, reach: 0.15, negative: 0.15, authority: 0.15}
  refs: {volume: 1000, interactions: 100000, reach: 10000000, authority: 3}
sensitive_types: [group_event, accident, rumor, attack]
spreading: {types: [group_event, accident], min: 5, growth: 1.5}
authority: {followers: 1000000, sources: [people, xinhua, cctv, chinadaily, gov, official, 人民日报, 新华社, 央视新闻, 人民网, 新华网]}
levels:
  IV:  [sensitive_negative, authority, growth]
  III: [burst, {forecast_exceeds: 500, p: 0.35}]
  II:  [{heat: 60}]
  I:   [{heat: 80}, sensitive_spreading]
ack_deadline: {IV: 8h, III: 2h, II: 30m, I: 15m}
reminder: {first: 15m, factor: 2, max: 4h}
quiet_period: 2h
event_min_volume: 5
evidence: 5
)yaml";

// Reading helpers: yaml-cpp throws on bad conversions, so every read is guarded here and turned
// into a Status naming the key.
struct Reader {
  Status error;
  std::set<std::string> numeric_signals = {"heat", "volume", "negative_share", "burst_ratio", "growth_ratio"};

  void Fail(const std::string& key, const std::string& why) {
    if (error.ok()) error = Status::Invalid("policy: " + key + ": " + why);
  }
  template <typename T>
  void Num(const YAML::Node& n, const char* key, T& out, const std::string& path) {
    if (!n || !n[key]) return;
    try {
      out = n[key].as<T>();
    } catch (const std::exception&) {
      Fail(path + key, "not a number");
    }
  }
  void Dur(const YAML::Node& n, const char* key, TimeMs& out, const std::string& path) {
    if (!n || !n[key]) return;
    try {
      auto d = ParseDuration(n[key].as<std::string>());
      if (!d.ok() || *d <= 0) return Fail(path + key, "not a duration (e.g. 10m, 2h)");
      out = *d;
    } catch (const std::exception&) {
      Fail(path + key, "not a duration");
    }
  }
  void List(const YAML::Node& n, const char* key, std::vector<std::string>& out, const std::string& path) {
    if (!n || !n[key]) return;
    if (!n[key].IsSequence()) return Fail(path + key, "not a list");
    out.clear();
    try {
      for (const auto& v : n[key]) out.push_back(v.as<std::string>());
    } catch (const std::exception&) {
      Fail(path + key, "list of strings expected");
    }
  }
  void Known(const YAML::Node& n, std::initializer_list<const char*> keys, const std::string& path) {
    if (!n || !n.IsMap()) return;
    for (const auto& kv : n) {
      std::string k;
      try {
        k = kv.first.as<std::string>();
      } catch (const std::exception&) {
        Fail(path, "bad key");
        continue;
      }
      bool ok = false;
      for (const char* known : keys) ok = ok || k == known;
      if (!ok) Fail(path + k, "unknown key");
    }
  }
  void Levels(const YAML::Node& n, Policy& p) {
    if (!n) return;
    if (!n.IsMap()) return Fail("levels", "map of level -> conditions expected");
    static const std::set<std::string> kSignals = {"burst", "growth", "heat", "volume", "negative_share",
                                                   "sensitive_negative", "authority", "sensitive_spreading",
                                                   "burst_ratio", "growth_ratio", "forecast_exceeds"};
    for (const auto& kv : n) {
      std::string name = kv.first.as<std::string>();
      int sev = name == "IV" ? 1 : name == "III" ? 2 : name == "II" ? 3 : name == "I" ? 4 : 0;
      if (!sev) {
        Fail("levels." + name, "level must be IV, III, II or I");
        continue;
      }
      std::vector<Condition> conds;
      const YAML::Node& list = kv.second;
      if (!list.IsSequence()) {
        Fail("levels." + name, "list of conditions expected");
        continue;
      }
      for (const auto& c : list) {
        Condition cond;
        try {
          if (c.IsScalar()) {
            cond.signal = c.as<std::string>();
          } else if (c.IsMap() && c["forecast_exceeds"]) {
            cond.signal = "forecast_exceeds";
            cond.min = c["forecast_exceeds"].as<double>();
            if (c["p"]) cond.p = c["p"].as<double>();
            if (c.size() != (c["p"] ? 2u : 1u) || cond.min < 1 || cond.p <= 0 || cond.p >= 1) {
              Fail("levels." + name + ".forecast_exceeds", "{forecast_exceeds: POSTS >= 1, p: 0-1} expected");
              continue;
            }
          } else if (c.IsMap() && c.size() == 1) {
            cond.signal = c.begin()->first.as<std::string>();
            cond.min = c.begin()->second.as<double>();
          } else {
            Fail("levels." + name, "a condition is a signal name or {signal: minimum}");
            continue;
          }
        } catch (const std::exception&) {
          Fail("levels." + name, "bad condition");
          continue;
        }
        if (!kSignals.count(cond.signal)) Fail("levels." + name + "." + cond.signal, "unknown signal");
        conds.push_back(cond);
      }
      p.levels[sev] = std::move(conds);
    }
  }

  void Apply(const YAML::Node& root, Policy& p) {
    if (!root || root.IsNull()) return;
    if (!root.IsMap()) return Fail("(top)", "a map of settings expected");
    Known(root, {"window", "burst", "growth", "heat", "sensitive_types", "spreading", "authority", "levels",
                 "ack_deadline", "reminder", "quiet_period", "event_min_volume", "evidence"},
          "");
    Dur(root, "window", p.window, "");
    const auto b = root["burst"];
    Known(b, {"min_volume", "ratio", "z", "warmup", "floor", "slot_half_life", "global_half_life",
              "slot_min_windows"},
          "burst.");
    Num(b, "min_volume", p.burst_min_volume, "burst.");
    Num(b, "ratio", p.burst_ratio, "burst.");
    Num(b, "z", p.burst_z, "burst.");
    Dur(b, "warmup", p.warmup, "burst.");
    Num(b, "floor", p.baseline_floor, "burst.");
    Dur(b, "slot_half_life", p.slot_half_life, "burst.");
    Dur(b, "global_half_life", p.global_half_life, "burst.");
    Num(b, "slot_min_windows", p.slot_min_windows, "burst.");
    const auto g = root["growth"];
    Known(g, {"factor", "windows", "min_volume"}, "growth.");
    Num(g, "factor", p.growth_factor, "growth.");
    Num(g, "windows", p.growth_windows, "growth.");
    Num(g, "min_volume", p.growth_min_volume, "growth.");
    const auto h = root["heat"];
    Known(h, {"window", "weights", "refs"}, "heat.");
    Dur(h, "window", p.heat_window, "heat.");
    if (h) {
      const auto w = h["weights"];
      Known(w, {"volume", "interactions", "reach", "negative", "authority"}, "heat.weights.");
      Num(w, "volume", p.w_volume, "heat.weights.");
      Num(w, "interactions", p.w_interactions, "heat.weights.");
      Num(w, "reach", p.w_reach, "heat.weights.");
      Num(w, "negative", p.w_negative, "heat.weights.");
      Num(w, "authority", p.w_authority, "heat.weights.");
      const auto r = h["refs"];
      Known(r, {"volume", "interactions", "reach", "authority"}, "heat.refs.");
      Num(r, "volume", p.volume_ref, "heat.refs.");
      Num(r, "interactions", p.interactions_ref, "heat.refs.");
      Num(r, "reach", p.reach_ref, "heat.refs.");
      Num(r, "authority", p.authority_ref, "heat.refs.");
    }
    List(root, "sensitive_types", p.sensitive_types, "");
    const auto s = root["spreading"];
    Known(s, {"types", "min", "growth"}, "spreading.");
    List(s, "types", p.spreading_types, "spreading.");
    Num(s, "min", p.spreading_min, "spreading.");
    Num(s, "growth", p.spreading_growth, "spreading.");
    const auto a = root["authority"];
    Known(a, {"followers", "sources"}, "authority.");
    Num(a, "followers", p.authority_followers, "authority.");
    List(a, "sources", p.authority_sources, "authority.");
    Levels(root["levels"], p);
    const auto d = root["ack_deadline"];
    Known(d, {"IV", "III", "II", "I"}, "ack_deadline.");
    Dur(d, "IV", p.ack_deadline[1], "ack_deadline.");
    Dur(d, "III", p.ack_deadline[2], "ack_deadline.");
    Dur(d, "II", p.ack_deadline[3], "ack_deadline.");
    Dur(d, "I", p.ack_deadline[4], "ack_deadline.");
    const auto rm = root["reminder"];
    Known(rm, {"first", "factor", "max"}, "reminder.");
    Dur(rm, "first", p.reminder_first, "reminder.");
    Num(rm, "factor", p.reminder_factor, "reminder.");
    Dur(rm, "max", p.reminder_max, "reminder.");
    Dur(root, "quiet_period", p.quiet_period, "");
    Num(root, "event_min_volume", p.event_min_volume, "");
    Num(root, "evidence", p.evidence, "");
  }
};

Status Validate(Policy& p) {
  double sum = p.w_volume + p.w_interactions + p.w_reach + p.w_negative + p.w_authority;
  if (!(sum > 0)) return Status::Invalid("policy: heat.weights must not all be zero");
  p.w_volume /= sum, p.w_interactions /= sum, p.w_reach /= sum, p.w_negative /= sum, p.w_authority /= sum;
  if (p.growth_windows < 1 || p.growth_windows > 6) return Status::Invalid("policy: growth.windows must be 1..6");
  if (p.growth_factor <= 1) return Status::Invalid("policy: growth.factor must be > 1");
  if (p.window < kMinute || p.window > 6 * kHour) return Status::Invalid("policy: window must be 1m..6h");
  if (p.heat_window < p.window || p.heat_window > 24 * kHour)
    return Status::Invalid("policy: heat.window must be between window and 24h");
  if (p.reminder_factor < 1) return Status::Invalid("policy: reminder.factor must be >= 1");
  if (p.evidence < 0 || p.evidence > 50) return Status::Invalid("policy: evidence must be 0..50");
  if (p.volume_ref <= 1 || p.interactions_ref <= 1 || p.reach_ref <= 1 || p.authority_ref <= 0)
    return Status::Invalid("policy: heat.refs must be > 1");
  return Status::Ok();
}

Status ApplyText(std::string_view text, Policy& p) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const std::exception& e) {
    return Status::Invalid(std::string("policy: not YAML/JSON: ") + e.what());
  }
  Reader r;
  try {
    r.Apply(root, p);
  } catch (const std::exception& e) {
    return Status::Invalid(std::string("policy: ") + e.what());
  }
  return r.error;
}

}  // namespace

std::string_view DefaultPolicyYaml() { return kDefault; }

Result<Policy> ParsePolicy(std::string_view text) {
  Policy p;
  YQ_RETURN_IF_ERROR(ApplyText(kDefault, p));
  bool blank = text.find_first_not_of(" \t\r\n") == std::string_view::npos;
  if (!blank) YQ_RETURN_IF_ERROR(ApplyText(text, p));
  YQ_RETURN_IF_ERROR(Validate(p));
  return p;
}

bool UsesForecast(const Policy& p) {
  for (const auto& level : p.levels)
    for (const auto& c : level)
      if (c.signal == "forecast_exceeds") return true;
  return false;
}

}  // namespace yuqing::warning
