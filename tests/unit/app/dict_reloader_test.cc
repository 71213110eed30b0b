// The user dictionary reaching a running process (issue 18): the segmenter swap, the background
// rebuild of the full-text index, and the race with posts stored while it runs.
#include "app/dict_reloader.h"

#include <gtest/gtest.h>

#include "store/sqlite/connection.h"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

#include "app/pipeline.h"
#include "store/user_dict_store.h"

namespace yuqing::app {
namespace {

// A made-up brand name cppjieba's dictionary does not know: cut into pieces by default.
constexpr const char* kBrand = "蓝鲸智饮";

class DictReloaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("yq-dict-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    services_ = std::move(Services::Open(dir_.string())).value();
    services_->set_workers(1);
  }
  void TearDown() override {
    services_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Stores n posts (every third names the brand) through a pipeline, in batches of `batch`.
  void Ingest(Pipeline& p, int first, int n, int batch = 100) {
    std::vector<ingest::Item> in;
    for (int i = first; i < first + n; ++i) {
      ingest::Item x;
      x.ok = true;
      x.post.id = "p" + std::to_string(i);
      x.post.source = "test";
      x.post.text = i % 3 == 0 ? std::string("今天买了") + kBrand + "的新品，味道一般，第" + std::to_string(i) + "次"
                               : "东湖区明日停水，请居民提前储水，第" + std::to_string(i) + "条通知";
      x.post.published_at = 1780000000000 + i * 1000;
      in.push_back(std::move(x));
      if (static_cast<int>(in.size()) == batch) {
        ASSERT_TRUE(p.Process(in).ok());
        in.clear();
      }
    }
    if (!in.empty()) ASSERT_TRUE(p.Process(in).ok());
  }

  static void AddWord(Services& s, const std::string& w) {
    auto dict = std::move(store::UserDictStore::Open(s.db())).value();
    ASSERT_TRUE(dict->Add(w, 1).ok());
  }

  // Posts whose index has the query's tokens (FTS5 cuts the query with the current segmenter).
  int64_t Matches(const std::string& query) {
    auto db = std::move(OpenStoreConnection(*services_)).value();
    auto st = std::move(store::sqlite::Expect(*db, "test").Prepare("SELECT count(*) FROM posts_fts WHERE posts_fts MATCH ?")).value();
    st.Bind(1, "\"" + query + "\"");
    EXPECT_TRUE(st.Step().value());
    return st.Int(0);
  }

  // FTS5's own check of the index against the posts, cut by the tokenizer as it is now: an
  // entry indexed twice, or with another dictionary, fails it.
  Status IntegrityCheck() {
    auto db = std::move(OpenStoreConnection(*services_)).value();
    return store::sqlite::Expect(*db, "test").Exec("INSERT INTO posts_fts(posts_fts, rank) VALUES('integrity-check', 1)");
  }

  static bool WaitCurrent(DictReloader& r, const std::string& version) {
    for (int i = 0; i < 3000; ++i) {
      DictStatus st = r.status();
      if (st.current() && st.version == version) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }

  std::filesystem::path dir_;
  std::unique_ptr<Services> services_;
};

bool CutsWhole(const text::Segmenter& seg, const std::string& w) {
  std::vector<std::string> words;
  seg.Cut(std::string("今天买了") + w + "的新品", words);
  return std::find(words.begin(), words.end(), w) != words.end();
}

TEST_F(DictReloaderTest, ReloadSegmenterSwapsTheSlotAndKeepsTheOldOneAlive) {
  auto before = std::move(services_->segmenter()).value();
  ASSERT_FALSE(CutsWhole(*before, kBrand)) << "the test needs a word the default dictionary splits";
  auto unchanged = services_->ReloadSegmenter();
  ASSERT_TRUE(unchanged.ok());
  EXPECT_EQ(*unchanged, "");
  EXPECT_EQ(services_->segmenter().value(), before);  // nothing changed: nothing rebuilt

  AddWord(*services_, kBrand);
  auto version = services_->ReloadSegmenter();
  ASSERT_TRUE(version.ok()) << version.status().message();
  EXPECT_EQ(*version, store::DictVersion({kBrand}));
  auto after = std::move(services_->segmenter()).value();
  EXPECT_NE(after, before);
  EXPECT_TRUE(CutsWhole(*after, kBrand));
  EXPECT_FALSE(CutsWhole(*before, kBrand));  // a holder of the old one keeps a working segmenter
  EXPECT_EQ(services_->segmenter_slot().value()->version(), *version);
}

TEST_F(DictReloaderTest, AddedWordIsSearchableOnceTheIndexIsRebuilt) {
  auto pipeline = std::move(Pipeline::Create(*services_)).value();
  Ingest(*pipeline, 0, 300);
  DictReloaderOptions opts;
  opts.poll_interval = 60 * kSecond;  // only Notify() wakes it
  std::atomic<int> rebuilding{0}, current{0};
  opts.on_index_change = [&](bool r) { ++(r ? rebuilding : current); };
  auto reloader = std::move(DictReloader::Start(*services_, opts)).value();
  ASSERT_TRUE(WaitCurrent(*reloader, ""));
  EXPECT_EQ(Matches(kBrand), 100);  // as a phrase of its pieces

  AddWord(*services_, kBrand);
  reloader->Notify();
  const std::string v = store::DictVersion({kBrand});
  ASSERT_TRUE(WaitCurrent(*reloader, v)) << reloader->status().error;
  DictStatus st = reloader->status();
  EXPECT_EQ(st.index_version, v);
  EXPECT_EQ(st.done, 300);
  EXPECT_EQ(st.total, 300);
  EXPECT_GT(st.finished_at, 0);
  EXPECT_EQ(rebuilding.load(), 1);
  EXPECT_EQ(current.load(), 1);
  EXPECT_EQ(Matches(kBrand), 100);  // now one token, in the query and in the index
  EXPECT_TRUE(IntegrityCheck().ok()) << IntegrityCheck().message();
  // New posts are cut with the new dictionary at once.
  Ingest(*pipeline, 300, 30);
  EXPECT_EQ(Matches(kBrand), 110);
  EXPECT_TRUE(IntegrityCheck().ok()) << IntegrityCheck().message();
  auto dict = std::move(store::UserDictStore::Open(services_->db())).value();
  EXPECT_EQ(dict->IndexVersion().value(), v);

  ASSERT_TRUE(dict->Remove(kBrand).value());
  reloader->Notify();
  ASSERT_TRUE(WaitCurrent(*reloader, ""));
  EXPECT_EQ(Matches(kBrand), 110);
  EXPECT_TRUE(IntegrityCheck().ok());
}

// The race: posts stored while the index is rebuilt — some cut by the pipeline before the swap
// and inserted after it — are each indexed once, with the new dictionary.
TEST_F(DictReloaderTest, PostsStoredDuringARebuildAreIndexedOnceWithTheNewDictionary) {
  auto pipeline = std::move(Pipeline::Create(*services_)).value();
  Ingest(*pipeline, 0, 3000, 500);
  DictReloaderOptions opts;
  opts.poll_interval = 60 * kSecond;
  opts.batch = 50;     // a slow rebuild, so that ingest overlaps it
  opts.pause_ms = 3;
  auto reloader = std::move(DictReloader::Start(*services_, opts)).value();
  ASSERT_TRUE(WaitCurrent(*reloader, ""));

  // Ingest runs all along: batches cut before the swap and stored after it, batches stored
  // while the index is emptied and refilled, and after.
  std::atomic<bool> stop{false};
  std::atomic<int> stored{0};
  std::thread writer([&] {
    for (int first = 3000; !stop; first += 20) {
      Ingest(*pipeline, first, 20, 20);
      stored += 20;
    }
  });
  while (stored < 40) std::this_thread::yield();
  AddWord(*services_, kBrand);
  reloader->Notify();
  const std::string v = store::DictVersion({kBrand});
  bool saw_progress = false;
  int first_seen = -1, last_seen = -1;  // posts stored when the rebuild was first / last seen running
  for (int i = 0; i < 6000 && !(reloader->status().current() && reloader->status().version == v); ++i) {
    DictStatus st = reloader->status();
    if (st.rebuilding && st.done > 0 && st.done < st.total) {
      saw_progress = true;
      if (first_seen < 0) first_seen = stored;
      last_seen = stored;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  const int during = stored;
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  stop = true;
  writer.join();
  ASSERT_TRUE(WaitCurrent(*reloader, v)) << reloader->status().error;
  EXPECT_TRUE(saw_progress);
  EXPECT_GT(last_seen, first_seen);  // ingest was not held up by the rebuild
  EXPECT_GT(stored.load(), during);  // and went on after it
  EXPECT_TRUE(IntegrityCheck().ok()) << IntegrityCheck().message();
  const int total = 3000 + stored;
  EXPECT_EQ(Matches(kBrand), (total + 2) / 3);
  EXPECT_EQ(Matches("停水"), total - (total + 2) / 3);
}

// The check the tests above rely on does see both ways a rebuild can go wrong.
TEST_F(DictReloaderTest, IntegrityCheckSeesAPostIndexedTwiceOrWithTheOldDictionary) {
  auto pipeline = std::move(Pipeline::Create(*services_)).value();
  Ingest(*pipeline, 0, 30);
  ASSERT_TRUE(IntegrityCheck().ok());
  AddWord(*services_, kBrand);
  ASSERT_TRUE(services_->ReloadSegmenter().ok());
  EXPECT_FALSE(IntegrityCheck().ok());  // indexed with the old dictionary
  auto db = std::move(OpenStoreConnection(*services_)).value();
  ASSERT_TRUE(store::RebuildFullTextIndex(*db, "x", 10, nullptr).ok());
  ASSERT_TRUE(IntegrityCheck().ok());
  ASSERT_TRUE(store::sqlite::Expect(*db, "test").Exec("INSERT INTO posts_fts(rowid, title, text) SELECT rowid, title, text FROM posts WHERE rowid = 3").ok());
  EXPECT_FALSE(IntegrityCheck().ok());  // indexed twice
}

// A post the pipeline cut before the swap and stores after it: its segmentation is not reused.
TEST_F(DictReloaderTest, APostCutBeforeTheSwapIsIndexedWithTheNewDictionary) {
  auto pipeline = std::move(Pipeline::Create(*services_)).value();
  ProcessedPost pp;
  Post p;
  p.id = "cut-early";
  p.source = "test";
  p.text = std::string("今天买了") + kBrand + "的新品";
  p.published_at = 1780000000000;
  pp.Reset(std::move(p));
  pipeline->Prepare(pp);  // cut with the default dictionary
  AddWord(*services_, kBrand);
  ASSERT_TRUE(services_->ReloadSegmenter().ok());
  auto db = std::move(OpenStoreConnection(*services_)).value();
  auto posts = std::move(store::PostStore::Open(*db)).value();
  ASSERT_TRUE(posts->Insert(pp).value());
  EXPECT_TRUE(IntegrityCheck().ok()) << IntegrityCheck().message();
  EXPECT_EQ(Matches(kBrand), 1);
  EXPECT_EQ(Matches("智饮"), 0);  // the default dictionary's piece is not in the index
}

// Posts stored once the rebuild has emptied the index are the writer's to index, not the rebuild's.
TEST_F(DictReloaderTest, PostsStoredAfterTheRebuildStartsAreNotIndexedTwice) {
  auto pipeline = std::move(Pipeline::Create(*services_)).value();
  Ingest(*pipeline, 0, 200);
  auto db = std::move(OpenStoreConnection(*services_)).value();
  Status st = store::RebuildFullTextIndex(*db, "v", 50, [&](int64_t done, int64_t) {
    if (done == 0) Ingest(*pipeline, 200, 10);  // between emptying the index and the first batch
    return true;
  });
  ASSERT_TRUE(st.ok()) << st.message();
  EXPECT_TRUE(IntegrityCheck().ok()) << IntegrityCheck().message();
  EXPECT_EQ(Matches("停水"), 140);
}

// `yuqing dict add` rebuilt the index while this process still cut posts with the old
// dictionary: the index's version is right, its newest posts are not; this process rebuilds.
TEST_F(DictReloaderTest, ASwapRebuildsEvenWhenAnotherProcessRecordedTheVersion) {
  auto pipeline = std::move(Pipeline::Create(*services_)).value();
  DictReloaderOptions opts;
  opts.poll_interval = 60 * kSecond;
  auto reloader = std::move(DictReloader::Start(*services_, opts)).value();
  ASSERT_TRUE(WaitCurrent(*reloader, ""));
  AddWord(*services_, kBrand);
  const std::string v = store::DictVersion({kBrand});
  auto dict = std::move(store::UserDictStore::Open(services_->db())).value();
  ASSERT_TRUE(dict->SetIndexVersion(v).ok());  // the other process's rebuild, done
  Ingest(*pipeline, 0, 30);                    // this one, still on the old dictionary
  reloader->Notify();
  ASSERT_TRUE(WaitCurrent(*reloader, v));
  EXPECT_EQ(reloader->status().done, 30);
  EXPECT_TRUE(IntegrityCheck().ok()) << IntegrityCheck().message();
  EXPECT_EQ(Matches("智饮"), 0);
}

// A rebuild started later (another process: `yuqing dict add` while serve runs) takes over.
TEST_F(DictReloaderTest, ALaterRebuildSupersedesAnEarlierOne) {
  auto pipeline = std::move(Pipeline::Create(*services_)).value();
  Ingest(*pipeline, 0, 200);
  auto db = std::move(OpenStoreConnection(*services_)).value();
  std::unique_ptr<store::Database> other;
  Status inner;
  Status outer = store::RebuildFullTextIndex(*db, "v1", 50, [&](int64_t done, int64_t) {
    if (done == 50) {  // another rebuild starts and finishes between our batches
      other = std::move(OpenStoreConnection(*services_)).value();
      inner = store::RebuildFullTextIndex(*other, "v2", 1000, nullptr);
    }
    return true;
  });
  EXPECT_TRUE(inner.ok()) << inner.message();
  EXPECT_EQ(outer.code(), Code::kConflict);
  auto dict = std::move(store::UserDictStore::Open(services_->db())).value();
  EXPECT_EQ(dict->IndexVersion().value(), "v2");
  EXPECT_TRUE(IntegrityCheck().ok()) << IntegrityCheck().message();
  EXPECT_EQ(Matches("停水"), 133);
}

TEST_F(DictReloaderTest, TheDictionaryIsBounded) {
  auto dict = std::move(store::UserDictStore::Open(services_->db())).value();
  ASSERT_TRUE(dict->Add("w0", 1).value());
  ASSERT_TRUE(store::sqlite::Expect(services_->db(), "test").Exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " +
                        std::to_string(store::kMaxUserWords - 1) +
                        ") INSERT INTO user_words(word, added_at) SELECT 'w' || i, 1 FROM n")
                  .ok());
  auto more = dict->Add("one-more", 1);
  EXPECT_EQ(more.status().code(), Code::kTooLarge);
  EXPECT_FALSE(dict->Add("w7", 1).value());  // an existing word is still "not new", not an error
}

}  // namespace
}  // namespace yuqing::app
