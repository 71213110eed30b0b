// The compiled matcher against the reference evaluator: thousands of random schemes over random
// texts and (when present) real Weibo posts must give exactly the same schemes and hit terms.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <random>

#include "rules/matcher.h"
#include "rules/reference.h"
#include "covid_sample.h"
#include "test_util.h"

namespace yuqing::rules {
namespace {

using testing::Norm;

const std::vector<std::string> kWords = {
    "停水", "投诉", "自来水", "水质", "超标", "通知", "东湖", "公司", "铁路", "鐵路", "高铁", "晚点", "疫情",
    "武汉", "口罩", "水", "疫", "医院", "确诊", "病例", "water", "WATER", "refund", "12306", "covid-19",
    "c++", "ab", "a", "iphone手机", "Wuhan", "新冠肺炎", "加油", "武汉加油", "冠状病毒", "隔离"};
const std::vector<std::string> kFiller = {"的", "了", " ", "，", "！", "x", "proof", "1", "_", "é", "#", "　",
                                          "Ａ", "水", "病毒", "\n", "ab", "—"};

class Gen {
 public:
  explicit Gen(uint32_t seed) : rng_(seed) {}
  int Int(int n) { return static_cast<int>(rng_() % static_cast<uint32_t>(n)); }
  const std::string& Pick(const std::vector<std::string>& v) { return v[Int(static_cast<int>(v.size()))]; }

  std::string Term(bool allow_field) {
    std::string t = Pick(kWords);
    if (Int(5) == 0) t = "\"" + t + (Int(2) ? " " + Pick(kWords) : "") + "\"";
    if (allow_field && Int(6) == 0) {
      static const char* kFields[] = {"title:", "text:", "author:", "source:"};
      t = kFields[Int(4)] + t;
    }
    return t;
  }

  std::string Expr(int depth) {
    int k = depth > 3 ? 0 : Int(10);
    switch (k) {
      case 0: case 1: case 2: return Term(true);
      case 3: return (Int(2) ? "NOT " : "-") + Expr(depth + 1);
      case 4: return "(" + Expr(depth + 1) + " OR " + Expr(depth + 1) + ")";
      case 5: return Expr(depth + 1) + " AND " + Expr(depth + 1);
      case 6: return Expr(depth + 1) + " " + Expr(depth + 1);
      case 7: {
        std::string f = Int(3) == 0 ? "title:" : "";
        return f + Term(false) + " NEAR/" + std::to_string(Int(6)) + " " + f + Term(false);
      }
      case 8: return Int(2) ? "author.verified:" + std::string(Int(2) ? "true" : "false")
                            : "author.followers:>" + std::to_string(Int(3) * 100);
      default: return "(" + Expr(depth + 1) + " OR " + Expr(depth + 1) + " OR " + Expr(depth + 1) + ")";
    }
  }

  std::string Text(int pieces) {
    std::string s;
    for (int i = 0; i < pieces; ++i) s += Int(3) ? Pick(kWords) : Pick(kFiller);
    return s;
  }

  std::mt19937 rng_;
};

struct TestPost {
  std::string title, text, author, source;
  bool verified;
  int64_t followers;
};

void Compare(const std::vector<Scheme>& schemes, const std::vector<TestPost>& posts, int* matches_out) {
  std::vector<CompileError> errors;
  auto m = Matcher::Compile(schemes, Norm(), {}, &errors);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  std::vector<ParsedScheme> parsed;
  for (const Scheme& s : (*m)->schemes()) parsed.push_back(*ParseScheme(s, *Norm()));
  ASSERT_EQ(parsed.size() + errors.size(), schemes.size());
  Scratch scratch;
  int matches = 0, failures = 0;
  for (const TestPost& p : posts) {
    std::string title = Norm()->Normalize(p.title), text = Norm()->Normalize(p.text);
    MatchInput in{title, text, p.author, p.source, "", "", "", p.verified, p.followers};
    std::vector<SchemeHit> got;
    (*m)->Match(in, got, scratch);
    FieldTexts ft = NormalizeFields(in, *Norm(), true);
    std::vector<SchemeHit> want;
    for (size_t i = 0; i < parsed.size(); ++i) {
      if (ReferenceMatch(parsed[i], ft))
        want.push_back({(*m)->schemes()[i].id, ReferenceHitTerms(parsed[i].query, ft)});
    }
    matches += static_cast<int>(want.size());
    bool same = got.size() == want.size();
    for (size_t i = 0; same && i < got.size(); ++i)
      same = got[i].scheme_id == want[i].scheme_id && got[i].terms == want[i].terms;
    if (!same && ++failures <= 5) {
      std::string g, w;
      for (auto& h : got) g += std::to_string(h.scheme_id) + " ";
      for (auto& h : want) w += std::to_string(h.scheme_id) + " ";
      ADD_FAILURE() << "title=" << title << " text=" << text << "\n got: " << g << "\nwant: " << w;
    }
  }
  EXPECT_EQ(failures, 0);
  if (matches_out) *matches_out = matches;
}

TEST(DifferentialTest, RandomQueriesOnRandomTexts) {
  Gen g(20260501);
  std::vector<Scheme> schemes;
  for (int i = 0; i < 3000; ++i) {
    Scheme s;
    s.id = i + 1;
    s.name = "s" + std::to_string(i);
    s.query = g.Expr(0);
    if (g.Int(4) == 0) s.exclude.push_back(g.Term(true));
    schemes.push_back(s);
  }
  std::vector<TestPost> posts;
  for (int i = 0; i < 1500; ++i)
    posts.push_back({g.Int(2) ? g.Text(g.Int(6)) : "", g.Text(g.Int(40)), g.Int(2) ? g.Pick(kWords) : "",
                     g.Int(2) ? "Weibo" : "news", g.Int(2) == 0, g.Int(4) * 100});
  int matches = 0;
  Compare(schemes, posts, &matches);
  EXPECT_GT(matches, 1000);  // the test means something only if many schemes match
  // Schemes compiled one at a time exercise the scratch re-preparation too.
  for (int i = 0; i < 50; ++i) Compare({schemes[i]}, {posts.begin(), posts.begin() + 100}, nullptr);
}

TEST(DifferentialTest, RandomQueriesOnRealPosts) {
  auto rows = yuqing::testing::ReadCovidRows(3001);
  if (rows.empty()) GTEST_SKIP() << "real data absent: " << yuqing::testing::kCovidStream;
  std::vector<TestPost> posts;
  Gen g(7);
  for (const auto& r : rows) posts.push_back({"", r.text, r.time, "weibo", g.Int(2) == 0, g.Int(3) * 100});
  ASSERT_GT(posts.size(), 1000u);
  std::vector<Scheme> schemes;
  for (int i = 0; i < 2000; ++i) {
    Scheme s;
    s.id = i + 1;
    s.name = "s" + std::to_string(i);
    s.query = g.Expr(0);
    schemes.push_back(s);
  }
  int matches = 0;
  Compare(schemes, posts, &matches);
  EXPECT_GT(matches, 1000);
}

}  // namespace
}  // namespace yuqing::rules
