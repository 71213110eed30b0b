// MediaCrawler records as its store modules write them (store/<platform>/__init__.py builds each
// row; database/models.py names the tables), one realistic row per platform.
#include "ingest/mediacrawler.h"

#include <gtest/gtest.h>

#include "ingest/reader.h"

namespace yuqing::ingest {
namespace {

using nlohmann::json;

std::vector<Item> ReadAs(std::string_view data, const std::string& path, const McProfiles& profiles = {}) {
  auto target = McTargetFromPath(path, "");
  EXPECT_TRUE(target.ok()) << target.status().ToString();
  ReadOptions o;
  o.defaults.now = 5000;
  o.adapter = std::make_shared<MediaCrawlerAdapter>(*target, std::make_shared<McProfiles>(profiles));
  std::vector<Item> items;
  Status st = ReadBuffer(data, path, o, [&](Item& it) {
    items.push_back(it);
    return Status::Ok();
  });
  EXPECT_TRUE(st.ok()) << st.ToString();
  return items;
}

TEST(McTarget, PlatformAndKindFromMediaCrawlersPaths) {
  auto t = McTargetFromPath("/data/mc/weibo/jsonl/search_comments_2026-06-01.jsonl", "");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->platform, "weibo");
  EXPECT_EQ(t->kind, McKind::kComment);
  t = McTargetFromPath("data/xhs/csv/detail_contents_2026-06-01.csv", "");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->platform, "xhs");
  EXPECT_EQ(t->kind, McKind::kContent);
  t = McTargetFromPath("data/douyin/json/creator_creators_2026-06-01.json", "");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->kind, McKind::kCreator);
  EXPECT_FALSE(McTargetFromPath("exports/today.jsonl", "").ok());
  EXPECT_EQ(McTargetFromPath("exports/today.jsonl", "tieba")->platform, "tieba");
  EXPECT_FALSE(McTargetFromPath("exports/today.jsonl", "twitter").ok());
}

TEST(MediaCrawler, WeiboNoteAndCommentsWithParents) {
  const char* notes =
      R"({"note_id": "4900000000000001", "content": "东湖自来水有异味，烧开也有", "create_time": 1780275600, "create_date_time": "2026-06-01 09:00:00", "liked_count": "3", "comments_count": "2", "shared_count": "1", "last_modify_ts": 1780276000123, "note_url": "https://m.weibo.cn/detail/4900000000000001", "ip_location": "湖北", "user_id": "5512345678", "nickname": "东湖居民", "gender": "f", "profile_url": "https://m.weibo.cn/u/5512345678", "avatar": "https://tvax1.sinaimg.cn/x.jpg", "source_keyword": "东湖 自来水"})"
      "\n";
  auto items = ReadAs(notes, "mc/weibo/jsonl/search_contents_2026-06-01.jsonl",
                      {{"5512345678", McProfile{1234, true}}});
  ASSERT_EQ(items.size(), 1u);
  ASSERT_TRUE(items[0].ok) << items[0].bad.reason;
  const Post& p = items[0].post;
  EXPECT_EQ(p.id, "4900000000000001");
  EXPECT_EQ(p.source, "weibo");
  EXPECT_EQ(p.text, "东湖自来水有异味，烧开也有");
  EXPECT_EQ(p.published_at, 1780275600000);
  EXPECT_EQ(FormatTime(p.published_at), "2026-06-01T09:00:00+08:00");
  EXPECT_EQ(p.metrics.likes, 3);
  EXPECT_EQ(p.metrics.comments, 2);
  EXPECT_EQ(p.metrics.reposts, 1);
  EXPECT_EQ(p.author.id, "5512345678");
  EXPECT_EQ(p.author.name, "东湖居民");
  EXPECT_EQ(p.author.location, "湖北");
  EXPECT_EQ(p.author.followers, 1234);
  EXPECT_TRUE(p.author.verified);
  EXPECT_EQ(p.url, "https://m.weibo.cn/detail/4900000000000001");
  EXPECT_NE(p.extra_json.find("东湖 自来水"), std::string::npos);

  // A top-level comment (rootid is itself) answers the note; a reply answers its root comment.
  const char* comments =
      R"({"comment_id": "4900000000009001", "create_time": 1780276000, "create_date_time": "2026-06-01 09:06:40", "note_id": "4900000000000001", "content": "我家也是", "sub_comment_count": "1", "comment_like_count": "5", "last_modify_ts": 1780276100000, "ip_location": "来自湖北", "parent_comment_id": "4900000000009001", "user_id": "6001", "nickname": "邻居"})"
      "\n"
      R"({"comment_id": "4900000000009002", "create_time": 1780276300, "create_date_time": "2026-06-01 09:11:40", "note_id": "4900000000000001", "content": "同楼的也有", "sub_comment_count": "0", "comment_like_count": "0", "last_modify_ts": 1780276100000, "ip_location": "来自湖北", "parent_comment_id": "4900000000009001", "user_id": "6002", "nickname": "楼上"})"
      "\n";
  items = ReadAs(comments, "mc/weibo/jsonl/search_comments_2026-06-01.jsonl");
  ASSERT_EQ(items.size(), 2u);
  ASSERT_TRUE(items[0].ok && items[1].ok);
  EXPECT_EQ(items[0].post.id, "4900000000009001");
  EXPECT_EQ(items[0].post.parent, "4900000000000001");
  EXPECT_EQ(items[0].post.metrics.likes, 5);
  EXPECT_EQ(items[0].post.author.location, "湖北");
  EXPECT_EQ(items[1].post.parent, "4900000000009001");
}

TEST(MediaCrawler, AnonymisedRowsOfTheTeachingEdition) {
  // Newer MediaCrawler keeps a creator_hash and a masked nickname instead of the user's id.
  auto items = ReadAs(
      R"({"note_id": "4900000000000002", "content": "东湖水务回应水质问题", "create_time": 1780279200, "liked_count": "9", "comments_count": "0", "shared_count": "2", "creator_hash": "h2", "nickname": "东湖*"})"
      "\n",
      "mc/weibo/jsonl/search_contents_2026-06-01.jsonl");
  ASSERT_EQ(items.size(), 1u);
  ASSERT_TRUE(items[0].ok);
  EXPECT_EQ(items[0].post.author.id, "h2");
  EXPECT_EQ(items[0].post.author.name, "东湖*");
}

TEST(MediaCrawler, XiaohongshuCsvWithBomMillisecondsAndRoundedCounts) {
  std::string csv =
      "\xEF\xBB\xBFnote_id,type,title,desc,video_url,time,last_update_time,user_id,nickname,avatar,liked_count,"
      "collected_count,comment_count,share_count,ip_location,image_list,tag_list,last_modify_ts,note_url,source_keyword,"
      "xsec_token\n"
      "6650a1b2c3d4e5f600000001,normal,东湖边的水真的能喝吗,\"东湖边的水真的能喝吗？\n最近一直有味道\",,1780275600000,"
      "1780275600000,5f00aa,小红薯A,https://sns-avatar/x,1.2万,10+,36,5,湖北,https://ci.xiaohongshu.com/a.jpg,"
      "东湖,1780276000000,https://www.xiaohongshu.com/explore/6650a1b2c3d4e5f600000001?xsec_token=AB,东湖,AB\n";
  auto items = ReadAs(csv, "data/xhs/csv/search_contents_2026-06-01.csv");
  ASSERT_EQ(items.size(), 1u);
  ASSERT_TRUE(items[0].ok) << items[0].bad.reason;
  const Post& p = items[0].post;
  EXPECT_EQ(p.id, "xiaohongshu:6650a1b2c3d4e5f600000001");
  EXPECT_EQ(p.source, "xiaohongshu");
  EXPECT_EQ(p.title, "");  // the title is the start of the text
  EXPECT_EQ(p.text, "东湖边的水真的能喝吗？\n最近一直有味道");
  EXPECT_EQ(p.published_at, 1780275600000);
  EXPECT_EQ(p.metrics.likes, 12000);
  EXPECT_EQ(p.metrics.comments, 36);
  EXPECT_EQ(p.metrics.reposts, 5);
  EXPECT_EQ(p.url, "https://www.xiaohongshu.com/explore/6650a1b2c3d4e5f600000001?xsec_token=AB");
}

TEST(MediaCrawler, DouyinBilibiliKuaishouZhihuTiebaJsonArrays) {
  auto dy = ReadAs(
      R"([{"aweme_id": "7301000000000000001", "aweme_type": "0", "title": "东湖停水了", "desc": "东湖停水了", "create_time": 1780275600, "user_id": "1001", "sec_uid": "MS4x", "nickname": "抖音用户", "liked_count": "120", "collected_count": "3", "comment_count": "14", "share_count": "None", "ip_location": "湖北", "last_modify_ts": 1780276000000, "aweme_url": "https://www.douyin.com/video/7301000000000000001"}])",
      "data/douyin/json/search_contents_2026-06-01.json");
  ASSERT_EQ(dy.size(), 1u);
  ASSERT_TRUE(dy[0].ok) << dy[0].bad.reason;
  EXPECT_EQ(dy[0].post.id, "douyin:7301000000000000001");
  EXPECT_EQ(dy[0].post.title, "");
  EXPECT_EQ(dy[0].post.metrics.reposts, 0);  // "None": not given
  EXPECT_EQ(dy[0].post.metrics.likes, 120);

  auto dyc = ReadAs(
      R"([{"comment_id": "7302000000000000001", "create_time": 1780276000, "ip_location": "湖北", "aweme_id": "7301000000000000001", "content": "我们小区也停了", "user_id": "1002", "nickname": "网友", "sub_comment_count": "0", "like_count": 4, "parent_comment_id": "0", "last_modify_ts": 1780276000000}])",
      "data/douyin/json/search_comments_2026-06-01.json");
  ASSERT_TRUE(dyc.at(0).ok);
  EXPECT_EQ(dyc[0].post.id, "douyin:c:7302000000000000001");
  EXPECT_EQ(dyc[0].post.parent, "douyin:7301000000000000001");

  auto bili = ReadAs(
      R"([{"video_id": "113000000000001", "video_type": "video", "title": "实拍东湖水厂", "desc": "记者探访东湖水厂", "create_time": 1780275600, "user_id": "2001", "nickname": "UP主", "liked_count": "800", "video_play_count": "21000", "video_comment": "55", "video_share_count": "12", "last_modify_ts": 1780276000000, "video_url": "https://www.bilibili.com/video/av113000000000001"}])",
      "data/bilibili/json/search_contents_2026-06-01.json");
  ASSERT_TRUE(bili.at(0).ok);
  EXPECT_EQ(bili[0].post.title, "实拍东湖水厂");
  EXPECT_EQ(bili[0].post.text, "记者探访东湖水厂");
  EXPECT_EQ(bili[0].post.metrics.views, 21000);
  EXPECT_EQ(bili[0].post.url, "https://www.bilibili.com/video/av113000000000001");

  auto ks = ReadAs(
      R"({"video_id": "3xabc", "video_type": "1", "title": "停水第三天", "desc": "停水第三天", "create_time": 1780275600000, "user_id": "3x1", "nickname": "快手用户", "liked_count": "66", "viewd_count": "3000", "last_modify_ts": 1780276000000, "video_url": "https://www.kuaishou.com/short-video/3xabc"})"
      "\n",
      "data/kuaishou/jsonl/search_contents_2026-06-01.jsonl");
  ASSERT_TRUE(ks.at(0).ok);
  EXPECT_EQ(ks[0].post.published_at, 1780275600000);
  EXPECT_EQ(ks[0].post.metrics.views, 3000);

  auto zh = ReadAs(
      R"({"content_id": "300001", "content_type": "answer", "content_text": "水质报告应当公开", "content_url": "https://www.zhihu.com/question/1/answer/300001", "question_id": "1", "title": "如何看待东湖水质问题", "created_time": 1780275600, "voteup_count": 41, "comment_count": 7, "user_id": "z1", "user_nickname": "知乎用户"})"
      "\n",
      "data/zhihu/jsonl/search_contents_2026-06-01.jsonl");
  ASSERT_TRUE(zh.at(0).ok);
  EXPECT_EQ(zh[0].post.title, "如何看待东湖水质问题");
  EXPECT_EQ(zh[0].post.metrics.likes, 41);
  EXPECT_EQ(zh[0].post.author.name, "知乎用户");

  // Tieba writes Beijing local time strings; older exports spell parent "parment_comment_id".
  auto tb = ReadAs(
      R"({"comment_id": "150001", "parment_comment_id": "", "content": "楼主说得对", "user_nickname": "吧友", "publish_time": "2026-06-01 09:30", "ip_location": "湖北", "sub_comment_count": 0, "note_id": "9001", "note_url": "https://tieba.baidu.com/p/9001", "tieba_name": "东湖吧"})"
      "\n",
      "data/tieba/jsonl/search_comments_2026-06-01.jsonl");
  ASSERT_TRUE(tb.at(0).ok);
  EXPECT_EQ(tb[0].post.parent, "tieba:9001");
  EXPECT_EQ(tb[0].post.channel, "东湖吧");
  EXPECT_EQ(FormatTime(tb[0].post.published_at), "2026-06-01T09:30:00+08:00");
}

TEST(MediaCrawler, BadRowsAreQuarantinedWithTheirReason) {
  auto items = ReadAs(
      R"({"content": "没有 id 的笔记", "create_time": 1780275600})"
      "\n"
      R"({"note_id": "1", "content": "  ", "create_time": 1780275600})"
      "\n"
      R"({"note_id": "2", "content": "点赞数不是数", "liked_count": "很多", "create_time": 1780275600})"
      "\n"
      R"({"note_id": "3", "content": "时间坏了", "create_date_time": "昨天"})"
      "\n"
      "{not json\n",
      "mc/weibo/jsonl/search_contents_2026-06-01.jsonl");
  ASSERT_EQ(items.size(), 5u);
  for (auto& it : items) EXPECT_FALSE(it.ok);
  EXPECT_EQ(items[0].bad.code, "bad_field");
  EXPECT_NE(items[0].bad.reason.find("note_id"), std::string::npos);
  EXPECT_EQ(items[1].bad.code, "missing_text");
  EXPECT_EQ(items[2].bad.code, "bad_field");
  EXPECT_EQ(items[3].bad.code, "bad_date");
  EXPECT_EQ(items[4].bad.code, "bad_json");
  EXPECT_EQ(items[4].bad.line, 5);
}

TEST(MediaCrawler, CreatorProfilesGiveFollowers) {
  McProfiles profiles;
  AddMcProfile(json{{"user_id", "1001"}, {"nickname", "a"}, {"fans", "3.5万"}}, profiles);
  AddMcProfile(json{{"user_id", "2001"}, {"total_fans", 120}, {"is_official", 1}}, profiles);
  AddMcProfile(json{{"nickname", "no id"}}, profiles);
  ASSERT_EQ(profiles.size(), 2u);
  EXPECT_EQ(profiles["1001"].followers, 35000);
  EXPECT_FALSE(profiles["1001"].verified);
  EXPECT_EQ(profiles["2001"].followers, 120);
  EXPECT_TRUE(profiles["2001"].verified);
}

}  // namespace
}  // namespace yuqing::ingest
