#include "ingest/post_parser.h"

#include <algorithm>
#include <cmath>

#include "core/json_guard.h"
#include "ingest/plain_json_record.h"
#include "text/utf8.h"

namespace yuqing::ingest {
namespace {

using nlohmann::json;

// A value shown in a quarantine reason: bounded, and never throwing on bytes that are not UTF-8
// (CSV fields arrive as raw bytes; nlohmann's strict dump would throw and take ingest down).
std::string Show(const json& v) {
  std::string s = v.dump(-1, ' ', false, json::error_handler_t::replace);
  return s.size() > 60 ? s.substr(0, 60) + "…" : s;
}

ParsedPost Fail(std::string code, std::string reason) {
  ParsedPost p;
  p.error = {std::move(code), std::move(reason)};
  return p;
}

// Reads a string-ish value (strings, numbers, booleans); empty for null/absent.
bool AsString(const json& v, std::string& out) {
  if (v.is_string()) out = v.get<std::string>();
  else if (v.is_number_integer()) out = std::to_string(v.get<int64_t>());
  else if (v.is_number_unsigned()) out = std::to_string(v.get<uint64_t>());
  else if (v.is_number_float()) out = Show(v);
  else if (v.is_boolean()) out = v.get<bool>() ? "true" : "false";
  else if (v.is_null()) out.clear();
  else return false;
  return true;
}

// Counts beyond a trillion are no real platform's; refusing them keeps every sum over counts (event
// totals, reach) far from overflow, and the double -> int64 cast below defined.
constexpr double kMaxCount = 1e12;

bool CountFromDouble(double d, int64_t& out) {
  if (!std::isfinite(d) || d > kMaxCount || d < -kMaxCount) return false;
  out = static_cast<int64_t>(d);
  return true;
}

bool AsInt(const json& v, int64_t& out) {
  if (v.is_number_unsigned()) return CountFromDouble(static_cast<double>(v.get<uint64_t>()), out);
  if (v.is_number_integer()) return CountFromDouble(static_cast<double>(v.get<int64_t>()), out);
  if (v.is_number_float()) return CountFromDouble(v.get<double>(), out);
  if (v.is_string()) {
    const std::string& s = v.get_ref<const std::string&>();
    if (s.empty()) {
      out = 0;
      return true;
    }
    // Vendors write 1.2万 (ten thousands) and 3千; accept them.
    char* end = nullptr;
    double d = std::strtod(s.c_str(), &end);
    if (end == s.c_str()) return false;
    std::string_view rest(end);
    if (rest == "万" || rest == "w" || rest == "W") d *= 10000;
    else if (rest == "千" || rest == "k" || rest == "K") d *= 1000;
    else if (rest == "亿") d *= 1e8;
    else if (!rest.empty()) return false;
    return CountFromDouble(d, out);
  }
  if (v.is_null()) {
    out = 0;
    return true;
  }
  return false;
}

bool AsBool(const json& v, bool& out) {
  if (v.is_boolean()) out = v.get<bool>();
  else if (v.is_number()) out = v.get<double>() != 0;
  else if (v.is_string()) {
    std::string s = v.get<std::string>();
    std::transform(s.begin(), s.end(), s.begin(), ::tolower);
    if (s == "true" || s == "1" || s == "yes" || s == "y" || s == "是") out = true;
    else if (s == "false" || s == "0" || s == "no" || s == "n" || s == "否" || s.empty()) out = false;
    else return false;
  } else if (v.is_null()) out = false;
  else return false;
  return true;
}

const json* Find(const json& j, std::initializer_list<const char*> names, std::string* which = nullptr) {
  for (const char* n : names) {
    auto it = j.find(n);
    if (it != j.end() && !it->is_null()) {
      if (which) *which = n;
      return &*it;
    }
  }
  return nullptr;
}

bool Known(const std::string& key) {
  static const char* kKnown[] = {"id", "source", "channel", "url", "link", "permalink", "title", "headline",
                                 "text", "content", "body", "review", "author", "user", "author_id",
                                 "author_name", "author_followers", "author_verified", "author_location",
                                 "published_at", "time", "created_at", "date", "pubdate", "timestamp",
                                 "region", "metrics", "reposts", "reposts_count", "comments", "likes",
                                 "views", "parent", "lang", "extra"};
  for (const char* k : kKnown)
    if (key == k) return true;
  return false;
}

Result<TimeMs> ParseTimeValue(const json& v) {
  if (v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(kLatestTime))
    return Status::Invalid("bad date: out of range: " + Show(v));
  if (v.is_number_integer() || v.is_number_unsigned()) {
    auto t = TimeFromUnixNumber(v.get<int64_t>());
    if (!t.ok()) return Status::Invalid("bad date: " + Show(v));
    return t;
  }
  if (v.is_number_float()) {
    auto t = TimeFromUnixNumber(v.get<double>());
    if (!t.ok()) return Status::Invalid("bad date: " + Show(v));
    return t;
  }
  if (v.is_string()) return ParseTime(v.get_ref<const std::string&>());
  return Status::Invalid("bad date: expected ISO 8601 or unix seconds, got " + Show(v));
}

bool CheckSize(const std::string& s, size_t max, const char* field, ParsedPost& fail) {
  if (s.size() <= max) return true;
  fail = Fail("oversize", std::string(field) + " is " + std::to_string(s.size()) + " bytes; the limit is " +
                              std::to_string(max));
  return false;
}

ParsedPost FillAuthor(const json& a, Author& author) {
  if (a.is_string()) {
    author.name = a.get<std::string>();
    return ParsedPost{true, {}, {}};
  }
  if (!a.is_object()) return Fail("bad_field", "author must be an object or a name");
  if (auto* v = Find(a, {"id", "uid"})) AsString(*v, author.id);
  if (auto* v = Find(a, {"name", "screen_name", "nickname"})) AsString(*v, author.name);
  if (auto* v = Find(a, {"location"})) AsString(*v, author.location);
  if (auto* v = Find(a, {"followers", "followers_count"}); v && !AsInt(*v, author.followers))
    return Fail("bad_field", "author.followers is not a number: " + Show(*v));
  if (auto* v = Find(a, {"verified"}); v && !AsBool(*v, author.verified))
    return Fail("bad_field", "author.verified is not true/false: " + Show(*v));
  return ParsedPost{true, {}, {}};
}

}  // namespace

ParsedPost PostFromJson(const json& j, const ParseDefaults& d) {
  if (!j.is_object()) return Fail("bad_json", "a record must be a JSON object, got " + std::string(j.type_name()));
  ParsedPost out;
  Post& p = out.post;
  std::string which;
  if (auto* v = Find(j, {"text", "content", "body", "review"}, &which); v && !AsString(*v, p.text))
    return Fail("bad_field", which + " must be a string");
  bool blank = std::all_of(p.text.begin(), p.text.end(), [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
  if (blank) return Fail("missing_text", "the record has no text (expected a non-empty \"text\" field)");
  if (auto* v = Find(j, {"title", "headline"})) AsString(*v, p.title);
  if (auto* v = Find(j, {"id"})) AsString(*v, p.id);
  if (auto* v = Find(j, {"source"})) AsString(*v, p.source);
  if (auto* v = Find(j, {"channel"})) AsString(*v, p.channel);
  if (auto* v = Find(j, {"url", "link", "permalink"})) AsString(*v, p.url);
  if (auto* v = Find(j, {"region"})) AsString(*v, p.region);
  if (auto* v = Find(j, {"parent"})) AsString(*v, p.parent);
  if (auto* v = Find(j, {"lang"})) AsString(*v, p.lang);
  if (auto* v = Find(j, {"author", "user"})) {
    ParsedPost a = FillAuthor(*v, p.author);
    if (!a.error.code.empty()) return a;
  }
  if (auto* v = Find(j, {"author_id"})) AsString(*v, p.author.id);
  if (auto* v = Find(j, {"author_name"})) AsString(*v, p.author.name);
  if (auto* v = Find(j, {"author_location"})) AsString(*v, p.author.location);
  if (auto* v = Find(j, {"author_followers"}); v && !AsInt(*v, p.author.followers))
    return Fail("bad_field", "author_followers is not a number: " + Show(*v));
  if (auto* v = Find(j, {"author_verified"}); v && !AsBool(*v, p.author.verified))
    return Fail("bad_field", "author_verified is not true/false: " + Show(*v));
  if (p.author.followers < 0) return Fail("bad_field", "author.followers is negative");

  const json* m = Find(j, {"metrics"});
  if (m && !m->is_object()) return Fail("bad_field", "metrics must be an object");
  const json& mj = m ? *m : j;
  struct { std::initializer_list<const char*> names; int64_t* dst; const char* label; } metric_fields[] = {
      {{"reposts", "reposts_count", "shares"}, &p.metrics.reposts, "reposts"},
      {{"comments", "comments_count"}, &p.metrics.comments, "comments"},
      {{"likes", "attitudes_count"}, &p.metrics.likes, "likes"},
      {{"views", "reads"}, &p.metrics.views, "views"}};
  for (auto& f : metric_fields) {
    if (auto* v = Find(mj, f.names); v && (v->is_array() || !AsInt(*v, *f.dst)))
      return Fail("bad_field", std::string("metrics.") + f.label + " is not a number: " + Show(*v));
    if (*f.dst < 0) return Fail("bad_field", std::string("metrics.") + f.label + " is negative");
  }

  if (auto* v = Find(j, {"published_at", "time", "created_at", "date", "pubdate", "timestamp"}, &which)) {
    auto t = ParseTimeValue(*v);
    if (!t.ok()) return Fail("bad_date", which + ": " + t.status().message());
    p.published_at = *t;
  } else {
    p.published_at = d.now;
  }
  json extra = json::object();
  if (auto* v = Find(j, {"extra"}); v && v->is_object()) extra = *v;
  for (auto it = j.begin(); it != j.end(); ++it)
    if (!Known(it.key())) extra[it.key()] = it.value();
  if (!extra.empty()) {
    p.extra_json = extra.dump(-1, ' ', false, json::error_handler_t::replace);
    if (!CheckSize(p.extra_json, kMaxExtraBytes, "extra fields", out)) return out;
  }
  return FinishPost(std::move(out), d);
}

ParsedPost FinishPost(ParsedPost out, const ParseDefaults& d) {
  Post& p = out.post;
  p.ingested_at = d.now;
  if (p.source.empty()) p.source = d.source.empty() ? "other" : d.source;
  if (!CheckSize(p.text, kMaxTextBytes, "text", out) || !CheckSize(p.title, kMaxTitleBytes, "title", out) ||
      !CheckSize(p.url, kMaxFieldBytes, "url", out) || !CheckSize(p.id, 256, "id", out) ||
      !CheckSize(p.author.name, kMaxFieldBytes, "author.name", out) ||
      !CheckSize(p.source, 64, "source", out))
    return out;
  for (const std::string* s : {&p.text, &p.title, &p.url, &p.id, &p.author.name, &p.source, &p.channel}) {
    if (!text::IsValidUtf8(*s)) return Fail("bad_encoding", "a field is not valid UTF-8");
  }
  if (p.id.empty()) p.id = StablePostId(p);
  out.ok = true;
  return out;
}

ParsedPost PostFromJsonText(std::string_view line, const ParseDefaults& d) {
  if (line.size() > kMaxRecordBytes)
    return Fail("oversize", "the record is " + std::to_string(line.size()) + " bytes; the limit is " +
                                std::to_string(kMaxRecordBytes));
  if (auto plain = PlainJsonRecord(line, d)) return std::move(*plain);
  auto j = ParseJson(line);
  if (!j.ok()) return Fail(JsonDepthViolation(line) >= 0 ? "too_deep" : "bad_json", j.status().message());
  return PostFromJson(*j, d);
}

ParsedPost PostFromFields(const std::map<std::string, std::string>& fields, const ParseDefaults& d) {
  json j = json::object();
  for (const auto& [k, v] : fields) {
    auto dot = k.find('.');
    if (dot == std::string::npos) {
      j[k] = v;
    } else {
      std::string head = k.substr(0, dot), tail = k.substr(dot + 1);
      if (!j.contains(head) || !j[head].is_object()) j[head] = json::object();
      j[head][tail] = v;
    }
  }
  if (j.contains("published_at") && j["published_at"].is_string() && j["published_at"].get<std::string>().empty())
    j.erase("published_at");
  return PostFromJson(j, d);
}

json PostToJson(const Post& p) {
  json j = {{"id", p.id},
            {"source", p.source},
            {"text", p.text},
            {"published_at", FormatTime(p.published_at)},
            {"author", {{"id", p.author.id}, {"name", p.author.name}, {"followers", p.author.followers},
                        {"verified", p.author.verified}}},
            {"metrics", {{"reposts", p.metrics.reposts}, {"comments", p.metrics.comments},
                         {"likes", p.metrics.likes}, {"views", p.metrics.views}}}};
  if (!p.author.location.empty()) j["author"]["location"] = p.author.location;
  if (!p.channel.empty()) j["channel"] = p.channel;
  if (!p.url.empty()) j["url"] = p.url;
  if (!p.title.empty()) j["title"] = p.title;
  if (!p.region.empty()) j["region"] = p.region;
  if (!p.parent.empty()) j["parent"] = p.parent;
  if (!p.lang.empty()) j["lang"] = p.lang;
  if (!p.extra_json.empty()) {
    json e = json::parse(p.extra_json, nullptr, false);
    if (!e.is_discarded()) j["extra"] = e;
  }
  return j;
}

}  // namespace yuqing::ingest
