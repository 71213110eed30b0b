#include "ingest/mediacrawler.h"

#include <algorithm>
#include <cctype>

namespace yuqing::ingest {
namespace {

using nlohmann::json;

struct PlatformName {
  const char* token;     // as it appears in paths
  const char* platform;  // MediaCrawler's name
};
constexpr PlatformName kPlatforms[] = {
    {"weibo", "weibo"}, {"wb", "weibo"},         {"xhs", "xhs"},         {"xiaohongshu", "xhs"},
    {"douyin", "douyin"}, {"dy", "douyin"},      {"kuaishou", "kuaishou"}, {"ks", "kuaishou"},
    {"bilibili", "bilibili"}, {"bili", "bilibili"}, {"zhihu", "zhihu"},   {"tieba", "tieba"}};

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// Splits a path into its tokens: folder names and the file name cut at '_', '.', '-'.
std::vector<std::string> PathTokens(const std::string& path) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : path) {
    if (c == '/' || c == '_' || c == '.' || c == '-' || c == '\\') {
      if (!cur.empty()) out.push_back(Lower(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(Lower(cur));
  return out;
}

std::string PlatformOf(const std::string& token) {
  for (const auto& p : kPlatforms)
    if (token == p.token) return p.platform;
  return "";
}

bool NoParent(const std::string& s) { return s.empty() || s == "0" || s == "-1"; }

json Author(const json& r, const McProfiles* profiles) {
  json a = json::object();
  std::string id = FirstString(r, {"user_id", "creator_hash", "sec_uid"});
  if (!id.empty()) a["id"] = id;
  std::string name = FirstString(r, {"nickname", "user_nickname", "user_name"});
  if (!name.empty()) a["name"] = name;
  std::string loc = FirstString(r, {"ip_location"});
  // Weibo comments carry "来自北京"; notes "发布于 北京" (MediaCrawler strips those prefixes, older
  // exports did not).
  for (const char* prefix : {"来自", "发布于 ", "IP属地：", "IP属地:"})
    if (loc.rfind(prefix, 0) == 0) loc = loc.substr(std::string(prefix).size());
  if (!loc.empty()) a["location"] = loc;
  if (profiles && !id.empty()) {
    if (auto it = profiles->find(id); it != profiles->end()) {
      if (it->second.followers >= 0) a["followers"] = it->second.followers;
      a["verified"] = it->second.verified;
    }
  }
  return a;
}

// The crawler's time: a Unix time (seconds or milliseconds, number or digits) or a date string
// in Beijing time; the formatted create_date_time only when the number is missing.
json TimeValue(const json& r) {
  std::string t = FirstString(r, {"create_time", "time", "created_time", "publish_time", "pub_ts", "ctime"});
  if (t.empty() || t == "0") t = FirstString(r, {"create_date_time", "publish_date"});
  if (t.empty()) return nullptr;
  if (std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; }) && t.size() <= 13)
    return std::stoll(t) * (t.size() >= 12 ? 1 : 1000);
  return t;
}

void CopyExtra(const json& r, json& extra) {
  for (const char* k : {"source_keyword", "type", "aweme_type", "video_type", "content_type", "question_id",
                        "image_list", "tag_list", "pictures", "tieba_link", "video_cover_url", "cover_url"}) {
    std::string v = FirstString(r, {k});
    if (!v.empty()) extra[k] = v.size() > 2048 ? v.substr(0, 2048) : v;
  }
}

ParsedPost Refuse(std::string reason) {
  ParsedPost p;
  p.error = {"bad_field", std::move(reason)};
  return p;
}

}  // namespace

std::string McSourceName(const std::string& platform) {
  if (platform == "xhs") return "xiaohongshu";
  for (const auto& p : kPlatforms)
    if (platform == p.platform) return platform;
  return "";
}

std::string McPostId(const std::string& platform, const std::string& id, bool comment) {
  if (platform == "weibo") return id;
  return McSourceName(platform) + (comment ? ":c:" : ":") + id;
}

Result<McTarget> McTargetFromPath(const std::string& path, const std::string& fallback) {
  McTarget t;
  auto tokens = PathTokens(path);
  // The nearest name wins: data/weibo/jsonl/... says weibo even under a folder named after
  // another platform further up.
  for (auto it = tokens.rbegin(); it != tokens.rend() && t.platform.empty(); ++it) t.platform = PlatformOf(*it);
  if (t.platform.empty() && !fallback.empty()) {
    t.platform = PlatformOf(Lower(fallback));
    if (t.platform.empty() && Lower(fallback) == "xiaohongshu") t.platform = "xhs";
    if (t.platform.empty())
      return Status::Invalid("--source " + fallback +
                             " is not a MediaCrawler platform: use weibo, xhs, douyin, kuaishou, bilibili, zhihu or tieba");
  }
  if (t.platform.empty())
    return Status::Invalid("cannot tell the platform of " + path +
                           ": keep MediaCrawler's folders (data/weibo/jsonl/...) or give --source weibo|xhs|douyin|kuaishou|bilibili|zhihu|tieba");
  std::string file = path.substr(path.find_last_of('/') == std::string::npos ? 0 : path.find_last_of('/') + 1);
  for (const auto& tok : PathTokens(file)) {
    if (tok == "comments" || tok == "comment") t.kind = McKind::kComment;
    else if (tok == "creators" || tok == "creator") t.kind = McKind::kCreator;
    else if (tok == "contacts" || tok == "contact") t.kind = McKind::kOther;
  }
  return t;
}

const std::vector<McTable>& McTables() {
  static const std::vector<McTable> kTables = {
      {"weibo_note", {"weibo", McKind::kContent}},          {"weibo_note_comment", {"weibo", McKind::kComment}},
      {"xhs_note", {"xhs", McKind::kContent}},              {"xhs_note_comment", {"xhs", McKind::kComment}},
      {"douyin_aweme", {"douyin", McKind::kContent}},       {"douyin_aweme_comment", {"douyin", McKind::kComment}},
      {"kuaishou_video", {"kuaishou", McKind::kContent}},   {"kuaishou_video_comment", {"kuaishou", McKind::kComment}},
      {"bilibili_video", {"bilibili", McKind::kContent}},   {"bilibili_video_comment", {"bilibili", McKind::kComment}},
      {"zhihu_content", {"zhihu", McKind::kContent}},       {"zhihu_comment", {"zhihu", McKind::kComment}},
      {"tieba_note", {"tieba", McKind::kContent}},          {"tieba_comment", {"tieba", McKind::kComment}}};
  return kTables;
}

void AddMcProfile(const json& r, McProfiles& profiles) {
  std::string id = FirstString(r, {"user_id", "creator_hash"});
  if (id.empty()) return;
  McProfile p;
  json fans = CountValue(r, {"fans", "total_fans", "followers", "follower_count"});
  if (fans.is_number_integer() && !fans.is_number_unsigned()) p.followers = fans.get<int64_t>();
  else if (fans.is_number() || fans.is_string()) {
    // "1.2万", 1e30 and the like: let the post parser's reading of counts decide (and bound), via a
    // tiny record.
    ParseDefaults d;
    auto parsed = PostFromJson(json{{"text", "x"}, {"author", {{"followers", fans}}}}, d);
    if (parsed.ok) p.followers = parsed.post.author.followers;
  }
  // Bilibili: official_verify type -1 none, 0 person, 1 organisation.
  std::string official = FirstString(r, {"is_official", "verified"});
  p.verified = !official.empty() && official != "-1" && official != "false" && official != "False";
  profiles[id] = p;
}

ParsedPost MediaCrawlerAdapter::Convert(const json& r, const ParseDefaults& d) const {
  if (!r.is_object()) return Refuse("a MediaCrawler record must be an object");
  const std::string source = McSourceName(target_.platform);
  const bool comment = target_.kind == McKind::kComment || r.contains("comment_id");
  json j = json::object();
  json extra = json::object();
  extra["mediacrawler"] = {{"platform", target_.platform}, {"kind", comment ? "comment" : "content"}};
  std::string post_id = FirstString(r, {"note_id", "aweme_id", "video_id", "content_id", "article_id", "dynamic_id"});
  if (comment) {
    std::string cid = FirstString(r, {"comment_id"});
    if (cid.empty()) return Refuse("a MediaCrawler comment without comment_id");
    j["id"] = McPostId(target_.platform, cid, true);
    std::string parent = FirstString(r, {"parent_comment_id", "parment_comment_id"});
    if (!NoParent(parent) && parent != cid) j["parent"] = McPostId(target_.platform, parent, true);
    else if (!post_id.empty()) j["parent"] = McPostId(target_.platform, post_id, false);
    j["text"] = FirstString(r, {"content", "text"});
    j["metrics"] = {{"likes", CountValue(r, {"comment_like_count", "like_count", "liked_count"})},
                    {"comments", CountValue(r, {"sub_comment_count"})}};
  } else {
    if (post_id.empty())
      return Refuse("a MediaCrawler " + target_.platform + " record without its id (note_id, aweme_id, video_id, content_id)");
    j["id"] = McPostId(target_.platform, post_id, false);
    std::string text = FirstString(r, {"content_text", "content", "desc", "text"});
    std::string title = FirstString(r, {"title"});
    if (text.empty()) text = title;
    // Douyin's title is its desc, Xiaohongshu's a cut of it when the note has none: keep a title
    // only when it says something the text does not start with.
    if (!title.empty() && text.rfind(title, 0) != 0) j["title"] = title;
    j["text"] = text;
    std::string url = FirstString(r, {"note_url", "aweme_url", "content_url", "article_url"});
    if (url.empty() && target_.platform != "xhs") url = FirstString(r, {"video_url"});
    if (!url.empty()) j["url"] = url;
    j["metrics"] = {
        {"likes", CountValue(r, {"liked_count", "like_count", "voteup_count", "total_liked"})},
        {"comments", CountValue(r, {"comments_count", "comment_count", "video_comment", "total_replay_num", "total_comments"})},
        {"reposts", CountValue(r, {"shared_count", "share_count", "video_share_count", "total_forwards"})},
        {"views", CountValue(r, {"video_play_count", "viewd_count"})}};
  }
  j["source"] = source;
  std::string tieba = FirstString(r, {"tieba_name"});
  if (!tieba.empty()) j["channel"] = tieba;
  j["author"] = Author(r, profiles_.get());
  json t = TimeValue(r);
  if (!t.is_null()) j["published_at"] = t;
  CopyExtra(r, extra);
  j["extra"] = extra;
  return PostFromJson(j, d);
}

}  // namespace yuqing::ingest
