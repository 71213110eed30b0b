#include "drill/scenario.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "rules/scheme_io.h"

namespace yuqing::drill {
namespace {

using nlohmann::json;

// Builds messages in the reader's language, each prefixed with the line it is about.
struct Errors {
  bool zh = true;
  Status At(int line, const std::string& where, const std::string& zh_msg, const std::string& en_msg) const {
    std::string head = line > 0 ? (zh ? "第 " + std::to_string(line) + " 行: " : "line " + std::to_string(line) + ": ")
                                : std::string();
    return Status::Invalid(head + where + ": " + (zh ? zh_msg : en_msg));
  }
};

int LineOf(const YAML::Node& n) { return n.Mark().line >= 0 ? n.Mark().line + 1 : 0; }

std::string Scalar(const YAML::Node& n) { return n && n.IsScalar() ? n.as<std::string>() : std::string(); }

// A YAML value as JSON: quoted scalars stay text; plain ones become numbers, booleans or null
// when they read as such (metrics: {reposts: 3}).
json ToJson(const YAML::Node& n) {
  if (!n || n.IsNull()) return nullptr;
  if (n.IsSequence()) {
    json a = json::array();
    for (const auto& e : n) a.push_back(ToJson(e));
    return a;
  }
  if (n.IsMap()) {
    json o = json::object();
    for (const auto& kv : n) o[kv.first.as<std::string>()] = ToJson(kv.second);
    return o;
  }
  std::string s = n.as<std::string>();
  if (n.Tag() == "!") return s;
  if (s == "true") return true;
  if (s == "false") return false;
  if (!s.empty() && (std::isdigit(static_cast<unsigned char>(s[0])) || s[0] == '-')) {
    size_t used = 0;
    try {
      long long v = std::stoll(s, &used);
      if (used == s.size()) return v;
      double d = std::stod(s, &used);
      if (used == s.size()) return d;
    } catch (...) {
    }
  }
  return s;
}

Status CheckKeys(const Errors& e, const YAML::Node& n, const std::string& where,
                 std::initializer_list<const char*> known) {
  for (const auto& kv : n) {
    std::string key = kv.first.as<std::string>();
    if (std::none_of(known.begin(), known.end(), [&](const char* k) { return key == k; }))
      return e.At(LineOf(kv.first), where.empty() ? key : where + "." + key, "未知字段", "unknown field");
  }
  return Status::Ok();
}

Result<TimeMs> Offset(const Errors& e, const YAML::Node& n, const std::string& where) {
  if (!n) return e.At(0, where, "缺少时间（如 +30m）", "missing time (e.g. +30m)");
  auto t = ParseOffset(Scalar(n));
  if (!t.ok())
    return e.At(LineOf(n), where, "时间应为 +30m、+1h30m 这样的相对时间，而不是 '" + Scalar(n) + "'",
                "expected a time after the start such as +30m or +1h30m, not '" + Scalar(n) + "'");
  return *t;
}

Status Texts(const Errors& e, const YAML::Node& n, const std::string& where, std::vector<std::string>& out) {
  if (!n) return Status::Ok();
  if (n.IsScalar()) {
    out.push_back(n.as<std::string>());
    return Status::Ok();
  }
  if (!n.IsSequence()) return e.At(LineOf(n), where, "应为列表", "expected a list");
  for (size_t i = 0; i < n.size(); ++i) {
    if (!n[i].IsScalar())
      return e.At(LineOf(n[i]), where + "[" + std::to_string(i) + "]", "应为文字", "expected text");
    out.push_back(n[i].as<std::string>());
  }
  return Status::Ok();
}

std::string Resolve(const std::string& dir, const std::string& path) {
  if (path.empty() || path[0] == '/' || dir.empty()) return path;
  return dir + "/" + path;
}

Result<json> PostObject(const Errors& e, const YAML::Node& n, const std::string& where) {
  if (!n.IsMap()) return e.At(LineOf(n), where, "应为帖子对象（source、text …）", "expected a post object (source, text ...)");
  json p = ToJson(n);
  p.erase("at");
  for (const char* k : {"id", "text", "title", "parent", "source", "region"})  // `text: 110` is text
    if (p.contains(k) && p[k].is_number()) p[k] = Scalar(n[k]);
  if (p.contains("published_at"))
    return e.At(LineOf(n["published_at"]), where + ".published_at", "演练帖子用 at（相对时间），不写 published_at",
                "a drill post has at (a time after the start), not published_at");
  if (!p.contains("text") || !p["text"].is_string() || p["text"].get<std::string>().empty())
    return e.At(LineOf(n), where + ".text", "缺少正文", "missing");
  return p;
}

Status ReadPosts(const Errors& e, const YAML::Node& n, Scenario& s) {
  if (!n) return Status::Ok();
  if (!n.IsSequence()) return e.At(LineOf(n), "posts", "应为列表", "expected a list");
  for (size_t i = 0; i < n.size(); ++i) {
    const std::string w = "posts[" + std::to_string(i) + "]";
    ScenarioPost p;
    p.line = LineOf(n[i]);
    YQ_ASSIGN_OR_RETURN(p.post, PostObject(e, n[i], w));
    YQ_ASSIGN_OR_RETURN(p.at, Offset(e, n[i]["at"], w + ".at"));
    s.posts.push_back(std::move(p));
  }
  return Status::Ok();
}

Status ReadBursts(const Errors& e, const YAML::Node& n, Scenario& s) {
  if (!n) return Status::Ok();
  if (!n.IsSequence()) return e.At(LineOf(n), "bursts", "应为列表", "expected a list");
  for (size_t i = 0; i < n.size(); ++i) {
    const std::string w = "bursts[" + std::to_string(i) + "]";
    const YAML::Node b = n[i];
    if (!b.IsMap()) return e.At(LineOf(b), w, "应为对象", "expected a mapping");
    YQ_RETURN_IF_ERROR(CheckKeys(e, b, w, {"from", "to", "count", "shape", "texts", "sources", "region"}));
    Burst out;
    out.line = LineOf(b);
    YQ_ASSIGN_OR_RETURN(out.from, Offset(e, b["from"], w + ".from"));
    YQ_ASSIGN_OR_RETURN(out.to, Offset(e, b["to"], w + ".to"));
    if (out.to <= out.from) return e.At(out.line, w + ".to", "应晚于 from", "must be after from");
    json count = ToJson(b["count"]);
    if (!count.is_number_integer() || count.get<int64_t>() < 1 || count.get<int64_t>() > 100000)
      return e.At(out.line, w + ".count", "应为 1 到 100000 的整数", "expected a whole number from 1 to 100000");
    out.count = count.get<int>();
    out.shape = b["shape"] ? Scalar(b["shape"]) : "even";
    if (out.shape != "even" && out.shape != "grow")
      return e.At(LineOf(b["shape"]), w + ".shape", "应为 even（均匀）或 grow（越来越密）", "expected even or grow");
    YQ_RETURN_IF_ERROR(Texts(e, b["texts"], w + ".texts", out.texts));
    if (out.texts.empty()) return e.At(out.line, w + ".texts", "至少需要一条文字", "needs at least one text");
    YQ_RETURN_IF_ERROR(Texts(e, b["sources"], w + ".sources", out.sources));
    out.region = Scalar(b["region"]);
    s.bursts.push_back(std::move(out));
  }
  return Status::Ok();
}

Status ReadPostsFiles(const Errors& e, const YAML::Node& n, const std::string& dir, Scenario& s) {
  if (!n) return Status::Ok();
  auto one = [&](const YAML::Node& f, const std::string& w) -> Status {
    PostsFile pf;
    pf.line = LineOf(f);
    if (f.IsScalar()) {
      pf.path = Resolve(dir, f.as<std::string>());
    } else if (f.IsMap()) {
      YQ_RETURN_IF_ERROR(CheckKeys(e, f, w, {"path", "at", "hint"}));
      pf.path = Resolve(dir, Scalar(f["path"]));
      if (f["at"]) {
        YQ_ASSIGN_OR_RETURN(pf.at, Offset(e, f["at"], w + ".at"));
      }
      pf.hint = Scalar(f["hint"]);
    }
    if (pf.path.empty()) return e.At(pf.line, w + ".path", "缺少文件路径", "missing file path");
    s.posts_files.push_back(std::move(pf));
    return Status::Ok();
  };
  if (!n.IsSequence()) return one(n, "posts_file");
  for (size_t i = 0; i < n.size(); ++i) YQ_RETURN_IF_ERROR(one(n[i], "posts_file[" + std::to_string(i) + "]"));
  return Status::Ok();
}

bool KnownExpect(const std::string& x) {
  static const std::set<std::string> k = {"media", "public", "internal", "statement", "clarification", "incident"};
  return k.count(x) > 0;
}

Status ReadInjects(const Errors& e, const YAML::Node& n, Scenario& s) {
  if (!n) return Status::Ok();
  if (!n.IsSequence()) return e.At(LineOf(n), "injects", "应为列表", "expected a list");
  std::set<std::string> keys;
  for (size_t i = 0; i < n.size(); ++i) {
    const std::string w = "injects[" + std::to_string(i) + "]";
    const YAML::Node in = n[i];
    if (!in.IsMap()) return e.At(LineOf(in), w, "应为对象", "expected a mapping");
    YQ_RETURN_IF_ERROR(CheckKeys(e, in, w, {"key", "at", "title", "post", "expect", "within"}));
    Inject j;
    j.line = LineOf(in);
    j.key = Scalar(in["key"]);
    if (j.key.empty()) return e.At(j.line, w + ".key", "缺少编号", "missing");
    if (!keys.insert(j.key).second) return e.At(j.line, w + ".key", "编号重复: " + j.key, "repeated key: " + j.key);
    YQ_ASSIGN_OR_RETURN(j.at, Offset(e, in["at"], w + ".at"));
    j.title = Scalar(in["title"]);
    if (j.title.empty()) return e.At(j.line, w + ".title", "缺少说明", "missing");
    if (in["post"]) {
      YQ_ASSIGN_OR_RETURN(j.post, PostObject(e, in["post"], w + ".post"));
    }
    j.expect = Scalar(in["expect"]);
    if (!KnownExpect(j.expect))
      return e.At(LineOf(in), w + ".expect",
                  "应为 media（媒体沟通）| public（答复公众）| internal（内部通报）| statement（发布口径）| clarification（辟谣）| incident（开启危机事件）",
                  "expected media | public | internal | statement | clarification | incident");
    if (in["within"]) {
      auto d = ParseOffset(Scalar(in["within"]));
      if (!d.ok() || *d <= 0) return e.At(LineOf(in["within"]), w + ".within", "应为时长，如 1h", "expected a duration such as 1h");
      j.within = *d;
    }
    s.injects.push_back(std::move(j));
  }
  return Status::Ok();
}

Status ReadSchemes(const Errors& e, const YAML::Node& n, Scenario& s) {
  if (!n) return Status::Ok();
  YAML::Emitter out;
  out << n;
  auto schemes = rules::ParseSchemesDocument(out.c_str());
  if (!schemes.ok()) return e.At(LineOf(n), "schemes", schemes.status().message(), schemes.status().message());
  s.schemes = std::move(*schemes);
  return Status::Ok();
}

Status ReadPlans(const Errors& e, const YAML::Node& n, Scenario& s) {
  if (!n) return Status::Ok();
  YAML::Emitter out;
  out << n;
  auto plans = incident::ParsePlans(out.c_str());
  if (!plans.ok()) return e.At(LineOf(n), "plans", plans.status().message(), plans.status().message());
  s.plans = std::move(*plans);
  return Status::Ok();
}

Status ReadIncident(const Errors& e, const YAML::Node& n, Scenario& s) {
  if (!n) return Status::Ok();
  if (!n.IsMap()) return e.At(LineOf(n), "incident", "应为对象 {type, level, open_within}", "expected {type, level, open_within}");
  YQ_RETURN_IF_ERROR(CheckKeys(e, n, "incident", {"type", "level", "open_within"}));
  s.incident_type = Scalar(n["type"]);
  s.incident_level = Scalar(n["level"]);
  if (!s.incident_type.empty() && !incident::IsIncidentType(s.incident_type))
    return e.At(LineOf(n["type"]), "incident.type", "未知的危机事件类型 '" + s.incident_type + "'",
                "unknown incident type '" + s.incident_type + "'");
  if (!s.incident_level.empty() && !incident::IsLevel(s.incident_level))
    return e.At(LineOf(n["level"]), "incident.level", "级别应为 I、II、III 或 IV", "expected I, II, III or IV");
  if (n["open_within"]) {
    auto d = ParseOffset(Scalar(n["open_within"]));
    if (!d.ok() || *d <= 0)
      return e.At(LineOf(n["open_within"]), "incident.open_within", "应为时长，如 1h", "expected a duration such as 1h");
    s.open_within = *d;
  }
  return Status::Ok();
}

Status CheckName(const Errors& e, const YAML::Node& n, Scenario& s) {
  s.name = Scalar(n);
  if (s.name.empty()) return e.At(0, "name", "缺少场景编号（字母、数字、- 和 _）", "missing (letters, digits, - and _)");
  for (char c : s.name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'))
      return e.At(LineOf(n), "name", "只能包含字母、数字、- 和 _", "may hold only letters, digits, - and _");
  return Status::Ok();
}

Status CheckReferences(const Errors& e, const Scenario& s) {
  if (!s.plan.empty()) {
    bool found = std::any_of(s.plans.begin(), s.plans.end(), [&](const incident::Plan& p) { return p.id == s.plan; });
    if (!found) {
      auto defaults = incident::DefaultPlans();
      if (defaults.ok())
        found = std::any_of(defaults->begin(), defaults->end(), [&](const incident::Plan& p) { return p.id == s.plan; });
    }
    if (!found)
      return e.At(0, "plan", "预案 '" + s.plan + "' 既不在 plans 中，也不是自带预案（yuqing plans list）",
                  "plan '" + s.plan + "' is neither in plans nor a shipped plan (yuqing plans list)");
  }
  if (s.posts.empty() && s.bursts.empty() && s.posts_files.empty() &&
      std::none_of(s.injects.begin(), s.injects.end(), [](const Inject& j) { return j.post.has_value(); }))
    return e.At(0, "posts", "场景没有任何帖子（posts、bursts 或 posts_file）", "the scenario has no posts (posts, bursts or posts_file)");
  return Status::Ok();
}

Result<Scenario> FromNode(const Errors& e, const YAML::Node& root, const std::string& dir) {
  if (!root.IsMap()) return e.At(LineOf(root), "scenario", "应为对象（name、posts …）", "expected a mapping (name, posts ...)");
  YQ_RETURN_IF_ERROR(CheckKeys(e, root, "", {"version", "name", "title", "description", "departments", "schemes",
                                              "plans", "plan", "incident", "posts", "bursts", "posts_file", "injects"}));
  if (root["version"] && Scalar(root["version"]) != "1")
    return e.At(LineOf(root["version"]), "version", "只支持版本 1", "only version 1 is supported");
  Scenario s;
  YQ_RETURN_IF_ERROR(CheckName(e, root["name"], s));
  s.title = Scalar(root["title"]);
  if (s.title.empty()) s.title = s.name;
  s.description = Scalar(root["description"]);
  YQ_RETURN_IF_ERROR(Texts(e, root["departments"], "departments", s.departments));
  YQ_RETURN_IF_ERROR(ReadSchemes(e, root["schemes"], s));
  YQ_RETURN_IF_ERROR(ReadPlans(e, root["plans"], s));
  s.plan = Scalar(root["plan"]);
  YQ_RETURN_IF_ERROR(ReadIncident(e, root["incident"], s));
  YQ_RETURN_IF_ERROR(ReadPosts(e, root["posts"], s));
  YQ_RETURN_IF_ERROR(ReadBursts(e, root["bursts"], s));
  YQ_RETURN_IF_ERROR(ReadPostsFiles(e, root["posts_file"], dir, s));
  YQ_RETURN_IF_ERROR(ReadInjects(e, root["injects"], s));
  YQ_RETURN_IF_ERROR(CheckReferences(e, s));
  return s;
}

// Burst i's time in [from, to): even spacing, or (grow) the square root of the share, so that
// posts come ever faster towards the end.
TimeMs BurstTime(const Burst& b, int i) {
  double share = static_cast<double>(i) / b.count;
  if (b.shape == "grow") share = std::sqrt(share);
  return b.from + static_cast<TimeMs>(share * static_cast<double>(b.to - b.from));
}

}  // namespace

Result<TimeMs> ParseOffset(std::string_view text) {
  std::string_view s = text;
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.empty()) return Status::Invalid("empty time");
  if (s == "0") return TimeMs{0};
  TimeMs total = 0;
  while (!s.empty()) {
    size_t i = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    size_t j = i;
    while (j < s.size() && std::isalpha(static_cast<unsigned char>(s[j]))) ++j;
    if (i == 0 || j == i) return Status::Invalid("bad time '" + std::string(text) + "'");
    auto part = ParseDuration(s.substr(0, j));
    if (!part.ok()) return Status::Invalid("bad time '" + std::string(text) + "'");
    total += *part;
    s.remove_prefix(j);
  }
  return total;
}

std::string FormatOffset(TimeMs t) {
  std::string out = "+";
  if (t >= kHour) out += std::to_string(t / kHour) + "h";
  if (t % kHour >= kMinute || t < kHour) out += std::to_string((t % kHour) / kMinute) + "m";
  if (t % kMinute) out += std::to_string((t % kMinute) / kSecond) + "s";
  return out;
}

Result<Scenario> ParseScenario(std::string_view text, const std::string& dir, bool zh) {
  Errors e{zh};
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& ex) {
    return e.At(ex.mark.line + 1, zh ? "场景文件" : "scenario", "不是有效的 YAML/JSON: " + ex.msg,
                "not valid YAML/JSON: " + ex.msg);
  }
  try {
    return FromNode(e, root, dir);
  } catch (const YAML::Exception& ex) {  // a node of an unexpected kind deep in a field
    return e.At(ex.mark.line + 1, zh ? "场景文件" : "scenario", ex.msg, ex.msg);
  }
}

Result<Scenario> ReadScenario(const std::string& path, bool zh) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(zh ? "无法读取场景文件 " + path : "cannot read scenario file " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  auto slash = path.find_last_of('/');
  std::string dir = slash == std::string::npos ? "." : path.substr(0, slash);
  auto s = ParseScenario(ss.str(), dir, zh);
  if (!s.ok()) return Status::Invalid(path + ": " + s.status().message());
  return s;
}

std::vector<ScenarioPost> InlinePosts(const Scenario& s) {
  std::vector<ScenarioPost> out = s.posts;
  for (size_t b = 0; b < s.bursts.size(); ++b) {
    const Burst& burst = s.bursts[b];
    for (int i = 0; i < burst.count; ++i) {
      ScenarioPost p;
      p.at = BurstTime(burst, i);
      int author = static_cast<int>((i * 7919 + b * 31) % 97);
      p.post = {{"id", s.name + "-b" + std::to_string(b) + "-" + std::to_string(i)},
                {"source", burst.sources.empty() ? std::string("weibo") : burst.sources[i % burst.sources.size()]},
                {"text", burst.texts[i % burst.texts.size()]},
                {"author", {{"id", "drill-u" + std::to_string(author)}, {"name", "网友" + std::to_string(author)},
                            {"followers", 50 + (author * 131) % 5000}}}};
      if (!burst.region.empty()) p.post["region"] = burst.region;
      out.push_back(std::move(p));
    }
  }
  for (const auto& j : s.injects) {
    if (!j.post) continue;
    ScenarioPost p{j.at, *j.post, j.line};
    if (!p.post.contains("id")) p.post["id"] = s.name + "-inject-" + j.key;
    out.push_back(std::move(p));
  }
  std::stable_sort(out.begin(), out.end(), [](const ScenarioPost& a, const ScenarioPost& b) { return a.at < b.at; });
  return out;
}

namespace {

using ordered = nlohmann::ordered_json;

// Posts one a line (flow style), everything else in blocks.
template <class J>
void EmitJson(YAML::Emitter& out, const J& j, bool flow = false) {
  if (j.is_object()) {
    out << (flow ? YAML::Flow : YAML::Block) << YAML::BeginMap;
    for (auto it = j.begin(); it != j.end(); ++it) {
      out << YAML::Key << it.key() << YAML::Value;
      EmitJson(out, it.value(), flow || it.key() == "posts");
    }
    out << YAML::EndMap;
  } else if (j.is_array()) {
    out << (flow && !j.empty() && !j.front().is_object() ? YAML::Flow : YAML::Block) << YAML::BeginSeq;
    for (const auto& e : j) EmitJson(out, e, flow);
    out << YAML::EndSeq;
  } else if (j.is_string()) {
    out << YAML::DoubleQuoted << j.template get<std::string>();
  } else if (j.is_null()) {
    out << YAML::Null;
  } else {
    out << j.dump();
  }
}

// A post without the fields that say nothing (empty texts, zero counts, false flags).
ordered Compact(const json& j) {
  ordered out = ordered::object();
  for (auto it = j.begin(); it != j.end(); ++it) {
    const json& v = it.value();
    if (v.is_object()) {
      ordered inner = Compact(v);
      if (!inner.empty()) out[it.key()] = std::move(inner);
    } else if (!(v.is_null() || (v.is_string() && v.get<std::string>().empty()) ||
                 (v.is_number() && v == 0) || (v.is_boolean() && !v.get<bool>()))) {
      out[it.key()] = ordered::parse(v.dump());
    }
  }
  return out;
}

}  // namespace

std::string ScenarioToYaml(const Scenario& s) {
  ordered doc = {{"version", 1}, {"name", s.name}, {"title", s.title}};
  if (!s.description.empty()) doc["description"] = s.description;
  if (!s.departments.empty()) doc["departments"] = s.departments;
  if (!s.schemes.empty()) {
    ordered arr = ordered::array();
    for (const auto& sc : s.schemes) {
      json j = rules::SchemeToJson(sc);
      for (const char* k : {"id", "created_at", "updated_at"}) j.erase(k);
      arr.push_back(ordered::parse(j.dump()));
    }
    doc["schemes"] = arr;
  }
  if (!s.plans.empty()) doc["plans"] = ordered::parse(incident::PlansToJson(s.plans)["plans"].dump());
  if (!s.plan.empty()) doc["plan"] = s.plan;
  if (!s.incident_type.empty() || !s.incident_level.empty()) {
    doc["incident"] = ordered::object();
    if (!s.incident_type.empty()) doc["incident"]["type"] = s.incident_type;
    if (!s.incident_level.empty()) doc["incident"]["level"] = s.incident_level;
    doc["incident"]["open_within"] = FormatOffset(s.open_within).substr(1);
  }
  ordered posts = ordered::array();
  for (const auto& p : s.posts) {
    json body = p.post;
    if (body.contains("extra") && body["extra"].is_object()) body["extra"].erase("drill");  // the next run marks its own
    ordered j = {{"at", FormatOffset(p.at)}};
    const ordered fields = Compact(body);
    for (auto it = fields.begin(); it != fields.end(); ++it) j[it.key()] = it.value();
    posts.push_back(std::move(j));
  }
  doc["posts"] = posts;
  YAML::Emitter out;
  out.SetIndent(2);
  EmitJson(out, doc);
  return std::string(out.c_str()) + "\n";
}

}  // namespace yuqing::drill
