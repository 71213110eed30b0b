// Weibo's own shapes as posts.
//   --format weibo: statuses from the Weibo API and its mobile pages (an object with `statuses`,
//   `data.cards[].mblog` or `data.list`, a bare status, a card with `mblog`, one per line or an
//   array). `text_raw` is the text when present, else the HTML `text` made plain (emoticons kept
//   as their [alt] text, //@ repost chains kept); `created_at` in Weibo's "Tue Dec 01 10:00:00
//   +0800 2026"; `retweeted_status` is stored as a post of its own and becomes the parent.
//   --format weibo-crawler: dataabc/weibo-crawler's files: weibo/<screen_name>/<user_id>.csv
//   (Chinese headers: id, bid, 正文, 日期, 完整日期, 点赞数, 评论数, 转发数, 是否原创, 源微博id ...)
//   and <user_id>.json ({"user": {...}, "weibo": [...]}).
// Ids are Weibo's mids, as for MediaCrawler's Weibo notes, so a status collected twice is one post.
#pragma once

#include <string>

#include "core/status.h"
#include "core/time.h"
#include "ingest/record_adapter.h"

namespace yuqing::ingest {

// "Tue Dec 01 10:00:00 +0800 2026"; ISO 8601 and Unix times are accepted too (ParseTime).
Result<TimeMs> ParseWeiboTime(std::string_view s);

// Weibo's HTML text as plain text: <img alt="[哭]"> becomes [哭], <br> a newline, tags dropped,
// entities decoded.
std::string WeiboPlainText(std::string_view html);

class WeiboStatusAdapter final : public RecordAdapter {
 public:
  ParsedPost Convert(const nlohmann::json& status, const ParseDefaults& d) const override;
  void ConvertAll(const nlohmann::json& record, const ParseDefaults& d, std::vector<ParsedPost>& out) const override;
};

class WeiboCrawlerAdapter final : public RecordAdapter {
 public:
  // The author of a CSV file's weibos, from its path (weibo/<screen_name>/<user_id>.csv).
  WeiboCrawlerAdapter(std::string user_id, std::string screen_name)
      : user_id_(std::move(user_id)), screen_name_(std::move(screen_name)) {}
  static WeiboCrawlerAdapter FromPath(const std::string& path);
  ParsedPost Convert(const nlohmann::json& record, const ParseDefaults& d) const override;
  void ConvertAll(const nlohmann::json& record, const ParseDefaults& d, std::vector<ParsedPost>& out) const override;

 private:
  std::string user_id_, screen_name_;
};

// What a file's first bytes say about its shape: "weibo", "weibo-crawler", "mediacrawler" or ""
// (our own, or not sure). Used by --format auto; only marks no other shape has are trusted.
std::string DetectVendor(std::string_view head, const std::string& path);

}  // namespace yuqing::ingest
