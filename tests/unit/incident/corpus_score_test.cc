// How well the statement checker generalises: the share of bad statements it fails with an error
// of the right principle, and the share of good ones it passes, on the dev corpus (which rules are
// tuned on) and on the held-out corpus (which they must never be fitted to), beside the rules of
// main (tests/unit/incident/statements/baseline_rules_main.yaml) run by the same code.
//
// Prints the figures quoted in docs/statements.md:
//   build/tests/unit/incident/incident_tests --gtest_filter='CorpusScore.*'
// and asserts floors on the held-out part, so quality can only go up. Dev misses are listed (tune
// on them); held-out cases are only ever counted, never listed.
#include <cstdio>
#include <set>

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "incident/statement_checker.h"

namespace yuqing::incident {
namespace {

// Held-out floors (the targets). Raise them when the figures go up; never lower them.
constexpr double kHeldOutBadCaughtFloor = 0.85;
constexpr double kHeldOutGoodPassedFloor = 1.0;

struct ScoreCase {
  std::string id, text, at;
  bool ok = true;
  std::set<std::string> principles;  // bad cases: the principles a reviewer would name
};

std::string Dir() { return std::string(INCIDENT_TEST_DIR) + "/statements/"; }

// The principle of a rule id ("humble.refusal" → "humble").
std::string PrincipleOf(const std::string& rule) { return rule.substr(0, rule.find('.')); }

std::vector<ScoreCase> Load(const std::string& file) {
  std::vector<ScoreCase> out;
  YAML::Node root = YAML::LoadFile(Dir() + file);
  for (const auto& n : root["cases"]) {
    // Traditional-character cases need OpenCC; the score runs without it, like the baseline.
    if (n["needs_normalizer"] && n["needs_normalizer"].as<bool>()) continue;
    ScoreCase c;
    c.id = n["id"].as<std::string>();
    c.text = n["text"].as<std::string>();
    c.at = n["at"].as<std::string>();
    c.ok = n["ok"].as<bool>();
    if (n["principles"])
      for (const auto& p : n["principles"]) c.principles.insert(p.as<std::string>());
    else if (n["must"])  // older dev cases name rules, not principles
      for (const auto& m : n["must"]) c.principles.insert(PrincipleOf(m.as<std::string>()));
    out.push_back(std::move(c));
  }
  return out;
}

struct Score {
  int bad = 0, caught = 0, flagged = 0, good = 0, passed = 0;
  std::vector<std::string> misses;  // ids of bad cases not caught and good cases not passed
  double CaughtShare() const { return bad ? static_cast<double>(caught) / bad : 0; }
  double PassedShare() const { return good ? static_cast<double>(passed) / good : 0; }
};

Score Measure(const StatementChecker& checker, const std::vector<ScoreCase>& cases) {
  Score s;
  for (const ScoreCase& c : cases) {
    auto r = checker.Check(c.text, ParseTime(c.at).value(), false);
    EXPECT_TRUE(r.ok()) << c.id << ": " << r.status().ToString();
    if (!r.ok()) continue;
    if (c.ok) {
      ++s.good;
      if (r->ok) ++s.passed;
      else s.misses.push_back(c.id);
      continue;
    }
    ++s.bad;
    bool right = false;
    for (const Finding& f : r->findings)
      right = right || (f.severity == Severity::kError && c.principles.count(PrincipleName(f.principle)));
    if (!r->ok) ++s.flagged;
    if (!r->ok && right) ++s.caught;
    else s.misses.push_back(c.id);
  }
  return s;
}

void Print(const char* set, const char* rules, const Score& s) {
  std::printf("%-9s %-8s bad caught (right principle) %2d/%2d = %5.1f%%   bad failed %2d/%2d   good passed %2d/%2d = %5.1f%%\n",
              set, rules, s.caught, s.bad, 100 * s.CaughtShare(), s.flagged, s.bad, s.passed, s.good,
              100 * s.PassedShare());
}

class CorpusScore : public ::testing::Test {
 protected:
  void SetUp() override {
    auto current = StatementChecker::Create(nullptr);
    ASSERT_TRUE(current.ok()) << current.status().ToString();
    current_ = std::move(current).value();
    auto baseline = StatementChecker::Create(nullptr, Dir() + "baseline_rules_main.yaml");
    ASSERT_TRUE(baseline.ok()) << baseline.status().ToString();
    baseline_ = std::move(baseline).value();
  }
  std::vector<ScoreCase> Both(const char* bad, const char* good) {
    auto cases = Load(bad);
    for (auto& c : Load(good)) cases.push_back(std::move(c));
    return cases;
  }
  std::unique_ptr<StatementChecker> current_, baseline_;
};

TEST_F(CorpusScore, DevAndHeldOut) {
  const auto dev = Both("corpus_bad.yaml", "corpus_good.yaml");
  const auto held = Both("corpus_bad_heldout.yaml", "corpus_good_heldout.yaml");
  const Score dev_base = Measure(*baseline_, dev), dev_now = Measure(*current_, dev);
  const Score held_base = Measure(*baseline_, held), held_now = Measure(*current_, held);
  Print("dev", "main", dev_base);
  Print("dev", "current", dev_now);
  Print("held-out", "main", held_base);
  Print("held-out", "current", held_now);
  for (const auto& id : dev_now.misses) std::printf("dev miss: %s\n", id.c_str());

  ASSERT_GE(held_now.bad, 40);
  ASSERT_GE(held_now.good, 25);
  EXPECT_GE(held_now.CaughtShare(), kHeldOutBadCaughtFloor);
  EXPECT_GE(held_now.PassedShare(), kHeldOutGoodPassedFloor);
}

}  // namespace
}  // namespace yuqing::incident
