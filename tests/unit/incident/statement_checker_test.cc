#include "incident/statement_checker.h"

#include <gtest/gtest.h>

#include "incident/data_files.h"

namespace yuqing::incident {
namespace {

class CheckerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto c = StatementChecker::Create(nullptr);
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    checker_ = std::move(c).value();
  }
  CheckResult Check(const std::string& text, const char* at = "2026-06-02T12:00:00+08:00", bool en = false) {
    auto r = checker_->Check(text, ParseTime(at).value(), en);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? std::move(r).value() : CheckResult{};
  }
  static bool HasRule(const CheckResult& r, const std::string& id) {
    for (const auto& f : r.findings)
      if (f.rule == id) return true;
    return false;
  }
  std::unique_ptr<StatementChecker> checker_;
};

// The four cases of the acceptance check.
TEST_F(CheckerTest, RefusalAndBlameAreErrors) {
  auto r = Check("我们对此不予回应，请网友不要造谣生事。");
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(HasRule(r, "humble.refusal"));
  EXPECT_TRUE(HasRule(r, "humble.blame_public"));
  auto r2 = Check("一切以官方通报为准，其余一概无可奉告。");
  EXPECT_FALSE(r2.ok);
  EXPECT_TRUE(HasRule(r2, "humble.refusal"));
}

TEST_F(CheckerTest, GoodStatementPassesWithDatedCommitment) {
  auto r = Check("6月1日起，东湖片区部分居民反映自来水有异味。经东湖自来水公司取样检测，原因是二号水厂消毒工艺调整导致余氯偏高，"
                 "对人体无害，已于6月2日10时恢复正常工艺。给大家带来的不便，我们深表歉意。我们将于6月3日18时前在官方网站公布全部检测数据。");
  for (const auto& f : r.findings) EXPECT_NE(f.severity, Severity::kError) << f.rule << ": " << f.message;
  EXPECT_TRUE(r.ok);
  ASSERT_EQ(r.commitments.size(), 1u);
  ASSERT_TRUE(r.commitments[0].due.has_value());
  EXPECT_EQ(FormatTime(*r.commitments[0].due), "2026-06-03T18:00:00+08:00");
  EXPECT_EQ(r.commitments[0].text, "我们将于6月3日18时前在官方网站公布全部检测数据");
}

TEST_F(CheckerTest, AccidentUpdatePasses) {
  auto r = Check("今天8时许，东湖路一处供水管道爆裂，目前无人员伤亡，抢修人员已到场。预计今天14时前恢复供水，我们将在恢复后第一时间通知。",
                 "2026-06-05T09:00:00+08:00");
  for (const auto& f : r.findings) EXPECT_NE(f.severity, Severity::kError) << f.rule << ": " << f.message;
  EXPECT_TRUE(r.ok);
  ASSERT_GE(r.commitments.size(), 1u);
  EXPECT_EQ(FormatTime(*r.commitments[0].due), "2026-06-05T14:00:00+08:00");
  // The undated promise is listed too, with no due time, and is only a warning here.
  ASSERT_EQ(r.commitments.size(), 2u);
  EXPECT_FALSE(r.commitments[1].due.has_value());
  EXPECT_TRUE(HasRule(r, "honest.vague_promise"));
}

TEST_F(CheckerTest, FindingOffsetsPointAtTheWords) {
  std::string text = "情况如下。我们对此无可奉告。";
  auto r = Check(text);
  bool found = false;
  for (const auto& f : r.findings) {
    if (f.rule != "humble.refusal") continue;
    found = true;
    EXPECT_EQ(f.sentence, 1);
    EXPECT_EQ(f.start, 9u);
    EXPECT_EQ(f.end, 13u);
    EXPECT_EQ(f.principle, Principle::kHumble);
  }
  EXPECT_TRUE(found);
}

TEST_F(CheckerTest, EnglishMessages) {
  auto zh = Check("我们对此无可奉告。");
  auto en = Check("我们对此无可奉告。", "2026-06-02T12:00:00+08:00", true);
  ASSERT_FALSE(zh.findings.empty());
  ASSERT_EQ(zh.findings.size(), en.findings.size());
  for (size_t i = 0; i < zh.findings.size(); ++i) {
    EXPECT_NE(zh.findings[i].message, en.findings[i].message);
    if (en.findings[i].rule == "humble.refusal")
      EXPECT_NE(en.findings[i].message.find("refuses"), std::string::npos) << en.findings[i].message;
  }
}

TEST_F(CheckerTest, TraditionalAndFullWidthWithNormalizerlessFold) {
  // Without the OpenCC normaliser, full-width punctuation still folds.
  auto r = Check("我們對此無可奉告！");
  EXPECT_TRUE(HasRule(r, "restrained.exclamation"));
}

TEST_F(CheckerTest, VaguePromiseWithoutAnyDateIsAnError) {
  auto r = Check("东湖路供水管道今天上午爆裂，抢修人员已到场，我们将尽快恢复供水。");
  EXPECT_TRUE(HasRule(r, "honest.vague_promise"));
  EXPECT_FALSE(r.ok);
}

TEST_F(CheckerTest, DenialWithEvidencePasses) {
  auto bad = Check("网传东湖小学食物中毒纯属谣言。");
  EXPECT_TRUE(HasRule(bad, "honest.absolute_denial"));
  auto good = Check("经区市场监管局和疾控中心调查核实，网传东湖小学食物中毒纯属谣言，6月1日就餐的312名学生均无异常。");
  EXPECT_FALSE(HasRule(good, "honest.absolute_denial"));
}

TEST_F(CheckerTest, ErrorsOnEmptyAndHugeInput) {
  EXPECT_EQ(checker_->Check("  \n ", 0).status().code(), Code::kInvalid);
  std::string huge(kMaxStatementBytes + 1, 'a');
  EXPECT_EQ(checker_->Check(huge, 0).status().code(), Code::kTooLarge);
}

TEST_F(CheckerTest, JsonShape) {
  std::string text = "我们对此不予回应。";
  auto r = Check(text);
  auto j = CheckResultToJson(r, text);
  EXPECT_TRUE(j["ok"].is_boolean());
  ASSERT_TRUE(j["findings"].is_array());
  ASSERT_FALSE(j["findings"].empty());
  for (const char* k : {"principle", "severity", "sentence", "start", "end", "message"})
    EXPECT_TRUE(j["findings"][0].contains(k)) << k;
  EXPECT_TRUE(j["commitments"].is_array());
}

// Reported speech: a bad remark quoted in order to apologise for it is not the statement's voice.
TEST_F(CheckerTest, QuotedWordsAreNotMatched) {
  auto quoted = Check("5月9日，一名工作人员对群众说“你们懂什么，回去等着”，经核实属实，已停职调查，我们向当事群众道歉。");
  EXPECT_FALSE(HasRule(quoted, "humble.dismissive"));
  auto own = Check("你们懂什么，回去等着。");
  EXPECT_TRUE(HasRule(own, "humble.dismissive"));
}

TEST_F(CheckerTest, QuestionThrownBackButNotAQuestionAnswered) {
  auto back = Check("你是替党说话，还是替老百姓说话？");
  EXPECT_TRUE(HasRule(back, "humble.question_back"));
  EXPECT_FALSE(back.ok);
  auto answered = Check("有市民问：焚烧厂会不会影响空气？经第三方机构在厂界监测30天，各项指标均达标。");
  EXPECT_FALSE(HasRule(answered, "humble.question_back"));
}

TEST_F(CheckerTest, BoilerplateOnlyWithoutFacts) {
  auto hollow = Check("县委县政府高度重视，第一时间作出安排部署，要求压实责任。下一步将切实加强监管，坚决维护群众合法权益。");
  EXPECT_TRUE(HasRule(hollow, "honest.boilerplate"));
  EXPECT_FALSE(hollow.ok);
  auto beside_facts = Check("医院高度重视。经查，5月6日收费系统故障导致重复扣费，涉及患者312人，已于5月7日全部退回。");
  EXPECT_FALSE(HasRule(beside_facts, "honest.boilerplate"));
}

TEST_F(CheckerTest, LegalWarningIsAnErrorOnlyBeforeFacts) {
  auto first = Check("对网上造谣的人，我们将依法追究其法律责任。学校食堂一直规范运营。");
  bool error_first = false;
  for (const auto& f : first.findings) error_first = error_first || (f.rule == "humble.legal_warning" && f.severity == Severity::kError);
  EXPECT_TRUE(error_first);
  auto after = Check("6月3日，网传养老院老人遭虐待。经县公安局调查，视频系2019年外省旧视频，入住的46名老人均无异常。"
                     "对造谣者将依法追究法律责任。",
                     "2026-06-04T10:00:00+08:00");
  for (const auto& f : after.findings)
    if (f.rule == "humble.legal_warning") EXPECT_EQ(f.severity, Severity::kWarning);
}

TEST_F(CheckerTest, BlameOnVictimsUnlessAnInvestigationFoundIt) {
  auto blame = Check("溺水的两名少年是私自翻越护栏进入水域的，景区没有责任。");
  EXPECT_TRUE(HasRule(blame, "humble.blame_victims"));
  auto found = Check("经交警部门现场勘查，行人擅自翻越中心护栏，负事故主要责任。");
  EXPECT_FALSE(HasRule(found, "humble.blame_victims"));
}

TEST(RulesFile, ErrorsNameTheField) {
  FoldFn fold = [](uint32_t c) { return c; };
  auto base = ReadDataFile("statement_rules.yaml");
  ASSERT_TRUE(base.ok());
  EXPECT_TRUE(ParseRules(base->text, fold).ok());
  auto bad = ParseRules("version: 1\nfacts: [{kind: t, name: 时间, from_times: true}]\n"
                        "commitments: {markers: [将], actions: [公布]}\n"
                        "rules:\n  - {id: a, principle: humble, severity: error, terms: [x], message: m}\n"
                        "  - {id: b, principle: kind, severity: error, terms: [x], message: m}\n",
                        fold);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("rules[1] (b).principle"), std::string::npos) << bad.status().message();
  auto bad_re = ParseRules("version: 1\nfacts: [{kind: t, name: 时间, from_times: true}]\n"
                           "commitments: {markers: [将], actions: [公布]}\n"
                           "rules:\n  - {id: a, principle: humble, severity: error, regex: ['(unclosed'], message: m}\n",
                           fold);
  ASSERT_FALSE(bad_re.ok());
  EXPECT_NE(bad_re.status().message().find("rules[0] (a).regex[0]"), std::string::npos) << bad_re.status().message();
  auto unknown = ParseRules("version: 1\nfacts: [{kind: t, name: 时间, from_times: true}]\n"
                            "commitments: {markers: [将], actions: [公布]}\n"
                            "rules:\n  - {id: a, principle: humble, severity: fatal, terms: [x], message: m}\n",
                            fold);
  EXPECT_NE(unknown.status().message().find("severity"), std::string::npos);
  EXPECT_FALSE(ParseRules("rules: [", fold).ok());
}

}  // namespace
}  // namespace yuqing::incident
