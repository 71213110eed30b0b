// The routing directory's shared rules (notify/directory.h) and the store calls the settings API
// and the CLI make: masking, validation, SMTP settings, department/contact changes, 测试发送.
#include "notify/directory.h"

#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "testing/test_store.h"

#include "notify/router.h"

namespace yuqing::notify {
namespace {

TEST(MaskTest, SecretsShowAtMostTheirLast4Characters) {
  EXPECT_EQ(MaskSecret(""), "");
  EXPECT_EQ(MaskSecret("short"), "••••");
  EXPECT_EQ(MaskSecret("SEC0123456789abcd"), "••••abcd");
  EXPECT_EQ(MaskSecret("密钥密钥密钥密钥"), "••••密钥密钥");  // characters, not bytes
}

TEST(MaskTest, TargetsKeepTheOriginAndHideKeys) {
  EXPECT_EQ(MaskTarget("email", "duty@example.org"), "duty@example.org");
  std::string wecom = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa";
  std::string m = MaskTarget("wecom", wecom);
  EXPECT_EQ(m, "https://qyapi.weixin.qq.com/••••5aaa");
  EXPECT_EQ(m.find("693a91f6"), std::string::npos);
  EXPECT_EQ(MaskTarget("feishu", "https://open.feishu.cn/open-apis/bot/v2/hook/abcdef0123456789"),
            "https://open.feishu.cn/••••6789");
  EXPECT_EQ(MaskTarget("webhook", "http://127.0.0.1:8080/hook"), "http://127.0.0.1:8080/••••");
  EXPECT_EQ(MaskTarget("webhook", "http://127.0.0.1:8080"), "http://127.0.0.1:8080");
}

store::Contact Good() {
  store::Contact c;
  c.department = "宣传科";
  c.channel = "webhook";
  c.target = "https://hooks.example.org/yq";
  return c;
}

std::string Error(const store::Contact& c) { return ValidateContact(c).message(); }

TEST(ValidateTest, ContactsNameTheBadField) {
  EXPECT_TRUE(ValidateContact(Good()).ok());
  auto c = Good();
  c.channel = "sms";
  EXPECT_EQ(Error(c).rfind("channel:", 0), 0u);
  c = Good();
  c.target = "ftp://x";
  EXPECT_EQ(Error(c).rfind("target:", 0), 0u);
  c = Good();
  c.channel = "email";
  EXPECT_EQ(Error(c).rfind("target:", 0), 0u);  // a URL is no e-mail address
  c = Good();
  c.escalation_order = 21;
  EXPECT_EQ(Error(c).rfind("escalation_order:", 0), 0u);
  c = Good();
  c.min_severity = 0;
  EXPECT_EQ(Error(c).rfind("min_level:", 0), 0u);
  c = Good();
  c.secret = std::string(513, 'k');
  EXPECT_EQ(Error(c).rfind("secret:", 0), 0u);
  store::Department d{"a/b", "", {}, 0};
  EXPECT_EQ(ValidateDepartment(d).message().rfind("name:", 0), 0u);
  d = {"宣传科", "", {""}, 0};
  EXPECT_EQ(ValidateDepartment(d).message().rfind("regions:", 0), 0u);
}

// On SQLite and on PostgreSQL (testing/test_store.h).
class DirectoryStoreTest : public ::testing::TestWithParam<storetest::TestBackend> {
 protected:
  void SetUp() override {
    YQ_OPEN_TEST_STORE(where_, GetParam());
    auto db = where_->Open();
    ASSERT_TRUE(db.ok());
    db_ = std::move(*db);
    auto ob = store::OutboxStore::Open(*db_);
    ASSERT_TRUE(ob.ok());
    outbox_ = std::move(*ob);
    ASSERT_TRUE(outbox_->AddDepartment({"宣传科", "", {"浙江"}, 1}).ok());
  }
  void TearDown() override {
    outbox_.reset();
    db_.reset();
    where_.reset();
  }
  std::unique_ptr<storetest::TestStore> where_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<store::OutboxStore> outbox_;
};

TEST_P(DirectoryStoreTest, SmtpSettingsRoundTripAndAreValidated) {
  auto empty = LoadSmtp(*outbox_);
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->url, "");
  EXPECT_EQ(empty->from, "yuqing@localhost");
  EXPECT_EQ(SaveSmtp(*outbox_, {"http://x", "a@b.cn", "", ""}).message().rfind("url:", 0), 0u);
  EXPECT_EQ(SaveSmtp(*outbox_, {"smtp://x:25", "nobody", "", ""}).message().rfind("from:", 0), 0u);
  ASSERT_TRUE(SaveSmtp(*outbox_, {"smtps://smtp.example.org:465", "yq@example.org", "yq", "pw"}).ok());
  auto s = LoadSmtp(*outbox_);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->url, "smtps://smtp.example.org:465");
  EXPECT_EQ(s->password, "pw");
}

TEST_P(DirectoryStoreTest, DepartmentsChangeByNameOrIdAndGoOnlyWithoutContacts) {
  auto d = outbox_->FindDepartment("宣传科");
  ASSERT_TRUE(d.ok() && *d);
  auto by_id = outbox_->FindDepartment(std::to_string((*d)->id));
  ASSERT_TRUE(by_id.ok() && *by_id);
  EXPECT_EQ((*by_id)->name, "宣传科");
  store::Department next = **d;
  next.description = "对外发布";
  next.regions = {"浙江", "杭州"};
  ASSERT_TRUE(outbox_->UpdateDepartment(next).ok());
  EXPECT_EQ((*outbox_->GetDepartment("宣传科"))->regions.size(), 2u);
  next.name = "没有";
  EXPECT_EQ(outbox_->UpdateDepartment(next).code(), Code::kNotFound);
  auto id = outbox_->AddContact(Good());
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(outbox_->RemoveDepartment("宣传科").code(), Code::kConflict);
  ASSERT_TRUE(outbox_->RemoveContact(*id).ok());
  EXPECT_TRUE(outbox_->RemoveDepartment("宣传科").ok());
  EXPECT_EQ(outbox_->RemoveDepartment("宣传科").code(), Code::kNotFound);
}

TEST_P(DirectoryStoreTest, ContactsUpdateAndRefuseDuplicates) {
  auto a = outbox_->AddContact(Good());
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(outbox_->AddContact(Good()).status().code(), Code::kConflict);
  auto other = Good();
  other.target = "https://hooks.example.org/other";
  auto b = outbox_->AddContact(other);
  ASSERT_TRUE(b.ok());
  auto c = *outbox_->GetContact(*b);
  ASSERT_TRUE(c);
  c->target = Good().target;
  EXPECT_EQ(outbox_->UpdateContact(*c).code(), Code::kConflict);  // would duplicate contact a
  c->target = "https://hooks.example.org/third";
  c->escalation_order = 2;
  c->enabled = false;
  ASSERT_TRUE(outbox_->UpdateContact(*c).ok());
  auto saved = *outbox_->GetContact(*b);
  EXPECT_EQ(saved->escalation_order, 2);
  EXPECT_FALSE(saved->enabled);
  c->id = 9999;
  EXPECT_EQ(outbox_->UpdateContact(*c).code(), Code::kNotFound);
  c->id = *b;
  c->department = "没有";
  EXPECT_EQ(outbox_->UpdateContact(*c).code(), Code::kInvalid);
}

TEST_P(DirectoryStoreTest, ATestMessageGoesToOneContactWhateverItsOrderOrLevel) {
  auto c = Good();
  c.escalation_order = 3;
  c.min_severity = 4;
  c.enabled = false;
  auto id = outbox_->AddContact(c);
  ASSERT_TRUE(id.ok());
  auto router = Router::Create(*db_);
  ASSERT_TRUE(router.ok());
  int woke = 0;
  (*router)->set_on_enqueued([&] { ++woke; });
  auto first = (*router)->EnqueueTest(*id, "boss", 1000, "n1");
  auto second = (*router)->EnqueueTest(*id, "boss", 1000, "n2");
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_NE(*first, *second);  // each press is its own message
  EXPECT_EQ(woke, 2);
  auto e = outbox_->Get(*first);
  ASSERT_TRUE(e.ok() && *e);
  EXPECT_EQ((*e)->notice, "test");
  EXPECT_EQ((*e)->contact_id, *id);
  EXPECT_EQ((*e)->status, "pending");
  EXPECT_EQ((*e)->target, c.target);
  EXPECT_EQ((*router)->EnqueueTest(9999, "boss", 1000, "n3").status().code(), Code::kNotFound);
  auto missing = outbox_->Get(424242);
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(*missing);
}

INSTANTIATE_TEST_SUITE_P(Backends, DirectoryStoreTest, storetest::kBothBackends, storetest::BackendName);

}  // namespace
}  // namespace yuqing::notify
