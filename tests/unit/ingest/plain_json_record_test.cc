#include "ingest/plain_json_record.h"

#include <gtest/gtest.h>

#include "covid_sample.h"

namespace yuqing::ingest {
namespace {

using nlohmann::json;

const ParseDefaults kDefaults{"rss", 1'700'000'000'000};

// What the nlohmann path makes of the line.
ParsedPost Slow(std::string_view line) { return PostFromJson(json::parse(line), kDefaults); }

void ExpectSame(const ParsedPost& a, const ParsedPost& b, std::string_view line) {
  SCOPED_TRACE(std::string(line.substr(0, 200)));
  ASSERT_EQ(a.ok, b.ok);
  EXPECT_EQ(a.error.code, b.error.code);
  EXPECT_EQ(a.error.reason, b.error.reason);
  const Post &p = a.post, &q = b.post;
  EXPECT_EQ(p.id, q.id);
  EXPECT_EQ(p.source, q.source);
  EXPECT_EQ(p.channel, q.channel);
  EXPECT_EQ(p.url, q.url);
  EXPECT_EQ(p.title, q.title);
  EXPECT_EQ(p.text, q.text);
  EXPECT_EQ(p.published_at, q.published_at);
  EXPECT_EQ(p.ingested_at, q.ingested_at);
  EXPECT_EQ(p.region, q.region);
  EXPECT_EQ(p.parent, q.parent);
  EXPECT_EQ(p.lang, q.lang);
  EXPECT_EQ(p.extra_json, q.extra_json);
  EXPECT_EQ(p.author.id, q.author.id);
  EXPECT_EQ(p.author.name, q.author.name);
  EXPECT_EQ(p.author.location, q.author.location);
  EXPECT_EQ(p.author.followers, q.author.followers);
  EXPECT_EQ(p.author.verified, q.author.verified);
  EXPECT_EQ(p.metrics.reposts, q.metrics.reposts);
  EXPECT_EQ(p.metrics.comments, q.metrics.comments);
  EXPECT_EQ(p.metrics.likes, q.metrics.likes);
  EXPECT_EQ(p.metrics.views, q.metrics.views);
}

TEST(PlainJsonRecord, PlainRecordsGiveWhatPostFromJsonGives) {
  const char* lines[] = {
      R"({"id": "covid-1", "source": "weibo", "text": "#冠状病毒# 非常鲜活的科普", "published_at": "2020-01-19T00:00:00+08:00", "author": {"id": "4122316199"}})",
      R"({"text": "东湖停水了", "title": "停水通知", "url": "https://example.com/a?b=1", "channel": "新闻", "region": "武汉", "parent": "p1", "lang": "zh"})",
      R"({"id": 12345, "text": "x", "published_at": 1579363200, "metrics": {"reposts": 3, "comments": 0, "likes": 12, "views": 9000000000}})",
      R"({"text": "ms", "published_at": 1579363200123, "author": {"id": 42, "name": "水务集团", "location": "湖北 武汉", "followers": 120000, "verified": true}})",
      R"({"text": "no time, no id, no source"})",
      R"({"text": "empty strings", "title": "", "source": "", "id": ""})",
      R"(  {"text": "line with \"quotes\" and \\ backslash\nand a newline", "author": {}, "metrics": {}}  )",
      R"({"text": "negative seconds", "published_at": -86400})",
  };
  for (const char* line : lines) {
    auto fast = PlainJsonRecord(line, kDefaults);
    ASSERT_TRUE(fast.has_value()) << line;
    ExpectSame(*fast, Slow(line), line);
    ExpectSame(PostFromJsonText(line, kDefaults), Slow(line), line);
  }
}

TEST(PlainJsonRecord, OversizeFieldsFailAsTheyDoOtherwise) {
  std::string big(kMaxTextBytes + 1, 'a');
  std::string line = json{{"text", big}}.dump();
  auto fast = PlainJsonRecord(line, kDefaults);
  ASSERT_TRUE(fast.has_value());
  EXPECT_FALSE(fast->ok);
  EXPECT_EQ(fast->error.code, "oversize");
  ExpectSame(*fast, Slow(line), "big text");
}

TEST(PlainJsonRecord, EverythingElseIsLeftToNlohmann) {
  const char* lines[] = {
      R"({"content": "an alias", "id": "a"})",                        // alias of text
      R"({"text": "x", "shares": 3})",                                // unknown key -> extra
      R"({"text": "x", "extra": {"k": 1}})",                          // extra itself
      R"({"text": "x", "title": null})",                              // null: as if absent
      R"({"text": "x", "text": "y"})",                                // duplicate key
      R"({"text": "\u4e1c\u6e56"})",                                  // \u escapes
      R"({"text": "x", "metrics": {"likes": 1.5}})",                  // float count
      R"({"text": "x", "metrics": {"likes": -1}})",                   // negative count
      R"({"text": "x", "metrics": {"likes": "1.2万"}})",              // vendor count
      R"({"text": "x", "metrics": {"shares": 2}})",                   // alias inside metrics
      R"({"text": "x", "reposts": 2})",                               // top-level count
      R"({"text": "x", "published_at": "yesterday-ish"})",            // bad date
      R"({"text": "x", "published_at": 1579363200.5})",               // float time
      R"({"text": "   "})",                                           // blank text
      R"({"text": 5})",                                               // text not a string
      R"({"text": "x", "source": 7})",                                // number for a string field
      R"({"text": "x", "author": "某网友"})",                          // author as a name
      R"({"text": "x", "author": {"uid": "1"}})",                     // author alias
      R"({"text": "x", "author": {"verified": "是"}})",               // verified as text
      R"({"text": "x", "author": {"followers": -3}})",                // negative followers
      R"({"text": "x", "author_id": "1"})",                           // flat author field
      R"({"text": "x", "id": 18446744073709551615})",                 // past int64
      R"(["text", "x"])",                                             // not an object
      R"({"text": "x",})",                                            // invalid JSON
      R"({"text": "x"} {"text": "y"})",                               // trailing content
  };
  for (const char* line : lines) EXPECT_FALSE(PlainJsonRecord(line, kDefaults).has_value()) << line;
  // and PostFromJsonText still reads them the nlohmann way
  EXPECT_EQ(PostFromJsonText(R"({"content": "an alias"})", kDefaults).post.text, "an alias");
  EXPECT_EQ(PostFromJsonText(R"({"text": "x", "metrics": {"likes": "1.2万"}})", kDefaults).post.metrics.likes, 12000);
  EXPECT_EQ(PostFromJsonText(R"({"text": "\u4e1c\u6e56"})", kDefaults).post.text, "东湖");
  EXPECT_EQ(PostFromJsonText(R"({"text": "x",})", kDefaults).error.code, "bad_json");
  EXPECT_EQ(PostFromJsonText(R"({"text": "   "})", kDefaults).error.code, "missing_text");
  EXPECT_EQ(PostFromJsonText(R"({"text": "x", "published_at": "yesterday-ish"})", kDefaults).error.code, "bad_date");
  EXPECT_EQ(PostFromJsonText(R"({"text": "x", "shares": 3})", kDefaults).post.extra_json, R"({"shares":3})");
}

TEST(PlainJsonRecord, RealPostsTakeTheFastPathAndAgree) {
  auto rows = testing::ReadCovidRows(5000);
  if (rows.empty()) GTEST_SKIP() << "../shared/data is absent";
  size_t fast_count = 0, n = 0;
  for (const auto& row : rows) {
    std::string text = row.text;
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    // As scripts/data/covid_to_jsonl.py writes them (the TSV's second column is the author).
    char when[32];
    std::snprintf(when, sizeof when, "2020-01-19T%02zu:%02zu:%02zu+08:00", n / 3600 % 24, n / 60 % 60, n % 60);
    json rec = {{"id", "covid-" + std::to_string(++n)}, {"source", "weibo"}, {"text", text},
                {"published_at", when}, {"author", {{"id", row.time}}}};
    const std::string line = rec.dump(-1, ' ', false, json::error_handler_t::replace);
    auto fast = PlainJsonRecord(line, kDefaults);
    if (!fast) continue;
    ++fast_count;
    ExpectSame(*fast, Slow(line), line);
    if (::testing::Test::HasFailure()) break;
  }
  // Every record of the export is plain (a few blank texts aside).
  EXPECT_GE(fast_count, rows.size() * 99 / 100);
}

}  // namespace
}  // namespace yuqing::ingest
