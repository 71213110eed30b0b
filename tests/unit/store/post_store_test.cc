#include "store/post_store.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "store/fts_tokenizer.h"

namespace yuqing::store {

class PostStoreTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    norm_ = *text::Normalizer::Create();
    seg_ = *text::Segmenter::Create();
  }
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("yq-ps-" + std::to_string(::getpid()) + "-" +
                                                      ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = std::move(Database::Open((dir_ / "t.db").string())).value();
    ASSERT_TRUE(RegisterYuqingTokenizer(*db_, norm_, seg_).ok());
    auto ps = PostStore::Open(*db_);
    ASSERT_TRUE(ps.ok()) << ps.status().ToString();
    posts_ = std::move(ps).value();
  }
  void TearDown() override {
    posts_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }
  bool Add(const std::string& id, const std::string& text, TimeMs t, const std::string& source = "weibo") {
    ProcessedPost pp;
    pp.post.id = id;
    pp.post.text = text;
    pp.post.source = source;
    pp.post.published_at = t;
    pp.schemes.push_back({7, {"停水"}});
    auto r = posts_->Insert(pp);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() && *r;
  }
  std::vector<std::string> Ids(SearchQuery q) {
    auto r = posts_->Search(q);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    std::vector<std::string> out;
    if (r.ok())
      for (auto& h : r->hits) out.push_back(h.post.post.id);
    return out;
  }
  static inline std::shared_ptr<const text::Normalizer> norm_;
  static inline std::shared_ptr<const text::Segmenter> seg_;
  std::filesystem::path dir_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<PostStore> posts_;
};

TEST_F(PostStoreTest, InsertIsIdempotent) {
  EXPECT_TRUE(Add("a", "东湖自来水公司停水", 1000));
  EXPECT_FALSE(Add("a", "different text, same id", 2000));
  EXPECT_EQ(*posts_->Count(), 1);
  auto got = posts_->Get("a");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->post.text, "东湖自来水公司停水");
  EXPECT_EQ((*got)->schemes.at(0).scheme_id, 7);
}

TEST_F(PostStoreTest, SearchFoldsScriptsWidthAndCase) {
  Add("s", "东湖自来水公司今日停水", 1000);
  Add("t", "東湖自來水公司水質問題", 2000);
  Add("e", "Water supply in DONGHU restored", 3000);
  Add("w", "ＤＯＮＧＨＵ全角", 4000);
  SearchQuery q;
  q.text = "自來水";
  EXPECT_EQ(Ids(q), (std::vector<std::string>{"t", "s"}));  // newest first
  q.text = "donghu";
  EXPECT_EQ(Ids(q), (std::vector<std::string>{"w", "e"}));
  q.text = "\"东湖自来水公司\"";
  EXPECT_EQ(Ids(q).size(), 2u);
  q.text = "自来";  // a dictionary sub-word of 自来水 (colocated token)
  EXPECT_EQ(Ids(q).size(), 2u);
}

TEST_F(PostStoreTest, SnippetMarksHitsInOriginalText) {
  Add("t", "市民反映東湖自來水有異味", 1000);
  SearchQuery q;
  q.text = "自来水";
  auto r = posts_->Search(q);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->hits.size(), 1u);
  std::string expect = std::string(kMarkStart) + "自來水" + kMarkEnd;
  EXPECT_NE(r->hits[0].snippet.find(expect), std::string::npos) << r->hits[0].snippet;
}

TEST_F(PostStoreTest, FiltersAndExclusionAndOr) {
  Add("a", "停水 通知", 1000, "weibo");
  Add("b", "停水 广告", 2000, "news");
  Add("c", "断水 通知", 3000, "news");
  SearchQuery q;
  q.text = "停水 -广告";
  EXPECT_EQ(Ids(q), std::vector<std::string>{"a"});
  q.text = "停水 OR 断水";
  EXPECT_EQ(Ids(q).size(), 3u);
  q.sources = {"news"};
  EXPECT_EQ(Ids(q), (std::vector<std::string>{"c", "b"}));
  q.sources.clear();
  q.from = 1500;
  q.to = 2500;
  EXPECT_EQ(Ids(q), std::vector<std::string>{"b"});
  SearchQuery s;
  s.scheme_id = 7;
  EXPECT_EQ(Ids(s).size(), 3u);
  s.scheme_id = 8;
  EXPECT_TRUE(Ids(s).empty());
}

TEST_F(PostStoreTest, CursorPaging) {
  for (int i = 0; i < 25; ++i) Add("p" + std::to_string(i), "停水 第" + std::to_string(i) + "条", 1000 + i);
  SearchQuery q;
  q.text = "停水";
  q.limit = 10;
  std::set<std::string> seen;
  for (int page = 0; page < 5; ++page) {
    auto r = posts_->Search(q);
    ASSERT_TRUE(r.ok());
    for (auto& h : r->hits) seen.insert(h.post.post.id);
    if (r->next_cursor.empty()) break;
    ASSERT_TRUE(q.SetCursor(r->next_cursor).ok());
  }
  EXPECT_EQ(seen.size(), 25u);
}

TEST_F(PostStoreTest, NewestFirstByPublicationNotInsertion) {
  Add("late", "停水", 5000);
  Add("early", "停水", 1000);
  Add("mid", "停水", 3000);
  SearchQuery q;
  q.text = "停水";
  EXPECT_EQ(Ids(q), (std::vector<std::string>{"late", "mid", "early"}));
  EXPECT_FALSE(q.SetCursor("garbage").ok());
}

TEST_F(PostStoreTest, BadQueriesAreInvalidNotCrashes) {
  for (const char* bad : {"\"unclosed", "-only", "OR", "a OR"}) {
    auto r = PostStore::ToFtsQuery(bad);
    EXPECT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), Code::kInvalid);
  }
  SearchQuery q;
  q.text = "a\"b";
  EXPECT_TRUE(posts_->Search(q).ok());  // quotes inside words are escaped
}

TEST_F(PostStoreTest, Quarantine) {
  auto q = QuarantineStore::Open(*db_);
  ASSERT_TRUE(q.ok());
  QuarantineRecord r{"f.jsonl", 3, 40, "bad_json", "invalid JSON", "{bad", "jsonl", 1};
  auto id = (*q)->Add(r);
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(*(*q)->CountOpen(), 1);
  ASSERT_TRUE((*q)->MarkResolved(*id, 5).ok());
  EXPECT_EQ(*(*q)->CountOpen(), 0);
  auto all = (*q)->List("all", 10);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].record.line, 3);
  EXPECT_EQ((*all)[0].status, "resolved");
}

}  // namespace yuqing::store
