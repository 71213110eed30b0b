// app/listeners.h, the one place that wires who is told (issue 20): the alert listeners and the
// incident hooks of every path write the outbox through routers that carry the services'
// dashboard link and wake the services' dispatcher.
#include "app/listeners.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <set>
#include <string>

#include "store/outbox_store.h"
#include "warning/engine.h"

namespace yuqing::app {
namespace {

class ListenersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("yq-listeners-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    auto s = Services::Open(dir_.string());
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    services_ = std::move(*s);
    services_->set_dashboard_url("http://yq.example:8080/");
    services_->set_outbox_wake([this] { ++wakes_; });
    auto ob = store::OutboxStore::Open(services_->db());
    ASSERT_TRUE(ob.ok()) << ob.status().ToString();
    outbox_ = std::move(*ob);
    ASSERT_TRUE(outbox_->AddDepartment({"宣传科", "", {}, 0}).ok());
    store::Contact c;
    c.department = "宣传科";
    c.channel = "webhook";
    c.target = "http://127.0.0.1:1/hook";
    ASSERT_TRUE(outbox_->AddContact(c).ok());
  }
  void TearDown() override {
    outbox_.reset();
    services_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::filesystem::path dir_;
  std::unique_ptr<Services> services_;
  std::unique_ptr<store::OutboxStore> outbox_;
  int wakes_ = 0;
};

TEST_F(ListenersTest, AlertChangesReachTheOutboxWithTheDashboardLinkAndWakeTheDispatcher) {
  auto listeners = AlertListeners::Open(*services_, services_->db());
  ASSERT_TRUE(listeners.ok()) << listeners.status().ToString();
  warning::ManualAlert m;
  m.departments = {"宣传科"};
  m.severity = 2;
  m.rule = "test";
  m.message = "测试预警";
  auto id = warning::RaiseAlert(services_->db(), m, 1000, listeners->all());
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  ASSERT_TRUE(warning::AckAlert(services_->db(), *id, "boss", 2000, "已安排", listeners->all()).ok());
  auto rows = outbox_->List("", *id, 100);
  ASSERT_TRUE(rows.ok());
  std::set<std::string> notices;
  for (const auto& e : *rows) {
    notices.insert(e.notice);
    EXPECT_NE(e.payload.find("http://yq.example:8080/#/alerts/" + std::to_string(*id)), std::string::npos) << e.payload;
  }
  EXPECT_EQ(notices, (std::set<std::string>{"raised", "acked"}));
  EXPECT_EQ(wakes_, 2);

  services_->set_outbox_wake(nullptr);  // serve clears it before its dispatcher goes
  ASSERT_TRUE(warning::ResolveAlert(services_->db(), *id, "boss", 3000, "", listeners->all()).ok());
  EXPECT_EQ(wakes_, 2);
}

TEST_F(ListenersTest, IncidentHooksWriteThroughTheSameRouters) {
  auto response = OpenResponse(*services_, services_->db());
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  ASSERT_NE((*response)->hooks(), nullptr);
  incident::OpenRequest req;
  req.title = "东湖小区火灾";
  req.actor = "boss";
  req.links.push_back({0, "department", "宣传科", 0});
  auto opened = (*response)->service().Open(req);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  auto rows = outbox_->List("", 0, 100);
  ASSERT_TRUE(rows.ok());
  std::set<std::string> notices;
  for (const auto& e : *rows) notices.insert(e.notice);
  EXPECT_EQ(notices.count("incident_opened"), 1u);
  EXPECT_GE(wakes_, 1);
}

}  // namespace
}  // namespace yuqing::app
