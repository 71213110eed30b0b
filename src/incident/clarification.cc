#include "incident/clarification.h"

#include <algorithm>
#include <unordered_set>

#include "analysis/simhash.h"
#include "core/post.h"
#include "incident/figures.h"
#include "incident/outbox_hooks.h"
#include "rules/matcher.h"
#include "rules/reference.h"
#include "store/incident_posts.h"
#include "store/scheme_store.h"
#include "text/utf8.h"

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
  return db.HasComponent("posts");
}

std::string Trimmed(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

json IdOrNull(int64_t id) { return id > 0 ? json(id) : json(nullptr); }

// Letters, digits and CJK ideographs never read as query syntax; anything else is quoted.
bool PlainWord(std::string_view w) {
  for (size_t i = 0; i < w.size();) {
    const uint32_t c = text::DecodeUtf8(w, i);
    const bool ascii_word = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    const bool cjk = (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) ||
                     (c >= 0x20000 && c <= 0x2FFFF);
    if (!ascii_word && !cjk) return false;
  }
  // Upper-case operators are syntax (keywords come normalised to lower case, but be sure).
  return !(w == "AND" || w == "OR" || w == "NOT" || w.substr(0, 4) == "NEAR");
}

std::string QuoteIfNeeded(const std::string& w) {
  if (PlainWord(w)) return w;
  std::string q = "\"";
  for (char c : w) {
    if (c == '"' || c == '\\') q += '\\';
    q += c;
  }
  return q + "\"";
}

// The words of a query made of plain or quoted words (the substring fallback without a scheme).
std::vector<std::string> QueryWords(const std::string& query) {
  std::vector<std::string> words;
  std::string cur;
  bool quoted = false;
  for (size_t i = 0; i < query.size(); ++i) {
    const char c = query[i];
    if (quoted && c == '\\' && i + 1 < query.size()) {
      cur += query[++i];
    } else if (c == '"') {
      quoted = !quoted;
    } else if (c == ' ' && !quoted) {
      if (!cur.empty()) words.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) words.push_back(cur);
  return words;
}

// Removes a scheme saved for a record that could not be written (best effort: the record's
// error is what the caller reports).
void UndoScheme(store::Database& db, int64_t scheme_id) {
  auto schemes = store::SchemeStore::Open(db);
  if (schemes.ok()) (void)(*schemes)->Remove(scheme_id);
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

std::string Clarifications::GenerateQuery(const std::string& claim) const {
  if (!seg_) return "";
  std::vector<std::string> words = Words(claim);
  std::string q;
  for (const auto& [w, score] : seg_->Keywords(words, opts_.keywords)) q += (q.empty() ? "" : " ") + QuoteIfNeeded(w);
  return q;
}

std::string Clarifications::SchemeName(const std::string& claim) {
  constexpr size_t kChars = 20;
  std::string excerpt;
  size_t chars = 0, i = 0;
  bool space = false, cut = false;
  const std::string t = Trimmed(claim);
  while (i < t.size()) {
    const size_t start = i;
    const uint32_t c = text::DecodeUtf8(t, i);
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0x3000) {
      space = true;
      continue;
    }
    if (chars == kChars) {
      cut = true;
      break;
    }
    if (space && !excerpt.empty()) {
      excerpt += ' ';
      ++chars;
      if (chars == kChars) {
        cut = true;
        break;
      }
    }
    space = false;
    excerpt.append(t, start, i - start);
    ++chars;
  }
  return "辟谣：" + excerpt + (cut ? "…" : "");
}

Result<rules::Scheme> Clarifications::PlanScheme(const store::ClarificationRow& r) {
  rules::Scheme s;
  s.name = SchemeName(r.claim);
  s.query = r.query;
  YQ_ASSIGN_OR_RETURN(s.departments, IncidentDepartments(store_, r.incident_id));
  // The same check as `yuqing topics add`.
  rules::ParseError err;
  if (!rules::ParseScheme(s, *norm_, {}, &err).ok())
    return Status::Invalid("query '" + r.query + "': " + err.Message(false));
  YQ_ASSIGN_OR_RETURN(auto schemes, store::SchemeStore::Open(store_.db()));
  const std::string base = s.name;
  for (int n = 1;; ++n) {
    if (n > 1) s.name = base + "（" + std::to_string(n) + "）";
    YQ_ASSIGN_OR_RETURN(auto existing, schemes->GetByName(s.name));
    if (!existing) return s;
    if (existing->query == s.query) return *existing;  // saved before (a re-run, another incident)
    if (n >= 100) return Status::Conflict("scheme name '" + base + "': 100 schemes of that name exist already");
  }
}

Result<bool> Clarifications::AttachScheme(store::ClarificationRow& r, rules::Scheme* scheme) {
  if (r.scheme_id != 0 || !norm_ || r.query.empty()) return false;
  YQ_ASSIGN_OR_RETURN(*scheme, PlanScheme(r));
  bool created = false;
  if (scheme->id == 0) {
    YQ_ASSIGN_OR_RETURN(auto schemes, store::SchemeStore::Open(store_.db()));
    YQ_ASSIGN_OR_RETURN(scheme->id, schemes->Add(*scheme, clock_.Now()));
    created = true;
  }
  r.scheme_id = scheme->id;
  return created;
}

Status Clarifications::Backfill(const store::ClarificationRow& r, rules::Scheme scheme) {
  YQ_ASSIGN_OR_RETURN(bool has_posts, HasPosts(store_.db()));
  if (!has_posts || !norm_) return Status::Ok();
  YQ_ASSIGN_OR_RETURN(auto inc, store_.GetIncident(r.incident_id));
  scheme.enabled = true;  // a reused scheme the team disabled still names the claim's posts
  std::vector<rules::CompileError> errors;
  YQ_ASSIGN_OR_RETURN(auto matcher, rules::Matcher::Compile({scheme}, norm_, {}, &errors));
  if (!errors.empty()) return Status::Invalid("query '" + scheme.query + "': " + errors.front().error.Message(false));
  store::IncidentPosts posts(store_.db());
  rules::Scratch scratch;
  std::vector<SchemeHit> hits;
  std::string title, text;
  std::vector<std::pair<std::string, TimeMs>> found;
  YQ_RETURN_IF_ERROR(posts.ForEachText(inc.detected_at - opts_.lookback, 0, opts_.max_candidates,
                                       [&](const store::IncidentPosts::PostText& p) {
                                         title.clear();
                                         text.clear();
                                         norm_->Normalize(p.title, title);
                                         norm_->Normalize(p.text, text);
                                         rules::MatchInput in{title,    text,     p.author, p.source,   p.channel,
                                                              p.region, p.lang,   p.verified, p.followers};
                                         hits.clear();
                                         matcher->Match(in, hits, scratch);
                                         if (!hits.empty()) found.emplace_back(std::string(p.id), p.at);
                                         return Status::Ok();
                                       }));
  store::Transaction tx(store_.db());
  YQ_RETURN_IF_ERROR(tx.status());
  for (const auto& [pid, at] : found) YQ_RETURN_IF_ERROR(store_.AddClarificationPost(r.id, pid, at));
  return tx.Commit();
}

Result<store::ClarificationRow> Clarifications::Add(int64_t incident_id, const std::string& claim,
                                                    const std::string& evidence, int64_t statement_id,
                                                    const std::string& actor) {
  ClarificationRequest req;
  req.incident_id = incident_id;
  req.claim = claim;
  req.evidence = evidence;
  req.statement_id = statement_id;
  req.actor = actor;
  return Add(req);
}

Result<store::ClarificationRow> Clarifications::Add(const ClarificationRequest& req, bool* created) {
  if (created) *created = false;
  const std::string claim = Trimmed(req.claim);
  if (claim.empty()) return Status::Invalid("claim: missing");
  if (req.claim.size() > kMaxFieldBytes * 2) return Status::TooLarge("claim: longer than 4 KiB");
  if (req.evidence.size() > kMaxTextBytes) return Status::TooLarge("evidence: longer than 64 KiB");
  if (req.query.size() > kMaxFieldBytes * 4) return Status::TooLarge("query: longer than 8 KiB");
  YQ_RETURN_IF_ERROR(store_.GetIncident(req.incident_id).status());
  if (req.statement_id != 0) {
    YQ_ASSIGN_OR_RETURN(auto s, store_.GetStatement(req.statement_id));
    if (s.incident_id != req.incident_id)
      return Status::Invalid("statement: " + std::to_string(req.statement_id) + " belongs to another incident");
  }
  const std::string query = Trimmed(req.query);
  YQ_ASSIGN_OR_RETURN(auto recorded, store_.ListClarifications(req.incident_id));
  for (auto& r : recorded) {
    if (Trimmed(r.claim) != claim) continue;
    // The same claim again: the existing record (a re-run must not duplicate it or its scheme).
    if (!query.empty() && query != r.query)
      return Status::Conflict("clarification " + std::to_string(r.id) + " already records this claim with query '" +
                              r.query + "'" +
                              (r.scheme_id ? " (change scheme " + std::to_string(r.scheme_id) + " with yuqing topics edit)"
                                           : ""));
    json changes = json::object();
    if (req.statement_id != 0 && req.statement_id != r.statement_id) {
      r.statement_id = req.statement_id;
      changes["statement"] = req.statement_id;
    }
    if (!req.evidence.empty() && req.evidence != r.evidence) {
      r.evidence = req.evidence;
      changes["evidence"] = true;
    }
    rules::Scheme scheme;
    YQ_ASSIGN_OR_RETURN(bool made, AttachScheme(r, &scheme));
    if (scheme.id > 0) changes["scheme"] = scheme.id;
    if (!changes.empty()) {
      Status st = [&]() -> Status {
        store::Transaction tx(store_.db());
        YQ_RETURN_IF_ERROR(tx.status());
        YQ_RETURN_IF_ERROR(store_.UpdateClarification(r));
        changes["clarification"] = r.id;
        YQ_RETURN_IF_ERROR(Log(store_, r.incident_id, clock_.Now(), req.actor, "clarification_updated", changes));
        return tx.Commit();
      }();
      if (!st.ok()) {
        if (made) UndoScheme(store_.db(), scheme.id);
        return st;
      }
    }
    if (scheme.id > 0) YQ_RETURN_IF_ERROR(Backfill(r, scheme));
    YQ_RETURN_IF_ERROR(Scan(r.id).status());
    return r;
  }

  store::ClarificationRow r;
  r.incident_id = req.incident_id;
  r.claim = req.claim;
  r.evidence = req.evidence;
  r.statement_id = req.statement_id;
  r.created_at = clock_.Now();
  r.created_by = req.actor;
  r.simhash = analysis::SimHash(Words(req.claim), seg_.get());
  r.query = query.empty() ? GenerateQuery(req.claim) : query;
  if (r.query.empty() && seg_)
    return Status::Invalid("claim: no keywords to build a monitoring scheme from; give the scheme's query");
  // Validate and save the scheme first: a query that does not compile writes nothing.
  rules::Scheme scheme;
  YQ_ASSIGN_OR_RETURN(bool made, AttachScheme(r, &scheme));
  Status st = [&]() -> Status {
    store::Transaction tx(store_.db());
    YQ_RETURN_IF_ERROR(tx.status());
    YQ_ASSIGN_OR_RETURN(r.id, store_.InsertClarification(r));
    YQ_RETURN_IF_ERROR(Log(store_, r.incident_id, r.created_at, req.actor, "clarification",
                           {{"clarification", r.id}, {"claim", r.claim}, {"query", r.query},
                            {"scheme", IdOrNull(r.scheme_id)}}));
    return tx.Commit();
  }();
  if (!st.ok()) {
    if (made) UndoScheme(store_.db(), scheme.id);
    return st;
  }
  if (created) *created = true;
  if (scheme.id > 0) YQ_RETURN_IF_ERROR(Backfill(r, scheme));
  YQ_RETURN_IF_ERROR(Scan(r.id).status());
  return r;
}

Result<store::ClarificationRow> Clarifications::SetStatement(int64_t id, int64_t statement_id, const std::string& actor) {
  YQ_ASSIGN_OR_RETURN(auto r, store_.GetClarification(id));
  YQ_ASSIGN_OR_RETURN(auto s, store_.GetStatement(statement_id));
  if (s.incident_id != r.incident_id)
    return Status::Invalid("statement: " + std::to_string(statement_id) + " belongs to another incident");
  r.statement_id = statement_id;
  // A record made before clarifications saved schemes gets its scheme now.
  rules::Scheme scheme;
  YQ_ASSIGN_OR_RETURN(bool made, AttachScheme(r, &scheme));
  Status st = [&]() -> Status {
    store::Transaction tx(store_.db());
    YQ_RETURN_IF_ERROR(tx.status());
    YQ_RETURN_IF_ERROR(store_.UpdateClarification(r));
    json detail = {{"clarification", id}, {"statement", statement_id}};
    if (scheme.id > 0) detail["scheme"] = scheme.id;
    YQ_RETURN_IF_ERROR(Log(store_, r.incident_id, clock_.Now(), actor, "clarification_statement", detail));
    return tx.Commit();
  }();
  if (!st.ok()) {
    if (made) UndoScheme(store_.db(), scheme.id);
    return st;
  }
  if (scheme.id > 0) YQ_RETURN_IF_ERROR(Backfill(r, scheme));
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
  if (r.scheme_id > 0) {
    // The posts the pipeline's matcher tagged with the claim's scheme (those stored before the
    // scheme existed were linked by Backfill when it was saved).
    YQ_ASSIGN_OR_RETURN(auto hits, posts.SchemePosts(r.scheme_id, from, 0, opts_.max_candidates));
    for (auto& h : hits)
      if (ids.insert(h.first).second) found.push_back(std::move(h));
  } else if (!r.query.empty()) {
    YQ_ASSIGN_OR_RETURN(auto hits, posts.ContainingAll(QueryWords(r.query), from, 0, 20000));
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
            {"query", r.query}, {"scheme_id", IdOrNull(r.scheme_id)}, {"scheme_name", nullptr},
            {"created_at", FormatTime(r.created_at)}, {"created_by", r.created_by}};
  if (r.scheme_id > 0) {
    YQ_ASSIGN_OR_RETURN(auto schemes, store::SchemeStore::Open(store_.db()));
    YQ_ASSIGN_OR_RETURN(auto sc, schemes->Get(r.scheme_id));
    if (sc) j["scheme_name"] = sc->name;  // null: removed since (the posts it tagged stay linked)
  }
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
