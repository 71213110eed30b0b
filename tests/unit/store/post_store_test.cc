#include "store/post_store.h"
#include "store/sqlite/connection.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <random>
#include <set>

#include "store/fts_tokenizer.h"
#include "store/quarantine_store.h"

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
    db_ = std::move(sqlite::Connection::Open((dir_ / "t.db").string())).value();
    ASSERT_TRUE(RegisterYuqingTokenizer(*db_, norm_, seg_).ok());
    auto ps = PostStore::Open(*db_);
    ASSERT_TRUE(ps.ok()) << ps.status().ToString();
    posts_ = std::move(ps).value();
    cache_ = std::make_shared<SearchCache>();
    cached_ = std::move(PostStore::Open(*db_, cache_)).value();
  }
  void TearDown() override {
    cached_.reset();
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
  // One page of ids; the store with the shared match cache must answer the same, snippets and
  // cursor included.
  std::vector<std::string> Ids(SearchQuery q, std::string* next = nullptr) {
    auto r = posts_->Search(q);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    auto c = cached_->Search(q);
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    std::vector<std::string> out;
    if (!r.ok() || !c.ok()) return out;
    EXPECT_EQ(r->hits.size(), c->hits.size());
    for (size_t i = 0; i < r->hits.size() && i < c->hits.size(); ++i) {
      EXPECT_EQ(r->hits[i].post.post.id, c->hits[i].post.post.id) << q.text << " #" << i;
      EXPECT_EQ(r->hits[i].snippet, c->hits[i].snippet);
    }
    EXPECT_EQ(r->next_cursor, c->next_cursor);
    for (auto& h : r->hits) out.push_back(h.post.post.id);
    if (next) *next = r->next_cursor;
    return out;
  }
  // Every page of a newest-first search.
  std::vector<std::string> AllPages(SearchQuery q) {
    std::vector<std::string> all;
    for (int page = 0; page < 1000; ++page) {
      std::string next;
      auto ids = Ids(q, &next);
      all.insert(all.end(), ids.begin(), ids.end());
      if (next.empty()) break;
      EXPECT_TRUE(q.SetCursor(next).ok());
    }
    return all;
  }
  static inline std::shared_ptr<const text::Normalizer> norm_;
  static inline std::shared_ptr<const text::Segmenter> seg_;
  std::filesystem::path dir_;
  std::unique_ptr<sqlite::Connection> db_;
  std::unique_ptr<PostStore> posts_;
  std::shared_ptr<SearchCache> cache_;
  std::unique_ptr<PostStore> cached_;  // same connection, with a match cache
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

TimeMs HourStart(TimeMs t) { return t - ((t % kHour) + kHour) % kHour; }

// A post of the randomised comparisons below: what the filters look at.
struct Fake {
  std::string id, text, source, sentiment, province;
  TimeMs t;
  int64_t scheme;
};

TEST_F(PostStoreTest, CachedSearchIsExactUnderFiltersCursorsAndNewPosts) {
  std::mt19937 rnd(7);
  const char* words[] = {"停水", "火灾", "交通拥堵", "停电", "投诉"};
  const char* sources[] = {"weibo", "news", "wechat"};
  const char* sentiments[] = {"negative", "neutral", "positive"};
  const char* provinces[] = {"浙江", "江苏", ""};
  std::vector<Fake> fakes;
  auto add_some = [&](int n) {
    for (int i = 0; i < n; ++i) {
      Fake f;
      f.id = "r" + std::to_string(fakes.size());
      f.text = std::string(words[rnd() % 5]) + "，" + words[rnd() % 5] + "。";
      f.source = sources[rnd() % 3];
      f.sentiment = sentiments[rnd() % 3];
      f.province = provinces[rnd() % 3];
      f.t = 1000 + static_cast<TimeMs>(rnd() % 400) * 1000;  // many equal times: rowid breaks ties
      f.scheme = 1 + rnd() % 3;
      ProcessedPost pp;
      pp.post.id = f.id;
      pp.post.text = f.text;
      pp.post.source = f.source;
      pp.post.published_at = f.t;
      pp.analysis.sentiment_label = f.sentiment;
      pp.analysis.province = f.province;
      pp.schemes.push_back({f.scheme, {}});
      ASSERT_TRUE(*posts_->Insert(pp));
      fakes.push_back(f);
    }
  };
  // The expected order: newest first by publication, then by storage order.
  auto expect = [&](const std::string& word, auto&& keep) {
    std::vector<size_t> idx;
    for (size_t i = 0; i < fakes.size(); ++i)
      if (fakes[i].text.find(word) != std::string::npos && keep(fakes[i])) idx.push_back(i);
    std::sort(idx.begin(), idx.end(), [&](size_t a, size_t b) { return fakes[a].t != fakes[b].t ? fakes[a].t > fakes[b].t : a > b; });
    std::vector<std::string> ids;
    for (size_t i : idx) ids.push_back(fakes[i].id);
    return ids;
  };
  for (int round = 0; round < 3; ++round) {
    add_some(150);  // between rounds: new posts, older and newer than the cached ones
    for (const char* w : words) {
      SearchQuery q;
      q.text = w;
      q.limit = 7;
      EXPECT_EQ(AllPages(q), expect(w, [](const Fake&) { return true; })) << w;
      q.sentiment = "negative";
      q.sources = {"weibo", "news"};
      EXPECT_EQ(AllPages(q), expect(w, [](const Fake& f) { return f.sentiment == "negative" && f.source != "wechat"; }));
      q.sentiment.clear();
      q.sources.clear();
      q.province = "浙江";
      q.from = 100000;
      q.to = 300000;
      EXPECT_EQ(AllPages(q), expect(w, [](const Fake& f) { return f.province == "浙江" && f.t >= 100000 && f.t < 300000; }));
      q.province.clear();
      q.scheme_ids = {1, 3};  // department scoping
      EXPECT_EQ(AllPages(q), expect(w, [](const Fake& f) {
        return (f.scheme == 1 || f.scheme == 3) && f.t >= 100000 && f.t < 300000;
      }));
      q.scheme_ids.clear();
      q.scheme_id = 2;
      EXPECT_EQ(AllPages(q), expect(w, [](const Fake& f) { return f.scheme == 2 && f.t >= 100000 && f.t < 300000; }));
    }
  }
  auto c = cache_->counters();
  EXPECT_EQ(c.builds, 5);
  EXPECT_GE(c.topups, 10);
  EXPECT_GT(c.hits, 100);
  EXPECT_EQ(c.uncached, 0);
}

TEST_F(PostStoreTest, TooCommonQueriesAreSearchedDirectlyAndOldEntriesDropped) {
  auto small = std::make_shared<SearchCache>(8);  // at most 4 matches per query, 8 in all
  auto store = std::move(PostStore::Open(*db_, small)).value();
  for (int i = 0; i < 10; ++i) Add("c" + std::to_string(i), i < 3 ? "停电 火灾" : "停水", 1000 * (i + 1));
  SearchQuery q;
  q.text = "停水";  // 7 matches: not cached
  q.limit = 3;
  auto r = store->Search(q);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->hits.size(), 3u);
  EXPECT_EQ(r->hits[0].post.post.id, "c9");
  EXPECT_EQ(small->counters().uncached, 1);
  q.text = "停电";
  ASSERT_TRUE(store->Search(q).ok());
  q.text = "火灾";
  ASSERT_TRUE(store->Search(q).ok());
  q.text = "停电 火灾";
  ASSERT_TRUE(store->Search(q).ok());  // 3 + 3 + 3 > 8: the least recently used goes
  auto c = small->counters();
  EXPECT_EQ(c.builds, 3);
  EXPECT_GE(c.evictions, 1);
  EXPECT_LE(c.matches, 8u);
  q.text = "停电";
  auto again = store->Search(q);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->hits.size(), 3u);
  EXPECT_EQ(again->hits[0].post.post.id, "c2");
}

TEST_F(PostStoreTest, RelevanceRanksTheNewestWindowAndPagesStably) {
  // kRelevanceWindow + 50 matches: the 50 stored first are outside the window.
  int n = static_cast<int>(kRelevanceWindow) + 50;
  {
    Transaction tx(*db_);
    for (int i = 0; i < n; ++i)
      Add("m" + std::to_string(i), i % 10 == 0 ? "停水 停水 停水" : "今天停水了，大家注意安全", 1000 + i);
    ASSERT_TRUE(tx.Commit().ok());
  }
  int run = 0;
  for (PostStore* ps : {posts_.get(), cached_.get()}) {
    std::string late = "late" + std::to_string(run);
    SearchQuery q;
    q.text = "停水";
    q.relevance = true;
    q.limit = 200;
    std::set<std::string> seen;
    double last = -1e9;
    for (int page = 0; page < 100; ++page) {
      auto r = ps->Search(q);
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      for (auto& h : r->hits) {
        EXPECT_TRUE(seen.insert(h.post.post.id).second) << "twice: " << h.post.post.id;
        EXPECT_GE(h.rank, last);  // best (lowest bm25) first
        last = h.rank;
        const std::string& id = h.post.post.id;
        EXPECT_NE(id, late) << "stored after the first page";
        // Each earlier run's late post pushed one more old post out of the window.
        if (id[0] == 'm') EXPECT_GE(std::stoi(id.substr(1)), 50 + run) << "outside the window";
      }
      if (page == 0) {
        ASSERT_FALSE(r->hits.empty());
        EXPECT_EQ(r->hits[0].post.post.text.rfind("停水 停水 停水", 0), 0u);  // most hits first
        Add(late, "停水 停水 停水 停水", 999999);  // after the first page
      }
      if (r->next_cursor.empty()) break;
      ASSERT_TRUE(q.SetCursor(r->next_cursor).ok());
    }
    EXPECT_EQ(seen.size(), static_cast<size_t>(kRelevanceWindow));
    ++run;
  }
  SearchQuery old;
  old.relevance = true;
  EXPECT_TRUE(old.SetCursor("40").ok());  // cursors of earlier versions
  EXPECT_EQ(old.offset, 40u);
  EXPECT_FALSE(old.SetCursor("40_9_2").ok());
}

TEST_F(PostStoreTest, SummarizeCountsExactlyFromHourlyCountsAndEdges) {
  std::mt19937 rnd(11);
  const char* sources[] = {"weibo", "news"};
  const char* sentiments[] = {"negative", "neutral", "positive"};
  const char* provinces[] = {"浙江", ""};
  std::vector<Fake> fakes;
  PostStore::CountBatch batch;
  const TimeMs base = 1'790'000'000'000;  // a few posts fall before the epoch: floors, not truncation
  for (int i = 0; i < 400; ++i) {
    Fake f;
    f.id = "v" + std::to_string(i);
    f.source = sources[rnd() % 2];
    f.sentiment = sentiments[rnd() % 3];
    f.province = provinces[rnd() % 2];
    f.t = i < 10 ? -static_cast<TimeMs>(rnd() % (3 * kHour)) : base + static_cast<TimeMs>(rnd() % (30 * kHour));
    if (i % 7 == 0) f.t = HourStart(f.t);  // on the boundaries
    ProcessedPost pp;
    pp.post.id = f.id;
    pp.post.text = "停水";
    pp.post.source = f.source;
    pp.post.published_at = f.t;
    pp.analysis.sentiment_label = f.sentiment;
    pp.analysis.province = f.province;
    if (i % 2 == 0) {
      ASSERT_TRUE(*posts_->Insert(pp));
    } else {  // as the pipeline stores a batch: counts added up, written every so often
      ASSERT_TRUE(*posts_->Insert(pp, &batch));
      ASSERT_FALSE(*posts_->Insert(pp, &batch));  // a duplicate adds nothing
      if (i % 64 == 63) ASSERT_TRUE(posts_->WriteCounts(batch).ok());
    }
    fakes.push_back(f);
  }
  ASSERT_FALSE(batch.empty());
  ASSERT_TRUE(posts_->WriteCounts(batch).ok());
  EXPECT_TRUE(batch.empty());
  auto check = [&](TimeMs from, TimeMs to) {
    auto v = posts_->Summarize(from, to);
    ASSERT_TRUE(v.ok()) << v.status().ToString();
    VolumeSummary e;
    for (const auto& f : fakes) {
      if (f.t < from || f.t >= to) continue;
      ++e.total;
      ++e.hourly[{HourStart(f.t), f.sentiment}];
      ++e.sentiments[f.sentiment];
      ++e.sources[f.source];
      if (!f.province.empty()) ++e.provinces[f.province];
    }
    auto nonzero = [](std::map<std::pair<TimeMs, std::string>, int64_t> m) {
      std::erase_if(m, [](const auto& kv) { return kv.second == 0; });
      return m;
    };
    auto nz = [](std::map<std::string, int64_t> m) {
      std::erase_if(m, [](const auto& kv) { return kv.second == 0; });
      return m;
    };
    EXPECT_EQ(v->total, e.total) << from << " " << to;
    EXPECT_EQ(nonzero(v->hourly), e.hourly);
    EXPECT_EQ(nz(v->sentiments), e.sentiments);
    EXPECT_EQ(nz(v->sources), e.sources);
    EXPECT_EQ(nz(v->provinces), e.provinces);
  };
  auto ranges = [&] {
    check(base, base + 30 * kHour);
    check(-4 * kHour, base + 31 * kHour);
    check(-kHour - 17, 5);
    for (int i = 0; i < 60; ++i) {
      TimeMs a = base + static_cast<TimeMs>(rnd() % (31 * kHour)) - kHour;
      TimeMs b = a + static_cast<TimeMs>(rnd() % (i < 30 ? 2 * kHour : 20 * kHour)) + 1;
      if (i % 5 == 0) a = HourStart(a);
      if (i % 6 == 0) b = HourStart(b) + kHour;
      check(a, b);
    }
  };
  ranges();
  // Corrections move the counts; Stats reads the same counts.
  for (int i = 0; i < 400; i += 3) {
    const char* to = sentiments[(i / 3) % 3];
    ASSERT_TRUE(posts_->UpdateSentiment(fakes[i].id, to, 0).ok());
    fakes[i].sentiment = to;
  }
  EXPECT_EQ(posts_->UpdateSentiment("nope", "negative", -1).code(), Code::kNotFound);
  ranges();
  auto st = posts_->Stats();
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->posts, 400);
  int64_t negative = std::count_if(fakes.begin(), fakes.end(), [](const Fake& f) { return f.sentiment == "negative"; });
  for (auto& [k, n] : st->by_sentiment)
    if (k == "negative") EXPECT_EQ(n, negative);
  // A store of the previous schema gets its counts from its posts.
  ASSERT_TRUE(db_->Exec("DROP TABLE post_counts; UPDATE schema_versions SET version = 2 WHERE component = 'posts'").ok());
  posts_ = std::move(PostStore::Open(*db_)).value();
  ranges();
}

TEST_F(PostStoreTest, BadQueriesAreInvalidNotCrashes) {
  for (const char* bad : {"\"unclosed", "-only", "OR", "a OR"}) {
    auto r = ToFtsQuery(bad);
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

// Issue 19: re-ingesting a file must not quarantine its bad lines again.
TEST_F(PostStoreTest, QuarantineRecordsARepeatedRecordOnce) {
  auto q = QuarantineStore::Open(*db_);
  ASSERT_TRUE(q.ok());
  QuarantineRecord r{"f.jsonl", 3, 40, "bad_json", "invalid JSON", "{bad", "jsonl", 1};
  auto first = (*q)->Add(r);
  r.at = 9;
  auto again = (*q)->Add(r);
  ASSERT_TRUE(first.ok() && again.ok());
  EXPECT_EQ(*first, *again);
  QuarantineRecord other = r;
  other.line = 4;  // the same text on another line is another record
  auto second = (*q)->Add(other);
  ASSERT_TRUE(second.ok());
  EXPECT_NE(*second, *first);
  auto all = (*q)->List("all", 10);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].seen, 2);
  EXPECT_EQ((*all)[0].record.at, 1);
  EXPECT_EQ((*all)[0].last_at, 9);
  EXPECT_EQ((*all)[1].seen, 1);
}

// A store from before the fingerprint (schema 1) that already holds repeats folds them into one
// row each when it is opened.
TEST_F(PostStoreTest, QuarantineMigrationFoldsRepeats) {
  auto path = dir_ / "old.db";
  {
    auto old = std::move(sqlite::Connection::Open(path.string())).value();
    ASSERT_TRUE(old->Exec(R"sql(
      CREATE TABLE IF NOT EXISTS schema_versions (component TEXT PRIMARY KEY, version INTEGER NOT NULL);
      INSERT INTO schema_versions(component, version) VALUES('quarantine', 1);
      CREATE TABLE quarantine (
        id INTEGER PRIMARY KEY, origin TEXT NOT NULL, line INTEGER NOT NULL, offset INTEGER NOT NULL,
        code TEXT NOT NULL, reason TEXT NOT NULL, raw BLOB NOT NULL, format TEXT NOT NULL,
        at INTEGER NOT NULL, status TEXT NOT NULL DEFAULT 'open', resolved_at INTEGER NOT NULL DEFAULT 0);
      CREATE INDEX quarantine_status ON quarantine(status, id);
      INSERT INTO quarantine(origin, line, offset, code, reason, raw, format, at) VALUES
        ('f.jsonl', 2, 10, 'bad_json', 'x', '{a', 'jsonl', 1),
        ('f.jsonl', 2, 10, 'bad_json', 'x', '{a', 'jsonl', 5),
        ('f.jsonl', 3, 20, 'bad_json', 'x', '{b', 'jsonl', 2);
    )sql").ok());
  }
  auto db = std::move(Database::Open(path.string())).value();
  auto q = QuarantineStore::Open(*db);
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  auto all = (*q)->List("all", 10);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].seen, 2);
  EXPECT_EQ((*all)[0].last_at, 5);
  QuarantineRecord r{"f.jsonl", 3, 20, "bad_json", "x", "{b", "jsonl", 7};
  auto id = (*q)->Add(r);
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(*id, (*all)[1].id);
}

}  // namespace yuqing::store
