// The JSON views of the domain types (core/*_json.h) and the small rules beside the types.
#include <gtest/gtest.h>

#include "core/alert.h"
#include "core/alert_json.h"
#include "core/event_json.h"
#include "core/post_json.h"
#include "core/user.h"
#include "core/user_json.h"

namespace yuqing {
namespace {

TEST(PostJson, StoredPostWithAnalysisSchemesAndExtra) {
  StoredPost sp;
  sp.rowid = 7;
  sp.post.id = "p1";
  sp.post.source = "weibo";
  sp.post.text = "停水了";
  sp.post.author.followers = 12;
  sp.post.extra_json = R"({"k":1})";
  sp.analysis.simhash = 0xabc;
  sp.analysis.types.push_back({"complaint", {"停水"}, 0.5});
  sp.schemes.push_back({3, {"停水"}});
  nlohmann::json j = StoredPostToJson(sp);
  EXPECT_EQ(j["id"], "p1");
  EXPECT_EQ(j["author"]["followers"], 12);
  EXPECT_EQ(j["extra"]["k"], 1);
  EXPECT_EQ(j["analysis"]["simhash"], "0000000000000abc");
  EXPECT_TRUE(j["analysis"]["dup_of"].is_null());
  EXPECT_TRUE(j["analysis"]["event"].is_null());
  EXPECT_EQ(j["analysis"]["types"][0]["evidence"][0], "停水");
  EXPECT_EQ(j["schemes"][0]["id"], 3);
  EXPECT_EQ(j.count("rowid"), 0u);

  sp.post.extra_json = "{not json";
  EXPECT_EQ(StoredPostToJson(sp).count("extra"), 0u);
}

TEST(AlertJson, LevelsAndUnsetFieldsAreNull) {
  AlertRecord a;
  a.id = 5;
  a.severity = 4;
  a.created_at = 1000;
  nlohmann::json j = AlertToJson(a);
  EXPECT_EQ(j["level"], "I");
  EXPECT_EQ(j["color"], "red");
  EXPECT_EQ(j["level_zh"], "特别重大");
  EXPECT_TRUE(j["acked_by"].is_null());
  EXPECT_TRUE(j["deadline"].is_null());
  EXPECT_EQ(j["created_at"], FormatTime(1000));
  EXPECT_EQ(AlertHistoryToJson({5, 1000, "raised", 1, "system", ""})["level"], "IV");
}

TEST(AlertLevels, ParseEveryName) {
  for (int s = 1; s <= 4; ++s) {
    EXPECT_EQ(ParseLevel(LevelName(s)), s);
    EXPECT_EQ(ParseLevel(LevelColor(s)), s);
    EXPECT_EQ(ParseLevel(LevelNameZh(s)), s);
  }
  EXPECT_EQ(ParseLevel("4"), 1);  // digits name the Roman level
  EXPECT_EQ(ParseLevel("1"), 4);
  EXPECT_EQ(ParseLevel("V"), 0);
  EXPECT_STREQ(LevelName(0), "");
}

TEST(UserJson, NoPasswordHash) {
  User u;
  u.name = "li";
  u.role = "viewer";
  u.password_hash = "$argon2id$...";
  nlohmann::json j = UserToJson(u);
  EXPECT_EQ(j.count("password_hash"), 0u);
  EXPECT_EQ(j["has_password"], true);
  EXPECT_TRUE(IsValidRole("responder"));
  EXPECT_FALSE(IsValidRole("root"));
}

TEST(EventJson, RoundTrips) {
  EventRecord e;
  e.id = 9;
  e.title = "停水";
  e.first_seen = 3600000;
  e.last_seen = 7200000;
  e.posts = 4;
  e.volume[3600000] = 3;
  e.types["complaint"] = 2;
  e.spreaders.push_back({"u1", "李", 2, 40});
  e.terms.emplace_back("停水", 0.7);
  e.merged_into = 2;
  auto back = EventFromJson(EventToJson(e));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->id, 9);
  EXPECT_EQ(back->title, "停水");
  EXPECT_EQ(back->last_seen, 7200000);
  EXPECT_EQ(back->volume, e.volume);
  EXPECT_EQ(back->types, e.types);
  ASSERT_EQ(back->spreaders.size(), 1u);
  EXPECT_EQ(back->spreaders[0].reach, 40);
  EXPECT_EQ(back->terms, e.terms);
  EXPECT_EQ(back->merged_into, 2);
  EXPECT_EQ(EventFromJson(nlohmann::json::array()).status().code(), Code::kInvalid);
}

}  // namespace
}  // namespace yuqing
