// The live stream behind GET /api/v1/stream (Server-Sent Events): stages publish new posts and
// alerts; each subscriber has a bounded queue and its own filter (event types, a query in the
// monitoring-scheme language, department scope). A slow client loses its oldest events (and is
// told how many), it never slows the publisher.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/stored_post.h"
#include "rules/query.h"
#include "store/post_store.h"
#include "text/normalizer.h"

namespace yuqing::server {

// The hook the pipeline side calls. Implementations are thread-safe and never block for long.
class StreamPublisher {
 public:
  virtual ~StreamPublisher() = default;
  // Whether anyone listens (publishers may skip building events when not).
  virtual bool HasSubscribers() const = 0;
  // A post the pipeline has committed.
  virtual void PublishPost(std::shared_ptr<const StoredPost> post) = 0;
  // An alert as the API shows it (GET /api/v1/alerts/{id}); it reaches admins and users of one
  // of `departments`.
  virtual void PublishAlert(nlohmann::json alert, std::vector<std::string> departments) = 0;
};

struct StreamEvent {
  enum Type { kPost = 1, kAlert = 2 };
  Type type = kPost;
  std::shared_ptr<const StoredPost> post;  // kPost
  nlohmann::json alert;                     // kAlert
  std::vector<std::string> departments;     // kAlert
  uint64_t seq = 0;
};

// What one subscriber wants and may see.
struct StreamFilter {
  int types = StreamEvent::kPost | StreamEvent::kAlert;
  std::optional<rules::Query> query;  // posts must match (title/text ... as for schemes)
  bool admin = false;
  std::set<int64_t> scheme_ids;         // non-admins: posts matching one of these
  std::vector<std::string> departments;  // non-admins: alerts for one of these
};

class StreamHub;

class Subscription {
 public:
  ~Subscription();
  // Waits up to `timeout_ms` for the next event this subscriber may see; nullopt on timeout or
  // when the hub closed (then closed() is true). *dropped receives events lost to overflow.
  std::optional<StreamEvent> Next(int timeout_ms, uint64_t* dropped);
  bool closed() const;

 private:
  friend class StreamHub;
  Subscription(StreamHub& hub, StreamFilter filter) : hub_(hub), filter_(std::move(filter)) {}
  bool Visible(const StreamEvent& e) const;
  StreamHub& hub_;
  StreamFilter filter_;
  std::deque<StreamEvent> queue_;  // guarded by hub_.mu_
  uint64_t dropped_ = 0;           // guarded by hub_.mu_
};

class StreamHub final : public StreamPublisher {
 public:
  // `max_subscribers` bounds concurrent streams; `queue_limit` bounds each one's backlog.
  StreamHub(std::shared_ptr<const text::Normalizer> norm, size_t max_subscribers, size_t queue_limit);
  ~StreamHub() override;

  // Unavailable when max_subscribers are connected or the hub is closed.
  Result<std::unique_ptr<Subscription>> Subscribe(StreamFilter filter);
  // Wakes every subscriber and refuses new ones (shutdown).
  void Close();

  bool HasSubscribers() const override;
  void PublishPost(std::shared_ptr<const StoredPost> post) override;
  void PublishAlert(nlohmann::json alert, std::vector<std::string> departments) override;

  size_t subscribers() const;
  const text::Normalizer& normalizer() const { return *norm_; }

 private:
  friend class Subscription;
  void Publish(StreamEvent e);
  void Remove(Subscription* s);

  std::shared_ptr<const text::Normalizer> norm_;
  size_t max_subscribers_, queue_limit_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Subscription*> subs_;  // guarded by mu_
  bool closed_ = false;              // guarded by mu_
  uint64_t seq_ = 0;                 // guarded by mu_
};

}  // namespace yuqing::server
