#include "ingest/reader.h"

#include <gtest/gtest.h>

namespace yuqing::ingest {

struct Collected {
  std::vector<Item> items;
  int ok() const {
    int n = 0;
    for (auto& i : items) n += i.ok;
    return n;
  }
};

Collected Read(std::string_view data, const std::string& name, ReadOptions o = {}) {
  Collected c;
  o.defaults.now = 5000;
  Status st = ReadBuffer(data, name, o, [&](Item& it) {
    c.items.push_back(it);
    return Status::Ok();
  });
  EXPECT_TRUE(st.ok()) << st.ToString();
  return c;
}

TEST(Reader, JsonLinesKeepsLineNumbersOfBadRecords) {
  auto c = Read("{\"text\":\"a\"}\n\n{bad\n{\"text\":\"b\"}\n", "x.jsonl");
  ASSERT_EQ(c.items.size(), 3u);
  EXPECT_EQ(c.ok(), 2);
  EXPECT_FALSE(c.items[1].ok);
  EXPECT_EQ(c.items[1].bad.line, 3);
  EXPECT_EQ(c.items[1].bad.code, "bad_json");
  EXPECT_EQ(c.items[1].bad.origin, "x.jsonl");
  EXPECT_EQ(c.items[1].bad.raw, "{bad");
}

TEST(Reader, JsonLinesGbkLine) {
  auto c = Read("{\"text\":\"\xb6\xab\xba\xfe\"}\n", "x.jsonl");
  ASSERT_EQ(c.items.size(), 1u);
  ASSERT_TRUE(c.items[0].ok);
  EXPECT_EQ(c.items[0].post.text, "东湖");
}

TEST(Reader, JsonArray) {
  auto c = Read("[{\"text\":\"a\"},{\"nope\":1}]", "x.json");
  ASSERT_EQ(c.items.size(), 2u);
  EXPECT_TRUE(c.items[0].ok);
  EXPECT_EQ(c.items[1].bad.code, "missing_text");
  EXPECT_EQ(c.items[1].bad.offset, 1);
}

TEST(Reader, BrokenJsonArrayIsOneQuarantinedRecord) {
  auto c = Read("[{\"text\":\"a\"},", "x.json");
  ASSERT_EQ(c.items.size(), 1u);
  EXPECT_EQ(c.items[0].bad.code, "bad_json");
}

TEST(Reader, CsvWithMapAndChineseHeaders) {
  ReadOptions o;
  o.column_map["内容摘要"] = "text";
  auto c = Read("内容摘要,作者,发布时间\n停水了,张三,2026-05-01 08:00\n\"坏\n", "x.csv", o);
  ASSERT_EQ(c.items.size(), 2u);
  ASSERT_TRUE(c.items[0].ok) << c.items[0].bad.reason;
  EXPECT_EQ(c.items[0].post.text, "停水了");
  EXPECT_EQ(c.items[0].post.author.name, "张三");
  EXPECT_FALSE(c.items[1].ok);
  EXPECT_EQ(c.items[1].bad.line, 3);
}

TEST(Reader, CsvWrongFieldCount) {
  auto c = Read("text,author\na,b,c\n", "x.csv");
  ASSERT_EQ(c.items.size(), 1u);
  EXPECT_EQ(c.items[0].bad.code, "bad_csv");
}

TEST(Reader, FeedDetectedBySniffing) {
  auto c = Read("<rss><channel><item><title>t</title><description>d</description></item></channel></rss>", "feed");
  ASSERT_EQ(c.items.size(), 1u);
  EXPECT_TRUE(c.items[0].ok);
  EXPECT_EQ(c.items[0].post.source, "rss");
}

TEST(Reader, DetectFormat) {
  EXPECT_EQ(DetectFormat("[", "a"), Format::kJsonArray);
  EXPECT_EQ(DetectFormat("{", "a"), Format::kJsonLines);
  EXPECT_EQ(DetectFormat("<", "a"), Format::kFeed);
  EXPECT_EQ(DetectFormat("a,b", "a"), Format::kCsv);
  EXPECT_EQ(DetectFormat("[", "a.jsonl"), Format::kJsonLines);
}

}  // namespace yuqing::ingest
