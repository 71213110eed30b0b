#include "report/render.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <mstch/mstch.hpp>

#include "core/source_names.h"
#include "report/charts.h"
#include "report/embedded_templates.h"

namespace yuqing::report {
namespace {

using nlohmann::json;

// A string field, "" when absent or not a string (null from the store: not yet acknowledged, ...).
std::string Str(const json& j, const char* key) {
  if (!j.is_object()) return "";
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

struct Words {
  bool zh;
  const char* operator()(const char* zh_text, const char* en_text) const { return zh ? zh_text : en_text; }
};

std::string Fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

// "2026-06-02T08:00:00+08:00" -> "2026-06-02 08:00".
std::string Short(const json& t) {
  if (!t.is_string()) return "—";
  std::string s = t.get<std::string>();
  if (s.size() >= 16) return s.substr(0, 10) + " " + s.substr(11, 5);
  return s;
}

std::string Pct(int64_t part, int64_t total) { return total > 0 ? Fixed(100.0 * part / total, 1) + "%" : "0%"; }

std::string MinutesText(const json& m, const Words& w) {
  if (!m.is_number()) return "—";
  double v = m.get<double>();
  if (v < 120) return Fixed(v, 0) + w(" 分钟", " min");
  return Fixed(v / 60, 1) + w(" 小时", " h");
}

const char* SentimentName(std::string_view s, const Words& w) {
  if (s == "negative") return w("负面", "negative");
  if (s == "positive") return w("正面", "positive");
  return w("中性", "neutral");
}

const char* LevelText(std::string_view level, const Words& w) {
  if (level == "I") return w("I 级（红色，特别重大）", "I (red)");
  if (level == "II") return w("II 级（橙色，重大）", "II (orange)");
  if (level == "III") return w("III 级（黄色，较大）", "III (yellow)");
  if (level == "IV") return w("IV 级（蓝色，一般）", "IV (blue)");
  return "—";
}

const char* StatusText(std::string_view s, const Words& w) {
  if (s == "open") return w("未确认", "open");
  if (s == "acked") return w("已确认，处置中", "acknowledged");
  if (s == "resolved") return w("已解除", "resolved");
  return "";
}

const char* KindTitle(std::string_view kind, const Words& w) {
  if (kind == "weekly") return w("舆情周报", "Weekly opinion brief");
  if (kind == "event") return w("舆情专报", "Special report");
  if (kind == "incident") return w("事件处置复盘报告", "Incident review");
  return w("舆情日报", "Daily opinion brief");
}

std::string ChangeText(const json& data, const Words& w) {
  const json& c = data["change"];
  int64_t d = c.value("posts", int64_t{0});
  std::string s;
  if (d == 0) s = w("与上一周期持平", "the same as the previous period");
  else s = std::string(d > 0 ? w("较上一周期增加 ", "up ") : w("较上一周期减少 ", "down ")) + std::to_string(std::llabs(d)) + w(" 条", "");
  if (c["posts_ratio"].is_number() && d != 0)
    s += std::string(w("（", " (")) + (d > 0 ? "+" : "") + Fixed((c["posts_ratio"].get<double>() - 1) * 100, 1) + "%" + w("）", ")");
  return s;
}

std::string ProposalText(const json& p, const Words& w) {
  std::string code = Str(p, "code"), subject = p["subject"].is_string() ? p["subject"].get<std::string>() : p["subject"].dump();
  if (code == "missed_deadline")
    return std::string(w("任务「", "Task \"")) + subject + w("」未在时限内完成：核查预案中该任务的时限与责任角色是否合理，必要时提前指派或调整时限。",
                                                    "\" missed its deadline: review its time limit and owner in the plan; assign it earlier or change the limit.");
  if (code == "commitment_slipped")
    return std::string(w("承诺「", "Commitment \"")) + subject + w("」逾期：承诺前确认可兑现的时间，并在预案中加入承诺跟踪提醒。",
                                                       "\" slipped: confirm a deliverable date before promising, and add a reminder to the plan.");
  if (code == "statement_check")
    return std::string(w("口径 ", "Statement ")) + subject + w(" 发布时仍有审查问题：发布前须通过四项原则审查。",
                                                    " was published with open check findings: require a clean check before publishing.");
  if (code == "slow_acknowledge")
    return std::string(w("确认预警用时 ", "Acknowledging the alert took ")) + subject + w(" 分钟：调整值班与升级通知。", " minutes: revise the on-call and escalation contacts.");
  return code;
}

json DecorateEvent(json e, const Words& w) {
  e["heat_text"] = e["heat"].is_number() ? Fixed(e["heat"].get<double>(), 1) : "—";
  const json& f = e["forecast"];
  e["forecast_text"] = f.is_object() && f.contains("forecast") ? f["forecast"].dump() : "—";
  e["rumor_text"] = f.is_object() && f["rumor"].is_number() ? Fixed(100 * f["rumor"].get<double>(), 0) + "%" : "—";
  e["first_poster_name"] = Str(e["first_poster"], "author_name");
  e["first_seen_text"] = Short(e["first_seen"]);
  e["last_seen_text"] = Short(e["last_seen"]);
  int64_t total = e.value("posts", int64_t{0});
  e["negative_pct"] = Pct(e["sentiment"].value("negative", int64_t{0}), total);
  (void)w;
  return e;
}

json DecorateIncident(json e, const Words& w) {
  const json& inc = e["incident"];
  e["title"] = Str(inc, "title");
  e["id"] = inc.value("id", int64_t{0});
  e["level_text"] = LevelText(Str(inc, "level"), w);
  e["state"] = Str(inc, "state");
  e["detected_text"] = Short(inc.contains("detected_at") ? inc["detected_at"] : json());
  json m = json::object();
  for (const char* k : {"to_detect", "to_acknowledge", "to_first_statement", "to_authoritative_statement", "to_close"})
    m[k] = MinutesText(e["minutes"][k], w);
  e["minutes_text"] = m;
  return e;
}

json ReviewView(json r, const Words& w) {
  for (auto& t : r["evaluation"]["tasks"]["list"]) {
    t["due_text"] = Short(t["due_at"]);
    t["done_text"] = Short(t["done_at"]);
    t["met_text"] = t["met"].is_boolean() ? (t["met"].get<bool>() ? w("按时", "met") : w("超时", "missed")) : w("进行中", "open");
    t["missed"] = t["met"].is_boolean() && !t["met"].get<bool>();
  }
  for (auto& e : r["timeline"]) {
    e["at_text"] = Short(e["at"]);
    std::string detail;
    for (const char* k : {"title", "text", "detail", "note", "message", "state", "key"})
      if (e.contains(k) && e[k].is_string() && !e[k].get<std::string>().empty()) {
        detail = e[k].get<std::string>();
        break;
      }
    e["detail_text"] = detail.size() > 300 ? detail.substr(0, 300) : detail;
  }
  for (auto& c : r["commitments"]) {
    c["due_text"] = Short(c["due_at"]);
    c["status_text"] = c["kept"].get<bool>() ? (c["overdue"].get<bool>() ? w("已兑现（逾期）", "kept late") : w("已兑现", "kept"))
                                             : (c["overdue"].get<bool>() ? w("逾期未兑现", "slipped") : w("待兑现", "pending"));
  }
  for (auto& s : r["statements"]) {
    s["published_text"] = Short(s["published_at"]);
    s["check_text"] = s["check_ok"].get<bool>() ? w("通过", "passed") : w("有问题", "findings");
    s["has_findings"] = !s["findings"].empty();
  }
  json proposals = json::array();
  for (const auto& p : r["proposals"]) proposals.push_back({{"text", ProposalText(p, w)}});
  r["proposals"] = proposals;
  r["has_proposals"] = !proposals.empty();
  return r;
}

// The JSON tree as a mstch tree. Numbers become text (mstch prints doubles with six decimals),
// except small integers, which stay numbers so that {{#n}} is false for 0.
mstch::node ToNode(const json& j) {
  switch (j.type()) {
    case json::value_t::object: {
      mstch::map m;
      for (auto it = j.begin(); it != j.end(); ++it) m.emplace(it.key(), ToNode(it.value()));
      return m;
    }
    case json::value_t::array: {
      mstch::array a;
      a.reserve(j.size());
      for (const auto& v : j) a.push_back(ToNode(v));
      return a;
    }
    case json::value_t::string: return j.get<std::string>();
    case json::value_t::boolean: return j.get<bool>();
    case json::value_t::number_integer:
    case json::value_t::number_unsigned: {
      int64_t v = j.get<int64_t>();
      if (v >= INT32_MIN && v <= INT32_MAX) return static_cast<int>(v);
      return std::to_string(v);
    }
    case json::value_t::number_float: {
      double v = j.get<double>();
      return v == std::floor(v) && std::fabs(v) < 1e15 ? Fixed(v, 0) : Fixed(v, 2);
    }
    default: return nullptr;
  }
}

// JSON safe inside <script>: no "</script>" or "<!--" can end or open anything.
std::string ScriptSafe(const json& j) {
  std::string s = j.dump(-1, ' ', false, json::error_handler_t::replace);
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == '<') out += "\\u003c";
    else if (c == '>') out += "\\u003e";
    else if (c == '&') out += "\\u0026";
    else out += c;
  }
  return out;
}

std::string BinaryDir() {
  char buf[4096];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
  if (n <= 0) return "";
  buf[n] = 0;
  return std::filesystem::path(buf).parent_path().string();
}

// mstch renders a section left open as if it ran to the end, silently; a user's template with one
// is a mistake to point at. Checks that every {{#x}} / {{^x}} is closed by its {{/x}} in order.
Status CheckSections(std::string_view t) {
  std::vector<std::pair<std::string, size_t>> open;  // name, line
  size_t line = 1, pos = 0;  // line: of the tag at pos
  while ((pos = t.find("{{", pos)) != std::string_view::npos) {
    line = 1 + std::count(t.begin(), t.begin() + pos, '\n');
    size_t end = t.find("}}", pos + 2);
    if (end == std::string_view::npos) return Status::Invalid("template: the tag on line " + std::to_string(line) + " is never closed with }}");
    std::string_view tag = t.substr(pos + 2, end - pos - 2);
    if (!tag.empty() && (tag[0] == '#' || tag[0] == '^' || tag[0] == '/')) {
      std::string name(tag.substr(1));
      while (!name.empty() && name.front() == ' ') name.erase(0, 1);
      while (!name.empty() && name.back() == ' ') name.pop_back();
      if (tag[0] == '/') {
        if (open.empty() || open.back().first != name)
          return Status::Invalid("template: {{/" + name + "}} on line " + std::to_string(line) +
                                 (open.empty() ? " closes nothing" : " closes {{#" + open.back().first + "}} of line " + std::to_string(open.back().second)));
        open.pop_back();
      } else {
        open.emplace_back(name, line);
      }
    }
    pos = end + 2;
  }
  if (!open.empty())
    return Status::Invalid("template: section {{#" + open.back().first + "}} of line " + std::to_string(open.back().second) + " is never closed");
  return Status::Ok();
}

}  // namespace

std::string_view BuiltinTemplate(std::string_view lang) { return EmbeddedTemplate(lang == "en" ? "report.en.mustache" : "report.zh.mustache"); }

json ViewModel(const json& data, std::string_view lang) {
  const Words w{lang != "en"};
  json v = data;
  const std::string kind = data.value("kind", "daily");
  v["title"] = KindTitle(kind, w);
  v["is_" + kind] = true;
  v["lang"] = w.zh ? "zh-CN" : "en";
  v["from_text"] = Short(data["period"]["from"]);
  v["to_text"] = Short(data["period"]["to"]);
  v["generated_text"] = Short(data["generated_at"]);
  const int64_t total = data.value("posts", int64_t{0});
  v["change_text"] = ChangeText(data, w);
  const json& s = data["by_sentiment"];
  json sentiments = json::array();
  for (const char* k : {"negative", "neutral", "positive"}) {
    int64_t n = s.value(k, int64_t{0});
    sentiments.push_back({{"key", k}, {"name", SentimentName(k, w)}, {"count", n}, {"pct", Pct(n, total)}});
  }
  v["sentiments"] = sentiments;
  v["negative_pct"] = Pct(s.value("negative", int64_t{0}), total);
  double dneg = data["change"].value("negative_share_change", 0.0) * 100;
  v["negative_change_text"] = (dneg >= 0 ? "+" : "") + Fixed(dneg, 1) + w(" 个百分点", " points");
  for (auto& r : v["sources_ranked"]) {
    r["pct"] = Pct(r["count"].get<int64_t>(), total);
    r["label"] = SourceDisplayName(r["name"].get<std::string>(), w.zh);
  }
  for (auto& r : v["provinces_ranked"]) r["pct"] = Pct(r["count"].get<int64_t>(), total);
  // Word cloud: font sizes from 0.9 to 2.2 em by count.
  int64_t kmax = 1, kmin = 0;
  if (!data["keywords"].empty()) {
    kmax = data["keywords"].front()["count"].get<int64_t>();
    kmin = data["keywords"].back()["count"].get<int64_t>();
  }
  static const char* kPalette[] = {"#1f4e8c", "#e07b39", "#3c9d5d", "#8e5ea2", "#d9534f", "#2a9fd6", "#c9a227", "#17a2b8"};
  size_t i = 0;
  for (auto& k : v["keywords"]) {
    double r = kmax == kmin ? 0.5 : double(k["count"].get<int64_t>() - kmin) / double(kmax - kmin);
    k["size"] = Fixed(0.9 + 1.3 * r, 2);
    k["color"] = kPalette[i++ % 8];
  }
  v["top_events"] = json::array();
  for (const auto& e : data["top_events"]) v["top_events"].push_back(DecorateEvent(e, w));
  if (data.contains("event")) v["event"] = DecorateEvent(data["event"], w);
  for (auto& p : v["notable_posts"]) {
    p["published_text"] = Short(p["published_at"]);
    p["reason_text"] = p["reason"] == "rumor" ? w("疑似谣言", "possible rumour") : p["reason"] == "both" ? w("负面、疑似谣言", "negative, possible rumour") : w("负面", "negative");
    // Only web links are made clickable (a post's url is untrusted input).
    std::string url = Str(p, "url");
    p["link"] = url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0 ? json(url) : json(nullptr);
  }
  for (auto& a : v["alerts"]) {
    a["level_text"] = LevelText(Str(a, "level"), w);
    a["status_text"] = StatusText(Str(a, "status"), w);
    a["created_text"] = Short(a.contains("created_at") ? a["created_at"] : json());
    a["handled_by"] = Str(a, "acked_by");
    a["ack_text"] = MinutesText(a["minutes_to_ack"], w);
  }
  v["incident_count"] = data["incidents"].size();
  v["incidents"] = json::array();
  for (const auto& e : data["incidents"]) v["incidents"].push_back(DecorateIncident(e, w));
  if (data.contains("review")) {
    v["review"] = ReviewView(data["review"], w);
    v["review"]["incident_view"] = DecorateIncident(data["review"]["evaluation"], w);
  }
  for (const char* list : {"top_events", "notable_posts", "alerts", "incidents", "keywords", "sources_ranked", "provinces_ranked"})
    v["has_" + std::string(list)] = !v[list].empty();
  v["charts_json"] = ScriptSafe(ChartOptions(data, w.zh));
  return v;
}

Result<std::string> RenderHtml(const json& data, const RenderOptions& o) {
  json view;
  try {
    view = ViewModel(data, o.lang);
  } catch (const json::exception& e) {  // data not shaped as BuildReport writes it
    return Status::Invalid(std::string("report data: ") + e.what());
  }
  view["has_echarts"] = !o.echarts_js.empty();
  // The library is inserted raw ({{{echarts_js}}}); it must not close its script element.
  view["echarts_js"] = o.echarts_js;
  // The map needs ECharts to draw; without it the province table and bars carry the figures.
  view["has_china_map"] = !o.echarts_js.empty() && !o.china_map_json.empty();
  view["china_map_json"] = o.china_map_json;
  std::string tmpl = o.template_text.empty() ? std::string(BuiltinTemplate(o.lang)) : o.template_text;
  YQ_RETURN_IF_ERROR(CheckSections(tmpl));
  try {
    return mstch::render(tmpl, ToNode(view));
  } catch (const std::exception& e) {
    return Status::Invalid(std::string("template: ") + e.what());
  }
}

std::string FindEcharts() {
  std::vector<std::string> candidates;
  if (const char* env = std::getenv("YUQING_ECHARTS"); env && *env) candidates.push_back(env);
  if (std::string bin = BinaryDir(); !bin.empty()) {
    candidates.push_back(bin + "/share/web/echarts.min.js");
    candidates.push_back(bin + "/../web/node_modules/echarts/dist/echarts.min.js");
  }
  candidates.push_back(std::string(YUQING_SOURCE_DIR) + "/web/node_modules/echarts/dist/echarts.min.js");
  for (const auto& c : candidates) {
    auto text = ReadTextFile(c, 16 << 20);
    if (text.ok() && text->find("</script") == std::string::npos) return *text;
  }
  return "";
}

std::string FindChinaMap() {
  std::vector<std::string> candidates;
  if (const char* env = std::getenv("YUQING_CHINA_MAP"); env && *env) candidates.push_back(env);
  const std::string file = "/node_modules/echarts-china-map/map/json/china.json";
  if (std::string bin = BinaryDir(); !bin.empty()) {
    candidates.push_back(bin + "/share/web/china.json");
    candidates.push_back(bin + "/../web" + file);
  }
  candidates.push_back(std::string(YUQING_SOURCE_DIR) + "/web" + file);
  for (const auto& c : candidates) {
    auto text = ReadTextFile(c, 4 << 20);
    // Inlined in a <script type="application/json">: it must be JSON and must not end the element.
    if (text.ok() && text->find("</") == std::string::npos && json::accept(*text)) return *text;
  }
  return "";
}

void FindChartAssets(RenderOptions& render) {
  render.echarts_js = FindEcharts();
  render.china_map_json = render.echarts_js.empty() ? "" : FindChinaMap();
}

Result<std::string> ReadTextFile(const std::string& path, size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Invalid("cannot read " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  if (s.size() > max_bytes) return Status::TooLarge(path + " is larger than " + std::to_string(max_bytes) + " bytes");
  return s;
}

}  // namespace yuqing::report
