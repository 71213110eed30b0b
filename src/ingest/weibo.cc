#include "ingest/weibo.h"

#include <algorithm>
#include <cstring>


namespace yuqing::ingest {
namespace {

using nlohmann::json;

ParsedPost Refuse(std::string code, std::string reason) {
  ParsedPost p;
  p.error = {std::move(code), std::move(reason)};
  return p;
}

bool IsFalse(const std::string& s) { return s == "False" || s == "false" || s == "0" || s == "否"; }

// Replaces each <img ... alt="X" ...> by X: Weibo writes its emoticons ([哭], [怒]) as images,
// and they carry much of a post's sentiment.
std::string ImagesToAlt(std::string_view html) {
  std::string out;
  out.reserve(html.size());
  size_t i = 0;
  while (i < html.size()) {
    size_t img = html.find("<img", i);
    if (img == std::string_view::npos) break;
    size_t close = html.find('>', img);
    if (close == std::string_view::npos) break;
    out.append(html.substr(i, img - i));
    std::string_view tag = html.substr(img, close - img);
    size_t alt = tag.find("alt=\"");
    if (alt != std::string_view::npos) {
      size_t end = tag.find('"', alt + 5);
      if (end != std::string_view::npos) out.append(tag.substr(alt + 5, end - alt - 5));
    }
    i = close + 1;
  }
  out.append(html.substr(std::min(i, html.size())));
  return out;
}

json UserJson(const json& u) {
  json a = json::object();
  if (!u.is_object()) return a;
  std::string id = FirstString(u, {"idstr", "id"});
  if (!id.empty()) a["id"] = id;
  std::string name = FirstString(u, {"screen_name", "name", "nick_name"});
  if (!name.empty()) a["name"] = name;
  std::string loc = FirstString(u, {"location"});
  if (!loc.empty()) a["location"] = loc;
  json f = CountValue(u, {"followers_count", "follower_count", "followers_count_str"});
  if (!(f.is_number() && f.get<int64_t>() == 0)) a["followers"] = f;
  auto v = u.find("verified");
  if (v != u.end() && v->is_boolean()) a["verified"] = *v;
  else if (v != u.end()) a["verified"] = !IsFalse(FirstString(u, {"verified"})) && !FirstString(u, {"verified"}).empty();
  return a;
}

// The status inside the shapes Weibo wraps it in.
const json& Unwrap(const json& s) {
  auto m = s.find("mblog");
  return (m != s.end() && m->is_object()) ? *m : s;
}

json StatusJson(const json& s) {
  json j = json::object();
  j["id"] = FirstString(s, {"idstr", "mid", "id"});
  std::string text;
  if (auto lt = s.find("longText"); lt != s.end() && lt->is_object()) text = FirstString(*lt, {"longTextContent"});
  if (text.empty()) text = FirstString(s, {"text_raw", "raw_text"});
  if (text.empty()) text = WeiboPlainText(FirstString(s, {"text"}));
  j["text"] = text;
  j["source"] = "weibo";
  j["author"] = UserJson(s.value("user", json::object()));
  std::string uid = j["author"].value("id", "");
  std::string bid = FirstString(s, {"mblogid", "bid"});
  if (!uid.empty() && !bid.empty()) j["url"] = "https://weibo.com/" + uid + "/" + bid;
  else if (!j["id"].get<std::string>().empty()) j["url"] = "https://m.weibo.cn/detail/" + j["id"].get<std::string>();
  j["metrics"] = {{"reposts", CountValue(s, {"reposts_count"})},
                  {"comments", CountValue(s, {"comments_count"})},
                  {"likes", CountValue(s, {"attitudes_count"})}};
  json extra = json::object();
  std::string client = WeiboPlainText(FirstString(s, {"source"}));
  if (!client.empty()) extra["client"] = client;  // the app it was sent from, not our source
  std::string region = FirstString(s, {"region_name"});
  if (!region.empty()) extra["region_name"] = region;
  if (!extra.empty()) j["extra"] = extra;
  return j;
}

// Reads the time itself (Weibo's format is not one PostFromJson knows) and hands the rest over.
ParsedPost Finish(json j, const std::string& time, const ParseDefaults& d) {
  if (j.value("id", "").empty()) return Refuse("bad_field", "a Weibo status without id, idstr or mid");
  if (!time.empty()) {
    auto t = ParseWeiboTime(time);
    if (!t.ok()) return Refuse("bad_date", "created_at: " + t.status().message());
    j["published_at"] = *t;
  }
  return PostFromJson(j, d);
}

// The records inside a Weibo API answer, or the record itself.
void Statuses(const json& r, std::vector<const json*>& out) {
  if (r.is_array()) {
    for (const json& e : r) Statuses(e, out);
    return;
  }
  if (!r.is_object()) {
    out.push_back(&r);
    return;
  }
  for (const char* k : {"statuses", "list", "cards"}) {
    if (auto it = r.find(k); it != r.end() && it->is_array()) {
      for (const json& e : *it)
        if (e.is_object() && (e.contains("mblog") || e.contains("created_at"))) out.push_back(&e);
      return;
    }
  }
  if (auto it = r.find("data"); it != r.end() && it->is_object() && !r.contains("created_at")) {
    Statuses(*it, out);
    return;
  }
  out.push_back(&r);
}

json CrawlerWeiboJson(const json& w, const json& user) {
  json j = json::object();
  j["id"] = FirstString(w, {"id"});
  j["text"] = FirstString(w, {"text"});
  j["source"] = "weibo";
  json author = UserJson(user);
  std::string uid = FirstString(w, {"user_id"});
  if (!uid.empty() && uid != author.value("id", uid)) author = json::object();  // a retweet's author
  if (!uid.empty()) author["id"] = uid;
  std::string name = FirstString(w, {"screen_name"});
  if (!name.empty()) author["name"] = name;
  j["author"] = author;
  std::string bid = FirstString(w, {"bid"});
  if (!uid.empty() && !bid.empty()) j["url"] = "https://weibo.com/" + uid + "/" + bid;
  j["metrics"] = {{"reposts", CountValue(w, {"reposts_count"})},
                  {"comments", CountValue(w, {"comments_count"})},
                  {"likes", CountValue(w, {"attitudes_count"})}};
  json extra = json::object();
  for (const char* k : {"location", "topics", "at_users", "article_url", "pics", "video_url"}) {
    std::string v = FirstString(w, {k});
    if (!v.empty()) extra[k] = v.size() > 2048 ? v.substr(0, 2048) : v;
  }
  std::string client = FirstString(w, {"source"});
  if (!client.empty()) extra["client"] = client;
  if (!extra.empty()) j["extra"] = extra;
  return j;
}

// One weibo-crawler CSV row's post; `prefix` is "" for the row's own weibo and "源微博" for the
// original it reposts.
json CrawlerRowJson(const json& r, const std::string& prefix, const std::string& uid, const std::string& name) {
  auto col = [&](const char* c) { return FirstString(r, {(prefix + c).c_str()}); };
  json j = json::object();
  j["id"] = col("id");
  j["text"] = col("正文");
  j["source"] = "weibo";
  json author = json::object();
  if (!uid.empty()) author["id"] = uid;
  if (!name.empty()) author["name"] = name;
  j["author"] = author;
  std::string bid = col("bid");
  if (!uid.empty() && !bid.empty()) j["url"] = "https://weibo.com/" + uid + "/" + bid;
  j["metrics"] = {{"reposts", CountValue(r, {(prefix + "转发数").c_str()})},
                  {"comments", CountValue(r, {(prefix + "评论数").c_str()})},
                  {"likes", CountValue(r, {(prefix + "点赞数").c_str()})}};
  json extra = json::object();
  for (const char* k : {"位置", "话题", "@用户", "工具", "头条文章url", "原始图片url", "视频url"}) {
    std::string v = col(k);
    if (!v.empty()) extra[k] = v.size() > 2048 ? v.substr(0, 2048) : v;
  }
  if (!extra.empty()) j["extra"] = extra;
  return j;
}

std::string CrawlerRowTime(const json& r, const std::string& prefix) {
  std::string t = FirstString(r, {(prefix + "完整日期").c_str()});
  return t.empty() ? FirstString(r, {(prefix + "日期").c_str()}) : t;
}

}  // namespace

Result<TimeMs> ParseWeiboTime(std::string_view s) {
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  // "Tue Dec 01 10:00:00 +0800 2026": day name, month, day, time, offset, year.
  std::string str(s);
  char dow[8] = {}, mon[8] = {}, clock[16] = {}, zone[8] = {};
  int day = 0, year = 0;
  if (std::sscanf(str.c_str(), "%3s %3s %d %8s %5s %d", dow, mon, &day, clock, zone, &year) == 6) {
    int m = 0;
    while (m < 12 && std::strcmp(kMonths[m], mon) != 0) ++m;
    if (m == 12 || std::strlen(zone) != 5 || (zone[0] != '+' && zone[0] != '-'))
      return Status::Invalid("bad Weibo time '" + str + "'");
    char iso[64];
    std::snprintf(iso, sizeof iso, "%04d-%02d-%02dT%s%c%c%c:%c%c", year, m + 1, day, clock, zone[0], zone[1],
                  zone[2], zone[3], zone[4]);
    return ParseTime(iso);
  }
  auto t = ParseTime(s);
  if (!t.ok())
    return Status::Invalid("expected Weibo's \"Tue Dec 01 10:00:00 +0800 2026\" or ISO 8601, got '" + str + "'");
  return t;
}

std::string WeiboPlainText(std::string_view html) {
  if (html.find('<') == std::string_view::npos && html.find('&') == std::string_view::npos) return std::string(html);
  // Weibo's tags are inline (links, emoticon spans): dropped without a space, unlike a feed's
  // block HTML, so that "//<a>@某人</a>:" stays the "//@某人:" chain the linker reads.
  std::string s = ImagesToAlt(html), out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '<') {
      size_t close = s.find('>', i);
      if (close == std::string::npos) break;
      std::string tag = s.substr(i + 1, std::min<size_t>(close - i - 1, 3));
      if (tag.rfind("br", 0) == 0 || tag.rfind("BR", 0) == 0) out += '\n';
      i = close;
    } else {
      out += s[i];
    }
  }
  static const std::pair<const char*, const char*> kEntities[] = {
      {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&nbsp;", " "}, {"&amp;", "&"}};
  for (const auto& [from, to] : kEntities) {
    for (size_t pos = out.find(from); pos != std::string::npos; pos = out.find(from, pos + std::strlen(to)))
      out.replace(pos, std::strlen(from), to);
  }
  return out;
}

ParsedPost WeiboStatusAdapter::Convert(const json& record, const ParseDefaults& d) const {
  if (!record.is_object()) return Refuse("bad_json", "a Weibo status must be an object");
  const json& s = Unwrap(record);
  json j = StatusJson(s);
  if (auto rt = s.find("retweeted_status"); rt != s.end() && rt->is_object()) {
    std::string parent = FirstString(*rt, {"idstr", "mid", "id"});
    if (!parent.empty()) j["parent"] = parent;
  }
  return Finish(std::move(j), FirstString(s, {"created_at"}), d);
}

void WeiboStatusAdapter::ConvertAll(const json& record, const ParseDefaults& d, std::vector<ParsedPost>& out) const {
  std::vector<const json*> statuses;
  Statuses(record, statuses);
  for (const json* st : statuses) {
    if (st->is_object()) {
      const json& s = Unwrap(*st);
      // The reposted status first: it is a post in its own right, and the repost's parent.
      if (auto rt = s.find("retweeted_status"); rt != s.end() && rt->is_object())
        out.push_back(Convert(*rt, d));
    }
    out.push_back(Convert(*st, d));
  }
}

WeiboCrawlerAdapter WeiboCrawlerAdapter::FromPath(const std::string& path) {
  size_t slash = path.find_last_of('/');
  std::string file = slash == std::string::npos ? path : path.substr(slash + 1);
  std::string stem = file.substr(0, file.find('.'));
  std::string folder;
  if (slash != std::string::npos && slash > 0) {
    size_t prev = path.find_last_of('/', slash - 1);
    folder = path.substr(prev == std::string::npos ? 0 : prev + 1, slash - (prev == std::string::npos ? 0 : prev + 1));
  }
  bool digits = !stem.empty() && std::all_of(stem.begin(), stem.end(), [](char c) { return c >= '0' && c <= '9'; });
  return WeiboCrawlerAdapter(digits ? stem : "", digits ? folder : "");
}

ParsedPost WeiboCrawlerAdapter::Convert(const json& r, const ParseDefaults& d) const {
  if (!r.is_object()) return Refuse("bad_json", "a weibo-crawler record must be an object");
  if (r.contains("正文") || (r.contains("bid") && !r.contains("text"))) {
    json j = CrawlerRowJson(r, "", user_id_, screen_name_);
    std::string original = FirstString(r, {"源微博id"});
    if (IsFalse(FirstString(r, {"是否原创"})) && !original.empty()) j["parent"] = original;
    return Finish(std::move(j), CrawlerRowTime(r, ""), d);
  }
  json j = CrawlerWeiboJson(r, json::object());
  std::string t = FirstString(r, {"full_created_at", "created_at"});
  return Finish(std::move(j), t, d);
}

void WeiboCrawlerAdapter::ConvertAll(const json& r, const ParseDefaults& d, std::vector<ParsedPost>& out) const {
  if (r.is_object() && r.contains("weibo") && r["weibo"].is_array()) {
    const json user = r.value("user", json::object());
    for (const json& w : r["weibo"]) {
      if (!w.is_object()) {
        out.push_back(Refuse("bad_json", "a weibo-crawler weibo must be an object"));
        continue;
      }
      json j = CrawlerWeiboJson(w, user);
      if (auto rt = w.find("retweet"); rt != w.end() && rt->is_object()) {
        out.push_back(Finish(CrawlerWeiboJson(*rt, json::object()), FirstString(*rt, {"full_created_at", "created_at"}), d));
        std::string parent = FirstString(*rt, {"id"});
        if (!parent.empty()) j["parent"] = parent;
      }
      out.push_back(Finish(std::move(j), FirstString(w, {"full_created_at", "created_at"}), d));
    }
    return;
  }
  if (r.is_object() && IsFalse(FirstString(r, {"是否原创"})) && !FirstString(r, {"源微博id"}).empty()) {
    json src = CrawlerRowJson(r, "源微博", FirstString(r, {"源用户id"}), FirstString(r, {"源用户昵称"}));
    out.push_back(Finish(std::move(src), CrawlerRowTime(r, "源微博"), d));
  }
  out.push_back(Convert(r, d));
}

std::string DetectVendor(std::string_view head, const std::string& path) {
  auto has = [&](const char* s) { return head.find(s) != std::string_view::npos; };
  if (has("\"mblog\"") || has("\"retweeted_status\"") || has("\"text_raw\"") || has("\"statuses\"")) return "weibo";
  if (has("\"full_created_at\"") || (has("正文") && has("bid") && has("转发数"))) return "weibo-crawler";
  // MediaCrawler marks every row with the time it last touched it and the search keyword.
  if (has("last_modify_ts") && (has("note_id") || has("aweme_id") || has("video_id") || has("content_id") ||
                                has("comment_id")))
    return "mediacrawler";
  (void)path;
  return "";
}

}  // namespace yuqing::ingest
