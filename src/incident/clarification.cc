#include "incident/clarification.h"

#include <algorithm>
#include <unordered_set>

#include "analysis/simhash.h"
#include "core/post.h"
#include "incident/figures.h"
#include "store/incident_posts.h"

namespace yuqing::incident {
namespace {

using nlohmann::json;

json TimeOrNull(TimeMs t) { return t > 0 ? json(FormatTime(t)) : json(nullptr); }

Status Log(store::IncidentStore& store, int64_t incident_id, TimeMs at, const std::string& actor, const char* kind,
           const json& detail) {
  store::IncidentLogRow row;
  row.incident_id = incident_id;
  row.at = at;
  row.actor = actor;
  row.kind = kind;
  row.detail_json = detail.dump(-1, ' ', false, json::error_handler_t::replace);
  return store.AppendLog(row).status();
}

Result<bool> HasPosts(store::Database& db) {
  YQ_ASSIGN_OR_RETURN(store::Statement st, db.Prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'posts'"));
  return st.Step();
}

}  // namespace

Clarifications::Clarifications(store::IncidentStore& store, const Clock& clock,
                               std::shared_ptr<const text::Normalizer> norm, std::shared_ptr<const text::Segmenter> seg,
                               ClarificationOptions o)
    : store_(store), clock_(clock), norm_(std::move(norm)), seg_(std::move(seg)), opts_(o) {}

std::vector<std::string> Clarifications::Words(const std::string& text) const {
  std::vector<std::string> words;
  if (!seg_) return words;
  std::string norm = norm_ ? norm_->Normalize(text) : text;
  seg_->Cut(norm, words);
  return words;
}

Result<store::ClarificationRow> Clarifications::Add(int64_t incident_id, const std::string& claim,
                                                    const std::string& evidence, int64_t statement_id,
                                                    const std::string& actor) {
  if (claim.find_first_not_of(" \t\r\n") == std::string::npos) return Status::Invalid("claim: missing");
  if (claim.size() > kMaxFieldBytes * 2) return Status::TooLarge("claim: longer than 4 KiB");
  if (evidence.size() > kMaxTextBytes) return Status::TooLarge("evidence: longer than 64 KiB");
  YQ_RETURN_IF_ERROR(store_.GetIncident(incident_id).status());
  if (statement_id != 0) {
    YQ_ASSIGN_OR_RETURN(auto s, store_.GetStatement(statement_id));
    if (s.incident_id != incident_id)
      return Status::Invalid("statement: " + std::to_string(statement_id) + " belongs to another incident");
  }
  store::ClarificationRow r;
  r.incident_id = incident_id;
  r.claim = claim;
  r.evidence = evidence;
  r.statement_id = statement_id;
  r.created_at = clock_.Now();
  r.created_by = actor;
  std::vector<std::string> words = Words(claim);
  r.simhash = analysis::SimHash(words, seg_.get());
  if (seg_) {
    std::string q;
    for (const auto& [w, score] : seg_->Keywords(words, opts_.keywords)) q += (q.empty() ? "" : " ") + w;
    r.query = q;
  }
  {
    store::Transaction tx(store_.db());
    YQ_RETURN_IF_ERROR(tx.status());
    YQ_ASSIGN_OR_RETURN(r.id, store_.InsertClarification(r));
    YQ_RETURN_IF_ERROR(Log(store_, incident_id, r.created_at, actor, "clarification",
                           {{"clarification", r.id}, {"claim", claim}, {"query", r.query}}));
    YQ_RETURN_IF_ERROR(tx.Commit());
  }
  YQ_RETURN_IF_ERROR(Scan(r.id).status());
  return r;
}

Result<store::ClarificationRow> Clarifications::SetStatement(int64_t id, int64_t statement_id, const std::string& actor) {
  YQ_ASSIGN_OR_RETURN(auto r, store_.GetClarification(id));
  YQ_ASSIGN_OR_RETURN(auto s, store_.GetStatement(statement_id));
  if (s.incident_id != r.incident_id)
    return Status::Invalid("statement: " + std::to_string(statement_id) + " belongs to another incident");
  r.statement_id = statement_id;
  store::Transaction tx(store_.db());
  YQ_RETURN_IF_ERROR(tx.status());
  YQ_RETURN_IF_ERROR(store_.UpdateClarification(r));
  YQ_RETURN_IF_ERROR(Log(store_, r.incident_id, clock_.Now(), actor, "clarification_statement",
                         {{"clarification", id}, {"statement", statement_id}}));
  YQ_RETURN_IF_ERROR(tx.Commit());
  return r;
}

Result<int64_t> Clarifications::Scan(int64_t id) {
  YQ_ASSIGN_OR_RETURN(auto r, store_.GetClarification(id));
  YQ_ASSIGN_OR_RETURN(bool has_posts, HasPosts(store_.db()));
  if (!has_posts) return 0;
  YQ_ASSIGN_OR_RETURN(auto inc, store_.GetIncident(r.incident_id));
  store::IncidentPosts posts(store_.db());
  const TimeMs from = inc.detected_at - opts_.lookback;
  std::vector<std::pair<std::string, TimeMs>> found;
  std::unordered_set<std::string> ids;
  if (r.simhash != 0) {
    YQ_ASSIGN_OR_RETURN(auto fps, posts.Fingerprints(from, 0, opts_.max_candidates));
    for (const auto& f : fps) {
      // Oldest first, so a copy's original is already decided when the copy comes.
      bool near = f.simhash != 0 && analysis::HammingDistance(f.simhash, r.simhash) <= opts_.max_distance;
      if (near || (!f.dup_of.empty() && ids.count(f.dup_of))) {
        if (ids.insert(f.id).second) found.emplace_back(f.id, f.at);
      }
    }
  }
  if (!r.query.empty()) {
    std::vector<std::string> words;
    for (size_t s = 0, e; s < r.query.size(); s = e + 1) {
      e = r.query.find(' ', s);
      if (e == std::string::npos) e = r.query.size();
      if (e > s) words.push_back(r.query.substr(s, e - s));
    }
    YQ_ASSIGN_OR_RETURN(auto hits, posts.ContainingAll(words, from, 0, 20000));
    for (auto& h : hits)
      if (ids.insert(h.first).second) found.push_back(std::move(h));
  }
  store::Transaction tx(store_.db());
  YQ_RETURN_IF_ERROR(tx.status());
  for (const auto& [pid, at] : found) YQ_RETURN_IF_ERROR(store_.AddClarificationPost(id, pid, at));
  YQ_RETURN_IF_ERROR(tx.Commit());
  YQ_ASSIGN_OR_RETURN(auto all, store_.ClarificationPosts(id));
  return static_cast<int64_t>(all.size());
}

Result<json> Clarifications::Report(int64_t id, bool rescan) {
  if (rescan) YQ_RETURN_IF_ERROR(Scan(id).status());
  YQ_ASSIGN_OR_RETURN(auto r, store_.GetClarification(id));
  YQ_ASSIGN_OR_RETURN(auto linked, store_.ClarificationPosts(id));
  const TimeMs now = clock_.Now();
  json j = {{"id", r.id}, {"incident_id", r.incident_id}, {"claim", r.claim}, {"evidence", r.evidence},
            {"statement_id", r.statement_id == 0 ? json(nullptr) : json(r.statement_id)},
            {"query", r.query}, {"created_at", FormatTime(r.created_at)}, {"created_by", r.created_by}};
  std::vector<TimeMs> times;
  json sample = json::array();
  for (const auto& [pid, at] : linked) {
    times.push_back(at);
    if (sample.size() < 20) sample.push_back({{"id", pid}, {"at", FormatTime(at)}});
  }
  const TimeMs first = times.empty() ? 0 : times.front(), last = times.empty() ? 0 : times.back();
  auto count = [&](TimeMs a, TimeMs b) {
    return static_cast<int64_t>(std::lower_bound(times.begin(), times.end(), b) -
                                std::lower_bound(times.begin(), times.end(), a));
  };
  json curve = json::array();
  if (!times.empty()) {
    const TimeMs bucket = CurveBucket(first, std::max(last + 1, now));
    for (TimeMs t : times) {
      const TimeMs b = (t / bucket) * bucket;
      if (curve.empty() || curve.back()["at_ms"].get<TimeMs>() != b)
        curve.push_back({{"at", FormatTime(b)}, {"at_ms", b}, {"volume", 0}});
      curve.back()["volume"] = curve.back()["volume"].get<int64_t>() + 1;
    }
    j["bucket_minutes"] = bucket / kMinute;
  }
  j["posts"] = {{"total", times.size()}, {"first_at", TimeOrNull(first)}, {"last_at", TimeOrNull(last)},
                {"sample", sample}, {"curve", curve}};
  TimeMs published = 0;
  if (r.statement_id != 0) {
    auto s = store_.GetStatement(r.statement_id);
    if (s.ok()) published = s->published_at;
  }
  const int64_t last_hour = count(now - kHour, now + 1);
  json tracking = {{"published_at", TimeOrNull(published)}, {"window_minutes", opts_.window / kMinute},
                   {"before", nullptr}, {"after", nullptr}, {"last_hour", last_hour},
                   {"still_spreading", last_hour > 0}};
  if (published > 0) {
    tracking["before"] = count(published - opts_.window, published);
    tracking["after"] = count(published, published + opts_.window);
    tracking["complete"] = now >= published + opts_.window;
  }
  j["tracking"] = tracking;
  return j;
}

}  // namespace yuqing::incident
