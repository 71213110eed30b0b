#include "app/scheme_tester.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "store/fts_tokenizer.h"

namespace yuqing::app {
namespace {

constexpr TimeMs kNow = 1'780'000'000'000;

class SchemeTesterTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    norm_ = *text::Normalizer::Create();
    seg_ = *text::Segmenter::Create();
  }
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("yq-st-" + std::to_string(::getpid()) + "-" +
                                                      ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = std::move(store::Database::Open((dir_ / "t.db").string())).value();
    ASSERT_TRUE(store::RegisterYuqingTokenizer(*db_, norm_, seg_).ok());
    posts_ = std::move(store::PostStore::Open(*db_)).value();
  }
  void TearDown() override {
    posts_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }
  void Add(const std::string& id, const std::string& text, TimeMs t, const std::string& author = "") {
    ProcessedPost pp;
    pp.post.id = id;
    pp.post.text = text;
    pp.post.author.name = author;
    pp.post.source = "weibo";
    pp.post.published_at = t;
    auto r = posts_->Insert(pp);
    ASSERT_TRUE(r.ok() && *r) << r.status().ToString();
  }
  static rules::Scheme MakeScheme(const std::string& query, std::vector<std::string> exclude = {}) {
    rules::Scheme s;
    s.name = "t";
    s.query = query;
    s.exclude = std::move(exclude);
    return s;
  }
  static inline std::shared_ptr<const text::Normalizer> norm_;
  static inline std::shared_ptr<const text::Segmenter> seg_;
  std::filesystem::path dir_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<store::PostStore> posts_;
};

// 2,500 posts, three to a minute; half about the water cut, one in twenty of those an ad.
TEST_F(SchemeTesterTest, CountsEveryPostOfThePeriodAndSamplesTheNewest) {
  int64_t want = 0, water_posts = 0;
  for (int i = 0; i < 2500; ++i) {
    bool water = i % 4 <= 1, ad = i % 40 == 0;
    Add("p" + std::to_string(i), std::string(water ? "东湖區明日停水" : "今天天气不错") + (ad ? "，广告" : ""),
        kNow - (i / 3 + 1) * kMinute);
    want += water && !ad;
    water_posts += water;
  }
  Add("old", "去年的停水", kNow - 30 * kDay);
  SchemeTestOptions o;
  o.from = kNow - 7 * kDay;
  o.max_samples = 4;
  auto r = TestScheme(*posts_, MakeScheme("停水", {"广告"}), norm_, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->scanned, 2500);
  EXPECT_EQ(r->matched, want);
  EXPECT_FALSE(r->truncated);
  // Newest first (p0 is an ad); p3, p4 and p5 share a minute and the one stored later comes first.
  ASSERT_EQ(r->samples.size(), 4u);
  EXPECT_EQ(r->samples[0].post.post.id, "p1");
  EXPECT_EQ(r->samples[1].post.post.id, "p5");
  EXPECT_EQ(r->samples[2].post.post.id, "p4");
  EXPECT_EQ(r->samples[3].post.post.id, "p8");
  EXPECT_EQ(r->samples[0].terms, std::vector<std::string>{"停水"});
  ASSERT_EQ(r->samples[0].spans.size(), 1u);
  EXPECT_EQ(r->samples[0].spans[0].start, 5u);  // characters: 东湖區明日|停水
  EXPECT_EQ(r->samples[0].spans[0].end, 7u);

  o.from = 0;  // every post
  r = TestScheme(*posts_, MakeScheme("停水"), norm_, o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->scanned, 2501);
  EXPECT_EQ(r->matched, water_posts + 1);
}

TEST_F(SchemeTesterTest, StopsAtMaxScanAndSaysSo) {
  for (int i = 0; i < 2500; ++i) Add("p" + std::to_string(i), i % 2 ? "停水" : "天气", kNow - i * kMinute);
  SchemeTestOptions o;
  o.max_scan = 1500;
  auto r = TestScheme(*posts_, MakeScheme("停水"), norm_, o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->scanned, 1500);
  EXPECT_EQ(r->matched, 750);  // of the newest 1,500
  EXPECT_TRUE(r->truncated);
  o.max_scan = 2500;  // exactly all: nothing left unread
  r = TestScheme(*posts_, MakeScheme("停水"), norm_, o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->scanned, 2500);
  EXPECT_FALSE(r->truncated);
}

TEST_F(SchemeTesterTest, ReadsEveryFieldTheMatcherDoes) {
  Add("a", "明天的通知", kNow - kHour, "东湖发布");
  Add("b", "明天的通知", kNow - kHour, "网友");
  rules::Scheme s = MakeScheme("author:东湖发布 AND 通知");
  s.enabled = false;  // a disabled scheme is tested all the same
  auto r = TestScheme(*posts_, s, norm_, {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->matched, 1);
  ASSERT_EQ(r->samples.size(), 1u);
  EXPECT_EQ(r->samples[0].post.post.id, "a");
}

TEST_F(SchemeTesterTest, ASchemeThatDoesNotParseIsInvalidWithItsColumn) {
  rules::ParseError err;
  auto r = TestScheme(*posts_, MakeScheme("停水 AND (通知"), norm_, {}, &err);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalid);
  EXPECT_GT(err.column, 0);
}

}  // namespace
}  // namespace yuqing::app
