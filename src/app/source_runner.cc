#include "app/source_runner.h"

#include <algorithm>
#include <cstdlib>
#include <thread>

#include "ingest/feed_poller.h"
#include "ingest/imap.h"
#include "ingest/mail.h"
#include "ingest/page.h"
#include "ingest/robots.h"
#include "ingest/reader.h"
#include "store/alert_store.h"
#include "warning/engine.h"

namespace yuqing::app {
namespace {

using nlohmann::json;

// What one kind's fetcher hands back: the records, and what the source should remember.
struct Fetched {
  bool not_modified = false;
  long http_status = 0;
  std::vector<ingest::Item> inputs;
  std::string etag, last_modified;  // validators to keep once the records are committed
  json state;                       // the kind's cursor to keep once the records are committed
};

bool StartsWith(const std::string& s, std::string_view p) { return s.compare(0, p.size(), p) == 0; }

// RSS/Atom (RSSHub included): a conditional GET, then the feed reader every file goes through.
Result<Fetched> FetchFeedSource(const store::SourceRow& s, TimeMs now) {
  ingest::FeedState validators{s.etag, s.last_modified};
  YQ_ASSIGN_OR_RETURN(auto r, ingest::FetchFeed(s.url, validators));
  Fetched f;
  f.not_modified = r.not_modified;
  f.http_status = r.http_status;
  f.etag = validators.etag;
  f.last_modified = validators.last_modified;
  f.state = s.state;
  if (r.not_modified) return f;
  ingest::ReadOptions ro;
  ro.format = ingest::Format::kFeed;
  ro.defaults.now = now;
  ro.defaults.source = "rss";
  YQ_RETURN_IF_ERROR(ingest::ReadBuffer(r.body, s.url, ro, [&](ingest::Item& it) {
    f.inputs.push_back(std::move(it));
    return Status::Ok();
  }));
  return f;
}

constexpr const char* kAgent = "yuqing/0.1 (+https://github.com/yuqing; sources)";

std::string ConfigString(const store::SourceRow& s, const char* key) {
  auto it = s.config.find(key);
  return it != s.config.end() && it->is_string() ? it->get<std::string>() : "";
}

// The site's robots.txt, read again once a day (kept in the source's state). A 4xx answer means
// no rules (RFC 9309 2.3.1.3); a 5xx or a network failure means "do not fetch now".
Result<std::string> Robots(const store::SourceRow& s, json& state, TimeMs now, HostGate& gate) {
  auto at = state.find("robots_at");
  if (at != state.end() && at->is_number_integer() && now - at->get<int64_t>() < kDay && state.contains("robots"))
    return state["robots"].get<std::string>();
  gate.Acquire(ingest::OriginOf(s.url));
  ingest::FeedState none;
  ingest::FetchOptions o;
  o.max_bytes = 512 * 1024;
  o.user_agent = kAgent;
  auto r = ingest::FetchFeed(ingest::RobotsUrl(s.url), none, o);
  std::string txt;
  if (r.ok()) {
    txt = r->body;
  } else if (r.status().message().find(": HTTP 4") == std::string::npos) {
    return Status::Unavailable("robots.txt: " + r.status().message());
  }
  state["robots"] = txt;
  state["robots_at"] = now;
  return txt;
}

// A page without a feed: robots.txt obeyed, the origin's rate limit kept, a conditional GET, then
// the items the selectors pick out, read as JSON records (the same parser as every file).
Result<Fetched> FetchPageSource(const store::SourceRow& s, TimeMs now, HostGate& gate) {
  Fetched f;
  f.state = s.state;
  YQ_ASSIGN_OR_RETURN(std::string robots, Robots(s, f.state, now, gate));
  const std::string path = ingest::PathOf(s.url);
  auto verdict = ingest::CheckRobots(robots, "yuqing", path);
  if (!verdict.allowed) return Status::Permission("robots.txt: '" + verdict.rule + "' disallows " + path);
  YQ_ASSIGN_OR_RETURN(auto sel, ingest::ParsePageSelectors(ConfigString(s, "item"), ConfigString(s, "title"),
                                                           ConfigString(s, "link"), ConfigString(s, "time")));
  gate.Acquire(ingest::OriginOf(s.url), verdict.crawl_delay);
  ingest::FeedState validators{s.etag, s.last_modified};
  ingest::FetchOptions o;
  o.max_bytes = 16u << 20;
  o.user_agent = kAgent;
  YQ_ASSIGN_OR_RETURN(auto r, ingest::FetchFeed(s.url, validators, o));
  f.not_modified = r.not_modified;
  f.http_status = r.http_status;
  f.etag = validators.etag;
  f.last_modified = validators.last_modified;
  if (r.not_modified) return f;
  YQ_ASSIGN_OR_RETURN(auto records, ingest::ExtractPageItems(r.body, sel, s.url));
  std::string lines;
  for (const auto& rec : records) lines += rec.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
  ingest::ReadOptions ro;
  ro.format = ingest::Format::kJsonLines;
  ro.defaults.now = now;
  ro.defaults.source = "web";
  YQ_RETURN_IF_ERROR(ingest::ReadBuffer(lines, s.url, ro, [&](ingest::Item& it) {
    f.inputs.push_back(std::move(it));
    return Status::Ok();
  }));
  return f;
}

// A mailbox: each message once. The cursor is (UIDVALIDITY, last UID) in the source's state; a
// new UIDVALIDITY (the mailbox was recreated) reads it from the start again, and the messages'
// ids (their Message-ID) keep what was stored from being stored twice.
Result<Fetched> FetchImapSource(const store::SourceRow& s, TimeMs now) {
  Fetched f;
  f.state = s.state;
  ingest::ImapOptions o;
  o.url = s.url;
  o.user = ConfigString(s, "user");
  o.ca_file = ConfigString(s, "ca_file");
  const std::string env = ConfigString(s, "password_env");
  const char* pw = env.empty() ? nullptr : std::getenv(env.c_str());
  if (!pw) return Status::Invalid("password_env: $" + env + " is not set in the environment of this process");
  o.password = pw;
  YQ_ASSIGN_OR_RETURN(int64_t validity, ingest::ImapUidValidity(o));
  int64_t last = f.state.value("last_uid", int64_t{0});
  if (f.state.value("uidvalidity", int64_t{0}) != validity) last = 0;
  YQ_ASSIGN_OR_RETURN(auto uids, ingest::ImapUidsAfter(o, last));
  if (uids.size() > 500) uids.resize(500);  // the rest next time
  const std::string mailbox = ingest::ImapMailbox(s.url);
  std::string lines;
  for (int64_t uid : uids) {
    YQ_ASSIGN_OR_RETURN(std::string raw, ingest::ImapFetch(o, uid));
    const std::string fallback = "mail-" + std::to_string(validity) + "-" + std::to_string(uid);
    auto rec = ingest::MailToRecord(raw, fallback, mailbox);
    json r = rec.ok() ? *rec : json{{"id", fallback}, {"text", ""}, {"source", "email"}};  // quarantined: no text
    lines += r.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
    last = uid;
  }
  f.state["uidvalidity"] = validity;
  f.state["last_uid"] = last;
  ingest::ReadOptions ro;
  ro.format = ingest::Format::kJsonLines;
  ro.defaults.now = now;
  ro.defaults.source = "email";
  YQ_RETURN_IF_ERROR(ingest::ReadBuffer(lines, s.url, ro, [&](ingest::Item& it) {
    f.inputs.push_back(std::move(it));
    return Status::Ok();
  }));
  return f;
}

Result<Fetched> Fetch(const store::SourceRow& s, TimeMs now, HostGate& gate) {
  if (s.kind == "imap") return FetchImapSource(s, now);
  if (s.kind == "feed") return FetchFeedSource(s, now);
  if (s.kind == "page") return FetchPageSource(s, now, gate);
  return Status::Invalid("unknown source kind '" + s.kind + "'");
}

}  // namespace

void HostGate::Acquire(const std::string& origin, TimeMs crawl_delay) {
  using Clock = std::chrono::steady_clock;
  const auto gap = std::chrono::milliseconds(std::max(min_interval_, crawl_delay));
  Clock::time_point at;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto now = Clock::now();
    auto& next = next_[origin];
    at = std::max(now, next);
    next = at + gap;
  }
  std::this_thread::sleep_until(at);
}

bool IsKnownSourceKind(const std::string& kind) { return kind == "feed" || kind == "page" || kind == "imap"; }

Status ValidateSource(const store::SourceRow& s, bool zh) {
  auto bad = [zh](const char* field, const std::string& zh_text, const std::string& en_text) {
    return Status::Invalid(std::string(field) + ": " + (zh ? zh_text : en_text));
  };
  if (!IsKnownSourceKind(s.kind))
    return bad("kind", "应为 feed、page 或 imap（收到 '" + s.kind + "'）", "must be feed, page or imap (got '" + s.kind + "')");
  if (s.name.empty() || s.name.size() > 200) return bad("name", "长度应为 1-200 字节", "1-200 bytes");
  if (s.url.size() > 4096) return bad("url", "超过 4096 字节", "longer than 4096 bytes");
  if (s.kind == "imap") {
    if (!StartsWith(s.url, "imaps://") && !StartsWith(s.url, "imap://"))
      return bad("url", "imap 类数据源需要 imaps://主机/邮箱 地址", "an imap source needs an imaps://host/MAILBOX URL");
    if (s.config.value("user", std::string()).empty()) return bad("user", "imap 类数据源需要用户名", "an imap source needs a user");
    if (s.config.value("password_env", std::string()).empty())
      return bad("password_env", "需要存放密码的环境变量名（密码不入库）", "the environment variable holding the password is needed (passwords are not stored)");
  } else if (!StartsWith(s.url, "http://") && !StartsWith(s.url, "https://"))
    return bad("url", s.kind + " 类数据源需要 http:// 或 https:// 地址（收到 '" + s.url + "'）",
               "a " + s.kind + " source needs an http:// or https:// URL (got '" + s.url + "')");
  if (s.every < kSecond) return bad("every", "至少 1s", "at least 1s");
  if (s.every > 30 * kDay) return bad("every", "至多 30d", "at most 30d");
  if (s.silence_floor < 0) return bad("silence_floor", "不能为负", "must not be negative");
  if (s.kind == "page") {
    for (const char* key : {"item", "title", "link"}) {
      auto it = s.config.find(key);
      if (it == s.config.end() || !it->is_string() || it->get<std::string>().empty())
        return bad(key, "page 类数据源需要此 CSS 选择器", "a page source needs this CSS selector");
    }
    auto v = s.config.value("time", std::string());
    auto sel = ingest::ParsePageSelectors(s.config["item"].get<std::string>(), s.config["title"].get<std::string>(),
                                          s.config["link"].get<std::string>(), v);
    if (!sel.ok()) return sel.status();
  }
  return Status::Ok();
}

Result<SourceRunReport> RunSource(store::SourceStore& sources, store::SourceRow& s, const RecordSink& sink,
                                  TimeMs now, HostGate* gate) {
  HostGate local;
  SourceRunReport rep;
  rep.source_id = s.id;
  rep.name = s.name;
  s.last_run_at = now;
  s.next_run_at = now + s.every;
  auto fetched = Fetch(s, now, gate ? *gate : local);
  store::SourceFetch log;
  log.source_id = s.id;
  log.at = now;
  if (!fetched.ok()) {
    rep.ok = log.ok = false;
    rep.error = log.error = fetched.status().message();
    s.last_error = rep.error;
    s.last_error_at = now;
  } else {
    rep.not_modified = log.not_modified = fetched->not_modified;
    rep.http_status = fetched->http_status;
    if (!fetched->inputs.empty()) {
      YQ_ASSIGN_OR_RETURN(auto results, sink(fetched->inputs));
      for (auto& r : results) {
        if (r.outcome == RecordOutcome::kStored) ++rep.counts.stored;
        else if (r.outcome == RecordOutcome::kDuplicate) ++rep.counts.duplicates;
        else {
          ++rep.counts.quarantined;
          rep.quarantined.push_back(std::move(r));
        }
      }
    }
    // Only now, with the records committed, may the next fetch skip what this one saw.
    s.etag = fetched->etag;
    s.last_modified = fetched->last_modified;
    s.state = fetched->state;
    s.last_success_at = now;
    s.last_error.clear();
    if (rep.counts.stored > 0) s.last_new_at = now;
    log.stored = rep.counts.stored;
    log.duplicates = rep.counts.duplicates;
    log.quarantined = rep.counts.quarantined;
  }
  YQ_RETURN_IF_ERROR(sources.RecordFetch(log));
  YQ_RETURN_IF_ERROR(sources.UpdateRunState(s));
  return rep;
}

TimeMs SilenceThreshold(const std::vector<TimeMs>& times, TimeMs every, TimeMs floor) {
  if (floor <= 0) floor = std::max<TimeMs>(kHour, 3 * every);
  std::vector<TimeMs> gaps;
  for (size_t i = 1; i < times.size(); ++i) gaps.push_back(times[i] - times[i - 1]);
  if (gaps.size() < 3) return floor;
  std::nth_element(gaps.begin(), gaps.begin() + gaps.size() / 2, gaps.end());
  return std::max(floor, 3 * gaps[gaps.size() / 2]);
}

Result<json> SourceToJson(store::SourceStore& sources, const store::SourceRow& s, TimeMs now) {
  auto at = [](TimeMs t) { return t > 0 ? json(FormatTime(t)) : json(nullptr); };
  YQ_ASSIGN_OR_RETURN(int64_t last_hour, sources.StoredSince(s.id, now - kHour));
  YQ_ASSIGN_OR_RETURN(int64_t day, sources.StoredSince(s.id, now - kDay));
  YQ_ASSIGN_OR_RETURN(auto times, sources.NewDataTimes(s.id, 51));
  json config = s.config;
  config.erase("password");  // never stored, but never shown either
  return json{{"id", s.id},
              {"name", s.name},
              {"kind", s.kind},
              {"url", s.url},
              {"config", config},
              {"every", FormatDuration(s.every)},
              {"every_ms", s.every},
              {"paused", s.paused},
              {"department", s.department},
              {"created_at", at(s.created_at)},
              {"next_run_at", s.paused ? json(nullptr) : at(s.next_run_at)},
              {"last_run_at", at(s.last_run_at)},
              {"last_success_at", at(s.last_success_at)},
              {"last_new_at", at(s.last_new_at)},
              {"last_error", s.last_error},
              {"last_error_at", at(s.last_error_at)},
              {"posts_last_hour", last_hour},
              {"stored_24h", day},
              {"posts_per_hour", static_cast<double>(day) / 24.0},
              {"silence_threshold_ms", SilenceThreshold(times, s.every, s.silence_floor)},
              {"silent", s.silence_alert_id != 0},
              {"silence_alert_id", s.silence_alert_id == 0 ? json(nullptr) : json(s.silence_alert_id)}};
}

std::string SilenceSpanZh(TimeMs d) {
  if (d >= kHour) return std::to_string(d / kHour) + " 小时";
  if (d >= kMinute) return std::to_string(d / kMinute) + " 分钟";
  return std::to_string(std::max<TimeMs>(0, d) / kSecond) + " 秒";
}

namespace {
warning::ManualAlert SilenceAlert(const store::SourceRow& s, TimeMs now, TimeMs since, TimeMs threshold) {
  warning::ManualAlert m;
  m.scheme_name = "数据源 · " + s.name;
  m.event_id = -(kSilenceEventBase + s.id);
  m.severity = 1;
  m.rule = "source_silent";
  m.message = "数据源 " + s.name + " 已 " + SilenceSpanZh(now - since) + "无新数据（通常不超过 " +
              SilenceSpanZh(threshold) + "；最后一次错误：" + (s.last_error.empty() ? "无" : s.last_error) + "）";
  if (!s.department.empty()) m.departments = {s.department};
  m.numbers = {{"source_id", s.id}, {"silent_ms", now - since}, {"threshold_ms", threshold}};
  m.evidence = json::array({{{"id", "source-" + std::to_string(s.id)}, {"source", s.kind}, {"text", s.url}}});
  return m;
}
}  // namespace

Status CheckSilence(store::Database& db, store::SourceStore& sources, store::SourceRow& s, TimeMs now,
                    const std::vector<warning::AlertListener*>& listeners) {
  if (s.paused) return Status::Ok();
  const TimeMs since = std::max(s.last_new_at, s.created_at);
  YQ_ASSIGN_OR_RETURN(auto times, sources.NewDataTimes(s.id, 51));
  const TimeMs threshold = SilenceThreshold(times, s.every, s.silence_floor);
  const bool silent = now - since > threshold;
  if (silent && s.silence_alert_id != 0) {
    // Still silent: keep the alert firing, or the warning engine resolves it after its quiet
    // period. Once it is resolved (by a person, or while serve was down) it stays so until the
    // source has recovered once: no new alert for the same silence.
    YQ_ASSIGN_OR_RETURN(auto alerts, store::AlertStore::Open(db));
    YQ_ASSIGN_OR_RETURN(auto a, alerts->Get(s.silence_alert_id));
    if (!a || a->status == "resolved" || now - a->last_fired_at < kMinute) return Status::Ok();
    return warning::RaiseAlert(db, SilenceAlert(s, now, since, threshold), now, listeners).status();
  }
  if (silent) {
    YQ_ASSIGN_OR_RETURN(s.silence_alert_id, warning::RaiseAlert(db, SilenceAlert(s, now, since, threshold), now, listeners));
    return sources.UpdateRunState(s);
  }
  if (!silent && s.silence_alert_id != 0) {
    Status st = warning::ResolveAlert(db, s.silence_alert_id, "system", now, "数据源恢复：有新数据", listeners);
    // Someone closed it already, or it was deleted: nothing left to resolve.
    if (!st.ok() && st.code() != Code::kConflict && st.code() != Code::kNotFound) return st;
    s.silence_alert_id = 0;
    return sources.UpdateRunState(s);
  }
  return Status::Ok();
}

}  // namespace yuqing::app
