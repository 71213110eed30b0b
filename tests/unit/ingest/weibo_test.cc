// Weibo API statuses (the shape m.weibo.cn and the open API return) and dataabc/weibo-crawler's
// CSV and JSON (weibo.py: get_result_headers, update_json_data).
#include "ingest/weibo.h"

#include <gtest/gtest.h>

#include "ingest/reader.h"

namespace yuqing::ingest {
namespace {

std::vector<Item> ReadWith(std::shared_ptr<const RecordAdapter> adapter, std::string_view data, const std::string& name,
                           Format f) {
  ReadOptions o;
  o.defaults.now = 5000;
  o.format = f;
  o.adapter = std::move(adapter);
  std::vector<Item> items;
  Status st = ReadBuffer(data, name, o, [&](Item& it) {
    items.push_back(it);
    return Status::Ok();
  });
  EXPECT_TRUE(st.ok()) << st.ToString();
  return items;
}

TEST(WeiboTime, WeibosOwnFormatAndIso) {
  auto t = ParseWeiboTime("Tue Dec 01 10:00:00 +0800 2026");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(FormatTime(*t), "2026-12-01T10:00:00+08:00");
  t = ParseWeiboTime("Mon Jun 01 01:00:00 +0000 2026");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(FormatTime(*t), "2026-06-01T09:00:00+08:00");
  EXPECT_TRUE(ParseWeiboTime("2026-06-01 09:00:00").ok());
  EXPECT_FALSE(ParseWeiboTime("Tue Foo 01 10:00:00 +0800 2026").ok());
  EXPECT_FALSE(ParseWeiboTime("5分钟前").ok());
}

TEST(WeiboText, EmoticonsKeptTagsDropped) {
  EXPECT_EQ(WeiboPlainText("停水三天了<span class=\"url-icon\"><img alt=\"[怒]\" src=\"//h5.sinaimg.cn/m/e/angry.png\" "
                           "style=\"width:1em;\" /></span> <a href='/n/东湖水务'>@东湖水务</a> &amp; 物业"),
            "停水三天了[怒] @东湖水务 & 物业");
  EXPECT_EQ(WeiboPlainText("纯文本"), "纯文本");
}

TEST(WeiboStatus, RepostBecomesChildOfItsOriginalAndKeepsTheChain) {
  const char* api = R"({"ok": 1, "data": {"cards": [{"card_type": 9, "mblog": {
    "created_at": "Tue Dec 01 10:05:00 +0800 2026", "id": "5100000000000002", "idstr": "5100000000000002",
    "mid": "5100000000000002", "mblogid": "Pabc2", "text": "转发：属实//<a href='/n/居民甲'>@居民甲</a>:停水三天了<span class=\"url-icon\"><img alt=\"[怒]\" src=\"x.png\" /></span>",
    "source": "iPhone客户端", "reposts_count": 0, "comments_count": 1, "attitudes_count": "1万+",
    "region_name": "发布于 湖北",
    "user": {"id": 7001, "screen_name": "路人乙", "verified": false, "followers_count": "2.3万"},
    "retweeted_status": {"created_at": "Tue Dec 01 10:00:00 +0800 2026", "id": "5100000000000001",
      "mblogid": "Pabc1", "text_raw": "东湖停水三天了，没人管", "text": "东湖停水三天了，没人管",
      "reposts_count": 88, "comments_count": 20, "attitudes_count": 30,
      "user": {"id": 7000, "screen_name": "居民甲", "verified": true, "followers_count": 560, "location": "湖北 武汉"}}}}]}})";
  auto items = ReadWith(std::make_shared<WeiboStatusAdapter>(), api, "api.json", Format::kJsonArray);
  ASSERT_EQ(items.size(), 2u);
  ASSERT_TRUE(items[0].ok) << items[0].bad.reason;
  ASSERT_TRUE(items[1].ok) << items[1].bad.reason;
  const Post& orig = items[0].post;
  const Post& rep = items[1].post;
  EXPECT_EQ(orig.id, "5100000000000001");
  EXPECT_EQ(orig.text, "东湖停水三天了，没人管");
  EXPECT_TRUE(orig.author.verified);
  EXPECT_EQ(orig.author.followers, 560);
  EXPECT_EQ(orig.metrics.reposts, 88);
  EXPECT_EQ(orig.url, "https://weibo.com/7000/Pabc1");
  EXPECT_EQ(rep.id, "5100000000000002");
  EXPECT_EQ(rep.parent, "5100000000000001");
  EXPECT_EQ(rep.text, "转发：属实//@居民甲:停水三天了[怒]");
  EXPECT_EQ(rep.source, "weibo");
  EXPECT_EQ(rep.author.followers, 23000);
  EXPECT_EQ(rep.metrics.likes, 10000);
  EXPECT_EQ(FormatTime(rep.published_at), "2026-12-01T10:05:00+08:00");
  EXPECT_NE(rep.extra_json.find("iPhone"), std::string::npos);  // the client, not our source
}

TEST(WeiboStatus, StatusesPerLineAndBadOnes) {
  std::string lines =
      R"({"created_at": "Tue Dec 01 11:00:00 +0800 2026", "idstr": "5100000000000003", "text_raw": "水有异味", "user": {"idstr": "7002", "screen_name": "c"}})"
      "\n"
      R"({"created_at": "刚刚", "idstr": "5100000000000004", "text_raw": "x"})"
      "\n"
      R"({"created_at": "Tue Dec 01 11:00:00 +0800 2026", "text_raw": "no id"})"
      "\n";
  auto items = ReadWith(std::make_shared<WeiboStatusAdapter>(), lines, "s.jsonl", Format::kJsonLines);
  ASSERT_EQ(items.size(), 3u);
  EXPECT_TRUE(items[0].ok);
  EXPECT_EQ(items[1].bad.code, "bad_date");
  EXPECT_EQ(items[1].bad.line, 2);
  EXPECT_EQ(items[2].bad.code, "bad_field");
}

TEST(WeiboCrawler, CsvRowsWithTheirOriginals) {
  std::string csv =
      "\xEF\xBB\xBFid,bid,正文,头条文章url,原始图片url,视频url,位置,日期,工具,点赞数,评论数,转发数,话题,@用户,完整日期,"
      "是否原创,源用户id,源用户昵称,源微博id,源微博bid,源微博正文,源微博头条文章url,源微博原始图片url,源微博视频url,"
      "源微博位置,源微博日期,源微博工具,源微博点赞数,源微博评论数,源微博转发数,源微博话题,源微博@用户,源微博完整日期\n"
      "5200000000000001,Pxyz1,东湖水质检测结果今天公布,,,,湖北武汉,2026-06-01,微博 weibo.com,12,3,4,东湖水质,,"
      "2026-06-01 18:00:00,True,,,,,,,,,,,,,,,,,\n"
      "5200000000000002,Pxyz2,转发微博,,,,,2026-06-02,iPhone客户端,0,0,0,,,2026-06-02 08:00:00,False,7100,水务观察,"
      "5200000000000009,Pxyz9,水厂回应：已更换滤料,,,,,2026-06-01,微博 weibo.com,50,9,30,,,2026-06-01 20:00:00\n";
  auto adapter = std::make_shared<WeiboCrawlerAdapter>(WeiboCrawlerAdapter::FromPath("weibo/东湖水务/1669879400.csv"));
  auto items = ReadWith(adapter, csv, "weibo/东湖水务/1669879400.csv", Format::kCsv);
  ASSERT_EQ(items.size(), 3u);
  for (auto& it : items) ASSERT_TRUE(it.ok) << it.bad.reason;
  EXPECT_EQ(items[0].post.id, "5200000000000001");
  EXPECT_EQ(items[0].post.author.id, "1669879400");
  EXPECT_EQ(items[0].post.author.name, "东湖水务");
  EXPECT_EQ(items[0].post.url, "https://weibo.com/1669879400/Pxyz1");
  EXPECT_EQ(FormatTime(items[0].post.published_at), "2026-06-01T18:00:00+08:00");
  EXPECT_EQ(items[0].post.metrics.reposts, 4);
  EXPECT_EQ(items[1].post.id, "5200000000000009");  // the original, stored in its own right
  EXPECT_EQ(items[1].post.author.name, "水务观察");
  EXPECT_EQ(items[1].post.metrics.likes, 50);
  EXPECT_EQ(items[2].post.parent, "5200000000000009");
}

TEST(WeiboCrawler, JsonDocumentOfOneUser) {
  const char* doc = R"({"user": {"id": "1669879400", "screen_name": "东湖水务", "followers_count": 81000, "verified": true},
    "weibo": [
      {"user_id": "1669879400", "screen_name": "东湖水务", "id": "5200000000000001", "bid": "Pxyz1", "text": "水质检测结果公布",
       "created_at": "2026-06-01", "full_created_at": "2026-06-01 18:00:00", "attitudes_count": 12, "comments_count": 3, "reposts_count": 4},
      {"user_id": "1669879400", "screen_name": "东湖水务", "id": "5200000000000003", "bid": "Pxyz3", "text": "转发",
       "full_created_at": "2026-06-02 09:00:00", "attitudes_count": 0, "comments_count": 0, "reposts_count": 0,
       "retweet": {"user_id": "7100", "screen_name": "水务观察", "id": "5200000000000009", "bid": "Pxyz9", "text": "原文",
                   "full_created_at": "2026-06-01 20:00:00", "attitudes_count": 50, "comments_count": 9, "reposts_count": 30}},
      "not an object"]})";
  auto items = ReadWith(std::make_shared<WeiboCrawlerAdapter>("", ""), doc, "weibo/1669879400.json", Format::kJsonArray);
  ASSERT_EQ(items.size(), 4u);
  ASSERT_TRUE(items[0].ok && items[1].ok && items[2].ok);
  EXPECT_EQ(items[0].post.author.followers, 81000);
  EXPECT_TRUE(items[0].post.author.verified);
  EXPECT_EQ(items[1].post.id, "5200000000000009");
  EXPECT_EQ(items[1].post.author.followers, 0);  // the original's author is someone else
  EXPECT_EQ(items[2].post.parent, "5200000000000009");
  EXPECT_FALSE(items[3].ok);
}

TEST(DetectVendor, OnlyUnmistakableMarks) {
  EXPECT_EQ(DetectVendor(R"({"created_at":"Tue Dec 01 10:00:00 +0800 2026","mblog":{}})", "a.jsonl"), "weibo");
  EXPECT_EQ(DetectVendor(R"({"text_raw":"x"})", "a.jsonl"), "weibo");
  EXPECT_EQ(DetectVendor("id,bid,正文,日期,点赞数,评论数,转发数\n", "1.csv"), "weibo-crawler");
  EXPECT_EQ(DetectVendor(R"({"note_id":"1","content":"x","last_modify_ts":1})", "a.jsonl"), "mediacrawler");
  EXPECT_EQ(DetectVendor(R"({"id":"1","text":"x","created_at":"2026-06-01"})", "a.jsonl"), "");
  EXPECT_EQ(DetectVendor("正文,发布时间\n", "a.csv"), "");
}

}  // namespace
}  // namespace yuqing::ingest
