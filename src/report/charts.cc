#include "report/charts.h"

#include <algorithm>
#include <functional>
#include <map>
#include <string>

#include "core/source_names.h"

namespace yuqing::report {
namespace {

using nlohmann::json;

// A string field, "" when absent or not a string (null from the store: not yet acknowledged, ...).
std::string Str(const json& j, const char* key) {
  if (!j.is_object()) return "";
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The dashboard's colours (web/js/charts.js).
constexpr const char* kNegative = "#d9534f";
constexpr const char* kNeutral = "#9aa5b1";
constexpr const char* kPositive = "#3c9d5d";
constexpr const char* kBlue = "#1f4e8c";

// "2026-06-02T08:00:00+08:00" -> "08:00" (hours) or "06-02" (days).
std::string AxisLabel(const std::string& t, bool hours) {
  if (t.size() < 16) return t;
  return hours ? t.substr(11, 5) : t.substr(5, 5);
}

json TrendOption(const json& data, bool zh) {
  const bool hours = data.value("trend_bucket", "hour") == "hour";
  json x = json::array();
  json series = json::array();
  const char* keys[] = {"negative", "neutral", "positive"};
  const char* names_zh[] = {"负面", "中性", "正面"};
  const char* names_en[] = {"negative", "neutral", "positive"};
  const char* colors[] = {kNegative, kNeutral, kPositive};
  for (const auto& r : data["trend"]) x.push_back(AxisLabel(Str(r, "t"), hours));
  for (int i = 0; i < 3; ++i) {
    json values = json::array();
    for (const auto& r : data["trend"]) values.push_back(r.value(keys[i], 0));
    series.push_back({{"name", zh ? names_zh[i] : names_en[i]}, {"type", "line"}, {"stack", "total"}, {"smooth", 0.2},
                      {"symbol", "none"}, {"areaStyle", {{"opacity", 0.55}}}, {"lineStyle", {{"width", 1}}},
                      {"color", colors[i]}, {"data", values}});
  }
  return {{"animation", false}, {"legend", {{"top", 0}}}, {"grid", {{"left", 40}, {"right", 16}, {"top", 32}, {"bottom", 24}, {"containLabel", true}}},
          {"xAxis", {{"type", "category"}, {"boundaryGap", false}, {"data", x}}},
          {"yAxis", {{"type", "value"}, {"minInterval", 1}}}, {"series", series}};
}

json SentimentOption(const json& data, bool zh) {
  const json& s = data["by_sentiment"];
  json values = json::array({{{"name", zh ? "负面" : "negative"}, {"value", s.value("negative", 0)}, {"itemStyle", {{"color", kNegative}}}},
                             {{"name", zh ? "中性" : "neutral"}, {"value", s.value("neutral", 0)}, {"itemStyle", {{"color", kNeutral}}}},
                             {{"name", zh ? "正面" : "positive"}, {"value", s.value("positive", 0)}, {"itemStyle", {{"color", kPositive}}}}});
  return {{"animation", false}, {"legend", {{"bottom", 0}}},
          {"series", json::array({{{"type", "pie"}, {"radius", json::array({"40%", "68%"})}, {"label", {{"formatter", "{b}\n{d}%"}}}, {"data", values}}})}};
}

// A horizontal bar chart of [{"name", "count"}], largest on top.
// Bars of a ranked list; `label` turns a stored name into what the reader sees.
json RankedBars(const json& ranked, size_t n, const char* color, const std::function<std::string(const std::string&)>& label) {
  json names = json::array(), values = json::array();
  size_t count = std::min(ranked.size(), n);
  for (size_t i = count; i-- > 0;) {
    names.push_back(label(ranked[i].value("name", "")));
    values.push_back(ranked[i].value("count", 0));
  }
  return {{"animation", false}, {"grid", {{"left", 8}, {"right", 24}, {"top", 8}, {"bottom", 8}, {"containLabel", true}}},
          {"xAxis", {{"type", "value"}, {"minInterval", 1}}}, {"yAxis", {{"type", "category"}, {"data", names}}},
          {"series", json::array({{{"type", "bar"}, {"color", color}, {"label", {{"show", true}, {"position", "right"}}}, {"data", values}}})}};
}

// "广西壮族自治区" → "广西": the map's regions carry the short names.
std::string MapRegionName(std::string name) {
  for (const char* suffix : {"壮族自治区", "回族自治区", "维吾尔自治区", "特别行政区", "自治区", "省", "市"}) {
    const std::string s = suffix;
    if (name.size() > s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0) return name.substr(0, name.size() - s.size());
  }
  return name;
}

// The provinces on the map of China, shaded by count (the dashboard's wall map, printed).
json ProvinceMap(const json& ranked, bool zh) {
  std::map<std::string, int64_t> by_region;
  int64_t max = 1;
  for (const auto& r : ranked) {
    int64_t& n = by_region[MapRegionName(r.value("name", ""))];
    n += r.value("count", int64_t{0});
    max = std::max(max, n);
  }
  json data = json::array();
  for (const auto& [name, n] : by_region) data.push_back({{"name", name}, {"value", n}});
  return {{"animation", false},
          {"visualMap", {{"min", 0}, {"max", max}, {"left", 8}, {"bottom", 8}, {"itemHeight", 90}, {"calculable", false},
                         {"text", {zh ? "多" : "more", zh ? "少" : "fewer"}},
                         {"inRange", {{"color", {"#e7eef8", "#8fb4e0", "#f0a040", "#d9534f"}}}}}},
          {"series", json::array({{{"type", "map"}, {"map", "china"}, {"roam", false}, {"layoutCenter", {"50%", "54%"}},
                                   {"layoutSize", "100%"}, {"label", {{"show", false}}},
                                   {"itemStyle", {{"areaColor", "#f4f6f9"}, {"borderColor", "#b8c4d2"}}},
                                   {"data", data}}})}};
}

json VolumeOption(const json& curve, bool zh) {
  json x = json::array(), vol = json::array(), neg = json::array();
  if (curve.is_object() && curve.contains("points"))
    for (const auto& p : curve["points"]) {
      std::string at = Str(p, "at");
      x.push_back(at.size() >= 16 ? at.substr(5, 11) : at);
      vol.push_back(p.value("volume", 0));
      neg.push_back(p.value("negative", 0));
    }
  return {{"animation", false}, {"legend", {{"top", 0}}}, {"grid", {{"left", 40}, {"right", 16}, {"top", 32}, {"bottom", 24}, {"containLabel", true}}},
          {"xAxis", {{"type", "category"}, {"data", x}}}, {"yAxis", {{"type", "value"}, {"minInterval", 1}}},
          {"series", json::array({{{"name", zh ? "信息量" : "posts"}, {"type", "line"}, {"symbol", "none"}, {"color", kBlue}, {"data", vol}},
                                  {{"name", zh ? "负面" : "negative"}, {"type", "line"}, {"symbol", "none"}, {"color", kNegative}, {"data", neg}}})}};
}

}  // namespace

json ChartOptions(const json& data, bool zh) {
  json out = {{"trend", TrendOption(data, zh)},
              {"sentiment", SentimentOption(data, zh)},
              {"sources", RankedBars(data["sources_ranked"], 10, kBlue, [zh](const std::string& s) { return SourceDisplayName(s, zh); })},
              {"provinces", RankedBars(data["provinces_ranked"], 15, "#e07b39", [](const std::string& s) { return s; })},
              {"province_map", ProvinceMap(data["provinces_ranked"], zh)}};
  if (data.contains("review")) out["volume"] = VolumeOption(data["review"]["volume"], zh);
  return out;
}

}  // namespace yuqing::report
