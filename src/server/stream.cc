#include "server/stream.h"

#include <algorithm>
#include <chrono>

#include "rules/match_input.h"
#include "core/stored_post.h"
#include "rules/reference.h"

namespace yuqing::server {

StreamHub::StreamHub(std::shared_ptr<const text::Normalizer> norm, size_t max_subscribers, size_t queue_limit)
    : norm_(std::move(norm)), max_subscribers_(max_subscribers), queue_limit_(queue_limit) {}

StreamHub::~StreamHub() { Close(); }

Result<std::unique_ptr<Subscription>> StreamHub::Subscribe(StreamFilter filter) {
  std::lock_guard<std::mutex> lock(mu_);
  if (closed_) return Status::Unavailable("the server is shutting down");
  if (subs_.size() >= max_subscribers_)
    return Status::Unavailable("too many live streams (" + std::to_string(max_subscribers_) + "); try again later");
  std::unique_ptr<Subscription> s(new Subscription(*this, std::move(filter)));
  subs_.push_back(s.get());
  return s;
}

void StreamHub::Close() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
  }
  cv_.notify_all();
}

bool StreamHub::HasSubscribers() const {
  std::lock_guard<std::mutex> lock(mu_);
  return !subs_.empty();
}

size_t StreamHub::subscribers() const {
  std::lock_guard<std::mutex> lock(mu_);
  return subs_.size();
}

void StreamHub::PublishPost(std::shared_ptr<const StoredPost> post) {
  if (!post) return;
  StreamEvent e;
  e.type = StreamEvent::kPost;
  e.post = std::move(post);
  Publish(std::move(e));
}

void StreamHub::PublishAlert(nlohmann::json alert, std::vector<std::string> departments) {
  StreamEvent e;
  e.type = StreamEvent::kAlert;
  e.alert = std::move(alert);
  e.departments = std::move(departments);
  Publish(std::move(e));
}

void StreamHub::Publish(StreamEvent e) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_ || subs_.empty()) return;
    e.seq = ++seq_;
    // Filters run in the subscribers' threads; here only the cheap type test and the copy of
    // two shared pointers.
    for (Subscription* s : subs_) {
      if (!(s->filter_.types & e.type)) continue;
      if (s->queue_.size() >= queue_limit_) {
        s->queue_.pop_front();
        ++s->dropped_;
      }
      s->queue_.push_back(e);
    }
  }
  cv_.notify_all();
}

void StreamHub::Remove(Subscription* s) {
  std::lock_guard<std::mutex> lock(mu_);
  subs_.erase(std::remove(subs_.begin(), subs_.end(), s), subs_.end());
}

Subscription::~Subscription() { hub_.Remove(this); }

bool Subscription::closed() const {
  std::lock_guard<std::mutex> lock(hub_.mu_);
  return hub_.closed_;
}

std::optional<StreamEvent> Subscription::Next(int timeout_ms, uint64_t* dropped) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (true) {
    std::optional<StreamEvent> e;
    {
      std::unique_lock<std::mutex> lock(hub_.mu_);
      if (!hub_.cv_.wait_until(lock, deadline, [&] { return hub_.closed_ || !queue_.empty(); })) return std::nullopt;
      if (hub_.closed_) return std::nullopt;
      e = std::move(queue_.front());
      queue_.pop_front();
      if (dropped) *dropped = dropped_;
      dropped_ = 0;
    }
    if (Visible(*e)) return e;
  }
}

bool Subscription::Visible(const StreamEvent& e) const {
  if (e.type == StreamEvent::kAlert) {
    if (filter_.admin) return true;
    return std::any_of(e.departments.begin(), e.departments.end(), [&](const std::string& d) {
      return std::find(filter_.departments.begin(), filter_.departments.end(), d) != filter_.departments.end();
    });
  }
  const StoredPost& sp = *e.post;
  if (!filter_.admin) {
    bool in_scope = std::any_of(sp.schemes.begin(), sp.schemes.end(),
                                [&](const SchemeHit& h) { return filter_.scheme_ids.count(h.scheme_id) > 0; });
    if (!in_scope) return false;
  }
  if (filter_.query) {
    rules::FieldTexts f = rules::NormalizeFields(rules::RawMatchInputFrom(sp.post), hub_.normalizer(), false);
    if (!rules::ReferenceEval(filter_.query->root, f)) return false;
  }
  return true;
}

}  // namespace yuqing::server
