#include "warning/engine.h"

#include <functional>

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/alert.h"
#include "core/series.h"
#include "text/utf8.h"

namespace yuqing::warning {
namespace {

using nlohmann::json;

// Evidence posts kept for a scheme's own key (one per scheme: more candidates, for its alerts'
// evidence over the whole scheme).
constexpr size_t kSchemeEvidence = 32;

// At most `chars` code points of s (invalid bytes replaced), with "…" when cut.
std::string Excerpt(std::string_view s, size_t chars) {
  std::string out;
  size_t i = 0, n = 0;
  while (i < s.size() && n < chars) {
    text::AppendUtf8(out, text::DecodeUtf8(s, i));
    ++n;
  }
  if (i < s.size()) out += "…";
  return out;
}

bool ContainsAscii(std::string_view hay, std::string_view needle) {
  if (needle.empty() || needle.size() > hay.size()) return false;
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  for (size_t i = 0; i + needle.size() <= hay.size(); ++i) {
    size_t k = 0;
    while (k < needle.size() && lower(hay[i + k]) == lower(needle[k])) ++k;
    if (k == needle.size()) return true;
  }
  return false;
}

bool HasType(const Analysis& a, const std::vector<std::string>& types) {
  for (const auto& h : a.types)
    if (std::find(types.begin(), types.end(), h.type) != types.end()) return true;
  return false;
}

PostFacts FactsFor(const ProcessedPost& pp, const Policy& p) {
  PostFacts f;
  const Post& post = pp.post;
  f.negative = pp.analysis.sentiment_label == "negative";
  f.sensitive = f.negative && HasType(pp.analysis, p.sensitive_types);
  f.spreading = HasType(pp.analysis, p.spreading_types);
  for (const auto& s : p.authority_sources) {
    if (ContainsAscii(post.source, s) || ContainsAscii(post.author.name, s)) {
      f.authoritative = true;
      break;
    }
  }
  if (post.author.verified && post.author.followers >= p.authority_followers) f.authoritative = true;
  f.interactions = std::max<int64_t>(0, post.metrics.reposts) + std::max<int64_t>(0, post.metrics.comments) +
                   std::max<int64_t>(0, post.metrics.likes);
  f.reach = std::clamp<int64_t>(post.author.followers, 0, 1'000'000'000);
  return f;
}

EvidencePost EvidenceFor(const ProcessedPost& pp, const PostFacts& f, TimeMs t) {
  EvidencePost e;
  e.id = pp.post.id;
  e.source = pp.post.source;
  e.author = Excerpt(pp.post.author.name, 40);
  e.text = Excerpt(pp.post.title.empty() ? pp.post.text : pp.post.title + " " + pp.post.text, 140);
  e.url = pp.post.url.size() <= 512 ? pp.post.url : "";
  e.sentiment = pp.analysis.sentiment_label;
  for (const auto& h : pp.analysis.types) e.types.push_back(h.type);
  e.at = t;
  e.interactions = f.interactions;
  // Evidence that explains an alert best: authoritative, sensitive, negative, widely seen.
  e.score = 1 + std::log1p(static_cast<double>(f.interactions)) + 0.5 * std::log1p(static_cast<double>(f.reach)) +
            (f.negative ? 3 : 0) + (f.sensitive ? 5 : 0) + (f.authoritative ? 8 : 0);
  return e;
}

json EvidenceJson(const std::vector<EvidencePost>& v) {
  json out = json::array();
  for (const auto& e : v) {
    out.push_back({{"id", e.id},
                   {"source", e.source},
                   {"author", e.author},
                   {"text", e.text},
                   {"url", e.url},
                   {"sentiment", e.sentiment},
                   {"types", e.types},
                   {"interactions", e.interactions},
                   {"published_at", FormatTime(e.at)}});
  }
  return out;
}

// The time a post counts at: its publication time when plausible for a live stream, else the
// time it arrived (a post published long ago is news now, not a spike in the past).
TimeMs PostTime(const Post& p, TimeMs live_window) {
  if (p.ingested_at <= 0) return p.published_at;
  if (p.published_at <= 0 || p.published_at < p.ingested_at - live_window || p.published_at > p.ingested_at + 5 * kMinute)
    return p.ingested_at;
  return p.published_at;
}

Status Notify(const std::vector<AlertListener*>& ls, store::Database& db, NoticeKind kind,
              const AlertRecord& a, TimeMs at) {
  AlertNotice n{kind, a, at};
  for (auto* l : ls) YQ_RETURN_IF_ERROR(l->OnAlert(db, n));
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<Engine>> Engine::Create(store::Database& db, EngineOptions opts) {
  std::unique_ptr<Engine> e(new Engine(db, opts));
  YQ_RETURN_IF_ERROR(e->Init());
  return e;
}

Engine::~Engine() = default;

Status Engine::Init() {
  YQ_ASSIGN_OR_RETURN(default_policy_, ParsePolicy(""));
  YQ_ASSIGN_OR_RETURN(alerts_, store::AlertStore::Open(db_));
  YQ_ASSIGN_OR_RETURN(series_, store::SeriesStore::Open(db_));
  YQ_ASSIGN_OR_RETURN(schemes_store_, store::SchemeStore::Open(db_));
  YQ_RETURN_IF_ERROR(ReloadSchemes());
  YQ_ASSIGN_OR_RETURN(auto active, alerts_->ListActive());
  for (const auto& a : active) {
    now_ = std::max(now_, a.updated_at);
    active_[{a.scheme_id, a.event_id}] = {a.id, a.severity, a.status, a.last_fired_at, false, NoteDue(a)};
  }
  return Status::Ok();
}

Status Engine::ReloadSchemes() {
  YQ_ASSIGN_OR_RETURN(scheme_generation_, schemes_store_->Generation());
  YQ_ASSIGN_OR_RETURN(auto list, schemes_store_->List(true));
  schemes_.clear();
  policy_errors_.clear();
  for (auto& s : list) {
    auto p = ParsePolicy(s.policy);
    if (!p.ok()) policy_errors_.push_back(s.name + ": " + p.status().message());
    int64_t id = s.id;
    schemes_[id] = {std::move(s), p.ok() ? *p : default_policy_};
  }
  return Status::Ok();
}

const Policy& Engine::PolicyFor(int64_t scheme_id) const {
  auto it = schemes_.find(scheme_id);
  return it == schemes_.end() ? default_policy_ : it->second.policy;
}

Engine::KeyState& Engine::State(const Key& k, TimeMs t) {
  auto it = keys_.find(k);
  if (it != keys_.end()) return it->second;
  KeyState& st = keys_[k];
  auto recent = series_->Range(k.first, k.second, t - opts_.live_window, t + kHour);
  if (recent.ok()) st.series.Restore(*recent);
  st.restored = true;
  st.started = st.series.empty() ? t : std::min(t, st.series.buckets().front().minute);
  for (const auto& b : st.series.buckets()) st.posts += b.volume;
  if (k.first != 0 && k.second == 0) {
    st.baseline = std::make_unique<Baseline>();
    auto rows = series_->LoadBaselines(k.first);
    if (rows.ok()) st.baseline->Load(*rows);
  }
  return st;
}

Status Engine::Observe(const std::vector<ProcessedPost>& posts) {
  std::vector<std::pair<TimeMs, const ProcessedPost*>> order;
  order.reserve(posts.size());
  for (const auto& pp : posts)
    if (!pp.duplicate) order.emplace_back(PostTime(pp.post, opts_.live_window), &pp);
  if (order.empty()) return Status::Ok();
  std::stable_sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a.first < b.first; });

  store::Transaction tx(db_);
  YQ_RETURN_IF_ERROR(tx.status());
  for (const auto& [t, pp] : order) {
    now_ = std::max(now_, t);
    const int64_t event = pp->analysis.event_id;
    if (event != 0) {
      KeyState& st = State({0, event}, t);
      st.series.Add(t, FactsFor(*pp, default_policy_));
      ++st.posts;
      st.last_post = now_;
    }
    for (const auto& hit : pp->schemes) {
      if (hit.scheme_id == 0) continue;
      const Policy& p = PolicyFor(hit.scheme_id);
      PostFacts f = FactsFor(*pp, p);
      EvidencePost ev = EvidenceFor(*pp, f, t);
      if (event != 0) {
        KeyState& st = State({hit.scheme_id, event}, t);
        st.series.Add(t, f);
        ++st.posts;
        st.series.AddEvidence(ev, now_ - p.heat_window,
                              std::max<size_t>(opts_.event_evidence, 2 * static_cast<size_t>(p.evidence)));
        st.last_post = now_;
        YQ_RETURN_IF_ERROR(Evaluate({hit.scheme_id, event}, st, now_));
        // The scheme's alert sees the post-level signals too: an authoritative source or a
        // casualty report about the scheme matters even when it starts an event of its own.
      }
      KeyState& st = State({hit.scheme_id, 0}, t);
      if (st.baseline) st.baseline->Advance(now_, st.series, p);
      st.series.Add(t, f);
      st.series.AddEvidence(std::move(ev), now_ - p.heat_window, kSchemeEvidence);
      st.last_post = now_;
      YQ_RETURN_IF_ERROR(Evaluate({hit.scheme_id, 0}, st, now_));
    }
  }
  YQ_RETURN_IF_ERROR(Persist());
  return tx.Commit();
}

Status Engine::Evaluate(const Key& k, KeyState& st, TimeMs t) {
  const Policy& p = PolicyFor(k.first);
  int64_t min_volume = k.second ? p.event_min_volume : p.growth_min_volume;
  Signals s = Compute(st.series, st.baseline.get(), t, p, min_volume);
  // The forecast only for events with enough posts to speak of a cascade (a single post has no
  // spread to extrapolate), and only when the policy reads it.
  if (k.second != 0 && st.posts >= min_volume && UsesForecast(p)) {
    s.forecast = ForecastOf(st, t);
    s.has_forecast = true;
  }
  Verdict v = Decide(s, p);
  if (v.severity == 0) return Status::Ok();
  return Fire(k, st, v, t);
}

// The event's series read as one cascade: its first post is the root, every later post a repost
// at its minute, spreading to the average followers of that minute's authors. Posts trimmed from
// the live window count at the root's time (they only raise the observed count).
const forecast::Forecast& Engine::ForecastOf(KeyState& st, TimeMs t) {
  const TimeMs minute = t - ((t % kMinute) + kMinute) % kMinute;
  if (st.forecast_at == minute && st.posts < st.forecast_posts + std::max<int64_t>(1, st.forecast_posts / 10))
    return st.forecast;
  forecast::Observation obs;
  obs.root_time_ms = st.started;
  int64_t in_series = 0;
  for (const auto& b : st.series.buckets()) in_series += b.volume;
  const int64_t trimmed = std::max<int64_t>(0, st.posts - in_series);
  bool root_taken = trimmed > 0;  // the root was among the trimmed posts
  for (int64_t i = 1; i < trimmed; ++i) obs.reposts.push_back({st.started, -1, false, 1, ""});
  for (const auto& b : st.series.buckets()) {
    if (b.volume <= 0) continue;
    const int64_t followers = b.reach > 0 ? b.reach / b.volume : -1;  // -1: unknown
    for (int64_t i = 0; i < b.volume; ++i) {
      if (!root_taken) {
        obs.root_followers = followers;
        root_taken = true;
        continue;
      }
      obs.reposts.push_back({std::max(b.minute, st.started), followers, i < b.authoritative, 1, ""});
    }
  }
  st.forecast = forecast::Predict(obs, std::max<TimeMs>(t - st.started, kMinute), opts_.cascade_model.get());
  st.forecast_at = minute;
  st.forecast_posts = st.posts;
  return st.forecast;
}

Result<Engine::Key> Engine::AlertKeyFor(const Key& k) {
  if (active_.count(k)) return k;
  // The scheme's unresolved alerts: the most recently firing one, and the scheme-wide one (no
  // event yet), if any.
  const Key* latest = nullptr;
  TimeMs latest_fired = -1;
  // active_ is ordered by (scheme, event): the scheme's alerts are one range of it.
  const auto end = active_.lower_bound({k.first + 1, std::numeric_limits<int64_t>::min()});
  for (auto it = active_.lower_bound({k.first, std::numeric_limits<int64_t>::min()}); it != end; ++it) {
    if (it->second.last_fired > latest_fired) {
      latest = &it->first;
      latest_fired = it->second.last_fired;
    }
  }
  if (!latest) return k;
  // A scheme-wide verdict (the scheme's volume, not one event's) joins the scheme's latest alert
  // rather than adding one beside it.
  if (k.second == 0) return *latest;
  // An event's verdict gets the event's own alert: a broad scheme must warn on each cascade that
  // grows, not only on the first (issue 16). Pushes stay grouped per contact by the dispatcher's
  // digest window, so more alerts do not mean more phones ringing.
  const Key scheme_wide{k.first, 0};
  auto s = active_.find(scheme_wide);
  if (s == active_.end()) return k;
  // The scheme-wide alert has no event yet: it adopts the first event that fires (keeping its id
  // and history), so the alert links to the event that drives it.
  YQ_ASSIGN_OR_RETURN(auto rec, alerts_->Get(s->second.id));
  if (!rec || rec->status == "resolved") return k;
  rec->event_id = k.second;
  YQ_RETURN_IF_ERROR(alerts_->Update(*rec));
  active_[k] = s->second;
  active_.erase(s);
  return k;
}

Status Engine::Fire(const Key& verdict_key, KeyState& st, const Verdict& v, TimeMs t) {
  // One unresolved alert per scheme and event: a burst fires the scheme's key and its event's key,
  // and used to raise an alert for each (and a push for each). Now the scheme-wide verdict joins
  // the scheme's latest alert, or becomes the alert the event that drives it adopts; later
  // verdicts upgrade it or keep it alive (AlertKeyFor).
  YQ_ASSIGN_OR_RETURN(const Key k, AlertKeyFor(verdict_key));
  const Policy& p = PolicyFor(k.first);
  auto it = active_.find(k);
  if (it != active_.end()) {
    it->second.last_fired = std::max(it->second.last_fired, t);
    it->second.fired_since_tick = true;
    if (v.severity <= it->second.severity) return Status::Ok();
    YQ_ASSIGN_OR_RETURN(auto rec, alerts_->Get(it->second.id));
    if (rec && rec->status != "resolved") {
      AlertRecord& a = *rec;
      int from = a.severity;
      a.severity = v.severity;
      a.status = "open";
      a.rule = v.rule;
      a.message = v.message;
      a.numbers = v.numbers;
      a.numbers["upgraded_from"] = LevelName(from);
      a.evidence = EvidenceJson(st.series.TopEvidence(p.evidence, t - p.heat_window));
      a.updated_at = t;
      a.last_fired_at = t;
      a.deadline = t + p.ack_deadline[v.severity];
      a.next_reminder_at = t + p.reminder_first;
      a.reminders = 0;
      YQ_RETURN_IF_ERROR(alerts_->Update(a));
      YQ_RETURN_IF_ERROR(alerts_->AddHistory({a.id, t, "upgraded", a.severity, "system",
                                              std::string(LevelName(from)) + " → " + LevelName(a.severity) +
                                                  ": " + v.rule}));
      it->second.severity = a.severity;
      it->second.status = a.status;
      it->second.due = std::min(it->second.due, NoteDue(a));
      return Notify(NoticeKind::kUpgraded, a, t);
    }
    active_.erase(it);  // resolved elsewhere: raise a new one below
  }
  AlertRecord a;
  a.severity = v.severity;
  a.status = "open";
  a.scheme_id = k.first;
  a.event_id = k.second;
  if (auto s = schemes_.find(k.first); s != schemes_.end()) {
    a.scheme_name = s->second.scheme.name;
    a.departments = s->second.scheme.departments;
  }
  a.rule = v.rule;
  a.message = v.message;
  a.numbers = v.numbers;
  a.evidence = EvidenceJson(st.series.TopEvidence(p.evidence, t - p.heat_window));
  a.created_at = a.updated_at = a.last_fired_at = t;
  a.deadline = t + p.ack_deadline[v.severity];
  a.next_reminder_at = t + p.reminder_first;
  auto id = alerts_->Insert(a);
  if (!id.ok() && id.status().code() == Code::kConflict) {
    // Raised by another writer since our last look: adopt it and retry as an upgrade.
    YQ_ASSIGN_OR_RETURN(auto other, alerts_->FindActive(k.first, k.second));
    if (!other) return id.status();
    active_[k] = {other->id, other->severity, other->status, t, true, t};
    return Fire(k, st, v, t);
  }
  if (!id.ok()) return id.status();
  a.id = *id;
  YQ_RETURN_IF_ERROR(alerts_->AddHistory({a.id, t, "raised", a.severity, "system", v.rule}));
  active_[k] = {a.id, a.severity, a.status, t, true, NoteDue(a)};
  return Notify(NoticeKind::kRaised, a, t);
}

Status Engine::Notify(NoticeKind kind, const AlertRecord& a, TimeMs at) {
  return warning::Notify(listeners_, db_, kind, a, at);
}

Status Engine::Persist() {
  std::vector<SeriesPoint> points;
  std::vector<BaselineRow> rows;
  for (auto& [k, st] : keys_) {
    auto d = st.series.TakeDirty(k.first, k.second);
    points.insert(points.end(), d.begin(), d.end());
    if (st.baseline) {
      auto r = st.baseline->Rows(k.first);
      rows.insert(rows.end(), r.begin(), r.end());
    }
  }
  YQ_RETURN_IF_ERROR(series_->Upsert(points));
  return series_->SaveBaselines(rows);
}

Status Engine::Tick(TimeMs now) {
  now_ = std::max(now_, now);
  auto gen = schemes_store_->Generation();
  if (gen.ok() && *gen != scheme_generation_) YQ_RETURN_IF_ERROR(ReloadSchemes());
  store::Transaction tx(db_);
  YQ_RETURN_IF_ERROR(tx.status());
  for (auto it = keys_.begin(); it != keys_.end();) {
    KeyState& st = it->second;
    const Policy& p = PolicyFor(it->first.first);
    if (st.baseline) st.baseline->Advance(now_, st.series, p);
    it = std::next(it);
  }
  YQ_RETURN_IF_ERROR(Persist());
  for (auto it = keys_.begin(); it != keys_.end();) {
    KeyState& st = it->second;
    st.series.Trim(now_ - opts_.live_window);
    bool idle = st.series.empty() && st.last_post < now_ - opts_.live_window;
    if (idle && !st.baseline) {  // an unresolved alert stays in active_ and the store
      it = keys_.erase(it);
    } else {
      ++it;
    }
  }
  EvictEventKeys();
  YQ_RETURN_IF_ERROR(TickAlerts(now_));
  return tx.Commit();
}

void Engine::EvictEventKeys() {
  size_t event_keys = 0, bytes = 0;
  for (const auto& [k, st] : keys_) {
    if (k.second == 0) continue;
    ++event_keys;
    bytes += st.series.bytes() + sizeof(KeyState);
  }
  event_key_bytes_ = bytes;
  if (event_keys <= opts_.max_event_keys && bytes <= opts_.max_event_key_bytes) return;
  // The least recently posted leave, whether or not their event has an unresolved alert: an
  // unresolved alert is a few bytes in active_ and its record in the store, but its key's series
  // and evidence are tens of kilobytes, and on a busy stream (ten broad schemes over the COVID
  // stream raise thousands of alerts an hour, each waiting out its quiet period) keys kept for
  // their alerts grew without bound (issue 22's soak). A later post brings the key's minutes back
  // from the store and fires into the same alert, as after a restart; its evidence starts again
  // from that post (an upgrade's evidence is of the posts seen since).
  // Down to nine tenths of both bounds, so that eviction runs now and then, not every tick.
  std::vector<std::pair<TimeMs, Key>> order;  // (last post, key)
  order.reserve(event_keys);
  for (const auto& [k, st] : keys_)
    if (k.second != 0) order.emplace_back(st.last_post, k);
  std::sort(order.begin(), order.end());
  const size_t keys_target = opts_.max_event_keys - opts_.max_event_keys / 10;
  const size_t bytes_target = opts_.max_event_key_bytes - opts_.max_event_key_bytes / 10;
  for (const auto& [last, k] : order) {
    if (event_keys <= keys_target && bytes <= bytes_target) break;
    auto it = keys_.find(k);
    bytes -= std::min(bytes, it->second.series.bytes() + sizeof(KeyState));
    --event_keys;
    keys_.erase(it);
  }
  event_key_bytes_ = bytes;
}

TimeMs Engine::NoteDue(const AlertRecord& a) {
  if (a.status == "resolved") return 0;
  const Policy& p = PolicyFor(a.scheme_id);
  TimeMs due = a.last_fired_at + p.quiet_period;
  if (a.status == "open") {
    if (a.deadline > 0) due = std::min(due, a.deadline);
    if (a.next_reminder_at > 0) due = std::min(due, a.next_reminder_at);
  }
  next_due_ = next_due_ == 0 ? due : std::min(next_due_, due);
  return due;
}

// Reads from the store only the alerts that have work now (due, or fired since the last tick),
// and every unresolved alert once a minute of stream time, to take in alerts raised by another
// process. Reading all of them every second was 10k rows a second on a busy stream (issue 22's
// soak). A cached due time is never later than the stored alert's: what others change (an
// acknowledgement, a resolve) only removes work, and is read when the cached time comes.
Status Engine::TickAlerts(TimeMs now) {
  if (last_resync_ == 0 || now - last_resync_ >= kMinute || now < last_resync_) {
    YQ_ASSIGN_OR_RETURN(auto list, alerts_->ListActive());
    std::map<Key, Active> fresh;
    for (auto& a : list) {
      Key k{a.scheme_id, a.event_id};
      auto m = active_.find(k);
      const Active* cached = m != active_.end() && m->second.id == a.id ? &m->second : nullptr;
      YQ_ASSIGN_OR_RETURN(TimeMs due, TickAlert(a, cached, now));
      if (due > 0) fresh[k] = {a.id, a.severity, a.status, a.last_fired_at, false, due};
    }
    active_ = std::move(fresh);
    last_resync_ = now;
  } else {
    for (auto it = active_.begin(); it != active_.end();) {
      Active& act = it->second;
      if (!act.fired_since_tick && act.due > now) {
        ++it;
        continue;
      }
      YQ_ASSIGN_OR_RETURN(auto rec, alerts_->Get(act.id));
      TimeMs due = 0;
      if (rec && rec->status != "resolved") {
        YQ_ASSIGN_OR_RETURN(due, TickAlert(*rec, &act, now));
      }
      if (due == 0) {
        it = active_.erase(it);
        continue;
      }
      act = {rec->id, rec->severity, rec->status, rec->last_fired_at, false, due};
      ++it;
    }
  }
  next_due_ = 0;
  for (const auto& [k, act] : active_) next_due_ = next_due_ == 0 ? act.due : std::min(next_due_, act.due);
  return Status::Ok();
}

Result<TimeMs> Engine::TickAlert(AlertRecord& a, const Active* cached, TimeMs now) {
  const Policy& p = PolicyFor(a.scheme_id);
  TimeMs last = a.last_fired_at;
  bool fired = false;
  if (cached) {
    last = std::max(last, cached->last_fired);
    fired = cached->fired_since_tick;
  }
  bool changed = last != a.last_fired_at;
  a.last_fired_at = last;
  if (now - last >= p.quiet_period) {
    a.status = "resolved";
    a.resolved_by = "system";
    a.resolved_at = now;
    a.resolve_note = "已 " + FormatDurationZh(now - last) + "无新信息，自动解除";
    a.updated_at = now;
    YQ_RETURN_IF_ERROR(alerts_->Update(a));
    YQ_RETURN_IF_ERROR(alerts_->AddHistory({a.id, now, "resolved", a.severity, "system", a.resolve_note}));
    YQ_RETURN_IF_ERROR(Notify(NoticeKind::kResolved, a, now));
    return TimeMs{0};
  }
  if (a.status == "open") {
    if (a.deadline > 0 && now >= a.deadline) {
      // Nobody acknowledged in time: level II and up go to the next contact in the chain.
      NoticeKind kind = a.severity >= 3 ? NoticeKind::kEscalated : NoticeKind::kReminder;
      if (kind == NoticeKind::kEscalated) ++a.escalation_step;
      else ++a.reminders;
      a.deadline = now + p.ack_deadline[a.severity];
      a.updated_at = now;
      changed = true;
      YQ_RETURN_IF_ERROR(alerts_->AddHistory({a.id, now, NoticeKindName(kind), a.severity, "system",
                                              "not acknowledged by the deadline"}));
      YQ_RETURN_IF_ERROR(Notify(kind, a, now));
    } else if (a.next_reminder_at > 0 && now >= a.next_reminder_at) {
      // Reminders back off: first, first x factor, ... up to max, and only while it keeps firing.
      double interval = static_cast<double>(p.reminder_first) * std::pow(p.reminder_factor, a.reminders);
      TimeMs span = static_cast<TimeMs>(std::min<double>(interval, static_cast<double>(p.reminder_max)));
      bool still_firing = fired || now - last < span;
      ++a.reminders;
      double next = static_cast<double>(p.reminder_first) * std::pow(p.reminder_factor, a.reminders);
      a.next_reminder_at = now + static_cast<TimeMs>(std::min<double>(next, static_cast<double>(p.reminder_max)));
      changed = true;
      if (still_firing) {
        a.updated_at = now;
        YQ_RETURN_IF_ERROR(alerts_->AddHistory({a.id, now, "reminder", a.severity, "system",
                                                "still firing: reminder " + std::to_string(a.reminders)}));
        YQ_RETURN_IF_ERROR(Notify(NoticeKind::kReminder, a, now));
      }
    }
  }
  if (changed) YQ_RETURN_IF_ERROR(alerts_->Update(a));
  return NoteDue(a);
}

std::optional<Signals> Engine::Peek(int64_t scheme_id, int64_t event_id) const {
  auto it = keys_.find({scheme_id, event_id});
  if (it == keys_.end() || it->second.series.empty()) return std::nullopt;
  const Policy& p = PolicyFor(scheme_id);
  return Compute(it->second.series, it->second.baseline.get(), now_, p,
                 event_id ? p.event_min_volume : p.growth_min_volume);
}

// ---- changes from outside the detector ----

namespace {

// Ack and resolve share one shape: load the alert, refuse a resolved one, change it, record the
// history and tell the listeners, all in one transaction.
Status ChangeAlert(store::Database& db, int64_t id, const std::string& by, TimeMs at, const std::string& note,
                   const std::vector<AlertListener*>& listeners, const char* kind, NoticeKind notice,
                   const std::function<void(AlertRecord&)>& change) {
  YQ_ASSIGN_OR_RETURN(auto alerts, store::AlertStore::Open(db));
  store::Transaction tx(db);
  YQ_RETURN_IF_ERROR(tx.status());
  YQ_ASSIGN_OR_RETURN(auto a, alerts->Get(id));
  if (!a) return Status::NotFound("no alert " + std::to_string(id));
  if (a->status == "resolved") return Status::Conflict("alert " + std::to_string(id) + " is already resolved");
  change(*a);
  a->updated_at = std::max(a->updated_at, at);
  YQ_RETURN_IF_ERROR(alerts->Update(*a));
  YQ_RETURN_IF_ERROR(alerts->AddHistory({id, at, kind, a->severity, by, note}));
  YQ_RETURN_IF_ERROR(Notify(listeners, db, notice, *a, at));
  return tx.Commit();
}

}  // namespace

Status AckAlert(store::Database& db, int64_t id, const std::string& by, TimeMs at, const std::string& note,
                const std::vector<AlertListener*>& listeners) {
  return ChangeAlert(db, id, by, at, note, listeners, "acked", NoticeKind::kAcked, [&](AlertRecord& a) {
    a.status = "acked";
    a.acked_by = by;
    a.acked_at = at;
  });
}

Status ResolveAlert(store::Database& db, int64_t id, const std::string& by, TimeMs at, const std::string& note,
                    const std::vector<AlertListener*>& listeners) {
  return ChangeAlert(db, id, by, at, note, listeners, "resolved", NoticeKind::kResolved, [&](AlertRecord& a) {
    a.status = "resolved";
    a.resolved_by = by;
    a.resolved_at = at;
    a.resolve_note = note;
  });
}

Result<int64_t> RaiseAlert(store::Database& db, const ManualAlert& m, TimeMs at,
                           const std::vector<AlertListener*>& listeners) {
  if (m.severity < 1 || m.severity > 4) return Status::Invalid("severity must be 1 (IV) .. 4 (I)");
  YQ_ASSIGN_OR_RETURN(auto alerts, store::AlertStore::Open(db));
  store::Transaction tx(db);
  YQ_RETURN_IF_ERROR(tx.status());
  YQ_ASSIGN_OR_RETURN(auto existing, alerts->FindActive(m.scheme_id, m.event_id));
  AlertRecord a;
  NoticeKind kind = NoticeKind::kRaised;
  if (existing) {
    a = *existing;
    if (m.severity <= a.severity) {
      a.last_fired_at = std::max(a.last_fired_at, at);
      YQ_RETURN_IF_ERROR(alerts->Update(a));
      YQ_RETURN_IF_ERROR(tx.Commit());
      return a.id;
    }
    kind = NoticeKind::kUpgraded;
    a.status = "open";
  } else {
    a.scheme_id = m.scheme_id;
    a.scheme_name = m.scheme_name;
    a.event_id = m.event_id;
    a.departments = m.departments;
    a.created_at = at;
  }
  a.severity = m.severity;
  a.rule = m.rule;
  a.message = m.message;
  a.numbers = m.numbers;
  a.evidence = m.evidence;
  a.updated_at = a.last_fired_at = at;
  a.deadline = at + m.deadline_after;
  if (existing) {
    YQ_RETURN_IF_ERROR(alerts->Update(a));
  } else {
    YQ_ASSIGN_OR_RETURN(a.id, alerts->Insert(a));
  }
  YQ_RETURN_IF_ERROR(alerts->AddHistory({a.id, at, NoticeKindName(kind), a.severity, "system", m.rule}));
  YQ_RETURN_IF_ERROR(Notify(listeners, db, kind, a, at));
  YQ_RETURN_IF_ERROR(tx.Commit());
  return a.id;
}

}  // namespace yuqing::warning
