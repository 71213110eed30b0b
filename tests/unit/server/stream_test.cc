#include "server/stream.h"

#include <gtest/gtest.h>

namespace yuqing::server {
namespace {

std::shared_ptr<const store::StoredPost> MakePost(const std::string& id, const std::string& text, int64_t scheme) {
  auto p = std::make_shared<store::StoredPost>();
  p->post.id = id;
  p->post.text = text;
  if (scheme) p->schemes.push_back({scheme, {}});
  return p;
}

class StreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto n = text::Normalizer::Create();
    ASSERT_TRUE(n.ok()) << n.status().ToString();
    norm_ = *n;
  }
  std::shared_ptr<const text::Normalizer> norm_;
};

TEST_F(StreamTest, DeliversWhatTheFilterAllows) {
  StreamHub hub(norm_, 4, 10);
  StreamFilter f;
  f.scheme_ids = {7};
  f.departments = {"宣传部"};
  auto q = rules::ParseQuery("停水", *norm_);
  ASSERT_TRUE(q.ok());
  f.query = *q;
  auto sub = hub.Subscribe(f);
  ASSERT_TRUE(sub.ok());
  EXPECT_TRUE(hub.HasSubscribers());
  hub.PublishPost(MakePost("a", "西城区停水了", 7));   // visible
  hub.PublishPost(MakePost("b", "西城区停水了", 8));   // other department's scheme
  hub.PublishPost(MakePost("c", "东湖区火灾", 7));     // does not match q
  hub.PublishAlert({{"id", 1}}, {"办公室"});            // other department
  hub.PublishAlert({{"id", 2}}, {"宣传部"});
  uint64_t dropped = 0;
  auto e1 = (*sub)->Next(100, &dropped);
  ASSERT_TRUE(e1.has_value());
  EXPECT_EQ(e1->post->post.id, "a");
  auto e2 = (*sub)->Next(100, &dropped);
  ASSERT_TRUE(e2.has_value());
  EXPECT_EQ(e2->type, StreamEvent::kAlert);
  EXPECT_EQ(e2->alert["id"], 2);
  EXPECT_FALSE((*sub)->Next(20, &dropped).has_value());
}

TEST_F(StreamTest, SlowClientsLoseOldestAndAreTold) {
  StreamHub hub(norm_, 4, 3);
  StreamFilter f;
  f.admin = true;
  auto sub = hub.Subscribe(f);
  ASSERT_TRUE(sub.ok());
  for (int i = 0; i < 5; ++i) hub.PublishPost(MakePost(std::to_string(i), "x", 0));
  uint64_t dropped = 0;
  auto e = (*sub)->Next(100, &dropped);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->post->post.id, "2");
  EXPECT_EQ(dropped, 2u);
}

TEST_F(StreamTest, BoundsSubscribersAndClosesForShutdown) {
  StreamHub hub(norm_, 1, 3);
  auto a = hub.Subscribe({});
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(hub.Subscribe({}).status().code(), Code::kUnavailable);
  hub.Close();
  uint64_t d = 0;
  EXPECT_FALSE((*a)->Next(1000, &d).has_value());
  EXPECT_TRUE((*a)->closed());
  a = Status::Unavailable("x");  // destroy the subscription before the hub
  EXPECT_FALSE(hub.HasSubscribers());
}

}  // namespace
}  // namespace yuqing::server
