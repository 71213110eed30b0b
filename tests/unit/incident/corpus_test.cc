// The statement corpus: good and bad statements written by the team, with the outcome each must
// get (tests/unit/incident/statements/*.yaml). A failure names the case and prints its findings.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "incident/statement_checker.h"
#include "text/normalizer.h"

namespace yuqing::incident {
namespace {

struct Case {
  std::string file, id, text, at;
  bool ok = true;
  bool needs_normalizer = false;  // traditional characters: only with OpenCC
  std::vector<std::string> must, must_not, due;
};

std::vector<Case> LoadCorpus() {
  std::vector<Case> out;
  for (const char* f : {"corpus_good.yaml", "corpus_bad.yaml"}) {
    YAML::Node root = YAML::LoadFile(std::string(INCIDENT_TEST_DIR) + "/statements/" + f);
    for (const auto& n : root["cases"]) {
      Case c;
      c.file = f;
      c.id = n["id"].as<std::string>();
      c.text = n["text"].as<std::string>();
      c.at = n["at"].as<std::string>();
      c.ok = n["ok"].as<bool>();
      if (n["needs_normalizer"]) c.needs_normalizer = n["needs_normalizer"].as<bool>();
      if (n["must"]) c.must = n["must"].as<std::vector<std::string>>();
      if (n["must_not"]) c.must_not = n["must_not"].as<std::vector<std::string>>();
      if (n["due"]) c.due = n["due"].as<std::vector<std::string>>();
      out.push_back(std::move(c));
    }
  }
  return out;
}

std::string Describe(const CheckResult& r) {
  std::string s;
  for (const auto& f : r.findings) s += "  " + f.rule + " [" + SeverityName(f.severity) + "] " + f.message + "\n";
  for (const auto& c : r.commitments) s += "  promise: " + c.text + " due " + (c.due ? FormatTime(*c.due) : "null") + "\n";
  return s;
}

void RunCorpus(const StatementChecker& checker, bool english, bool normalized) {
  auto cases = LoadCorpus();
  ASSERT_GE(cases.size(), 60u);
  int good = 0, bad = 0;
  for (const Case& c : cases) {
    (c.ok ? good : bad)++;
    if (c.needs_normalizer && !normalized) continue;
    auto at = ParseTime(c.at);
    ASSERT_TRUE(at.ok()) << c.id;
    auto res = checker.Check(c.text, *at, english);
    ASSERT_TRUE(res.ok()) << c.id << ": " << res.status().ToString();
    const CheckResult& r = *res;
    EXPECT_EQ(r.ok, c.ok) << c.file << " " << c.id << "\n" << Describe(r);
    for (const auto& m : c.must) {
      bool hit = false;
      for (const auto& f : r.findings) hit = hit || f.rule == m;
      EXPECT_TRUE(hit) << c.id << ": expected " << m << "\n" << Describe(r);
    }
    for (const auto& m : c.must_not) {
      for (const auto& f : r.findings) EXPECT_NE(f.rule, m) << c.id << "\n" << Describe(r);
    }
    if (!c.due.empty()) {
      std::vector<std::string> got;
      for (const auto& cm : r.commitments)
        if (cm.due) got.push_back(FormatTime(*cm.due).substr(0, 16));
      EXPECT_EQ(got, c.due) << c.id << "\n" << Describe(r);
    }
  }
  EXPECT_GE(good, 30);
  EXPECT_GE(bad, 30);
}

TEST(Corpus, EveryCaseGetsItsOutcome) {
  auto checker = StatementChecker::Create(nullptr);
  ASSERT_TRUE(checker.ok()) << checker.status().ToString();
  RunCorpus(**checker, false, false);
}

// With the OpenCC normaliser (traditional → simplified), as the yuqing command runs it.
TEST(Corpus, WithNormalizer) {
  auto norm = text::Normalizer::Create();
  if (!norm.ok()) GTEST_SKIP() << "OpenCC not available: " << norm.status().ToString();
  auto checker = StatementChecker::Create(*norm);
  ASSERT_TRUE(checker.ok()) << checker.status().ToString();
  RunCorpus(**checker, true, true);
}

}  // namespace
}  // namespace yuqing::incident
