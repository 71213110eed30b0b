// The report page: every field of the built-in templates filled from the data, post text escaped,
// a user's template used instead, a broken template an error, charts as ECharts options.
#include "report/render.h"

#include <gtest/gtest.h>

#include "report/charts.h"
#include "report/output.h"

namespace yuqing::report {
namespace {

using nlohmann::json;

// A report's data with one of everything (as BuildReport writes it).
json Sample() {
  return json::parse(R"json({
    "kind": "daily",
    "period": {"from": "2026-06-02T00:00:00+08:00", "to": "2026-06-03T00:00:00+08:00", "from_ms": 0, "to_ms": 1},
    "previous_period": {"from": "2026-06-01T00:00:00+08:00", "to": "2026-06-02T00:00:00+08:00"},
    "scope": {"scheme": "东湖自来水", "department": null},
    "posts": 48, "previous_posts": 12,
    "change": {"posts": 36, "posts_ratio": 4.0, "negative_share": 0.5, "previous_negative_share": 0.25, "negative_share_change": 0.25},
    "by_sentiment": {"negative": 24, "neutral": 16, "positive": 8},
    "by_source": {"weibo": 32, "news": 16}, "by_province": {"湖北": 10},
    "sources_ranked": [{"name": "weibo", "count": 32}, {"name": "news", "count": 16}],
    "provinces_ranked": [{"name": "湖北", "count": 10}],
    "trend_bucket": "hour",
    "trend": [{"t": "2026-06-02T00:00:00+08:00", "negative": 1, "neutral": 2, "positive": 3}],
    "keywords": [{"word": "停水", "count": 20}, {"word": "<b>抢修</b>", "count": 5}],
    "top_events": [{"id": 7, "title": "东湖停水<img src=x onerror=alert(1)>", "posts": 40, "posts_in_period": 30, "originals": 20,
                    "reposts": 10, "first_seen": "2026-06-02T08:00:00+08:00", "last_seen": "2026-06-02T20:00:00+08:00",
                    "sentiment": {"negative": 20, "neutral": 10, "positive": 10}, "heat": 63.5,
                    "forecast": {"forecast": 1200, "rumor": 0.25}, "first_poster": {"author_name": "张三"}}],
    "notable_posts": [{"id": "p1", "source": "weibo", "url": "https://weibo.com/1", "author": "李四", "published_at": "2026-06-02T09:00:00+08:00",
                       "text": "</script><script>alert(1)</script>停水三天", "sentiment": "negative", "rumor": 0.1, "interactions": 99, "reason": "negative"},
                      {"id": "p2", "source": "weibo", "url": "javascript:alert(1)", "author": "王五", "published_at": "2026-06-02T10:00:00+08:00",
                       "text": "水里有毒", "sentiment": "neutral", "rumor": 0.9, "interactions": 5, "reason": "rumor"}],
    "alerts": [{"id": 3, "level": "III", "status": "acked", "scheme_name": "东湖自来水", "message": "10 分钟 24 条", "created_at": "2026-06-02T12:10:00+08:00",
                "acked_by": "王强", "minutes_to_ack": 12}],
    "alert_counts": {"raised": 1, "open": 0, "acked": 1, "resolved": 0, "by_level": {"I": 0, "II": 0, "III": 1, "IV": 0}},
    "incidents": [{"incident": {"id": 5, "title": "东湖水质", "level": "II", "state": "responding", "detected_at": "2026-06-02T12:10:00+08:00"},
                   "minutes": {"to_detect": 5, "to_acknowledge": 12, "to_first_statement": 130, "to_authoritative_statement": null, "to_close": null},
                   "tasks": {"met": 2, "missed": 1, "list": []}, "commitments": {"kept": 0, "overdue": 1}}],
    "generated_at": "2026-06-03T08:00:00+08:00"
  })json");
}

TEST(RenderHtml, FillsEveryFieldOfTheChineseTemplate) {
  auto html = RenderHtml(Sample(), {});
  ASSERT_TRUE(html.ok()) << html.status().ToString();
  for (const char* want : {"舆情日报", "2026-06-02 00:00", "方案：东湖自来水", "<b>48</b>", "较上一周期增加 36 条（+300.0%）",
                           "占 50.0%", "+25.0 个百分点", "上一周期", "weibo", "66.7%", "湖北", "停水", "30", "63.5", "1200", "张三",
                           "李四", "互动 99", "href=\"https:&#x2F;&#x2F;weibo.com&#x2F;1\"", "疑似谣言", "III 级（黄色，较大）", "已确认，处置中", "王强", "12 分钟",
                           "东湖水质", "II 级（橙色，重大）", "2.2 小时", "2 / 1", "0 / 1", "data-chart=\"trend\"", "未找到 ECharts"})
    EXPECT_NE(html->find(want), std::string::npos) << want;
  EXPECT_EQ(html->find("{{"), std::string::npos);
}

TEST(RenderHtml, EscapesPostTextAndKeepsOnlyWebLinks) {
  auto html = RenderHtml(Sample(), {});
  ASSERT_TRUE(html.ok());
  EXPECT_EQ(html->find("<script>alert(1)"), std::string::npos);
  EXPECT_EQ(html->find("<img src=x"), std::string::npos);
  EXPECT_EQ(html->find("<b>抢修"), std::string::npos);
  EXPECT_NE(html->find("&lt;script&gt;"), std::string::npos);
  EXPECT_EQ(html->find("javascript:alert"), std::string::npos);
  // The chart options sit in a JSON script element: no "</script>" from the data can close it.
  size_t data = html->find("id=\"report-charts\">");
  ASSERT_NE(data, std::string::npos);
  size_t end = html->find("</script>", data);
  EXPECT_EQ(html->substr(data, end - data).find('<', 20), std::string::npos);
}

TEST(RenderHtml, EnglishTemplateWithLangEn) {
  RenderOptions o;
  o.lang = "en";
  auto html = RenderHtml(Sample(), o);
  ASSERT_TRUE(html.ok());
  for (const char* want : {"Daily opinion brief", "up 36 (+300.0%)", "III (yellow)", "acknowledged", "possible rumour"})
    EXPECT_NE(html->find(want), std::string::npos) << want;
  EXPECT_EQ(html->find("舆情日报"), std::string::npos);
}

TEST(RenderHtml, InlinesEchartsWhenGiven) {
  RenderOptions o;
  o.echarts_js = "/* echarts */ var echarts = {};";
  auto html = RenderHtml(Sample(), o);
  ASSERT_TRUE(html.ok());
  EXPECT_NE(html->find("/* echarts */ var echarts = {};"), std::string::npos);
  EXPECT_EQ(html->find("未找到 ECharts"), std::string::npos);
}

TEST(RenderHtml, SourcesByTheirNamesInTheReadersLanguage) {
  auto html = RenderHtml(Sample(), {});
  ASSERT_TRUE(html.ok());
  EXPECT_NE(html->find("<td>微博</td>"), std::string::npos);
  EXPECT_NE(html->find("<td>新闻网站</td>"), std::string::npos);
  EXPECT_EQ(html->find("<td>weibo</td>"), std::string::npos);
}

TEST(RenderHtml, TheProvinceMapWhenTheMapIsGiven) {
  RenderOptions o;
  o.echarts_js = "var echarts = {};";
  auto html = RenderHtml(Sample(), o);
  ASSERT_TRUE(html.ok());
  EXPECT_EQ(html->find("data-chart=\"province_map\""), std::string::npos) << "no map without its GeoJSON";
  o.china_map_json = R"({"type":"FeatureCollection","features":[]})";
  html = RenderHtml(Sample(), o);
  ASSERT_TRUE(html.ok());
  EXPECT_NE(html->find("data-chart=\"province_map\""), std::string::npos);
  EXPECT_NE(html->find(R"(<script type="application/json" id="report-china-map">{"type":"FeatureCollection")"), std::string::npos);
  EXPECT_NE(html->find("data-chart=\"provinces\""), std::string::npos) << "the bars stay beside the map";
}

TEST(ChartOptions, TheMapShadesProvincesByTheirShortNames) {
  json d = Sample();
  d["provinces_ranked"] = json::parse(R"([{"name": "广西壮族自治区", "count": 7}, {"name": "湖北省", "count": 3}, {"name": "湖北", "count": 2}])");
  json map = ChartOptions(d, true)["province_map"];
  json data = map["series"][0]["data"];
  ASSERT_EQ(data.size(), 2u) << data.dump();
  EXPECT_EQ(data[0], json({{"name", "广西"}, {"value", 7}}));
  EXPECT_EQ(data[1], json({{"name", "湖北"}, {"value", 5}}));
  EXPECT_EQ(map["visualMap"]["max"], 7);
}

TEST(RenderHtml, UsesTheUsersTemplate) {
  RenderOptions o;
  o.template_text = "<p>{{title}}|{{posts}}|{{#top_events}}{{title}}{{/top_events}}|{{change_text}}</p>";
  auto html = RenderHtml(Sample(), o);
  ASSERT_TRUE(html.ok());
  EXPECT_EQ(*html, "<p>舆情日报|48|东湖停水&lt;img src=x onerror=alert(1)&gt;|较上一周期增加 36 条（+300.0%）</p>");
}

TEST(RenderHtml, ABrokenTemplateIsAnError) {
  RenderOptions o;
  o.template_text = "{{#top_events}}never closed";
  auto html = RenderHtml(Sample(), o);
  ASSERT_FALSE(html.ok());
  EXPECT_EQ(html.status().code(), Code::kInvalid);
  EXPECT_NE(html.status().message().find("{{#top_events}} of line 1 is never closed"), std::string::npos) << html.status().message();
  o.template_text = "<p>\n{{#a}}{{/b}}</p>";
  html = RenderHtml(Sample(), o);
  ASSERT_FALSE(html.ok());
  EXPECT_NE(html.status().message().find("{{/b}} on line 2 closes {{#a}}"), std::string::npos) << html.status().message();
  o.template_text = "{{posts";
  EXPECT_FALSE(RenderHtml(Sample(), o).ok());
}

TEST(ViewModel, ReviewSectionsAndProposals) {
  json d = Sample();
  d["kind"] = "incident";
  d["review"] = json::parse(R"json({
    "evaluation": {"incident": {"id": 5, "title": "东湖水质", "level": "II"}, "minutes": {"to_acknowledge": 90},
                   "tasks": {"list": [{"key": "holding_statement", "role": "spokesperson", "due_at": "2026-06-02T13:10:00+08:00",
                                        "done_at": null, "met": false}]}},
    "timeline": [{"at": "2026-06-02T12:10:00+08:00", "kind": "opened", "title": "东湖水质"}],
    "statements": [{"id": 9, "version": 1, "kind": "holding", "state": "published", "published": true,
                    "published_at": "2026-06-02T14:10:00+08:00", "check_ok": false,
                    "findings": [{"principle": "honest", "severity": "error", "message": "绝对化表述", "text": "绝不"}]}],
    "commitments": [{"text": "14时前通报", "owner": "李明", "due_at": "2026-06-02T14:00:00+08:00", "kept": false, "overdue": true}],
    "proposals": [{"code": "missed_deadline", "subject": "holding_statement"}, {"code": "commitment_slipped", "subject": "14时前通报"}],
    "volume": {"points": [{"at": "2026-06-02T12:00:00+08:00", "volume": 3, "negative": 1}]}
  })json");
  auto html = RenderHtml(d, {});
  ASSERT_TRUE(html.ok()) << html.status().ToString();
  for (const char* want : {"事件处置复盘报告", "复盘：处置时间线", "超时", "逾期未兑现", "绝对化表述", "「绝不」",
                           "任务「holding_statement」未在时限内完成", "承诺「14时前通报」逾期", "data-chart=\"volume\""})
    EXPECT_NE(html->find(want), std::string::npos) << want;
  json charts = ChartOptions(d, true);
  EXPECT_TRUE(charts.contains("volume"));
  EXPECT_EQ(charts["volume"]["series"][0]["data"], json::array({3}));
}

TEST(ChartOptions, TrendIsStackedBySentimentWithTheDashboardColours) {
  json c = ChartOptions(Sample(), true);
  ASSERT_EQ(c["trend"]["series"].size(), 3u);
  EXPECT_EQ(c["trend"]["series"][0]["name"], "负面");
  EXPECT_EQ(c["trend"]["series"][0]["color"], "#d9534f");
  EXPECT_EQ(c["trend"]["series"][2]["data"], json::array({3}));
  EXPECT_EQ(c["trend"]["xAxis"]["data"], json::array({"00:00"}));
  EXPECT_EQ(c["trend"]["animation"], false);
  EXPECT_EQ(c["sources"]["yAxis"]["data"], json::array({"新闻网站", "微博"}));  // largest on top, by name
}

TEST(Output, FormatsAndMissingFiles) {
  EXPECT_TRUE(ParseFormat("pdf").ok());
  auto bad = ParseFormat("doc");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("--format"), std::string::npos);
  EXPECT_FALSE(ReadTextFile("/nonexistent/template.mustache").ok());
}

}  // namespace
}  // namespace yuqing::report
