#include "notify/channels.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "notify/signing.h"

namespace yuqing::notify {
namespace {

using nlohmann::json;

store::OutboxEntry Entry(const std::string& channel, const std::string& secret = "") {
  store::OutboxEntry e;
  e.id = 7;
  e.idem_key = "yq-1-raised-2-0-0-c3";
  e.channel = channel;
  e.target = channel == "email" ? "duty@example.org" : "https://robot.example/send?key=abc";
  e.secret = secret;
  e.payload = json({{"idempotency_key", e.idem_key}, {"kind", "raised"}, {"title", "【III级 较大】新预警"},
                    {"text", "10分钟内 34 条"}, {"alert", {{"id", 1}}}})
                  .dump();
  return e;
}

TEST(ChannelsTest, WebhookCarriesPayloadKeyAndSignature) {
  auto r = BuildHttpRequest(Entry("webhook", "s3cret"), 1'700'000'000'123);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->url, "https://robot.example/send?key=abc");
  EXPECT_EQ(json::parse(r->body)["idempotency_key"], "yq-1-raised-2-0-0-c3");
  std::string sig = "X-Yuqing-Signature: " + WebhookSignature("s3cret", "1700000000", r->body);
  EXPECT_NE(std::find(r->headers.begin(), r->headers.end(), sig), r->headers.end());
  EXPECT_NE(std::find(r->headers.begin(), r->headers.end(), "Idempotency-Key: yq-1-raised-2-0-0-c3"), r->headers.end());
}

TEST(ChannelsTest, RobotsGetTheirOwnShapesWithTheKeyInside) {
  auto w = BuildHttpRequest(Entry("wecom"), 1'700'000'000'000);
  ASSERT_TRUE(w.ok());
  auto wj = json::parse(w->body);
  EXPECT_EQ(wj["msgtype"], "markdown");
  EXPECT_NE(wj["markdown"]["content"].get<std::string>().find("yq-1-raised"), std::string::npos);

  auto d = BuildHttpRequest(Entry("dingtalk", "SEC"), 1'700'000'000'000);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->url, "https://robot.example/send?key=abc&timestamp=1700000000000&sign=" +
                        DingTalkSign("SEC", "1700000000000"));
  EXPECT_EQ(json::parse(d->body)["markdown"]["title"], "【III级 较大】新预警");

  auto f = BuildHttpRequest(Entry("feishu", "SEC"), 1'700'000'000'000);
  ASSERT_TRUE(f.ok());
  auto fj = json::parse(f->body);
  EXPECT_EQ(fj["msg_type"], "text");
  EXPECT_EQ(fj["timestamp"], "1700000000");
  EXPECT_EQ(fj["sign"], FeishuSign("SEC", "1700000000"));
}

TEST(ChannelsTest, EmailHasEncodedSubjectAndMessageIdFromKey) {
  SmtpSettings s{"smtp://127.0.0.1:2525", "yuqing@example.org", "", ""};
  std::string m = BuildEmail(Entry("email"), s, 1'700'000'000'000);
  EXPECT_NE(m.find("Subject: =?UTF-8?B?"), std::string::npos);
  EXPECT_NE(m.find("Message-ID: <yq-1-raised-2-0-0-c3@yuqing>"), std::string::npos);
  EXPECT_NE(m.find("To: duty@example.org\r\n"), std::string::npos);
}

TEST(ChannelsTest, EmailCarriesAnAttachmentAsMultipart) {
  SmtpSettings s{"smtp://127.0.0.1:2525", "yuqing@example.org", "", ""};
  auto path = std::filesystem::temp_directory_path() / "yq-attachment-test.pdf";
  {
    std::ofstream f(path, std::ios::binary);
    f << "%PDF-1.4 report";
  }
  store::OutboxEntry e = Entry("email");
  e.payload = json{{"title", "舆情日报 2026-06-02"}, {"text", "信息 48 条"},
                   {"attachment", {{"path", path.string()}, {"name", "日报.pdf"}, {"mime", "application/pdf"}}}}.dump();
  std::string m = BuildEmail(e, s, 1'700'000'000'000);
  EXPECT_NE(m.find("Content-Type: multipart/mixed; boundary="), std::string::npos);
  EXPECT_NE(m.find("Content-Type: application/pdf"), std::string::npos);
  EXPECT_NE(m.find("filename*=UTF-8''%E6%97%A5%E6%8A%A5.pdf"), std::string::npos);
  EXPECT_NE(m.find(Base64("%PDF-1.4 report")), std::string::npos);
  std::filesystem::remove(path);
  // Gone by the time of a retry: the mail goes without it and says so.
  m = BuildEmail(e, s, 1'700'000'000'000);
  EXPECT_EQ(m.find("multipart/mixed"), std::string::npos);
  EXPECT_NE(m.find("Content-Type: text/plain"), std::string::npos);
}

TEST(ChannelsTest, RobotErrorsInA200AreFailures) {
  EXPECT_TRUE(JudgeHttp("wecom", 200, R"({"errcode":0,"errmsg":"ok"})").ok);
  EXPECT_FALSE(JudgeHttp("wecom", 200, R"({"errcode":93000,"errmsg":"invalid webhook url"})").ok);
  EXPECT_FALSE(JudgeHttp("feishu", 200, R"({"code":19021,"msg":"sign match fail"})").ok);
  EXPECT_FALSE(JudgeHttp("webhook", 503, "busy").ok);
  EXPECT_TRUE(JudgeHttp("webhook", 204, "").ok);
}

TEST(ChannelsTest, TargetsAreValidated) {
  EXPECT_TRUE(ValidateTarget("webhook", "http://127.0.0.1:9/x").ok());
  EXPECT_FALSE(ValidateTarget("webhook", "file:///etc/passwd").ok());
  EXPECT_FALSE(ValidateTarget("email", "not-an-address").ok());
  EXPECT_FALSE(ValidateTarget("sms", "123").ok());
}

// Adding a channel is one table entry; this holds every entry to the contract the dispatcher
// relies on: its example target validates, it builds a delivery that carries the idempotency
// key, and it judges an answer.
TEST(ChannelsTest, EveryChannelValidatesBuildsAndJudges) {
  ASSERT_FALSE(Channels().empty());
  const SmtpSettings smtp{"smtp://127.0.0.1:2525", "yuqing@example.org", "", ""};
  for (const Channel& c : Channels()) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(FindChannel(c.name), &c);
    EXPECT_TRUE(IsChannel(c.name));
    EXPECT_NE(ChannelNames().find(c.name), std::string::npos);
    EXPECT_TRUE(ValidateTarget(c.name, c.example).ok()) << c.example;
    EXPECT_FALSE(ValidateTarget(c.name, "").ok());
    EXPECT_FALSE(ValidateTarget(c.name, std::string(c.example) + std::string(2000, 'x')).ok());

    store::OutboxEntry e = Entry(c.name, "SEC");
    e.target = c.example;
    auto d = c.build(e, smtp, 1'700'000'000'000);
    ASSERT_TRUE(d.ok()) << d.status().ToString();
    EXPECT_EQ(d->transport, c.transport);
    EXPECT_FALSE(d->request.url.empty());
    EXPECT_NE(d->request.body.find("yq-1-raised-2-0-0-c3"), std::string::npos);
    if (c.transport == Delivery::Transport::kHttp) {
      EXPECT_EQ(d->request.url.rfind(c.example, 0), 0u);
      auto r = BuildHttpRequest(e, 1'700'000'000'000);
      ASSERT_TRUE(r.ok());
      EXPECT_EQ(r->body, d->request.body);
      EXPECT_FALSE(c.judge(c.name, 503, "busy").ok);
    } else {
      EXPECT_EQ(d->mail_to, c.example);
      EXPECT_FALSE(BuildHttpRequest(e, 1'700'000'000'000).ok());
      EXPECT_FALSE(c.build(e, SmtpSettings{}, 1'700'000'000'000).ok());  // no SMTP server
    }
    SendResult ok = c.judge(c.name, c.transport == Delivery::Transport::kHttp ? 200 : 250, "{}");
    EXPECT_TRUE(ok.ok) << ok.error;
    EXPECT_EQ(ok.status_code, c.transport == Delivery::Transport::kHttp ? 200 : 250);
  }
  // Messages name the channels like this, and cli/cli_text.cc translates them word for word.
  EXPECT_EQ(ChannelNames(), "webhook, wecom, dingtalk, feishu or email");
  EXPECT_EQ(ValidateTarget("sms", "123").message(), "channel must be webhook, wecom, dingtalk, feishu or email");
}

}  // namespace
}  // namespace yuqing::notify
